import { readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { BATCH } from '../../../src/engine/protocol/records/batch-header.js';
import { StorageError } from '../../../src/engine/storage/errors.js';
import { LOG_STATE_CHECKPOINT_FILE } from '../../../src/engine/storage/files.js';
import { FaultyStorageFs } from '../../../src/engine/storage/fs.js';
import { PartitionLog } from '../../../src/engine/storage/partition-log.js';
import { makeBatch } from '../../helpers/make-batch.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { readAll, testConfig } from './log-helpers.js';

const tempDir = useTempDirs('eddy-crash-');
const isLog = (file: string) => file.endsWith('.log');

function fillLog(log: PartitionLog, batches: number): void {
  for (let i = 0; i < batches; i++)
    log.appendAsLeader(makeBatch(1 + (i % 3), { baseTimestamp: 1000 + i }), 0);
  log.highWatermark = log.logEndOffset;
}

describe('recovery after a crash', () => {
  it.each([1, 11, 12, 60, 61, 62])(
    'a write torn after %i bytes is cut off and nothing before it is lost',
    (keep) => {
      const dir = tempDir();
      const config = testConfig();
      const fs = new FaultyStorageFs();
      const log = PartitionLog.open(dir, config, fs);
      fillLog(log, 25);
      const before = readAll(log);
      const logEnd = log.logEndOffset;
      const activeSize = log.segments.at(-1)!.size;

      fs.tearNextWrite(keep, { path: isLog });
      expect(() => log.appendAsLeader(makeBatch([{ value: Buffer.alloc(80) }]), 0)).toThrow(
        /simulated crash/,
      );

      const reopened = PartitionLog.open(dir, config);
      expect(reopened.openReport.cleanShutdown).toBe(false);
      // The torn bytes sat after the old active segment's data (or at the start of a fresh one).
      const active = reopened.segments.at(-1)!;
      expect(active.size === activeSize || active.size === 0).toBe(true);
      expect(reopened.openReport.truncatedBytes).toBe(keep);
      expect(reopened.logEndOffset).toBe(logEnd);
      reopened.highWatermark = logEnd;
      expect(readAll(reopened)).toEqual(before);
      expect(reopened.appendAsLeader(makeBatch(1), 0).baseOffset).toBe(logEnd);
      reopened.close();
    },
  );

  it('cuts the log at a corrupted batch in the middle of the active segment', () => {
    const dir = tempDir();
    const config = testConfig({ segmentBytes: 1 << 20 });
    const fs = new FaultyStorageFs();
    const log = PartitionLog.open(dir, config, fs);
    const sizes: number[] = [];
    for (let i = 0; i < 10; i++) sizes.push(log.appendAsLeader(makeBatch(2), 0).size);
    fs.crash();

    // Flip a byte inside the records of batch 5 (offsets 10-11): its CRC no longer matches.
    const file = join(dir, '00000000000000000000.log');
    const position = sizes.slice(0, 5).reduce((a, b) => a + b, 0) + BATCH.HEADER_SIZE + 3;
    const bytes = readFileSync(file);
    bytes[position] ^= 0xff;
    writeFileSync(file, bytes);

    const reopened = PartitionLog.open(dir, config);
    expect(reopened.logEndOffset).toBe(10);
    expect(reopened.openReport.truncatedBytes).toBe(sizes.slice(5).reduce((a, b) => a + b, 0));
    expect(statSync(file).size).toBe(sizes.slice(0, 5).reduce((a, b) => a + b, 0));
    reopened.highWatermark = 10;
    expect(readAll(reopened).map((h) => h.baseOffset)).toEqual([0, 2, 4, 6, 8]);
    reopened.close();
  });

  it('drops every later segment when an older one turns out corrupt (no checkpoint: full recovery)', () => {
    const dir = tempDir();
    const config = testConfig({ segmentBytes: 1 << 20 });
    const log = PartitionLog.open(dir, config);
    for (let s = 0; s < 4; s++) {
      log.appendAsLeader(makeBatch(2), 0);
      log.appendAsLeader(makeBatch(2), 0);
      log.roll();
    }
    log.close();
    unlinkSync(join(dir, LOG_STATE_CHECKPOINT_FILE));
    // Break the magic byte of the second batch of segment 4.
    const file = join(dir, '00000000000000000004.log');
    const bytes = readFileSync(file);
    const second = bytes.readInt32BE(BATCH.BATCH_LENGTH) + BATCH.LOG_OVERHEAD;
    bytes[second + BATCH.MAGIC] = 1;
    writeFileSync(file, bytes);

    const reopened = PartitionLog.open(dir, config);
    expect(reopened.openReport.cleanShutdown).toBe(false);
    expect(reopened.logEndOffset).toBe(6);
    expect(reopened.segments.map((s) => s.baseOffset)).toEqual([0, 4]);
    expect(readdirSync(dir).filter(isLog).sort()).toEqual([
      '00000000000000000000.log',
      '00000000000000000004.log',
    ]);
    reopened.close();
  });

  it('rebuilds deleted, torn and garbled index files to exactly what appends wrote', () => {
    const dir = tempDir();
    const config = testConfig({ segmentBytes: 2048, indexIntervalBytes: 200 });
    const log = PartitionLog.open(dir, config);
    fillLog(log, 120);
    const expected = readAll(log);
    log.close();
    const indexFiles = readdirSync(dir)
      .filter((f) => f.endsWith('index'))
      .sort();
    const original = new Map(indexFiles.map((f) => [f, readFileSync(join(dir, f))]));
    expect(indexFiles.length).toBeGreaterThanOrEqual(8);

    unlinkSync(join(dir, '00000000000000000000.index'));
    const segments = [...new Set(indexFiles.map((f) => f.slice(0, 20)))];
    unlinkSync(join(dir, `${segments[1]}.timeindex`));
    truncateSync(join(dir, `${segments[2]}.index`), original.get(`${segments[2]}.index`)!.length - 3);
    writeFileSync(
      join(dir, `${segments[3]}.index`),
      Buffer.alloc(original.get(`${segments[3]}.index`)!.length),
    ); // zero-filled

    const reopened = PartitionLog.open(dir, config);
    expect(reopened.openReport.cleanShutdown).toBe(true);
    expect(reopened.openReport.recoveredSegments).toBe(4);
    reopened.highWatermark = reopened.logEndOffset;
    expect(readAll(reopened, 150)).toEqual(expected);
    reopened.close();
    for (const [file, bytes] of original) expect(readFileSync(join(dir, file)), file).toEqual(bytes);
  });

  it('recovers an index that points past a log cut short behind its back', () => {
    const dir = tempDir();
    const config = testConfig({ segmentBytes: 1 << 20, indexIntervalBytes: 100 });
    const log = PartitionLog.open(dir, config);
    fillLog(log, 30);
    log.close();
    const file = join(dir, '00000000000000000000.log');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const reopened = PartitionLog.open(dir, config);
    expect(reopened.openReport.recoveredSegments).toBe(1);
    expect(reopened.logEndOffset).toBeLessThan(60);
    reopened.highWatermark = reopened.logEndOffset;
    expect(readAll(reopened).at(-1)!.baseOffset).toBeLessThan(reopened.logEndOffset);
    reopened.appendAsLeader(makeBatch(1), 0);
    reopened.close();
  });

  it('removes leftover .deleted, .cleaned, .swap, .tmp files and orphan indexes on open', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir, testConfig());
    fillLog(log, 3);
    log.close();
    const leftovers = [
      '00000000000000000000.log.deleted',
      '00000000000000000005.index.deleted',
      '00000000000000000007.log.cleaned',
      '00000000000000000007.log.swap',
      `${LOG_STATE_CHECKPOINT_FILE}.tmp`,
      '00000000000000000099.index',
      '00000000000000000099.timeindex',
    ];
    for (const name of leftovers) writeFileSync(join(dir, name), 'junk');
    writeFileSync(join(dir, 'partition.metadata'), 'version: 0\n');
    const reopened = PartitionLog.open(dir, testConfig());
    expect(reopened.openReport.deletedLeftovers.sort()).toEqual([...leftovers].sort());
    expect(readdirSync(dir).sort()).toEqual([
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
      LOG_STATE_CHECKPOINT_FILE,
      'partition.metadata',
    ]);
    reopened.close();
  });

  it('keeps the previous checkpoint when writing a new one is torn', () => {
    const dir = tempDir();
    const fs = new FaultyStorageFs();
    const log = PartitionLog.open(dir, testConfig({ segmentBytes: 1 << 20 }), fs);
    fillLog(log, 10);
    log.deleteRecordsBefore(4);
    fs.tearNextWrite(5, { path: (p) => p.endsWith('.tmp') });
    expect(() => log.deleteRecordsBefore(8)).toThrow(/simulated crash/);
    const reopened = PartitionLog.open(dir, testConfig({ segmentBytes: 1 << 20 }));
    expect(reopened.logStartOffset).toBe(4);
    reopened.close();
  });
});

