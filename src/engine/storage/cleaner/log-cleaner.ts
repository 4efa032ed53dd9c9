import * as path from 'node:path';

import { ATTR, BATCH } from '../../protocol/records/batch-header.js';
import { decodeBatches } from '../../protocol/records/batch.js';
import { readFully, type StorageFs } from '../fs.js';
import type { PartitionLog, SegmentInfo } from '../partition-log.js';
import { filterBatch } from './batch-filter.js';
import { readCleanerCheckpoint, writeCleanerCheckpoint } from './checkpoint.js';
import { CLEANER_LONG_MAX, type CleanerConfig } from './config.js';
import { OffsetMap } from './offset-map.js';
import { CleanedSegmentWriter, SegmentBatchReader } from './segment-io.js';

/**
 * One cleaning pass over one partition log (Kafka's LogCleaner.doClean), as a generator that yields
 * whenever about `stepBytes` were read, so a caller can hand the event loop back between steps:
 *
 *   1. the dirty section runs from the cleaner checkpoint to the first uncleanable offset: the base
 *      of the active segment, of the first segment reaching past the high watermark, or of the first
 *      dirty segment holding a record younger than min.compaction.lag.ms;
 *   2. an offset map (key → latest offset) is built over it, whole batches at a time, stopping when
 *      the map is full (its end may then fall inside a segment);
 *   3. every segment starting below the map's end is rewritten, in groups whose original sizes fit
 *      segment.bytes and segment.index.bytes, keeping per key only the latest record (filterBatch);
 *   4. each group's cleaned segment is swapped in (PartitionLog.replaceWithCleaned), and at the end
 *      the checkpoint moves to the map's end.
 * If the log was truncated or its segments changed meanwhile, the pass stops without swapping
 * (earlier groups stay swapped: each is a valid compaction on its own) and the checkpoint stays.
 */

export interface CleanOptions {
  config: CleanerConfig;
  /** The cleaner's clock (default Date.now): delete horizons, compaction lags. */
  now?: number;
  /** Keys the offset map may hold (default 5 million, Kafka's default dedupe buffer). */
  maxMapEntries?: number;
  /** Bytes read between two yields (default 512 KiB). */
  stepBytes?: number;
  /**
   * Last offset each idempotent producer wrote (the broker's producer state). Without it the
   * cleaner reads every batch header of the log to find out.
   */
  producerLastOffsets?: ReadonlyMap<number, number>;
  /** Clean even when neither the dirty ratio, the max compaction lag nor a delete horizon asks for it. */
  force?: boolean;
}

/** Where the log stands for the cleaner (Kafka's LogToClean plus needCompactionNow). */
export interface CleanableState {
  firstDirtyOffset: number;
  /** Nothing at or past this segment boundary may be cleaned now. */
  firstUncleanableOffset: number;
  cleanBytes: number;
  dirtyBytes: number;
  /** dirtyBytes / (cleanBytes + dirtyBytes), 0 for an empty range. */
  cleanableRatio: number;
  /** A dirty record waited longer than max.compaction.lag.ms. */
  needCompactionNow: boolean;
  /** The latest delete horizon of retained tombstones (-1: none). */
  deleteHorizonMs: number;
  /** That horizon has passed: a pass would remove tombstones. */
  tombstonesDue: boolean;
  /** What Kafka's cleaner would pick the log for: (max lag passed and dirty bytes) or ratio > min.cleanable.dirty.ratio. */
  dirtyEnough: boolean;
}

export interface CleanResult {
  cleaned: boolean;
  /** Why nothing (or not everything) was done; null after a complete pass. */
  reason: string | null;
  firstDirtyOffset: number;
  /** End of the offset map: the new first dirty offset after a complete pass. */
  endOffset: number;
  groups: number;
  segmentsBefore: number;
  segmentsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  recordsRemoved: number;
  batchesRewritten: number;
  batchesDropped: number;
  /** Latest delete horizon of a batch still holding tombstones (-1: none). */
  deleteHorizonMs: number;
}

const DEFAULT_MAX_MAP_ENTRIES = Math.floor((128 * 1024 * 1024 * 0.9) / 24);
const DEFAULT_STEP_BYTES = 512 * 1024;
const INT32_MAX = 0x7fffffff;

