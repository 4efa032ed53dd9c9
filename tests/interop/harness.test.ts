// Self-checks of the interop harness itself (no servers, no external tools).
import { describe, expect, it } from 'vitest';
import { parseDumpLogSegments } from './harness/kafka.js';
import {
  PARTITIONS,
  checkRecords,
  checkStoredCodecs,
  makePlan,
  murmur2,
  murmur2Partition,
  type ConsumedRecord,
} from './harness/scenario.js';
import { enabledTargets } from './harness/targets.js';

describe('interop harness', () => {
  it('murmur2 matches Kafka UtilsTest.testMurmur2 golden vectors', () => {
    const golden: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [s, h] of golden) expect(murmur2(Buffer.from(s)), s).toBe(h);
  });

  it('the checker accepts a correct read-back and pinpoints broken ones', () => {
    const plan = makePlan(['none', 'gzip'], 'binary', 200);
    const next = new Map<number, number>();
    const good: ConsumedRecord[] = plan.records.map((r) => {
      const partition = murmur2Partition(r.key, PARTITIONS);
      const offset = next.get(partition) ?? 0;
      next.set(partition, offset + 1);
      return {
        partition,
        offset,
        key: r.key,
        value: r.value,
        headers: r.headers,
        timestamp: 1000,
        timestampType: 'CreateTime',
      };
    });
    const opts = { partitions: PARTITIONS, window: { from: 1000, to: 2000 } };
    expect(checkRecords(plan, good, opts)).toEqual([]);

    const bad = good.map((r) => ({ ...r }));
    bad[3] = { ...bad[3], headers: [bad[3].headers[0]] };
    bad[5] = { ...bad[5], timestamp: 5 };
    bad[7] = { ...bad[7], partition: (bad[7].partition + 1) % PARTITIONS };
    bad.pop();
    const problems = checkRecords(plan, bad, opts).join('\n');
    expect(problems).toMatch(/expected 200 records, got 199/);
    expect(problems).toMatch(/record 3 .*headers/);
    expect(problems).toMatch(/record 5 .*outside the produce window/);
    expect(problems).toMatch(/record 7 .*murmur2 picks/);
    expect(problems).toMatch(/1 records missing, e\.g\. 199/);
  });

  it('reads batch codecs from DumpLogSegments output and checks them per record', () => {
    const dump = [
      'Dumping /tmp/k/data/interop.x.kafka.abc-0/00000000000000000000.log',
      'Log starting offset: 0',
      'baseOffset: 0 lastOffset: 1 count: 2 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1 size: 100 magic: 2 compresscodec: none crc: 1 isvalid: true',
      'Dumping /tmp/k/data/interop.x.kafka.abc-2/00000000000000000000.log',
      'baseOffset: 0 lastOffset: 0 count: 1 baseSequence: 0 lastSequence: 0 producerId: 0 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1 size: 90 magic: 2 compresscodec: zstd crc: 2 isvalid: true',
    ].join('\n');
    const batches = parseDumpLogSegments(dump);
    expect(batches).toEqual([
      { partition: 0, baseOffset: 0, lastOffset: 1, codec: 'none' },
      { partition: 2, baseOffset: 0, lastOffset: 0, codec: 'zstd' },
    ]);
    const plan = makePlan(['none', 'zstd'], 'binary', 2);
    const rec = (i: number, partition: number, offset: number): ConsumedRecord => ({
      partition,
      offset,
      key: plan.records[i].key,
      value: plan.records[i].value,
      headers: plan.records[i].headers,
      timestamp: 0,
    });
    expect(checkStoredCodecs(plan, [rec(0, 0, 0), rec(1, 2, 0)], batches)).toEqual([]);
    // A zstd record in an uncompressed batch is allowed (librdkafka skips compression that does not
    // shrink a batch), but not when most of the codec's records were stored uncompressed.
    expect(checkStoredCodecs(plan, [rec(1, 0, 1)], batches).join()).toMatch(
      /only 0 of 1 records produced with zstd were stored compressed with it/,
    );
    expect(checkStoredCodecs(plan, [rec(1, 0, 1), rec(1, 2, 0), rec(1, 2, 0)], batches)).toEqual([]);
    const lz4Batches = [{ partition: 0, baseOffset: 0, lastOffset: 1, codec: 'lz4' }];
    expect(checkStoredCodecs(plan, [rec(1, 0, 1)], lz4Batches).join()).toMatch(/produced with zstd, stored in a lz4 batch/);
  });

  it('EDDY_INTEROP_TARGETS parses', () => {
    const saved = process.env.EDDY_INTEROP_TARGETS;
    try {
      process.env.EDDY_INTEROP_TARGETS = 'kafka';
      expect(enabledTargets()).toEqual(['kafka']);
      delete process.env.EDDY_INTEROP_TARGETS;
      expect(enabledTargets()).toEqual(['kafka', 'eddy']);
      process.env.EDDY_INTEROP_TARGETS = 'nope';
      expect(() => enabledTargets()).toThrow(/unknown target/);
    } finally {
      if (saved === undefined) delete process.env.EDDY_INTEROP_TARGETS;
      else process.env.EDDY_INTEROP_TARGETS = saved;
    }
  });
});
