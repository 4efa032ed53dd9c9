import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { FaultyStorageFs } from '../../../src/engine/storage/fs.js';
import { PartitionLog } from '../../../src/engine/storage/partition-log.js';
import { batchHeaders, makeBatch } from '../../helpers/make-batch.js';
import { testConfig } from './log-helpers.js';

/**
 * Random operations against the real log and a list of batches in memory; after each operation the
 * offsets and what read() returns must agree (Redpanda's opfuzz idea, on a small scale).
 */

type Op =
  | { kind: 'append'; counts: number[]; valueSize: number; epoch: number }
  | { kind: 'read'; at: number; maxBytes: number; minOneMessage: boolean; maxOffsetAt: number | null }
  | { kind: 'roll' }
  | { kind: 'flush' }
  | { kind: 'truncate'; at: number }
  | { kind: 'deleteRecords'; at: number }
  | { kind: 'reopen' }
  | { kind: 'crash' }
  | { kind: 'tornAppend'; at: number }
  | { kind: 'diskFull'; at: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      counts: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
      valueSize: fc.integer({ min: 0, max: 120 }),
      epoch: fc.integer({ min: 0, max: 3 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      at: fraction,
      maxBytes: fc.integer({ min: 0, max: 1500 }),
      minOneMessage: fc.boolean(),
      maxOffsetAt: fc.option(fraction, { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'roll' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteRecords' as const), at: fraction }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tornAppend' as const), at: fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('diskFull' as const), at: fraction }) },
);

interface ModelBatch {
  base: number;
  last: number;
  bytes: Buffer;
}

class Model {
  batches: ModelBatch[] = [];
  logStart = 0;
  logEnd = 0;

  /** What read() must return: whole batches from the one holding fetchOffset. */
  expectedRead(fetchOffset: number, maxBytes: number, minOneMessage: boolean, maxOffset: number): Buffer {
    const limit = Math.min(maxOffset, this.logEnd);
    const out: Buffer[] = [];
    if (fetchOffset >= limit) return Buffer.alloc(0);
    let remaining = maxBytes;
    for (const batch of this.batches) {
      if (batch.last < fetchOffset) continue;
      if (batch.last >= limit) break;
      if (batch.bytes.length > remaining && !(minOneMessage && out.length === 0)) break;
      out.push(batch.bytes);
      remaining -= batch.bytes.length;
    }
    return Buffer.concat(out);
  }
}

function newBatches(op: Extract<Op, { kind: 'append' }>): Buffer {
  return Buffer.concat(
    op.counts.map((count) =>
      makeBatch(Array.from({ length: count }, () => ({ value: Buffer.alloc(op.valueSize, 7) }))),
    ),
  );
}

function run(ops: Op[], segmentBytes: number, indexIntervalBytes: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-model-'));
  const config = testConfig({ segmentBytes, indexIntervalBytes });
  let fs = new FaultyStorageFs();
  let log = PartitionLog.open(dir, config, fs);
  const model = new Model();
  const reopen = (clean: boolean) => {
    if (clean) log.close();
    else fs.crash();
    expect(fs.openDescriptors).toBe(0);
    fs = new FaultyStorageFs();
    log = PartitionLog.open(dir, config, fs);
    expect(log.openReport.cleanShutdown).toBe(clean);
    if (clean) expect(log.openReport.recoveredSegments).toBe(0);
    log.highWatermark = log.logEndOffset;
  };
  try {
    for (const op of ops) {
      switch (op.kind) {
        case 'append': {
          const records = newBatches(op);
          if (records.length > segmentBytes) {
            expect(() => log.appendAsLeader(records, op.epoch)).toThrow(
              expect.objectContaining({ errorCode: 18 }),
            );
            break;
          }
          const result = log.appendAsLeader(records, op.epoch);
          expect(result.baseOffset).toBe(model.logEnd);
          for (const h of batchHeaders(records)) {
            model.batches.push({
              base: h.baseOffset,
              last: h.baseOffset + h.lastOffsetDelta,
              bytes: Buffer.from(records.subarray(h.position, h.position + h.size)),
            });
          }
          model.logEnd = result.lastOffset + 1;
          log.highWatermark = log.logEndOffset;
          break;
        }
        case 'read': {
          const span = model.logEnd - model.logStart + 1;
          const fetchOffset = model.logStart + Math.floor(op.at * span);
          const maxOffset =
            op.maxOffsetAt === null
              ? model.logEnd
              : fetchOffset + Math.floor(op.maxOffsetAt * (model.logEnd - fetchOffset + 1));
          const result = log.read(fetchOffset, op.maxBytes, { minOneMessage: op.minOneMessage, maxOffset });
          expect(result.records).toEqual(
            model.expectedRead(fetchOffset, op.maxBytes, op.minOneMessage, maxOffset),
          );
          break;
        }
        case 'roll':
          log.roll();
          break;
        case 'flush':
          log.flush();
          expect(log.recoveryPoint).toBe(model.logEnd);
          break;
        case 'truncate': {
          const candidates = model.batches.filter((b) => b.base >= model.logStart).map((b) => b.base);
          if (candidates.length === 0) break;
          const target = candidates[Math.floor(op.at * candidates.length)];
          expect(log.truncateTo(target)).toBe(true);
          model.batches = model.batches.filter((b) => b.base < target);
          model.logEnd = target;
          break;
        }
        case 'deleteRecords': {
          const offset = model.logStart + Math.floor(op.at * (model.logEnd - model.logStart + 1));
          log.deleteRecordsBefore(offset);
          model.logStart = Math.max(model.logStart, offset);
          break;
        }
        case 'reopen':
          reopen(true);
          break;
        case 'crash':
          reopen(false);
          break;
        case 'tornAppend': {
          const records = makeBatch(3);
          fs.tearNextWrite(Math.floor(op.at * records.length), { path: (p) => p.endsWith('.log') });
          expect(() => log.appendAsLeader(records, 0)).toThrow(/simulated crash/);
          reopen(false);
          break;
        }
        case 'diskFull': {
          const records = makeBatch(3);
          fs.failWritesAfter(Math.floor(op.at * records.length), { path: (p) => p.endsWith('.log') });
          expect(() => log.appendAsLeader(records, 0)).toThrow(expect.objectContaining({ errorCode: 56 }));
          fs.heal();
          break;
        }
      }
      expect([log.logStartOffset, log.logEndOffset]).toEqual([model.logStart, model.logEnd]);
      expect(log.highWatermark).toBeLessThanOrEqual(log.logEndOffset);
      expect(log.recoveryPoint).toBeLessThanOrEqual(log.logEndOffset);
      expect(log.offline).toBe(false);
      const all = log.read(model.logStart, 1 << 30);
      expect(all.records).toEqual(model.expectedRead(model.logStart, 1 << 30, false, model.logEnd));
      // Segments tile the offsets without overlap.
      const segments = log.segments;
      for (let i = 1; i < segments.length; i++)
        expect(segments[i].baseOffset).toBe(segments[i - 1].endOffset);
    }
    log.close();
    expect(fs.openDescriptors).toBe(0);
  } finally {
    fs.crash();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('PartitionLog against an in-memory model', () => {
  it('agrees on offsets and bytes over random appends, reads, rolls, truncations, crashes and reopens', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 256, max: 2048 }),
        fc.integer({ min: 0, max: 600 }),
        (ops, segmentBytes, indexIntervalBytes) => run(ops, segmentBytes, indexIntervalBytes),
      ),
      { numRuns: Number(process.env.EDDY_FUZZ_RUNS ?? 120) },
    );
  });
});