/** The log's dirty section and whether Kafka's cleaner would pick it. Reads only the cleaner checkpoint and a few batch headers. */
export function cleanableState(log: PartitionLog, config: CleanerConfig, now: number): CleanableState {
  const fs = log.storage;
  const segments = log.segments;
  const checkpoint = readCleanerCheckpoint(fs, log.dir);
  const logStart = log.logStartOffset;
  let firstDirty = checkpoint?.firstDirtyOffset ?? logStart;
  if (firstDirty < logStart || firstDirty > log.logEndOffset) firstDirty = logStart;

  const active = segments[segments.length - 1];
  let firstUncleanable = active.baseOffset;
  for (const segment of segments) {
    if (segment.active) break;
    if (segment.endOffset > log.highWatermark) {
      firstUncleanable = segment.baseOffset;
      break;
    }
    const dirty = segment.endOffset > firstDirty;
    if (dirty && config.minCompactionLagMs > 0 && segment.maxTimestamp > now - config.minCompactionLagMs) {
      firstUncleanable = segment.baseOffset;
      break;
    }
  }

  let cleanBytes = 0;
  let dirtyBytes = 0;
  const dirtySegments: SegmentInfo[] = [];
  for (const segment of segments) {
    if (segment.active || segment.endOffset > firstUncleanable) break;
    if (segment.endOffset <= firstDirty) cleanBytes += segment.size;
    else {
      dirtyBytes += segment.size;
      dirtySegments.push(segment);
    }
  }
  const total = cleanBytes + dirtyBytes;
  const cleanableRatio = total === 0 ? 0 : dirtyBytes / total;

  let needCompactionNow = false;
  if (config.maxCompactionLagMs < CLEANER_LONG_MAX && dirtyBytes > 0) {
    const cleanUntil = now - config.maxCompactionLagMs;
    for (const segment of dirtySegments) {
      const first = firstBatchTimestamp(fs, path.join(log.dir, segment.logFile));
      if (first > 0 && first < cleanUntil) {
        needCompactionNow = true;
        break;
      }
    }
  }
  const deleteHorizonMs = checkpoint?.deleteHorizonMs ?? -1;
  return {
    firstDirtyOffset: firstDirty,
    firstUncleanableOffset: firstUncleanable,
    cleanBytes,
    dirtyBytes,
    cleanableRatio,
    needCompactionNow,
    deleteHorizonMs,
    tombstonesDue: deleteHorizonMs >= 0 && deleteHorizonMs <= now,
    dirtyEnough: (needCompactionNow && dirtyBytes > 0) || cleanableRatio > config.minCleanableRatio,
  };
}

