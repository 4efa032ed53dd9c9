import { describe, expect, it } from 'vitest';

import { parseSegmentFileName, segmentFileName } from '../../../src/engine/storage/files.js';
import {
  formatLogConfig,
  LOG_CONFIG_DEFAULTS,
  LONG_MAX,
  parseLogConfig,
} from '../../../src/engine/storage/log-config.js';

describe('LogConfig', () => {
  it("has Kafka's defaults", () => {
    expect(formatLogConfig(LOG_CONFIG_DEFAULTS)).toEqual({
      'segment.bytes': '1073741824',
      'segment.ms': '604800000',
      'retention.ms': '604800000',
      'retention.bytes': '-1',
      'flush.messages': '9223372036854775807',
      'flush.ms': '9223372036854775807',
      'index.interval.bytes': '4096',
      'segment.index.bytes': '10485760',
      'max.message.bytes': '1048588',
      'file.delete.delay.ms': '60000',
      'message.timestamp.type': 'CreateTime',
      'cleanup.policy': 'delete',
    });
  });

  it('parses topic config strings over a base and passes over keys it does not own', () => {
    const result = parseLogConfig({
      'retention.ms': '-1',
      'segment.bytes': ' 2097152 ',
      'flush.messages': '9223372036854775807',
      'message.timestamp.type': 'LogAppendTime',
      'cleanup.policy': 'compact, delete',
      'min.insync.replicas': '2',
      'retention.bytes': null,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      retentionMs: -1,
      segmentBytes: 2097152,
      flushMessages: LONG_MAX,
      messageTimestampType: 'LogAppendTime',
      cleanupPolicy: ['compact', 'delete'],
      retentionBytes: -1,
    });
    expect(result.ignored).toEqual(['min.insync.replicas']);
    expect(parseLogConfig(new Map([['retention.bytes', '1000']]), result.config)).toMatchObject({
      ok: true,
      config: { retentionBytes: 1000, retentionMs: -1 },
    });
  });

  it('reports one INVALID_CONFIG sentence per bad key', () => {
    const result = parseLogConfig({
      'retention.ms': '-2',
      'segment.bytes': '1000',
      'index.interval.bytes': '2147483648',
      'flush.ms': 'soon',
      'message.timestamp.type': 'WallClock',
      'cleanup.policy': 'delete,forever',
      'retention.bytes': '9223372036854775808',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.key, e.errorCode])).toEqual([
      ['retention.ms', 40],
      ['segment.bytes', 40],
      ['index.interval.bytes', 40],
      ['flush.ms', 40],
      ['message.timestamp.type', 40],
      ['cleanup.policy', 40],
      ['retention.bytes', 40],
    ]);
    expect(result.errors[0].message).toBe(
      'Invalid value -2 for configuration retention.ms: Value must be at least -1.',
    );
    expect(result.errors[1].message).toBe(
      'Invalid value 1000 for configuration segment.bytes: Value must be at least 1048576.',
    );
    expect(result.error).toContain('retention.ms');
  });
});

describe('segment file names', () => {
  it('are 20-digit zero-padded base offsets with a suffix', () => {
    expect(segmentFileName(0, '.log')).toBe('00000000000000000000.log');
    expect(segmentFileName(1234, '.timeindex')).toBe('00000000000000001234.timeindex');
    expect(() => segmentFileName(-1, '.log')).toThrow(RangeError);
    expect(parseSegmentFileName('00000000000000001234.index')).toEqual({
      baseOffset: 1234,
      suffix: '.index',
      state: '',
    });
    expect(parseSegmentFileName('00000000000000001234.log.deleted')).toEqual({
      baseOffset: 1234,
      suffix: '.log',
      state: '.deleted',
    });
    expect(parseSegmentFileName('00000000000000001234.snapshot')).toBeNull();
    expect(parseSegmentFileName('leader-epoch-checkpoint')).toBeNull();
  });
});
