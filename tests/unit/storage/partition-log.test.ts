import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ATTR, BATCH } from '../../../src/engine/protocol/records/batch-header.js';
import { LogError, OffsetOutOfRangeError } from '../../../src/engine/storage/errors.js';
import { FaultyStorageFs } from '../../../src/engine/storage/fs.js';
import { PartitionLog } from '../../../src/engine/storage/partition-log.js';
import { batchHeaders, makeBatch } from '../../helpers/make-batch.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { crcValid, readAll, testClock, testConfig } from './log-helpers.js';

const tempDir = useTempDirs('eddy-log-');

describe('PartitionLog append and read', () => {
  it('assigns consecutive offsets, stamps the leader epoch and keeps CRCs valid', () => {
    const log = PartitionLog.open(tempDir(), testConfig());
    const records = Buffer.concat([makeBatch(1), makeBatch(3), makeBatch(2)]);
    const result = log.appendAsLeader(records, 7);
    expect(result).toMatchObject({ baseOffset: 0, lastOffset: 5, batches: 3, logAppendTime: -1 });
    expect(log.appendAsLeader(makeBatch(4), 8)).toMatchObject({ baseOffset: 6, lastOffset: 9 });
    expect(log.logEndOffset).toBe(10);

    const read = log.read(0, 1 << 20);
    const headers = batchHeaders(read.records);
    expect(headers.map((h) => [h.baseOffset, h.lastOffsetDelta, h.partitionLeaderEpoch])).toEqual([
      [0, 0, 7],
      [1, 2, 7],
      [4, 1, 7],
      [6, 3, 8],
    ]);
    for (const h of headers) expect(crcValid(read.records, h)).toBe(true);
    expect(read).toMatchObject({ firstBatchOffset: 0, nextOffset: 10, batches: 4, logEndOffset: 10 });
    log.close();
  });

  it('stamps LogAppendTime into the batch and recomputes the CRC', () => {
    const log = PartitionLog.open(tempDir(), testConfig({ messageTimestampType: 'LogAppendTime' }));
    const result = log.appendAsLeader(makeBatch([{ timestamp: 5 }, { timestamp: 6 }]), 0, 123_456);
    expect(result).toMatchObject({ logAppendTime: 123_456, maxTimestamp: 123_456 });
    const { records } = log.read(0, 1 << 20);
    const [h] = batchHeaders(records);
    expect(h.attributes & ATTR.TIMESTAMP_TYPE_LOG_APPEND).not.toBe(0);
    expect(h.maxTimestamp).toBe(123_456);
    expect(h.baseTimestamp).toBe(5);
    expect(crcValid(records, h)).toBe(true);
    log.close();
  });

  it('rolls by size, never letting a segment exceed segment.bytes, and reads across segments', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir, testConfig({ segmentBytes: 1024 }));
    const sizes: number[] = [];
    for (let i = 0; i < 60; i++) {
      const batch = makeBatch(1 + (i % 3));
      sizes.push(batch.length);
      log.appendAsLeader(batch, 0);
    }
    const segments = log.segments;
    expect(segments.length).toBeGreaterThan(3);
    for (const s of segments) expect(s.size).toBeLessThanOrEqual(1024);
    expect(segments.reduce((n, s) => n + s.size, 0)).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(log.size).toBe(sizes.reduce((a, b) => a + b, 0));
    for (let i = 1; i < segments.length; i++) expect(segments[i].baseOffset).toBe(segments[i - 1].endOffset);
    // Kafka's names: 20-digit base offsets.
    const files = readdirSync(dir).sort();
    expect(files).toContain('00000000000000000000.log');
    expect(files).toContain(`${String(segments[1].baseOffset).padStart(20, '0')}.index`);
    expect(files).toContain(`${String(segments[1].baseOffset).padStart(20, '0')}.timeindex`);
    expect(statSync(join(dir, segments[0].logFile)).size).toBe(segments[0].size);

    // One read may span segments.
    const all = log.read(0, 1 << 20);
    expect(all.batches).toBe(60);
    expect(all.nextOffset).toBe(log.logEndOffset);
    expect(readAll(log, 300).length).toBe(60);
    log.close();
  });

  it('rolls by time (segment.ms) from the first batch timestamp, with an injectable clock', () => {
    const clock = testClock();
    const log = PartitionLog.open(
      tempDir(),
      testConfig({ segmentBytes: 1 << 20, segmentMs: 1000 }),
      undefined,
      { clock: clock.now },
    );
    const append = () => log.appendAsLeader(makeBatch(1, { baseTimestamp: clock.now() }), 0);
    append();
    clock.advance(600);
    append();
    expect(log.segments.length).toBe(1);
    clock.advance(600); // 1200 ms after the first batch
    append();
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 2]);
    clock.advance(999);
    append();
    expect(log.segments.length).toBe(2);
    log.close();
  });

  it('rolls an empty-timestamp segment by wall-clock age', () => {
    const clock = testClock();
    const log = PartitionLog.open(
      tempDir(),
      testConfig({ segmentBytes: 1 << 20, segmentMs: 1000 }),
      undefined,
      { clock: clock.now },
    );
    log.appendAsLeader(makeBatch(1, { baseTimestamp: -1 }), 0);
    clock.advance(1001);
    log.appendAsLeader(makeBatch(1, { baseTimestamp: -1 }), 0);
    expect(log.segments.length).toBe(2);
    log.close();
  });

  it('writes sparse index entries every index.interval.bytes and finds every offset through them', () => {
    const log = PartitionLog.open(tempDir(), testConfig({ segmentBytes: 1 << 20, indexIntervalBytes: 256 }));
    let bytes = 0;
    for (let i = 0; i < 100; i++) bytes += log.appendAsLeader(makeBatch(1 + (i % 4)), 0).size;
    const [segment] = log.segments;
    // Roughly one 8-byte entry per interval (the first batch never gets one).
    const entries = segment.indexBytes / 8;
    expect(entries).toBeGreaterThan(bytes / 256 / 2);
    expect(entries).toBeLessThanOrEqual(bytes / 256);
    expect(segment.timeIndexBytes % 12).toBe(0);
    for (let offset = 0; offset < log.logEndOffset; offset++) {
      const read = log.read(offset, 1, { minOneMessage: true });
      const [h] = batchHeaders(read.records);
      expect(h.baseOffset).toBeLessThanOrEqual(offset);
      expect(h.baseOffset + h.lastOffsetDelta).toBeGreaterThanOrEqual(offset);
    }
    log.close();
  });

  it('rolls when the offset index is full', () => {
    const log = PartitionLog.open(
      tempDir(),
      testConfig({ segmentBytes: 1 << 20, indexIntervalBytes: 0, segmentIndexBytes: 8 * 4 }),
    );
    for (let i = 0; i < 20; i++) log.appendAsLeader(makeBatch(1), 0);
    expect(log.segments.length).toBeGreaterThan(1);
    for (const s of log.segments) expect(s.indexBytes).toBeLessThanOrEqual(8 * 4);
    expect(readAll(log).length).toBe(20);
    log.close();
  });

  it('starts a read at the batch holding fetchOffset, even mid-batch', () => {
    const log = PartitionLog.open(tempDir(), testConfig());
    log.appendAsLeader(makeBatch(5), 0); // 0..4
    log.appendAsLeader(makeBatch(5), 0); // 5..9
    const read = log.read(7, 1 << 20);
    expect(read.firstBatchOffset).toBe(5);
    expect(read.batches).toBe(1);
    expect(read.nextOffset).toBe(10);
    log.close();
  });

  it('returns whole batches within maxBytes, and one oversized batch only with minOneMessage', () => {
    const log = PartitionLog.open(tempDir(), testConfig({ segmentBytes: 1 << 20 }));
    const big = makeBatch([{ value: Buffer.alloc(500, 1) }]);
    const small = makeBatch(1);
    log.appendAsLeader(Buffer.from(big), 0);
    log.appendAsLeader(Buffer.from(small), 0);
    log.appendAsLeader(Buffer.from(small), 0);

    expect(log.read(0, 100).batches).toBe(0);
    const one = log.read(0, 100, { minOneMessage: true });
    expect(one.batches).toBe(1);
    expect(one.records.length).toBe(big.length);
    expect(one.nextOffset).toBe(1);

    const two = log.read(0, big.length + small.length + 10);
    expect(two.batches).toBe(2);
    expect(two.records.length).toBe(big.length + small.length);
    // A budget that ends inside a batch returns no partial batch.
    expect(log.read(1, small.length + 5).records.length).toBe(small.length);
    log.close();
  });

  it('never returns a batch reaching maxOffset', () => {
    const log = PartitionLog.open(tempDir(), testConfig());
    log.appendAsLeader(makeBatch(3), 0); // 0..2
    log.appendAsLeader(makeBatch(3), 0); // 3..5
    log.appendAsLeader(makeBatch(3), 0); // 6..8
    expect(log.read(0, 1 << 20, { maxOffset: 6 }).nextOffset).toBe(6);
    expect(log.read(0, 1 << 20, { maxOffset: 5 }).nextOffset).toBe(3);
    expect(log.read(0, 1 << 20, { maxOffset: 2, minOneMessage: true }).batches).toBe(0);
    expect(log.read(6, 1 << 20, { maxOffset: 6 }).batches).toBe(0);
    log.close();
  });

  it('answers OFFSET_OUT_OF_RANGE outside [logStartOffset, logEndOffset] and nothing at the end', () => {
    const log = PartitionLog.open(tempDir(), testConfig());
    log.appendAsLeader(makeBatch(3), 0);
    expect(log.read(3, 100).records.length).toBe(0);
    expect(() => log.read(4, 100)).toThrow(OffsetOutOfRangeError);
    try {
      log.read(-1, 100);
      expect.unreachable();
    } catch (err) {
      expect((err as LogError).errorCode).toBe(1);
    }
    log.close();
  });

  it('rejects partial batches (CORRUPT_MESSAGE) and batches above max.message.bytes (MESSAGE_TOO_LARGE)', () => {
    const log = PartitionLog.open(tempDir(), testConfig({ maxMessageBytes: 200 }));
    const batch = makeBatch(1);
    expect(() => log.appendAsLeader(batch.subarray(0, batch.length - 1), 0)).toThrow(
      expect.objectContaining({ errorCode: 2 }),
    );
    expect(() => log.appendAsLeader(makeBatch([{ value: Buffer.alloc(300) }]), 0)).toThrow(
      expect.objectContaining({ errorCode: 10 }),
    );
    expect(log.logEndOffset).toBe(0);
    expect(log.size).toBe(0);
    log.close();
  });
});

