import { crc32c } from '@node-rs/crc32';

import { ATTR, BATCH, CompressionType, type BatchHeader } from '../protocol/records/batch-header.js';

/**
 * What the log reads from batches without decoding records: header fields for boundaries, CRC and
 * offset checks for recovery, and record timestamps of uncompressed batches for time lookups.
 */

/** The header fields a scan of the .log file needs; readable from the first 61 bytes alone. */
export interface BatchLocation {
  /** Byte position of the batch in its segment file. */
  position: number;
  /** Total size in bytes, including the 12-byte log overhead. */
  size: number;
  baseOffset: number;
  lastOffset: number;
  partitionLeaderEpoch: number;
  magic: number;
  attributes: number;
  maxTimestamp: number;
}

/**
 * Reads the header at `offset` of `buf` (which must hold at least HEADER_SIZE bytes there) without
 * requiring the whole batch to be present, unlike readBatchHeader: scans skip over large batches.
 * Returns null when the declared length is too small to be a batch.
 */
export function peekBatchHeader(buf: Buffer, offset: number, filePosition: number): BatchLocation | null {
  const batchLength = buf.readInt32BE(offset + BATCH.BATCH_LENGTH);
  if (batchLength < BATCH.HEADER_SIZE - BATCH.LOG_OVERHEAD) return null;
  const baseOffset = Number(buf.readBigInt64BE(offset + BATCH.BASE_OFFSET));
  return {
    position: filePosition,
    size: batchLength + BATCH.LOG_OVERHEAD,
    baseOffset,
    lastOffset: baseOffset + buf.readInt32BE(offset + BATCH.LAST_OFFSET_DELTA),
    partitionLeaderEpoch: buf.readInt32BE(offset + BATCH.PARTITION_LEADER_EPOCH),
    magic: buf.readInt8(offset + BATCH.MAGIC),
    attributes: buf.readInt16BE(offset + BATCH.ATTRIBUTES),
    maxTimestamp: Number(buf.readBigInt64BE(offset + BATCH.MAX_TIMESTAMP)),
  };
}

const INT32_MAX = 0x7fffffff;

/**
 * Why the complete batch `header` (read from `buf`) cannot be part of a segment with base offset
 * `segmentBaseOffset` following a batch that ended at `previousLastOffset`, or null if it can.
 */
export function batchProblem(
  buf: Buffer,
  header: BatchHeader,
  segmentBaseOffset: number,
  previousLastOffset: number,
): string | null {
  if (header.magic !== 2) return `magic ${header.magic} instead of 2`;
  if (header.lastOffsetDelta < 0) return `negative lastOffsetDelta ${header.lastOffsetDelta}`;
  if (header.baseOffset <= previousLastOffset) {
    return `base offset ${header.baseOffset} does not follow the previous batch's last offset ${previousLastOffset}`;
  }
  if (header.baseOffset < segmentBaseOffset)
    return `base offset ${header.baseOffset} is below the segment's ${segmentBaseOffset}`;
  if (header.baseOffset + header.lastOffsetDelta - segmentBaseOffset > INT32_MAX)
    return `offsets too far from the segment base`;
  const crc = crc32c(buf.subarray(header.position + BATCH.ATTRIBUTES, header.position + header.size));
  if (crc !== header.crc)
    return `CRC-32C ${crc.toString(16)} does not match the stored ${header.crc.toString(16)}`;
  return null;
}

/** One record's absolute offset and timestamp. */
export interface RecordTimestamp {
  offset: number;
  timestamp: number;
}

/**
 * Reads each record's offset delta and (create-time) timestamp from a whole batch. The log can do it
 * for uncompressed batches; for compressed ones the broker passes a reader that decompresses.
 */
export type RecordTimestampReader = (batch: Buffer) => Iterable<{ offsetDelta: number; timestamp: number }>;

/** Reads an unsigned LEB128 varint and zig-zag decodes it; null past the end or after 10 bytes. */
function readZigZag(buf: Buffer, state: { pos: number }): number | null {
  let raw = 0;
  let multiplier = 1;
  for (let i = 0; i < 10; i++) {
    if (state.pos >= buf.length) return null;
    const byte = buf[state.pos++];
    raw += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    multiplier *= 128;
  }
  return null;
}

/** Yields offset delta and create-time timestamp of each record of an uncompressed batch. */
function* uncompressedRecordTimestamps(batch: Buffer): Generator<{ offsetDelta: number; timestamp: number }> {
  const baseTimestamp = Number(batch.readBigInt64BE(BATCH.BASE_TIMESTAMP));
  const count = batch.readInt32BE(BATCH.RECORDS_COUNT);
  const state = { pos: BATCH.HEADER_SIZE as number };
  for (let i = 0; i < count; i++) {
    const length = readZigZag(batch, state);
    if (length === null || length < 0) return;
    const end = state.pos + length;
    if (end > batch.length) return;
    state.pos += 1; // record attributes
    const timestampDelta = readZigZag(batch, state);
    const offsetDelta = readZigZag(batch, state);
    if (timestampDelta === null || offsetDelta === null) return;
    yield { offsetDelta, timestamp: baseTimestamp + timestampDelta };
    state.pos = end;
  }
}

/**
 * The first record of `batch` (a whole batch, header included) with timestamp ≥ target and offset ≥
 * minOffset. Log-append-time batches give every record the batch's max timestamp. A compressed
 * create-time batch with no reader is answered at batch granularity (its first offset ≥ minOffset and
 * its max timestamp).
 */
export function firstRecordAtOrAfter(
  batch: Buffer,
  header: BatchLocation,
  targetTimestamp: number,
  minOffset: number,
  reader?: RecordTimestampReader,
): RecordTimestamp | null {
  if (header.maxTimestamp < targetTimestamp || header.lastOffset < minOffset) return null;
  const logAppendTime = (header.attributes & ATTR.TIMESTAMP_TYPE_LOG_APPEND) !== 0;
  const compressed = (header.attributes & ATTR.COMPRESSION_MASK) !== CompressionType.None;
  if (compressed && !reader) {
    return { offset: Math.max(header.baseOffset, minOffset), timestamp: header.maxTimestamp };
  }
  const records = compressed && reader ? reader(batch) : uncompressedRecordTimestamps(batch);
  for (const record of records) {
    const offset = header.baseOffset + record.offsetDelta;
    const timestamp = logAppendTime ? header.maxTimestamp : record.timestamp;
    if (offset >= minOffset && timestamp >= targetTimestamp) return { offset, timestamp };
  }
  return null;
}
