import { appendFileSync, statSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { readBatchHeader, type BatchHeader } from '../../../src/engine/protocol/records/batch-header.js';
import { nodeStorageFs } from '../../../src/engine/storage/fs.js';
import { LogSegment } from '../../../src/engine/storage/segment.js';
import { makeBatch } from '../../helpers/make-batch.js';
import { useTempDirs } from '../../helpers/temp-dir.js';

const tempDir = useTempDirs('eddy-segment-');
const OPTIONS = { indexIntervalBytes: 100, segmentIndexBytes: 10 * 1024 * 1024 };
const T = 1_700_000_000_000;

/** Appends one batch of `count` records at `offset`, as the log would. */
function appendAt(segment: LogSegment, offset: number, count: number, timestamp = T + offset): number {
  const batch = makeBatch(count, { baseOffset: offset, baseTimestamp: timestamp });
  const header = readBatchHeader(batch) as BatchHeader;
  segment.append(batch, [header]);
  return offset + count;
}

describe('LogSegment', () => {
  it('appends, translates offsets through the sparse index and reads raw bytes', () => {
    const dir = tempDir();
    const segment = LogSegment.create(nodeStorageFs, dir, 50, OPTIONS, T);
    let next = 50;
    let lastBase = next;
    for (let i = 0; i < 40; i++) {
      lastBase = next;
      next = appendAt(segment, next, 1 + (i % 3));
    }
    expect(segment.offsetIndex.entries).toBeGreaterThan(5);
    expect(segment.size).toBe(statSync(segment.logFile).size);
    for (let offset = 50; offset < next; offset++) {
      const batch = segment.translateOffset(offset)!;
      expect(batch.baseOffset).toBeLessThanOrEqual(offset);
      expect(batch.lastOffset).toBeGreaterThanOrEqual(offset);
      const bytes = segment.readBatch(batch);
      expect(readBatchHeader(bytes)?.baseOffset).toBe(batch.baseOffset);
    }
    expect(segment.translateOffset(next)).toBeNull();
    expect(segment.readNextOffset()).toEqual({ nextOffset: next, validBytes: segment.size });
    expect(segment.maxTimestampAndOffset()).toEqual({ timestamp: T + lastBase, offset: next - 1 });
    segment.close();
  });

  it('recovers by rebuilding indexes and cutting a torn tail', () => {
    const dir = tempDir();
    const segment = LogSegment.create(nodeStorageFs, dir, 0, OPTIONS, T);
    let next = 0;
    for (let i = 0; i < 20; i++) next = appendAt(segment, next, 2);
    const indexEntries = segment.offsetIndex.entries;
    const size = segment.size;
    segment.close();
    appendFileSync(segment.logFile, makeBatch(2, { baseOffset: next }).subarray(0, 40));

    const reopened = LogSegment.open(nodeStorageFs, dir, 0, OPTIONS, T);
    expect(reopened.indexProblem).toBeNull();
    expect(reopened.recover()).toBe(40);
    expect(reopened.lastRecovery).toMatchObject({ truncatedBytes: 40, position: size });
    expect(reopened.size).toBe(size);
    expect(reopened.offsetIndex.entries).toBe(indexEntries);
    expect(reopened.readNextOffset().nextOffset).toBe(next);
    reopened.close();
  });

  it('recovery rejects offsets that go backwards', () => {
    const dir = tempDir();
    const segment = LogSegment.create(nodeStorageFs, dir, 0, OPTIONS, T);
    appendAt(segment, 0, 5);
    appendAt(segment, 3, 2); // overlaps 3..4
    expect(segment.recover()).toBeGreaterThan(0);
    expect(segment.lastRecovery?.reason).toMatch(/does not follow/);
    expect(segment.readNextOffset().nextOffset).toBe(5);
    segment.close();
  });

  it('truncates to the batch holding an offset and recomputes its largest timestamp', () => {
    const dir = tempDir();
    const segment = LogSegment.create(nodeStorageFs, dir, 0, OPTIONS, T);
    let next = 0;
    for (let i = 0; i < 10; i++) next = appendAt(segment, next, 3, T + i * 100);
    expect(segment.maxTimestampAndOffset()).toEqual({ timestamp: T + 900, offset: 29 });
    const removed = segment.truncateTo(13, T);
    expect(removed).toBeGreaterThan(0);
    expect(segment.readNextOffset().nextOffset).toBe(12);
    expect(segment.maxTimestampAndOffset()).toEqual({ timestamp: T + 300, offset: 11 });
    expect(segment.checkIndexesBelow(12)).toBeNull();
    segment.close();
  });

  it('finds offsets by timestamp with the time index', () => {
    const dir = tempDir();
    const segment = LogSegment.create(nodeStorageFs, dir, 0, OPTIONS, T);
    let next = 0;
    for (let i = 0; i < 30; i++) next = appendAt(segment, next, 1, T + i * 10);
    expect(segment.timeIndex.entries).toBeGreaterThan(3);
    expect(segment.findOffsetByTimestamp(T + 155, 0)).toMatchObject({ offset: 16, timestamp: T + 160 });
    expect(segment.findOffsetByTimestamp(T + 155, 20)).toMatchObject({ offset: 20 });
    expect(segment.findOffsetByTimestamp(T + 1000, 0)).toBeNull();
    segment.close();
  });

  it('delete renames to .deleted and unlinks', () => {
    const dir = tempDir();
    const segment = LogSegment.create(nodeStorageFs, dir, 0, OPTIONS, T);
    appendAt(segment, 0, 1);
    segment.delete();
    expect(nodeStorageFs.readdirSync(dir)).toEqual([]);
  });
});