describe('PartitionLog timestamps', () => {
  const T = 1_700_000_000_000;

  it('finds the first record at or after a timestamp, across segments', () => {
    const log = PartitionLog.open(tempDir(), testConfig({ segmentBytes: 400 }));
    // Records 0..29 with timestamps T, T+10, ..., and batches of 3 records.
    for (let b = 0; b < 10; b++) {
      log.appendAsLeader(makeBatch([0, 1, 2].map((i) => ({ timestamp: T + (b * 3 + i) * 10 }))), 0);
    }
    expect(log.segments.length).toBeGreaterThan(1);
    expect(log.offsetForTimestamp(T - 5)).toMatchObject({ offset: 0, timestamp: T });
    expect(log.offsetForTimestamp(T + 40)).toMatchObject({ offset: 4, timestamp: T + 40 });
    expect(log.offsetForTimestamp(T + 41)).toMatchObject({ offset: 5, timestamp: T + 50 });
    expect(log.offsetForTimestamp(T + 290)).toMatchObject({ offset: 29, timestamp: T + 290 });
    expect(log.offsetForTimestamp(T + 291)).toBeNull();
    for (let i = 0; i < 30; i++) expect(log.offsetForTimestamp(T + i * 10 - 3)?.offset).toBe(i);
    log.close();
  });

  it('handles out-of-order timestamps like Kafka (first record with a timestamp ≥ target)', () => {
    const log = PartitionLog.open(tempDir(), testConfig());
    log.appendAsLeader(makeBatch([{ timestamp: T + 100 }, { timestamp: T + 50 }]), 0);
    log.appendAsLeader(makeBatch([{ timestamp: T + 20 }, { timestamp: T + 200 }]), 0);
    expect(log.offsetForTimestamp(T + 60)).toMatchObject({ offset: 0, timestamp: T + 100 });
    expect(log.offsetForTimestamp(T + 150)).toMatchObject({ offset: 3, timestamp: T + 200 });
    expect(log.latestTimestamp()).toMatchObject({ offset: 3, timestamp: T + 200 });
    log.close();
  });

  it('reports the record with the largest timestamp (ListOffsets MAX_TIMESTAMP)', () => {
    const log = PartitionLog.open(tempDir(), testConfig({ segmentBytes: 300 }));
    expect(log.latestTimestamp()).toBeNull();
    log.appendAsLeader(makeBatch([{ timestamp: T + 5 }, { timestamp: T + 900 }, { timestamp: T + 7 }]), 3);
    for (let i = 0; i < 6; i++) log.appendAsLeader(makeBatch([{ timestamp: T + i }]), 4);
    expect(log.latestTimestamp()).toEqual({ offset: 1, timestamp: T + 900, leaderEpoch: 3 });
    log.close();
  });

  it('skips records below the log start offset', () => {
    const log = PartitionLog.open(tempDir(), testConfig());
    log.appendAsLeader(makeBatch([{ timestamp: T }, { timestamp: T + 1 }, { timestamp: T + 2 }]), 0);
    log.highWatermark = log.logEndOffset;
    log.deleteRecordsBefore(2);
    expect(log.offsetForTimestamp(T)).toMatchObject({ offset: 2, timestamp: T + 2 });
    log.close();
  });

  it('answers compressed batches at batch granularity without a reader, exactly with one', () => {
    const compressed = () =>
      makeBatch([{ timestamp: T }, { timestamp: T + 10 }], {
        attributes: 1 /* gzip bit; body stays plain */,
      });
    const plain = PartitionLog.open(tempDir(), testConfig());
    plain.appendAsLeader(compressed(), 0);
    expect(plain.offsetForTimestamp(T + 5)).toMatchObject({ offset: 0, timestamp: T + 10 });
    plain.close();

    const withReader = PartitionLog.open(tempDir(), testConfig(), undefined, {
      recordTimestamps: () => [
        { offsetDelta: 0, timestamp: T },
        { offsetDelta: 1, timestamp: T + 10 },
      ],
    });
    withReader.appendAsLeader(compressed(), 0);
    expect(withReader.offsetForTimestamp(T + 5)).toMatchObject({ offset: 1, timestamp: T + 10 });
    withReader.close();
  });
});

