import { ATTR, BATCH, CompressionType, type BatchHeader } from '../../protocol/records/batch-header.js';
import { computeBatchCrc, decodeBatches } from '../../protocol/records/batch.js';
import { compress } from '../../protocol/records/compression.js';
import {
  sizeOfRecordBody,
  writeRecord,
  type DecodedRecord,
  type RecordFields,
} from '../../protocol/records/record.js';
import { sizeOfVarint, writeInt64 } from '../../protocol/records/varint.js';
import type { OffsetMap } from './offset-map.js';

/** What the cleaner knows when it decides about the records of one batch. */
export interface BatchFilterContext {
  /** The cleaner's clock: tombstones in a batch whose delete horizon is ≤ now go. */
  now: number;
  /** delete.retention.ms: the horizon stamped on a batch that keeps tombstones. */
  deleteRetentionMs: number;
  /** The offset map covers [first dirty offset, mapEnd); records at or above mapEnd are kept untouched. */
  mapEnd: number;
  map: OffsetMap;
  /** True when the batch ending at `lastOffset` is the last one idempotent producer `producerId` wrote. */
  isProducersLastBatch(producerId: number, lastOffset: number): boolean;
}

export interface BatchFilterResult {
  /** What goes into the cleaned segment: the original bytes, a rebuilt batch, an empty header, or nothing. */
  output: Buffer | null;
  /** True when output is a new buffer (rebuilt batch or empty header). */
  rewritten: boolean;
  kept: number;
  removed: number;
  /** The delete horizon of the output batch when it still holds tombstones, else -1. */
  tombstoneHorizon: number;
  /** maxTimestamp of the output batch (-1 when dropped). */
  maxTimestamp: number;
}

const MAGIC_V2 = 2;

/**
 * Kafka's cleaner record filter for one batch (LogCleaner's RecordFilter over MemoryRecords.filterTo):
 * - a record is kept when no later offset for its key is in the map, and it either has a value or
 *   is a tombstone whose batch has no delete horizon yet or one still in the future;
 * - records at or beyond the end of the map are always kept; records without a key go (they cannot
 *   be compacted; Produce refuses them on compacted topics);
 * - a batch keeping all its records is copied as it is, unless it keeps tombstones and has no delete
 *   horizon yet: then it is rebuilt with attribute bit 6 set and baseTimestamp = now +
 *   delete.retention.ms (record timestamps stay the same: their deltas are taken from the new base);
 * - a rebuilt batch keeps its base offset, last offset delta, leader epoch, producer id/epoch, base
 *   sequence, attributes and codec (recompressed), with the kept records' own offset deltas; so every
 *   offset stays where it was, and a batch may have gaps;
 * - a batch keeping nothing is dropped, except that an idempotent producer's last batch leaves its
 *   header (no records), so the producer's last sequence survives a restart;
 * - control batches are kept as they are (Eddy has no transactions yet).
 */
export function filterBatch(bytes: Buffer, header: BatchHeader, ctx: BatchFilterContext): BatchFilterResult {
  const lastOffset = header.baseOffset + header.lastOffsetDelta;
  const hasHorizon = (header.attributes & ATTR.DELETE_HORIZON) !== 0;
  const existingHorizon = hasHorizon ? header.baseTimestamp : -1;
  const untouched = (kept: number, tombstones: boolean): BatchFilterResult => ({
    output: bytes,
    rewritten: false,
    kept,
    removed: 0,
    tombstoneHorizon: tombstones && hasHorizon ? existingHorizon : -1,
    maxTimestamp: header.maxTimestamp,
  });
  if ((header.attributes & ATTR.CONTROL) !== 0) return untouched(header.recordsCount, false);
  if (header.baseOffset >= ctx.mapEnd) {
    // Not covered by the map at all: nothing can be decided about it yet.
    return untouched(header.recordsCount, false);
  }

  const [decoded] = decodeBatches(bytes, { verifyCrc: true });
  const records = decoded?.records ?? [];
  const retained: DecodedRecord[] = [];
  // Tombstones the map covered (past its end they are not decided on yet).
  let tombstonesRetained = false;
  for (const record of records) {
    if (keep(record, ctx, hasHorizon, existingHorizon)) {
      retained.push(record);
      if (record.value === null && record.offset < ctx.mapEnd) tombstonesRetained = true;
    }
  }
  const needHorizon = tombstonesRetained && !hasHorizon;
  const removed = records.length - retained.length;

  if (retained.length === 0) {
    if (header.producerId >= 0 && ctx.isProducersLastBatch(header.producerId, lastOffset)) {
      return {
        output: emptyBatchHeader(header),
        rewritten: true,
        kept: 0,
        removed,
        tombstoneHorizon: -1,
        maxTimestamp: header.maxTimestamp,
      };
    }
    return { output: null, rewritten: false, kept: 0, removed, tombstoneHorizon: -1, maxTimestamp: -1 };
  }
  if (removed === 0 && !needHorizon) return untouched(retained.length, tombstonesRetained);

  const horizon = needHorizon
    ? Math.min(ctx.now + ctx.deleteRetentionMs, Number.MAX_SAFE_INTEGER)
    : existingHorizon;
  const rebuilt = rebuildBatch(header, retained, horizon);
  return {
    output: rebuilt.bytes,
    rewritten: true,
    kept: retained.length,
    removed,
    tombstoneHorizon: tombstonesRetained && horizon >= 0 ? horizon : -1,
    maxTimestamp: rebuilt.maxTimestamp,
  };
}

