import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ProducerStateManager } from '../../../src/engine/broker/producer-state.js';
import { ATTR, CompressionType } from '../../../src/engine/protocol/records/batch-header.js';
import { buildBatch, decodeBatches, type DecodedBatch } from '../../../src/engine/protocol/records/batch.js';
import {
  CLEANER_CONFIG_DEFAULTS,
  CLEANER_SWAP_MANIFEST_FILE,
  cleanableState,
  cleanLog,
  cleanLogNow,
  LogCleaner,
  readCleanerCheckpoint,
  runCleanerSteps,
  type CleanerConfig,
  type CleanOptions,
} from '../../../src/engine/storage/cleaner/index.js';
import {
  FaultyStorageFs,
  nodeStorageFs,
  SimulatedCrashError,
  type StorageFs,
} from '../../../src/engine/storage/fs.js';
import type { LogConfig } from '../../../src/engine/storage/log-config.js';
import { PartitionLog } from '../../../src/engine/storage/partition-log.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { testClock, testConfig } from './log-helpers.js';

const tempDir = useTempDirs('eddy-cleaner-');
const T0 = 1_700_000_000_000;

interface Rec {
  offset: number;
  key: string | null;
  value: string | null;
  timestamp: number;
}

interface Input {
  key: string;
  value: string | null;
  timestamp?: number;
}

function compactConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return testConfig({ cleanupPolicy: ['compact'], segmentBytes: 64 * 1024, ...overrides });
}

function cleanerConfig(overrides: Partial<CleanerConfig> = {}): CleanerConfig {
  return { ...CLEANER_CONFIG_DEFAULTS, minCleanableRatio: 0, ...overrides };
}

function open(
  dir: string,
  config = compactConfig(),
  fs: StorageFs = nodeStorageFs,
  clock = () => T0,
): PartitionLog {
  return PartitionLog.open(dir, config, fs, { clock });
}

function append(
  log: PartitionLog,
  records: Input[],
  options: {
    compression?: CompressionType;
    producerId?: number;
    producerEpoch?: number;
    baseSequence?: number;
  } = {},
) {
  const batch = buildBatch({
    records: records.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp ?? T0 })),
    ...options,
  });
  const result = log.appendAsLeader(batch, 0);
  log.highWatermark = log.logEndOffset;
  return result;
}

function batches(log: PartitionLog): DecodedBatch[] {
  const out: DecodedBatch[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const read = log.read(offset, 64 * 1024, { minOneMessage: true });
    if (read.batches === 0) break;
    out.push(...decodeBatches(read.records));
    offset = read.nextOffset;
  }
  return out;
}

function records(log: PartitionLog): Rec[] {
  return batches(log).flatMap((b) =>
    b.records.map((r) => ({
      offset: r.offset,
      key: r.key?.toString() ?? null,
      value: r.value?.toString() ?? null,
      timestamp: r.timestamp,
    })),
  );
}

/** The last record of every key, in offset order. */
function latestPerKey(recs: Rec[]): Rec[] {
  const latest = new Map<string | null, Rec>();
  for (const r of recs) latest.set(r.key, r);
  return [...latest.values()].sort((a, b) => a.offset - b.offset);
}

function clean(log: PartitionLog, options: Partial<CleanOptions> = {}) {
  return cleanLogNow(log, { config: cleanerConfig(), now: T0, ...options });
}

/** Five keys written over and over, spread over several segments; the last segment is the empty active one. */
function fillWithUpdates(log: PartitionLog, rounds = 12, keys = 5): Rec[] {
  for (let round = 0; round < rounds; round++) {
    append(
      log,
      Array.from({ length: keys }, (_, k) => ({
        key: `k${k}`,
        value: `v${round}-${k}`,
        timestamp: T0 + round,
      })),
    );
    if (round % 4 === 3) log.roll();
  }
  log.roll();
  return records(log);
}