describe('PartitionLog retention and deletion', () => {
  const T = 1_700_000_000_000;
  const DAY = 86_400_000;

  function logWithDays(days: number, config = testConfig({ segmentBytes: 1 << 20, retentionMs: 7 * DAY })) {
    const clock = testClock(T);
    const log = PartitionLog.open(tempDir(), config, undefined, { clock: clock.now });
    for (let d = 0; d < days; d++) {
      log.appendAsLeader(makeBatch(2, { baseTimestamp: T + d * DAY }), 0);
      log.appendAsLeader(makeBatch(2, { baseTimestamp: T + d * DAY + 1 }), 0);
      log.roll();
    }
    log.highWatermark = log.logEndOffset;
    return { log, clock };
  }

  it('deletes segments older than retention.ms and moves the log start offset', () => {
    const { log } = logWithDays(10);
    expect(log.segments.length).toBe(11); // ten full, one empty active
    const result = log.applyRetention(T + 9 * DAY + 1);
    // Segment d's largest timestamp is T + d days + 1 ms: only days 0 and 1 are more than 7 days old.
    expect(result.deletedSegments).toBe(2);
    expect(log.logStartOffset).toBe(8);
    expect(log.segments[0].baseOffset).toBe(8);
    expect(() => log.read(7, 100)).toThrow(OffsetOutOfRangeError);
    expect(log.read(8, 1 << 20).firstBatchOffset).toBe(8);
    log.close();
  });

  it('keeps everything with retention.ms = -1 and deletes nothing above the high watermark', () => {
    const unlimited = logWithDays(4, testConfig({ segmentBytes: 1 << 20, retentionMs: -1 }));
    expect(unlimited.log.applyRetention(T + 100 * DAY).deletedSegments).toBe(0);
    unlimited.log.close();

    const { log } = logWithDays(4);
    log.highWatermark = 8; // only days 0 and 1 are committed
    expect(log.applyRetention(T + 100 * DAY).deletedSegments).toBe(2);
    expect(log.logStartOffset).toBe(8);
    log.close();
  });

  it('rolls and deletes the active segment when everything has expired (Kafka semantics)', () => {
    const clock = testClock(T);
    const log = PartitionLog.open(tempDir(), testConfig({ retentionMs: 1000 }), undefined, {
      clock: clock.now,
    });
    log.appendAsLeader(makeBatch(3, { baseTimestamp: T }), 0);
    log.highWatermark = 3;
    const result = log.applyRetention(T + 5000);
    expect(result.deletedSegments).toBe(1);
    expect(log.logStartOffset).toBe(3);
    expect(log.logEndOffset).toBe(3);
    expect(log.segments.map((s) => [s.baseOffset, s.size])).toEqual([[3, 0]]);
    // The empty active segment is never deleted.
    expect(log.applyRetention(T + 10_000).deletedSegments).toBe(0);
    expect(log.appendAsLeader(makeBatch(1, { baseTimestamp: T + 10_000 }), 0).baseOffset).toBe(3);
    log.close();
  });

  it('deletes the oldest segments while the rest still reach retention.bytes', () => {
    const log = PartitionLog.open(tempDir(), testConfig({ segmentBytes: 1 << 20, retentionMs: -1 }));
    for (let s = 0; s < 5; s++) {
      log.appendAsLeader(makeBatch(4), 0);
      log.roll();
    }
    log.highWatermark = log.logEndOffset;
    const segmentSize = log.segments[0].size;
    log.updateConfig({ ...log.config, retentionBytes: segmentSize * 2 + 1 });
    const result = log.applyRetention();
    // 5 segments; delete while size - segment ≥ retention: 5→4→3, stop at 3 (2 would be < retention).
    expect(result).toMatchObject({ deletedSegments: 2, deletedBytes: segmentSize * 2, logStartOffset: 8 });
    expect(log.size).toBe(segmentSize * 3);
    log.close();
  });

  it('deleteRecordsBefore moves the start, deletes whole segments below it and survives a reopen', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir, testConfig({ segmentBytes: 1 << 20 }));
    for (let s = 0; s < 4; s++) {
      log.appendAsLeader(makeBatch(5), 0);
      log.roll();
    }
    log.highWatermark = 12;
    expect(() => log.deleteRecordsBefore(13)).toThrow(OffsetOutOfRangeError);
    expect(log.deleteRecordsBefore(12)).toBe(12);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([10, 15, 20]);
    expect(log.read(12, 1 << 20).firstBatchOffset).toBe(10); // the batch holding 12 starts at 10
    expect(() => log.read(11, 100)).toThrow(OffsetOutOfRangeError);
    expect(log.deleteRecordsBefore(5)).toBe(12); // never moves back
    log.close();

    const reopened = PartitionLog.open(dir, testConfig({ segmentBytes: 1 << 20 }));
    expect(reopened.logStartOffset).toBe(12);
    expect(reopened.highWatermark).toBe(12);
    expect(reopened.logEndOffset).toBe(20);
    reopened.close();

    // Also after a crash (no clean close): the checkpoint was written when the start moved.
    const fs = new FaultyStorageFs();
    const crashing = PartitionLog.open(dir, testConfig({ segmentBytes: 1 << 20 }), fs);
    crashing.highWatermark = 20;
    crashing.deleteRecordsBefore(17);
    fs.crash();
    const afterCrash = PartitionLog.open(dir, testConfig({ segmentBytes: 1 << 20 }));
    expect(afterCrash.logStartOffset).toBe(17);
    expect(afterCrash.segments.map((s) => s.baseOffset)).toEqual([15, 20]);
    afterCrash.close();
  });

  it('delete() removes the partition directory', () => {
    const dir = tempDir();
    const log = PartitionLog.open(join(dir, 'orders-0'), testConfig());
    log.appendAsLeader(makeBatch(1), 0);
    log.delete();
    expect(existsSync(join(dir, 'orders-0'))).toBe(false);
  });
});