function keep(record: DecodedRecord, ctx: BatchFilterContext, hasHorizon: boolean, horizon: number): boolean {
  if (record.offset >= ctx.mapEnd) return true;
  if (record.key === null) return false;
  const latest = ctx.map.get(record.key);
  if (latest !== undefined && record.offset < latest) return false;
  if (record.value !== null) return true;
  return !hasHorizon || ctx.now < horizon;
}

/**
 * A batch holding `retained` (a non-empty subset of the original's records, in order) with the
 * original's header fields; `deleteHorizon` ≥ 0 sets attribute bit 6 and becomes baseTimestamp.
 */
function rebuildBatch(
  header: BatchHeader,
  retained: readonly DecodedRecord[],
  deleteHorizon: number,
): { bytes: Buffer; maxTimestamp: number } {
  const compression = (header.attributes & ATTR.COMPRESSION_MASK) as CompressionType;
  const logAppendTime = (header.attributes & ATTR.TIMESTAMP_TYPE_LOG_APPEND) !== 0;
  const baseTimestamp = deleteHorizon >= 0 ? deleteHorizon : retained[0].timestamp;
  let maxTimestamp = -1;
  const fields: RecordFields[] = new Array<RecordFields>(retained.length);
  const bodySizes: number[] = new Array<number>(retained.length);
  let recordsSize = 0;
  for (let i = 0; i < retained.length; i++) {
    const record = retained[i];
    if (record.timestamp > maxTimestamp) maxTimestamp = record.timestamp;
    const field: RecordFields = {
      attributes: record.attributes,
      timestampDelta: record.timestamp - baseTimestamp,
      offsetDelta: record.offsetDelta,
      key: record.key,
      value: record.value,
      headers: record.headers,
    };
    const bodySize = sizeOfRecordBody(field);
    fields[i] = field;
    bodySizes[i] = bodySize;
    recordsSize += sizeOfVarint(bodySize) + bodySize;
  }
  const raw = Buffer.allocUnsafe(recordsSize);
  let pos = 0;
  for (let i = 0; i < fields.length; i++) pos = writeRecord(raw, pos, fields[i], bodySizes[i]);
  const payload = compression === CompressionType.None ? raw : compress(compression, raw);
  if (logAppendTime) maxTimestamp = header.maxTimestamp;

  const batch = Buffer.allocUnsafe(BATCH.HEADER_SIZE + payload.length);
  payload.copy(batch, BATCH.HEADER_SIZE);
  let attributes = header.attributes;
  if (deleteHorizon >= 0) attributes |= ATTR.DELETE_HORIZON;
  writeHeader(batch, header, {
    attributes,
    baseTimestamp,
    maxTimestamp,
    recordsCount: retained.length,
  });
  return { bytes: batch, maxTimestamp };
}

/**
 * Kafka's DefaultRecordBatch.writeEmptyHeader: no records, no codec and no delete horizon, but the
 * original offsets, producer id/epoch and base sequence; both timestamps are the original max timestamp.
 */
function emptyBatchHeader(header: BatchHeader): Buffer {
  const batch = Buffer.alloc(BATCH.HEADER_SIZE);
  const kept = ATTR.TIMESTAMP_TYPE_LOG_APPEND | ATTR.TRANSACTIONAL | ATTR.CONTROL;
  writeHeader(batch, header, {
    attributes: header.attributes & kept,
    baseTimestamp: header.maxTimestamp,
    maxTimestamp: header.maxTimestamp,
    recordsCount: 0,
  });
  return batch;
}

function writeHeader(
  batch: Buffer,
  original: BatchHeader,
  fields: { attributes: number; baseTimestamp: number; maxTimestamp: number; recordsCount: number },
): void {
  writeInt64(batch, BATCH.BASE_OFFSET, original.baseOffset);
  batch.writeInt32BE(batch.length - BATCH.LOG_OVERHEAD, BATCH.BATCH_LENGTH);
  batch.writeInt32BE(original.partitionLeaderEpoch, BATCH.PARTITION_LEADER_EPOCH);
  batch.writeInt8(MAGIC_V2, BATCH.MAGIC);
  batch.writeInt16BE(fields.attributes, BATCH.ATTRIBUTES);
  batch.writeInt32BE(original.lastOffsetDelta, BATCH.LAST_OFFSET_DELTA);
  writeInt64(batch, BATCH.BASE_TIMESTAMP, fields.baseTimestamp);
  writeInt64(batch, BATCH.MAX_TIMESTAMP, fields.maxTimestamp);
  writeInt64(batch, BATCH.PRODUCER_ID, original.producerId);
  batch.writeInt16BE(original.producerEpoch, BATCH.PRODUCER_EPOCH);
  batch.writeInt32BE(original.baseSequence, BATCH.BASE_SEQUENCE);
  batch.writeInt32BE(fields.recordsCount, BATCH.RECORDS_COUNT);
  batch.writeUInt32BE(computeBatchCrc(batch, 0, batch.length), BATCH.CRC);
}