describe('log compaction', () => {
  it('keeps only the latest record of each key, at its original offset', () => {
    const dir = tempDir();
    const log = open(dir);
    const before = fillWithUpdates(log);
    const sizeBefore = log.size;
    const end = log.logEndOffset;

    const result = clean(log);
    expect(result.cleaned).toBe(true);
    expect(result.reason).toBeNull();
    expect(result.endOffset).toBe(end);
    const after = records(log);
    expect(after).toEqual(latestPerKey(before));
    expect(log.logEndOffset).toBe(end);
    expect(log.logStartOffset).toBe(0);
    expect(log.size).toBeLessThan(sizeBefore);
    expect(readCleanerCheckpoint(nodeStorageFs, dir)?.firstDirtyOffset).toBe(end);
    expect(readdirSync(dir).filter((f) => /cleaned|swap/.test(f))).toEqual([]);

    // Batches keep their base offsets and last offset deltas: a fetch in a gap starts at the next record.
    for (let offset = 0; offset < end; offset++) {
      const read = log.read(offset, 1, { minOneMessage: true });
      const first = decodeBatches(read.records)[0];
      expect(first.baseOffset + first.lastOffsetDelta).toBeGreaterThanOrEqual(offset);
      expect(first.records.find((r) => r.offset >= offset)?.offset).toBe(
        after.find((r) => r.offset >= offset)?.offset,
      );
    }
    // Time lookups work across the cleaned segments.
    expect(log.offsetForTimestamp(T0 + 11)?.offset).toBe(after[0].offset);
    expect(log.offsetForTimestamp(T0 + 12)).toBeNull();

    // The indexes written with the cleaned segments hold up after a clean reopen and after a crash.
    log.close();
    const reopened = open(dir);
    expect(reopened.openReport.recoveredSegments).toBe(0);
    expect(records(reopened)).toEqual(after);
    reopened.abandon();
    const recovered = open(dir);
    expect(records(recovered)).toEqual(after);
    expect(append(recovered, [{ key: 'k0', value: 'next' }]).baseOffset).toBe(end);
    recovered.close();
  });

  it('never touches the active segment and cleans only what changed since the checkpoint', () => {
    const log = open(tempDir());
    fillWithUpdates(log, 8);
    const activeBase = log.logEndOffset;
    append(log, [{ key: 'k0', value: 'in the active segment' }]);
    append(log, [{ key: 'k0', value: 'also active' }]);
    clean(log);
    const after = records(log);
    expect(after.filter((r) => r.offset >= activeBase).map((r) => r.value)).toEqual([
      'in the active segment',
      'also active',
    ]);
    // The clean section holds each key once; k0's old value stays until the active segment is cleanable.
    expect(after.filter((r) => r.offset < activeBase).map((r) => r.key)).toEqual([
      'k0',
      'k1',
      'k2',
      'k3',
      'k4',
    ]);

    log.roll();
    const state = cleanableState(log, cleanerConfig(), T0);
    expect(state.firstDirtyOffset).toBe(activeBase);
    expect(state.cleanableRatio).toBeGreaterThan(0);
    clean(log);
    expect(
      records(log)
        .filter((r) => r.key === 'k0')
        .map((r) => r.value),
    ).toEqual(['also active']);
    log.close();
  });

  it('keeps tombstones until delete.retention.ms after the pass that first saw them, then removes them', () => {
    const log = open(tempDir());
    append(log, [
      { key: 'a', value: 'a1', timestamp: T0 },
      { key: 'b', value: 'b1', timestamp: T0 + 1 },
    ]);
    append(log, [
      { key: 'a', value: null, timestamp: T0 + 2 },
      { key: 'c', value: 'c1', timestamp: T0 + 3 },
    ]);
    log.roll();
    const retention = 60_000;
    const config = cleanerConfig({ deleteRetentionMs: retention });
    const now = T0 + 1000;

    const first = clean(log, { config, now });
    expect(first.deleteHorizonMs).toBe(now + retention);
    expect(records(log).map((r) => [r.offset, r.key, r.value])).toEqual([
      [1, 'b', 'b1'],
      [2, 'a', null],
      [3, 'c', 'c1'],
    ]);
    const withTombstone = batches(log).find((b) => b.records.some((r) => r.value === null))!;
    expect(withTombstone.attributes & ATTR.DELETE_HORIZON).toBe(ATTR.DELETE_HORIZON);
    expect(withTombstone.baseTimestamp).toBe(now + retention);
    // Record timestamps are unchanged (their deltas are taken from the horizon).
    expect(withTombstone.records.map((r) => r.timestamp)).toEqual([T0 + 2, T0 + 3]);

    // Before the horizon nothing asks for a pass, and a forced one keeps the tombstone.
    const early = cleanableState(log, config, now + retention - 1);
    expect(early.tombstonesDue).toBe(false);
    expect(early.dirtyEnough).toBe(false);
    expect(clean(log, { config, now: now + retention - 1 }).reason).toBe('not dirty enough');
    clean(log, { config, now: now + retention - 1, force: true });
    expect(records(log).some((r) => r.value === null)).toBe(true);

    // At the horizon the tombstone is due and goes.
    expect(cleanableState(log, config, now + retention).tombstonesDue).toBe(true);
    const late = clean(log, { config, now: now + retention });
    expect(late.cleaned).toBe(true);
    expect(late.deleteHorizonMs).toBe(-1);
    expect(records(log).map((r) => [r.offset, r.key, r.value])).toEqual([
      [1, 'b', 'b1'],
      [3, 'c', 'c1'],
    ]);
    expect(log.logEndOffset).toBe(4);
    log.close();
  });

  it('leaves records younger than min.compaction.lag.ms alone', () => {
    const log = open(tempDir());
    append(log, [{ key: 'k', value: 'old', timestamp: T0 }]);
    log.roll();
    append(log, [{ key: 'k', value: 'young', timestamp: T0 + 10_000 }]);
    log.roll();
    const config = cleanerConfig({ minCompactionLagMs: 5_000 });

    const state = cleanableState(log, config, T0 + 12_000);
    expect(state.firstUncleanableOffset).toBe(1);
    clean(log, { config, now: T0 + 12_000 });
    expect(records(log).map((r) => r.value)).toEqual(['old', 'young']);
    expect(readCleanerCheckpoint(nodeStorageFs, log.dir)?.firstDirtyOffset).toBe(1);

    clean(log, { config, now: T0 + 15_000 });
    expect(records(log).map((r) => r.value)).toEqual(['young']);
    log.close();
  });

  it('waits for min.cleanable.dirty.ratio, unless max.compaction.lag.ms has passed', () => {
    const log = open(tempDir());
    for (let i = 0; i < 20; i++) append(log, [{ key: `key-${i}`, value: 'x'.repeat(50), timestamp: T0 }]);
    log.roll();
    clean(log);
    const cleanSize = log.size;
    append(log, [{ key: 'key-0', value: 'y'.repeat(50), timestamp: T0 + 100 }]);
    log.roll();

    const config = cleanerConfig({ minCleanableRatio: 0.5 });
    const state = cleanableState(log, config, T0 + 200);
    expect(state.cleanBytes).toBe(cleanSize);
    expect(state.dirtyBytes).toBe(log.size - cleanSize);
    expect(state.cleanableRatio).toBeCloseTo(state.dirtyBytes / log.size, 10);
    expect(state.cleanableRatio).toBeLessThan(0.5);
    expect(state.dirtyEnough).toBe(false);
    expect(clean(log, { config, now: T0 + 200 }).reason).toBe('not dirty enough');
    expect(records(log)).toHaveLength(21);

    // The first dirty batch is older than max.compaction.lag.ms: clean whatever the ratio.
    const lagged = { ...config, maxCompactionLagMs: 1000 };
    expect(cleanableState(log, lagged, T0 + 500).needCompactionNow).toBe(false);
    expect(cleanableState(log, lagged, T0 + 1200).needCompactionNow).toBe(true);
    expect(clean(log, { config: lagged, now: T0 + 1200 }).cleaned).toBe(true);
    expect(records(log)).toHaveLength(20);

    // A ratio above the threshold cleans too.
    for (let i = 0; i < 25; i++)
      append(log, [{ key: `key-${i % 20}`, value: 'z'.repeat(50), timestamp: T0 + 300 }]);
    log.roll();
    expect(cleanableState(log, config, T0 + 400).cleanableRatio).toBeGreaterThan(0.5);
    expect(clean(log, { config, now: T0 + 400 }).cleaned).toBe(true);
    expect(new Set(records(log).map((r) => r.value))).toEqual(new Set(['z'.repeat(50)]));
    log.close();
  });

  it.each([
    ['gzip', CompressionType.Gzip],
    ['zstd', CompressionType.Zstd],
    ['snappy', CompressionType.Snappy],
    ['lz4', CompressionType.Lz4],
  ])('recompresses %s batches with their own codec', (_name, codec) => {
    const log = open(tempDir());
    for (let round = 0; round < 4; round++) {
      append(
        log,
        Array.from({ length: 6 }, (_, i) => ({
          key: `k${i % 3 === 0 ? round : i}`,
          value: `value ${round}/${i} `.repeat(10),
          timestamp: T0 + round * 10 + i,
        })),
        { compression: codec },
      );
    }
    log.roll();
    const before = records(log);
    const result = clean(log);
    expect(result.batchesRewritten).toBeGreaterThan(0);
    const after = batches(log); // decodeBatches checks every CRC
    expect(
      after.flatMap((b) =>
        b.records.map((r) => [r.offset, r.key?.toString(), r.value?.toString(), r.timestamp]),
      ),
    ).toEqual(latestPerKey(before).map((r) => [r.offset, r.key, r.value, r.timestamp]));
    for (const b of after) {
      expect(b.compression).toBe(codec);
      expect(b.records.length).toBeGreaterThan(0);
    }
    // Offsets stay: the first batch kept its base offset and last offset delta despite its gaps.
    expect(after[0].baseOffset).toBe(0);
    expect(after[0].lastOffsetDelta).toBe(5);
    expect(after[0].records.map((r) => r.offsetDelta)).not.toEqual([0, 1, 2, 3, 4, 5]);
    log.close();
  });

  it("keeps producer id, epoch and sequences in batch headers, and the header of a producer's last batch", () => {
    const log = open(tempDir());
    // Producer 7: three batches of three records; producer 9: two batches of one record.
    for (let i = 0; i < 3; i++) {
      append(
        log,
        [0, 1, 2].map((j) => ({ key: `p7-${i === 2 ? j : 'shared'}-${j}`, value: `seq ${i * 3 + j}` })),
        { producerId: 7, producerEpoch: 2, baseSequence: i * 3 },
      );
    }
    append(log, [{ key: 'x', value: 'from 9' }], { producerId: 9, producerEpoch: 0, baseSequence: 0 }); // offset 9
    append(log, [{ key: 'y', value: 'from 9' }], { producerId: 9, producerEpoch: 0, baseSequence: 1 }); // offset 10
    // Plain writes overwrite the keys of producer 7's second batch and of producer 9's last batch.
    append(
      log,
      [0, 1, 2].map((j) => ({ key: `p7-shared-${j}`, value: 'plain' })),
    ); // 11..13
    append(log, [{ key: 'y', value: 'plain' }]); // 14
    log.roll();

    clean(log);
    const after = batches(log);
    const headers = after.map((b) => ({
      base: b.baseOffset,
      delta: b.lastOffsetDelta,
      pid: b.producerId,
      epoch: b.producerEpoch,
      seq: b.baseSequence,
      count: b.records.length,
    }));
    expect(headers).toEqual([
      // Producer 7's first two batches lost every record to the plain writes and are gone (they are
      // not its last batch); its last batch (6..8) survives whole.
      { base: 6, delta: 2, pid: 7, epoch: 2, seq: 6, count: 3 },
      { base: 9, delta: 0, pid: 9, epoch: 0, seq: 0, count: 1 },
      // Producer 9's last batch lost its only record: its header stays, empty.
      { base: 10, delta: 0, pid: 9, epoch: 0, seq: 1, count: 0 },
      { base: 11, delta: 2, pid: -1, epoch: -1, seq: -1, count: 3 },
      { base: 14, delta: 0, pid: -1, epoch: -1, seq: -1, count: 1 },
    ]);
    const empty = after[2];
    expect(empty.compression).toBe(CompressionType.None);

    // The producer state rebuilt from the cleaned log still knows producer 9's last sequence.
    const state = new ProducerStateManager();
    for (const b of after) {
      state.update(
        {
          producerId: b.producerId,
          producerEpoch: b.producerEpoch,
          baseSequence: b.baseSequence,
          recordsCount: b.lastOffsetDelta + 1,
        },
        b.baseOffset,
        b.baseOffset + b.lastOffsetDelta,
        b.maxTimestamp,
      );
    }
    expect(state.check({ producerId: 9, producerEpoch: 0, baseSequence: 2, recordsCount: 1 }).kind).toBe(
      'append',
    );
    expect(state.check({ producerId: 9, producerEpoch: 0, baseSequence: 1, recordsCount: 1 }).kind).toBe(
      'duplicate',
    );
    expect(state.check({ producerId: 7, producerEpoch: 2, baseSequence: 9, recordsCount: 1 }).kind).toBe(
      'append',
    );
    log.close();
  });

  it('groups small cleaned segments together under segment.bytes', () => {
    const segmentBytes = 2000;
    const log = open(tempDir(), compactConfig({ segmentBytes }));
    for (let i = 0; i < 30; i++) {
      append(log, [
        { key: `u${i}`, value: 'u' },
        ...Array.from({ length: 5 }, () => ({ key: 'hot', value: 'h'.repeat(100) })),
      ]);
    }
    log.roll();
    const segmentsBefore = log.segments.length - 1;
    expect(segmentsBefore).toBeGreaterThan(5);
    // First pass: full segments cannot be grouped (Kafka groups by their current sizes).
    const first = clean(log);
    expect(first.groups).toBe(segmentsBefore);
    // Second pass: the now small segments are merged.
    const second = clean(log, { force: true });
    expect(second.segmentsBefore).toBe(segmentsBefore);
    expect(second.groups).toBeLessThan(second.segmentsBefore);
    expect(log.segments.length - 1).toBe(second.groups);
    for (const s of log.segments) expect(s.size).toBeLessThanOrEqual(segmentBytes);
    expect(records(log).map((r) => r.key)).toEqual([...Array.from({ length: 30 }, (_, i) => `u${i}`), 'hot']);
    expect(records(log).at(-1)!.offset).toBe(179);
    log.close();
  });

  it('stops at the end of a full offset map and continues there in the next pass', () => {
    const log = open(tempDir());
    for (let i = 0; i < 10; i++) append(log, [{ key: `k${i}`, value: 'first' }]);
    for (let i = 0; i < 10; i++) append(log, [{ key: `k${i}`, value: 'second' }]);
    log.roll();
    const first = clean(log, { maxMapEntries: 4 });
    expect(first.endOffset).toBe(4);
    const seconds = records(log).filter((r) => r.value === 'second');
    expect(seconds).toHaveLength(10);
    // Records below the map's end are the latest the map knows of; everything past it stays.
    expect(records(log)).toHaveLength(20);
    const second = clean(log, { maxMapEntries: 100 });
    expect(second.endOffset).toBe(20);
    expect(records(log).map((r) => r.value)).toEqual(Array(10).fill('second'));
    log.close();
  });

  it('runs in bounded steps and gives the pass up when the log is truncated meanwhile', async () => {
    const log = open(tempDir());
    fillWithUpdates(log, 12);
    const pass = cleanLog(log, { config: cleanerConfig(), now: T0, stepBytes: 200 });
    let steps = 0;
    for (let step = pass.next(); !step.done; step = pass.next()) {
      if (++steps === 3) log.truncateTo(30);
    }
    expect(steps).toBeGreaterThanOrEqual(3);
    expect(readdirSync(log.dir).filter((f) => /cleaned|swap|manifest/.test(f))).toEqual([]);
    expect(log.logEndOffset).toBe(30);

    // Driven on the event loop: other callbacks run between the steps.
    log.roll();
    let interleaved = 0;
    let stepsTaken = 0;
    const counted = (function* () {
      const inner = cleanLog(log, { config: cleanerConfig(), now: T0, stepBytes: 100 });
      for (let step = inner.next(); ; step = inner.next()) {
        if (step.done) return step.value;
        stepsTaken++;
        setImmediate(() => interleaved++);
        yield;
      }
    })();
    const result = await runCleanerSteps(counted);
    expect(result?.cleaned).toBe(true);
    expect(stepsTaken).toBeGreaterThan(3);
    expect(interleaved).toBeGreaterThanOrEqual(stepsTaken - 1);
    expect(records(log).map((r) => r.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    log.close();
  });

  it('removes its unfinished files when a pass is given up halfway', () => {
    const log = open(tempDir());
    const before = fillWithUpdates(log, 12);
    const pass = cleanLog(log, { config: cleanerConfig(), now: T0, stepBytes: 50 });
    const cleanedFiles = () => readdirSync(log.dir).filter((f) => f.endsWith('.cleaned'));
    while (cleanedFiles().length === 0) expect(pass.next().done).toBe(false);
    pass.return(undefined as never);
    expect(cleanedFiles()).toEqual([]);
    expect(records(log)).toEqual(before);
    log.close();
  });

  it('the background cleaner takes the filthiest log first, then backs off, and stops cleanly', async () => {
    const a = open(tempDir());
    fillWithUpdates(a, 8);
    clean(a);
    append(a, [{ key: 'k0', value: 'dirty' }]);
    a.roll();
    const b = open(tempDir());
    fillWithUpdates(b, 8);
    const config = cleanerConfig({ minCleanableRatio: 0.1 });
    const passes: string[] = [];
    const cleaner = new LogCleaner({
      targets: () => [
        { name: 'a', log: a, config },
        { name: 'b', log: b, config },
      ],
      backoffMs: 20,
      stepBytes: 100,
      clock: () => T0,
      onPass: (target, result) => passes.push(`${target.name}:${result.cleaned}`),
    });
    expect(cleanableState(a, config, T0).cleanableRatio).toBeLessThan(1);
    expect(cleaner.pickFilthiest(T0)?.name).toBe('b');
    cleaner.start();
    await until(() => passes.length >= 2, 'two passes');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await cleaner.stop();
    expect(cleaner.isRunning).toBe(false);
    // Both cleaned once; afterwards neither is dirty enough, so the cleaner only backed off.
    expect(passes).toEqual(['b:true', 'a:true']);
    expect(records(a).map((r) => r.key)).toEqual(['k1', 'k2', 'k3', 'k4', 'k0']);
    expect(records(b).map((r) => r.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);

    // Stopped in the middle of a pass: nothing half-done stays behind.
    append(b, [{ key: 'k1', value: 'again' }]);
    b.roll();
    const stopping = new LogCleaner({
      targets: () => [{ name: 'b', log: b, config }],
      backoffMs: 20,
      stepBytes: 10,
      clock: () => T0,
    });
    const before = records(b);
    stopping.start();
    await stopping.stop();
    expect(readdirSync(b.dir).filter((f) => /cleaned|swap|manifest/.test(f))).toEqual([]);
    expect(records(b)).toEqual(before);
    a.close();
    b.close();
  });

  it('lowers the checkpoint when the log is truncated below it', () => {
    const log = open(tempDir());
    fillWithUpdates(log, 8);
    clean(log);
    expect(readCleanerCheckpoint(nodeStorageFs, log.dir)?.firstDirtyOffset).toBe(40);
    log.truncateTo(38);
    expect(readCleanerCheckpoint(nodeStorageFs, log.dir)?.firstDirtyOffset).toBe(38);
    log.truncateFullyAndStartAt(5);
    expect(readCleanerCheckpoint(nodeStorageFs, log.dir)?.firstDirtyOffset).toBe(5);
    log.close();
  });

  it('does not take records written again after a truncation below the checkpoint as clean', () => {
    const log = open(tempDir());
    append(log, [{ key: 'k', value: 'a' }]);
    append(log, [{ key: 'x', value: 'x' }]);
    log.roll();
    clean(log);
    expect(readCleanerCheckpoint(nodeStorageFs, log.dir)?.firstDirtyOffset).toBe(2);
    // A follower truncated to 0 fetches a different history from its new leader.
    log.truncateTo(0);
    append(log, [{ key: 'k', value: 'v' }]);
    append(log, [{ key: 'k', value: null }]);
    append(log, [{ key: 'y', value: 'y' }]);
    log.roll();
    const config = cleanerConfig({ deleteRetentionMs: 100 });
    clean(log, { config, now: T0 });
    expect(records(log).map((r) => [r.offset, r.key, r.value])).toEqual([
      [1, 'k', null],
      [2, 'y', 'y'],
    ]);
    clean(log, { config, now: T0 + 100 });
    // Had offsets 0-1 passed as clean, the tombstone would go and 'v' come back.
    expect(records(log).map((r) => [r.offset, r.key, r.value])).toEqual([[2, 'y', 'y']]);
    log.close();
  });

  it('compact,delete: retention still deletes old segments', () => {
    const log = open(tempDir(), compactConfig({ cleanupPolicy: ['compact', 'delete'], retentionMs: 1000 }));
    fillWithUpdates(log, 8);
    clean(log);
    append(log, [{ key: 'new', value: 'v', timestamp: T0 + 5000 }]);
    log.roll();
    const result = log.applyRetention(T0 + 5500);
    expect(result.deletedSegments).toBeGreaterThan(0);
    expect(records(log).map((r) => r.key)).toEqual(['new']);
    log.close();
  });

  it('does nothing for cleanup.policy=delete', () => {
    const log = open(tempDir(), testConfig({ segmentBytes: 64 * 1024 }));
    fillWithUpdates(log, 4);
    expect(clean(log, { force: true }).reason).toBe('cleanup.policy does not include compact');
    expect(records(log)).toHaveLength(20);
    log.close();
  });
});

// ---------------------------------------------------------------------------------------------
// Crash injection
// ---------------------------------------------------------------------------------------------

/** A FaultyStorageFs that dies just before its n-th mutating call once armed, and names every such call. */
class CrashAtFs extends FaultyStorageFs {
  readonly calls: string[] = [];
  private countdown = Infinity;

  /** From now on: n more mutating calls succeed, the next one crashes (calls are counted afresh). */
  arm(n: number): void {
    this.countdown = n;
    this.calls.length = 0;
  }

  private step(what: string): void {
    if (this.countdown <= 0) {
      this.crash();
      throw new SimulatedCrashError(`before ${what}`);
    }
    this.countdown--;
    this.calls.push(what);
  }

  override openSync(file: string, flags: 'r' | 'r+' | 'w' | 'w+'): number {
    if (flags === 'w' || flags === 'w+') this.step(`create ${base(file)}`);
    return super.openSync(file, flags);
  }
  override writeSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
    this.step('write');
    return super.writeSync(fd, buffer, offset, length, position);
  }
  override fsyncSync(fd: number): void {
    this.step('fsync');
    super.fsyncSync(fd);
  }
  override fsyncDirSync(dir: string): void {
    this.step('fsync dir');
    super.fsyncDirSync(dir);
  }
  override ftruncateSync(fd: number, length: number): void {
    this.step('ftruncate');
    super.ftruncateSync(fd, length);
  }
  override renameSync(from: string, to: string): void {
    this.step(`rename ${base(from)} → ${base(to)}`);
    super.renameSync(from, to);
  }
  override unlinkSync(file: string): void {
    this.step(`unlink ${base(file)}`);
    super.unlinkSync(file);
  }
}

function base(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

describe('a crash during cleaning', () => {
  /** A log of four inactive segments with plenty to compact, tombstones and an idempotent producer. */
  function buildLog(dir: string): void {
    const log = open(dir);
    for (let round = 0; round < 8; round++) {
      append(
        log,
        [0, 1, 2].map((k) => ({
          key: `k${k}`,
          value: round === 5 && k === 1 ? null : `v${round}-${k}`,
          timestamp: T0 + round,
        })),
        round % 2 === 0
          ? { compression: CompressionType.Gzip }
          : { producerId: 3, producerEpoch: 0, baseSequence: round * 3 },
      );
      if (round % 2 === 1) log.roll();
    }
    log.close();
  }

  function contents(dir: string): Rec[] {
    const log = open(dir);
    const recs = records(log);
    const leftovers = readdirSync(dir).filter((f) => /cleaned|swap|deleted|\.tmp$/.test(f));
    log.close();
    expect(leftovers).toEqual([]);
    return recs;
  }

  it('leaves the old log or the new one, never a mix, whichever step it hits', () => {
    const original = tempDir();
    buildLog(original);
    const before = contents(original);

    // A run without a crash: the new version, and the list of every mutating step it takes.
    const reference = tempDir();
    cpSync(original, reference, { recursive: true });
    const counting = new CrashAtFs();
    const log = open(reference, compactConfig(), counting);
    log.highWatermark = log.logEndOffset;
    counting.arm(Infinity);
    const result = clean(log);
    expect(result.cleaned).toBe(true);
    expect(result.groups).toBe(1);
    const steps = [...counting.calls];
    log.close();
    const after = contents(reference);
    expect(after).not.toEqual(before);
    expect(steps).toContain(`rename 00000000000000000000.log.cleaned → 00000000000000000000.log.swap`);

    const outcomes = new Map<string, number>();
    for (let n = 0; n < steps.length; n++) {
      const dir = mkdtempSync(join(tmpdir(), 'eddy-cleaner-crash-'));
      try {
        cpSync(original, dir, { recursive: true });
        const fs = new CrashAtFs();
        const crashing = open(dir, compactConfig(), fs);
        crashing.highWatermark = crashing.logEndOffset;
        fs.arm(n);
        expect(() => clean(crashing), `crash before step ${n} (${steps[n]})`).toThrow();
        expect(fs.openDescriptors).toBe(0);

        const recovered = open(dir);
        const got = records(recovered);
        const version =
          JSON.stringify(got) === JSON.stringify(before)
            ? 'old'
            : JSON.stringify(got) === JSON.stringify(after)
              ? 'new'
              : 'mix';
        expect(
          version,
          `crash before step ${n} (${steps[n]}): ${recovered.openReport.cleanerRecovery.join('; ')}`,
        ).not.toBe('mix');
        outcomes.set(version, (outcomes.get(version) ?? 0) + 1);
        expect(readdirSync(dir).filter((f) => /cleaned|swap|\.deleted$|\.tmp$/.test(f))).toEqual([]);
        expect(readdirSync(dir)).not.toContain(CLEANER_SWAP_MANIFEST_FILE);
        // The log works on: appends go after the old end, and a later pass finishes the job.
        recovered.highWatermark = recovered.logEndOffset;
        expect(append(recovered, [{ key: 'k0', value: 'later' }]).baseOffset).toBe(before.at(-1)!.offset + 1);
        recovered.roll();
        clean(recovered);
        expect(records(recovered)).toEqual([
          ...after.filter((r) => r.key !== 'k0'),
          { offset: before.at(-1)!.offset + 1, key: 'k0', value: 'later', timestamp: T0 },
        ]);
        recovered.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // Both outcomes happen: before the commit the old log, after it the new one.
    expect(outcomes.get('old')).toBeGreaterThan(0);
    expect(outcomes.get('new')).toBeGreaterThan(0);
  });

  it('rolls back a swap whose .cleaned files were renamed only in part', () => {
    const dir = tempDir();
    buildLog(dir);
    const before = contents(dir);
    const fs = new CrashAtFs();
    const log = open(dir, compactConfig(), fs);
    log.highWatermark = log.logEndOffset;
    // Let the pass write everything and the manifest, then die after the first .cleaned → .swap rename.
    const probe = new CrashAtFs();
    const probeDir = tempDir();
    cpSync(dir, probeDir, { recursive: true });
    const probeLog = open(probeDir, compactConfig(), probe);
    probeLog.highWatermark = probeLog.logEndOffset;
    probe.arm(Infinity);
    clean(probeLog);
    probeLog.close();
    const firstSwapRename = probe.calls.findIndex((c) => c.includes('.cleaned →'));
    fs.arm(firstSwapRename + 1);
    expect(() => clean(log)).toThrow();
    expect(readdirSync(dir)).toContain(CLEANER_SWAP_MANIFEST_FILE);
    const recovered = open(dir);
    expect(recovered.openReport.cleanerRecovery.join()).toMatch(/rolled back/);
    expect(records(recovered)).toEqual(before);
    recovered.close();
  });

  it('treats .cleaned and .swap files without a manifest as leftovers', () => {
    const dir = tempDir();
    buildLog(dir);
    const before = contents(dir);
    const log = open(dir);
    const active = log.segments.at(-1)!.baseOffset;
    log.close();
    cpSync(join(dir, '00000000000000000000.log'), join(dir, '00000000000000000000.log.swap'));
    cpSync(
      join(dir, '00000000000000000000.log'),
      join(dir, `${String(active).padStart(20, '0')}.log.cleaned`),
    );
    const reopened = open(dir);
    expect(reopened.openReport.cleanerRecovery).toEqual([]);
    expect(reopened.openReport.deletedLeftovers.length).toBe(2);
    expect(records(reopened)).toEqual(before);
    reopened.close();
  });
});

// ---------------------------------------------------------------------------------------------
// Against a model
// ---------------------------------------------------------------------------------------------

type Op =
  | {
      kind: 'append';
      records: { key: number; tombstone: boolean }[];
      codec: CompressionType;
      idempotent: boolean;
    }
  | { kind: 'roll' }
  | { kind: 'clean'; advanceMs: number; mapEntries: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      records: fc.array(fc.record({ key: fc.integer({ min: 0, max: 7 }), tombstone: fc.boolean() }), {
        minLength: 1,
        maxLength: 5,
      }),
      codec: fc.constantFrom(
        CompressionType.None,
        CompressionType.Gzip,
        CompressionType.Zstd,
        CompressionType.Lz4,
      ),
      idempotent: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'roll' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('clean' as const),
      advanceMs: fc.integer({ min: 0, max: 400 }),
      mapEntries: fc.integer({ min: 1, max: 12 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('truncate' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

function runModel(ops: Op[], segmentBytes: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-cleaner-model-'));
  const clock = testClock(T0);
  const config = compactConfig({ segmentBytes, indexIntervalBytes: 64 });
  const cleaner = cleanerConfig({ deleteRetentionMs: 300 });
  let log = open(dir, config, nodeStorageFs, clock.now);
  /** Everything ever appended, by offset. */
  const written: { key: string; value: string | null }[] = [];
  let batchBases: number[] = [];
  let sequence = 0;
  try {
    for (const op of ops) {
      switch (op.kind) {
        case 'append': {
          const inputs = op.records.map((r) => ({
            key: `key-${r.key}`,
            value: r.tombstone ? null : `value-${written.length}-${r.key}`,
            timestamp: clock.now(),
          }));
          const options = op.idempotent ? { producerId: 1, producerEpoch: 0, baseSequence: sequence } : {};
          if (op.idempotent) sequence += inputs.length;
          batchBases.push(append(log, inputs, { compression: op.codec, ...options }).baseOffset);
          for (const input of inputs) written.push({ key: input.key, value: input.value });
          break;
        }
        case 'roll':
          log.roll();
          break;
        case 'clean': {
          clock.advance(op.advanceMs);
          const result = clean(log, { config: cleaner, now: clock.now(), maxMapEntries: op.mapEntries });
          if (result.cleaned && result.reason === null) {
            // Below the map's end every key appears at most once.
            const cleanedKeys = records(log)
              .filter((r) => r.offset < result.endOffset)
              .map((r) => r.key);
            expect(new Set(cleanedKeys).size).toBe(cleanedKeys.length);
          }
          break;
        }
        case 'truncate': {
          // A follower cut back to its new leader's log: the cleaner must not take what comes next as clean.
          // (Followers truncate at batch boundaries: a cut inside a batch removes the whole batch.)
          const candidates = batchBases.filter((b) => b >= log.logStartOffset);
          if (candidates.length === 0) break;
          const offset = candidates[Math.floor(op.at * candidates.length)];
          log.truncateTo(offset);
          written.length = offset;
          batchBases = batchBases.filter((b) => b < offset);
          log.highWatermark = log.logEndOffset;
          break;
        }
        case 'reopen':
          log.close();
          log = open(dir, config, nodeStorageFs, clock.now);
          log.highWatermark = log.logEndOffset;
          break;
      }
      expect(log.logEndOffset).toBe(written.length);
      const recs = records(log);
      // Surviving records are exactly what was written at their offsets.
      for (const r of recs) expect({ key: r.key, value: r.value }).toEqual(written[r.offset]);
      // Per key: the latest write is there, unless it is a tombstone that may have gone; then nothing
      // older may be left either.
      const latest = new Map<string, number>();
      written.forEach((w, offset) => latest.set(w.key, offset));
      const lastInLog = new Map<string, number>();
      for (const r of recs) lastInLog.set(r.key!, r.offset);
      for (const [key, offset] of latest) {
        if (written[offset].value !== null) expect(lastInLog.get(key)).toBe(offset);
        else if (lastInLog.has(key)) expect(lastInLog.get(key)).toBe(offset);
      }
      const segments = log.segments;
      for (let i = 1; i < segments.length; i++)
        expect(segments[i].baseOffset).toBe(segments[i - 1].endOffset);
    }
    log.close();
  } finally {
    log.abandon();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the cleaner against a model (latest value per key)', () => {
  it('never loses a latest value, never resurrects an older one, never moves an offset', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 300, max: 3000 }),
        (ops, segmentBytes) => runModel(ops, segmentBytes),
      ),
      { numRuns: Number(process.env.EDDY_FUZZ_RUNS ?? 60) },
    );
  });
});