describe('PartitionLog truncation and followers', () => {
  it('truncateTo removes whole batches from the target on and deletes later segments', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir, testConfig({ segmentBytes: 1 << 20 }));
    for (let s = 0; s < 3; s++) {
      log.appendAsLeader(makeBatch(2), 0);
      log.appendAsLeader(makeBatch(2), 0);
      log.roll();
    }
    log.highWatermark = 12;
    expect(log.truncateTo(12)).toBe(false);
    expect(log.truncateTo(6)).toBe(true);
    expect(log.logEndOffset).toBe(6);
    expect(log.highWatermark).toBe(6);
    expect(log.segments.map((s) => [s.baseOffset, s.size > 0])).toEqual([
      [0, true],
      [4, true],
    ]);
    expect(readAll(log).map((h) => h.baseOffset)).toEqual([0, 2, 4]);
    expect(log.appendAsLeader(makeBatch(1), 1).baseOffset).toBe(6);
    log.close();
    const reopened = PartitionLog.open(dir, testConfig({ segmentBytes: 1 << 20 }));
    expect(readAll(reopened).map((h) => [h.baseOffset, h.partitionLeaderEpoch])).toEqual([
      [0, 0],
      [2, 0],
      [4, 0],
      [6, 1],
    ]);
    reopened.close();
  });

  it('truncateTo inside a batch drops that whole batch, like Kafka', () => {
    const log = PartitionLog.open(tempDir(), testConfig());
    log.appendAsLeader(makeBatch(5), 0);
    log.appendAsLeader(makeBatch(5), 0);
    log.truncateTo(7);
    expect(log.logEndOffset).toBe(7);
    expect(readAll(log).map((h) => h.baseOffset)).toEqual([0]);
    log.close();
  });

  it('truncateFullyAndStartAt empties the log and restarts all offsets', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir, testConfig());
    log.appendAsLeader(makeBatch(5), 0);
    log.truncateFullyAndStartAt(100);
    expect([log.logStartOffset, log.highWatermark, log.logEndOffset, log.recoveryPoint]).toEqual([
      100, 100, 100, 100,
    ]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.log'))).toEqual(['00000000000000000100.log']);
    expect(log.appendAsLeader(makeBatch(1), 0).baseOffset).toBe(100);
    log.close();
  });

  it('appendAsFollower keeps the leader offsets and refuses to go back', () => {
    const log = PartitionLog.open(tempDir(), testConfig());
    expect(
      log.appendAsFollower(Buffer.concat([makeBatch(2, { baseOffset: 0 }), makeBatch(3, { baseOffset: 2 })])),
    ).toMatchObject({
      baseOffset: 0,
      lastOffset: 4,
      batches: 2,
    });
    expect(log.logEndOffset).toBe(5);
    expect(() => log.appendAsFollower(makeBatch(1, { baseOffset: 4 }))).toThrow(LogError);
    // A gap is allowed (compacted leader data).
    log.appendAsFollower(makeBatch(1, { baseOffset: 9 }));
    expect(log.logEndOffset).toBe(10);
    expect(log.read(6, 1 << 20).firstBatchOffset).toBe(9);
    log.close();
  });

  it('starts a new segment when follower offsets no longer fit an int32 from the segment base', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir, testConfig({ segmentBytes: 1 << 20 }));
    log.appendAsFollower(makeBatch(1, { baseOffset: 0 }));
    const far = 2 ** 31 + 5;
    log.appendAsFollower(makeBatch(2, { baseOffset: far }));
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, far]);
    log.roll();
    // An empty active segment at the wrong base is replaced rather than kept.
    log.appendAsFollower(makeBatch(1, { baseOffset: far + 2 ** 31 + 100 }));
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, far, far + 2 ** 31 + 100]);
    log.close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.log')).length).toBe(3);
    const reopened = PartitionLog.open(dir, testConfig({ segmentBytes: 1 << 20 }));
    expect(reopened.logEndOffset).toBe(far + 2 ** 31 + 101);
    reopened.close();
  });
});