/** The first batch's max timestamp (Kafka's LogSegment.getFirstBatchTimestamp), or -1. */
function firstBatchTimestamp(fs: StorageFs, file: string): number {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const header = readFully(fs, fd, BATCH.HEADER_SIZE, 0);
    if (header.length < BATCH.HEADER_SIZE) return -1;
    return Number(header.readBigInt64BE(BATCH.MAX_TIMESTAMP));
  } catch {
    return -1;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Consecutive segments whose summed sizes fit `segment.bytes` and whose indexes fit
 * `segment.index.bytes` (Kafka's groupSegmentsBySize), so the cleaned segment stays under both.
 */
export function groupSegmentsBySize(
  segments: readonly SegmentInfo[],
  maxSize: number,
  maxIndexSize: number,
): SegmentInfo[][] {
  const groups: SegmentInfo[][] = [];
  let i = 0;
  while (i < segments.length) {
    const group = [segments[i]];
    let logSize = segments[i].size;
    let indexSize = segments[i].indexBytes;
    let timeIndexSize = segments[i].timeIndexBytes;
    while (i + 1 < segments.length) {
      const next = segments[i + 1];
      if (
        logSize + next.size > maxSize ||
        indexSize + next.indexBytes > maxIndexSize ||
        timeIndexSize + next.timeIndexBytes > maxIndexSize ||
        next.endOffset - 1 - group[0].baseOffset > INT32_MAX
      )
        break;
      group.push(next);
      logSize += next.size;
      indexSize += next.indexBytes;
      timeIndexSize += next.timeIndexBytes;
      i++;
    }
    groups.push(group);
    i++;
  }
  return groups;
}

/**
 * One cleaning pass over `log` (see above). Runs on the caller's thread between yields; drive it with
 * runCleanerSteps (bounded steps on the event loop) or cleanLogNow (all at once).
 */
export function* cleanLog(log: PartitionLog, options: CleanOptions): Generator<void, CleanResult, void> {
  const truncations = log.truncationCount;
  try {
    return yield* cleanPass(log, options);
  } catch (err) {
    // Reading a segment the log cut meanwhile fails; that is the log changing, not a cleaner failure.
    if (log.truncationCount !== truncations && !log.offline) {
      return {
        ...emptyResult(-1, -1),
        reason: `the log was truncated (${(err as Error).message})`,
      };
    }
    throw err;
  }
}

function emptyResult(firstDirtyOffset: number, deleteHorizonMs: number): CleanResult {
  return {
    cleaned: false,
    reason: null,
    firstDirtyOffset,
    endOffset: firstDirtyOffset,
    groups: 0,
    segmentsBefore: 0,
    segmentsAfter: 0,
    bytesBefore: 0,
    bytesAfter: 0,
    recordsRemoved: 0,
    batchesRewritten: 0,
    batchesDropped: 0,
    deleteHorizonMs,
  };
}

function* cleanPass(log: PartitionLog, options: CleanOptions): Generator<void, CleanResult, void> {
  const now = options.now ?? Date.now();
  const config = options.config;
  const stepBytes = Math.max(1, options.stepBytes ?? DEFAULT_STEP_BYTES);
  const fs = log.storage;
  const dir = log.dir;
  const state = cleanableState(log, config, now);
  const result = emptyResult(state.firstDirtyOffset, state.deleteHorizonMs);
  if (!log.config.cleanupPolicy.includes('compact')) {
    result.reason = 'cleanup.policy does not include compact';
    return result;
  }
  if (!options.force && !state.dirtyEnough && !state.tombstonesDue) {
    result.reason = 'not dirty enough';
    return result;
  }
  const truncations = log.truncationCount;
  const stale = () => log.truncationCount !== truncations;
  const segments = log.segments;
  const firstDirty = state.firstDirtyOffset;
  const uncleanable = state.firstUncleanableOffset;
  let sinceYield = 0;

  // 1-2. The offset map over the dirty section.
  const map = new OffsetMap(Math.max(1, options.maxMapEntries ?? DEFAULT_MAX_MAP_ENTRIES));
  let mapEnd = firstDirty;
  let full = false;
  for (const segment of segments) {
    if (segment.active || segment.endOffset > uncleanable) break;
    if (segment.endOffset <= firstDirty) continue;
    const reader = openSegment(log, segment);
    if (reader === null) return abandoned(result, 'a segment was deleted meanwhile');
    try {
      for (let batch = reader.next(); batch !== null; batch = reader.next()) {
        const { header, bytes } = batch;
        const lastOffset = header.baseOffset + header.lastOffsetDelta;
        sinceYield += header.size;
        if (lastOffset >= firstDirty && (header.attributes & ATTR.CONTROL) === 0 && header.recordsCount > 0) {
          const [decoded] = decodeBatches(bytes, { verifyCrc: true });
          for (const record of decoded?.records ?? []) {
            if (record.offset < firstDirty || record.key === null) continue;
            if (!map.put(record.key, record.offset)) {
              full = true;
              mapEnd = record.offset;
              break;
            }
          }
        }
        if (full) break;
        mapEnd = Math.max(mapEnd, lastOffset + 1);
        if (sinceYield >= stepBytes) {
          sinceYield = 0;
          yield;
          if (stale()) return abandoned(result, 'the log was truncated');
        }
      }
    } finally {
      reader.close();
    }
    if (full) break;
    mapEnd = Math.max(mapEnd, segment.endOffset);
  }
  result.endOffset = mapEnd;

  // Producer state: whose last batch must keep at least its header.
  const producerLastOffsets =
    options.producerLastOffsets ?? (yield* scanProducerLastOffsets(log, segments, stepBytes, stale));
  if (producerLastOffsets === null) return abandoned(result, 'the log changed while its producers were read');

  // 3-4. Rewrite and swap, group by group.
  const cleanable = segments.filter((s) => !s.active && s.baseOffset < mapEnd && s.endOffset <= uncleanable);
  if (cleanable.length === 0) {
    result.reason = 'nothing cleanable';
    return result;
  }
  const groups = groupSegmentsBySize(cleanable, log.config.segmentBytes, log.config.segmentIndexBytes);
  const ctx = {
    now,
    deleteRetentionMs: config.deleteRetentionMs,
    mapEnd,
    map,
    isProducersLastBatch: (producerId: number, lastOffset: number) =>
      producerLastOffsets.get(producerId) === lastOffset,
  };
  let deleteHorizonMs = -1;
  for (const group of groups) {
    const writer = CleanedSegmentWriter.create(fs, dir, group[0].baseOffset, {
      indexIntervalBytes: log.config.indexIntervalBytes,
      segmentIndexBytes: log.config.segmentIndexBytes,
    });
    let swapped = false;
    try {
      for (const segment of group) {
        const reader = openSegment(log, segment);
        if (reader === null) return abandoned(result, 'a segment was deleted meanwhile');
        try {
          for (let batch = reader.next(); batch !== null; batch = reader.next()) {
            const { header, bytes } = batch;
            const filtered = filterBatch(bytes, header, ctx);
            result.recordsRemoved += filtered.removed;
            if (filtered.output === null) result.batchesDropped++;
            else {
              if (filtered.rewritten) result.batchesRewritten++;
              writer.append(
                filtered.output,
                header.baseOffset + header.lastOffsetDelta,
                filtered.maxTimestamp,
              );
            }
            deleteHorizonMs = Math.max(deleteHorizonMs, filtered.tombstoneHorizon);
            sinceYield += header.size;
            if (sinceYield >= stepBytes) {
              sinceYield = 0;
              yield;
              if (stale()) return abandoned(result, 'the log was truncated');
            }
          }
        } finally {
          reader.close();
        }
      }
      writer.finish();
      const bytesAfter = writer.size;
      swapped = log.replaceWithCleaned(group, truncations);
      if (!swapped) return abandoned(result, 'the segments changed while they were cleaned');
      result.cleaned = true;
      result.groups++;
      result.segmentsBefore += group.length;
      result.segmentsAfter += 1;
      result.bytesBefore += group.reduce((sum, s) => sum + s.size, 0);
      result.bytesAfter += bytesAfter;
    } finally {
      if (!swapped) writer.abort();
    }
  }
  // No yield since the last swap: the log cannot have been truncated in between.
  writeCleanerCheckpoint(fs, dir, { firstDirtyOffset: mapEnd, deleteHorizonMs });
  result.deleteHorizonMs = deleteHorizonMs;
  result.cleaned = true;
  return result;
}

function abandoned(result: CleanResult, reason: string): CleanResult {
  result.reason = reason;
  return result;
}

/** A reader of the segment's batches; null when the log deleted the segment meanwhile (retention). */
function openSegment(log: PartitionLog, segment: SegmentInfo): SegmentBatchReader | null {
  const file = path.join(log.dir, segment.logFile);
  try {
    return new SegmentBatchReader(log.storage, file, segment.size);
  } catch (err) {
    if (!log.storage.existsSync(file)) return null;
    throw err;
  }
}

/**
 * Last offset of each idempotent producer's last batch, from every batch header of the log; null
 * when the log changed meanwhile.
 */
function* scanProducerLastOffsets(
  log: PartitionLog,
  segments: readonly SegmentInfo[],
  stepBytes: number,
  stale: () => boolean,
): Generator<void, Map<number, number> | null, void> {
  const last = new Map<number, number>();
  let sinceYield = 0;
  for (const segment of segments) {
    const reader = openSegment(log, segment);
    if (reader === null) return null;
    try {
      for (let batch = reader.next(); batch !== null; batch = reader.next()) {
        const { header } = batch;
        if (header.producerId >= 0) last.set(header.producerId, header.baseOffset + header.lastOffsetDelta);
        sinceYield += header.size;
        if (sinceYield >= stepBytes) {
          sinceYield = 0;
          yield;
          if (stale()) return null;
        }
      }
    } finally {
      reader.close();
    }
  }
  return last;
}

/** Runs a pass to the end without yielding to anything (tests, tools, small logs). */
export function cleanLogNow(log: PartitionLog, options: CleanOptions): CleanResult {
  const pass = cleanLog(log, options);
  for (;;) {
    const step = pass.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs a pass in bounded steps, handing the event loop back (setImmediate) after each. `cancelled`
 * is checked between steps: the pass is then closed (its unfinished files removed) and null returned.
 */
export async function runCleanerSteps(
  pass: Generator<void, CleanResult, void>,
  cancelled: () => boolean = () => false,
): Promise<CleanResult | null> {
  try {
    for (;;) {
      const step = pass.next();
      if (step.done) return step.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (cancelled()) return null;
    }
  } finally {
    pass.return(undefined as never);
  }
}