describe('disk errors', () => {
  it('ENOSPC during an append leaves no partial batch, keeps the log end offset and maps to KAFKA_STORAGE_ERROR', () => {
    const dir = tempDir();
    const config = testConfig({ segmentBytes: 1 << 20 });
    const fs = new FaultyStorageFs();
    const log = PartitionLog.open(dir, config, fs);
    fillLog(log, 10);
    const before = readAll(log);
    const logEnd = log.logEndOffset;
    const size = statSync(join(dir, '00000000000000000000.log')).size;

    fs.failWritesAfter(40, { path: isLog });
    let error: unknown;
    try {
      log.appendAsLeader(makeBatch(5), 0);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ errorCode: 56, retriable: true });
    expect((error as Error).message).toMatch(/ENOSPC/);
    expect(log.logEndOffset).toBe(logEnd);
    expect(log.offline).toBe(false);
    expect(statSync(join(dir, '00000000000000000000.log')).size).toBe(size);
    expect(readAll(log)).toEqual(before);
    expect(() => log.appendAsLeader(makeBatch(1), 0)).toThrow(StorageError); // still full

    fs.heal();
    expect(log.appendAsLeader(makeBatch(2), 0).baseOffset).toBe(logEnd);
    log.close();
    const reopened = PartitionLog.open(dir, config);
    expect(reopened.openReport.recoveredSegments).toBe(0);
    expect(reopened.logEndOffset).toBe(logEnd + 2);
    reopened.close();
  });

  it('takes the log offline when a failed append cannot be rolled back; a reopen recovers', () => {
    const dir = tempDir();
    const config = testConfig({ segmentBytes: 1 << 20 });
    const fs = new FaultyStorageFs();
    const log = PartitionLog.open(dir, config, fs);
    fillLog(log, 10);
    const before = readAll(log);
    fs.failWritesAfter(40, { path: isLog });
    fs.failNext('ftruncate', { path: isLog });
    expect(() => log.appendAsLeader(makeBatch(5), 0)).toThrow(StorageError);
    expect(log.offline).toBe(true);
    expect(() => log.read(0, 100)).toThrow(expect.objectContaining({ errorCode: 56 }));
    expect(() => log.appendAsLeader(makeBatch(1), 0)).toThrow(expect.objectContaining({ errorCode: 56 }));
    log.close();
    expect(fs.openDescriptors).toBe(0);

    const reopened = PartitionLog.open(dir, config);
    expect(reopened.openReport.truncatedBytes).toBe(40);
    reopened.highWatermark = reopened.logEndOffset;
    expect(readAll(reopened)).toEqual(before);
    reopened.close();
  });

  it('a failing fsync takes the log offline (fsync errors cannot be retried safely)', () => {
    const dir = tempDir();
    const config = testConfig({ flushMessages: 1 });
    const fs = new FaultyStorageFs();
    const log = PartitionLog.open(dir, config, fs);
    fillLog(log, 3);
    fs.failFsync();
    expect(() => log.appendAsLeader(makeBatch(1), 0)).toThrow(expect.objectContaining({ errorCode: 56 }));
    expect(log.offline).toBe(true);
    log.close();
    const reopened = PartitionLog.open(dir, config);
    // The data reached the file (it was the fsync that failed); recovery validates it.
    expect(reopened.logEndOffset).toBe(log.logEndOffset);
    reopened.close();
  });

  it('a segment that cannot be created fails the append without changing the log', () => {
    const dir = tempDir();
    const config = testConfig({ segmentBytes: 300 });
    const fs = new FaultyStorageFs();
    const log = PartitionLog.open(dir, config, fs);
    fillLog(log, 3);
    const logEnd = log.logEndOffset;
    fs.failNext('open', { code: 'ENOSPC', path: isLog });
    const big = makeBatch([{ value: Buffer.alloc(200) }]);
    expect(() => log.appendAsLeader(Buffer.from(big), 0)).toThrow(expect.objectContaining({ errorCode: 56 }));
    expect(log.logEndOffset).toBe(logEnd);
    expect(log.offline).toBe(false);
    expect(log.appendAsLeader(Buffer.from(big), 0).baseOffset).toBe(logEnd);
    expect(log.segments.length).toBe(2);
    log.close();
    expect(fs.openDescriptors).toBe(0);
  });

  it('an index write that fails does not fail the append; the index is trimmed and still right', () => {
    const dir = tempDir();
    const config = testConfig({ segmentBytes: 1 << 20, indexIntervalBytes: 0 });
    const fs = new FaultyStorageFs();
    const log = PartitionLog.open(dir, config, fs);
    fillLog(log, 5);
    fs.failWritesAfter(3, { path: (p) => p.endsWith('.index') });
    fillLog(log, 5);
    fs.heal();
    fillLog(log, 5);
    const expected = readAll(log);
    log.close();
    const reopened = PartitionLog.open(dir, config);
    expect(reopened.openReport.recoveredSegments).toBe(0);
    reopened.highWatermark = reopened.logEndOffset;
    expect(readAll(reopened, 100)).toEqual(expected);
    reopened.close();
  });
});
