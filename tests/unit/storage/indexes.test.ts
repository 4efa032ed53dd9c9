import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { nodeStorageFs } from '../../../src/engine/storage/fs.js';
import { OffsetIndex } from '../../../src/engine/storage/offset-index.js';
import { TimeIndex } from '../../../src/engine/storage/time-index.js';
import { useTempDirs } from '../../helpers/temp-dir.js';

const tempDir = useTempDirs('eddy-index-');

describe('OffsetIndex', () => {
  it('finds the largest entry at or below a target with binary search', () => {
    const file = join(tempDir(), 'x.index');
    const index = OffsetIndex.create(nodeStorageFs, file, 1000, 1024);
    expect(index.lookup(1500)).toEqual({ offset: 1000, position: 0 });
    for (let i = 1; i <= 50; i++) index.append(1000 + i * 10, i * 100);
    expect(index.entries).toBe(50);
    expect(index.lookup(999)).toEqual({ offset: 1000, position: 0 });
    expect(index.lookup(1009)).toEqual({ offset: 1000, position: 0 });
    expect(index.lookup(1010)).toEqual({ offset: 1010, position: 100 });
    expect(index.lookup(1255)).toEqual({ offset: 1250, position: 2500 });
    expect(index.lookup(99_999)).toEqual({ offset: 1500, position: 5000 });
    expect(() => index.append(1500, 6000)).toThrow();
    expect(() => index.append(1510, 5000)).toThrow();
    index.close();
    expect(statSync(file).size).toBe(50 * 8);
    // Entries are big-endian relative offset int32 + position int32.
    const bytes = readFileSync(file);
    expect([bytes.readInt32BE(0), bytes.readInt32BE(4)]).toEqual([10, 100]);
  });

  it('reopens, truncates and reports a full index', () => {
    const file = join(tempDir(), 'x.index');
    const index = OffsetIndex.create(nodeStorageFs, file, 0, 8 * 5);
    for (let i = 1; i <= 5; i++) index.append(i, i * 10);
    expect(index.isFull()).toBe(true);
    index.close();
    const reopened = OffsetIndex.open(nodeStorageFs, file, 0, 8 * 5);
    expect(reopened.check()).toBeNull();
    expect(reopened.checkAgainst(51)).toBeNull();
    expect(reopened.checkAgainst(50)).toMatch(/past the log/);
    reopened.truncateTo(3);
    expect(reopened.entries).toBe(2);
    expect(reopened.lookup(10)).toEqual({ offset: 2, position: 20 });
    reopened.close();
    expect(statSync(file).size).toBe(16);
  });

  it('flags torn or non-monotonic files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'torn.index'), Buffer.alloc(13));
    const torn = OffsetIndex.open(nodeStorageFs, join(dir, 'torn.index'), 0, 1024);
    expect(torn.check()).toMatch(/not a multiple/);
    torn.close();
    writeFileSync(join(dir, 'zero.index'), Buffer.alloc(32)); // preallocated-and-crashed shape
    const zero = OffsetIndex.open(nodeStorageFs, join(dir, 'zero.index'), 0, 1024);
    expect(zero.check()).toMatch(/does not follow/);
    zero.close();
  });
});

describe('TimeIndex', () => {
  it('keeps strictly increasing timestamps and looks them up', () => {
    const file = join(tempDir(), 'x.timeindex');
    const index = TimeIndex.create(nodeStorageFs, file, 100, 12 * 10);
    index.maybeAppend(-1, 100); // an empty index acts as if it held NO_TIMESTAMP
    expect(index.entries).toBe(0);
    index.maybeAppend(5000, 104);
    index.maybeAppend(5000, 106); // not larger: skipped
    index.maybeAppend(7000, 109);
    expect(index.entries).toBe(2);
    expect(index.lookup(4999)).toEqual({ timestamp: -1, offset: 100 });
    expect(index.lookup(6999)).toEqual({ timestamp: 5000, offset: 104 });
    expect(index.lookup(7000)).toEqual({ timestamp: 7000, offset: 109 });
    index.truncateTo(109);
    expect(index.lastEntry()).toEqual({ timestamp: 5000, offset: 104 });
    index.close();
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(12);
    expect([Number(bytes.readBigInt64BE(0)), bytes.readInt32BE(8)]).toEqual([5000, 4]);
  });

  it('reserves the last slot for the closing entry of an inactive segment', () => {
    const index = TimeIndex.create(nodeStorageFs, join(tempDir(), 'x.timeindex'), 0, 12 * 3);
    index.maybeAppend(1, 1);
    index.maybeAppend(2, 2);
    expect(index.isFull()).toBe(true);
    index.maybeAppend(3, 3);
    expect(index.entries).toBe(2);
    index.maybeAppend(3, 3, true);
    expect(index.entries).toBe(3);
    index.close();
  });
});