describe('PartitionLog flushing and reopening', () => {
  it('maybeFlush follows flush.messages and flush.ms; flush moves the recovery point', () => {
    const clock = testClock();
    const fs = new FaultyStorageFs();
    const log = PartitionLog.open(tempDir(), testConfig({ flushMessages: 5, flushMs: 10_000 }), fs, {
      clock: clock.now,
    });
    log.appendAsLeader(makeBatch(3), 0);
    expect(log.recoveryPoint).toBe(0);
    expect(log.maybeFlush()).toBe(false);
    log.appendAsLeader(makeBatch(3), 0); // 6 unflushed ≥ 5: append flushes, as Kafka does
    expect(log.recoveryPoint).toBe(6);
    log.appendAsLeader(makeBatch(1), 0);
    clock.advance(10_000);
    const before = fs.stats.fsyncs;
    expect(log.maybeFlush()).toBe(true);
    expect(fs.stats.fsyncs).toBeGreaterThan(before);
    expect(log.recoveryPoint).toBe(7);
    expect(log.maybeFlush()).toBe(false);
    log.close();
  });

  it('reopens after a clean close without scanning the log', () => {
    const dir = tempDir();
    const config = testConfig({ segmentBytes: 64 * 1024, indexIntervalBytes: 512 });
    const log = PartitionLog.open(dir, config);
    for (let i = 0; i < 400; i++)
      log.appendAsLeader(
        makeBatch([{ value: Buffer.alloc(100, i % 256) }], { baseTimestamp: 1000 + i }),
        i % 3,
      );
    log.highWatermark = 350;
    const expected = readAll(log);
    const size = log.size;
    log.close();

    const fs = new FaultyStorageFs();
    const reopened = PartitionLog.open(dir, config, fs);
    expect(reopened.openReport).toMatchObject({
      cleanShutdown: true,
      recoveredSegments: 0,
      truncatedBytes: 0,
    });
    // Indexes plus short tail scans, far less than the data.
    expect(fs.stats.bytesRead).toBeLessThan(size / 4);
    expect(reopened.logEndOffset).toBe(400);
    expect(reopened.highWatermark).toBe(350);
    expect(reopened.latestTimestamp()).toMatchObject({ offset: 399, timestamp: 1399 });
    expect(readAll(reopened)).toEqual(expected);
    expect(reopened.appendAsLeader(makeBatch(1), 5).baseOffset).toBe(400);
    reopened.close();
    expect(fs.openDescriptors).toBe(0);
  });

  it('shows segments with their files, sizes and timestamps', () => {
    const log = PartitionLog.open(tempDir(), testConfig({ segmentBytes: 1 << 20 }));
    log.appendAsLeader(makeBatch(2, { baseTimestamp: 42 }), 0);
    log.roll();
    expect(log.segments).toEqual([
      expect.objectContaining({
        baseOffset: 0,
        endOffset: 2,
        logFile: '00000000000000000000.log',
        maxTimestamp: 42,
        active: false,
      }),
      expect.objectContaining({
        baseOffset: 2,
        endOffset: 2,
        size: 0,
        indexFile: '00000000000000000002.index',
        active: true,
      }),
    ]);
    log.close();
  });

  it('keeps the batch bytes exactly as produced apart from offset and epoch', () => {
    const log = PartitionLog.open(tempDir(), testConfig());
    const original = makeBatch(4, { producerId: 77, producerEpoch: 2, baseSequence: 10 });
    log.appendAsLeader(Buffer.from(original), 9);
    const stored = log.read(0, 1 << 20).records;
    expect(stored.subarray(BATCH.MAGIC)).toEqual(original.subarray(BATCH.MAGIC));
    expect(stored.subarray(BATCH.BATCH_LENGTH, BATCH.PARTITION_LEADER_EPOCH)).toEqual(
      original.subarray(BATCH.BATCH_LENGTH, BATCH.PARTITION_LEADER_EPOCH),
    );
    log.close();
  });
});
