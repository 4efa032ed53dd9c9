import { readInt64 } from './varint.js';

/**
 * Fixed layout of a record batch v2 header (magic 2), the only format a Kafka 4.x broker accepts.
 * Offsets are byte positions inside one batch. Shared by the codec, storage and the broker so the
 * layout is written down exactly once.
 */
export const BATCH = {
  BASE_OFFSET: 0, // int64, rewritten by the leader; not covered by the CRC
  BATCH_LENGTH: 8, // int32, bytes after this field
  PARTITION_LEADER_EPOCH: 12, // int32, stamped by the leader; not covered by the CRC
  MAGIC: 16, // int8 = 2
  CRC: 17, // uint32 CRC-32C of bytes [ATTRIBUTES, end)
  ATTRIBUTES: 21, // int16
  LAST_OFFSET_DELTA: 23, // int32
  BASE_TIMESTAMP: 27, // int64
  MAX_TIMESTAMP: 35, // int64
  PRODUCER_ID: 43, // int64
  PRODUCER_EPOCH: 51, // int16
  BASE_SEQUENCE: 53, // int32
  RECORDS_COUNT: 57, // int32
  HEADER_SIZE: 61,
  /** baseOffset (8) + batchLength (4): the part not counted by batchLength. */
  LOG_OVERHEAD: 12,
} as const;

export const ATTR = {
  COMPRESSION_MASK: 0x07,
  TIMESTAMP_TYPE_LOG_APPEND: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
  DELETE_HORIZON: 0x40,
} as const;

export enum CompressionType {
  None = 0,
  Gzip = 1,
  Snappy = 2,
  Lz4 = 3,
  Zstd = 4,
}

/**
 * The header fields of one batch, read without touching the records. int64 fields are JS numbers:
 * Eddy's offsets, timestamps and producer ids stay far below 2^53.
 */
export interface BatchHeader {
  /** Position of the batch inside the buffer it was read from. */
  position: number;
  /** Total size in bytes (batchLength + LOG_OVERHEAD). */
  size: number;
  baseOffset: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/**
 * Reads the header of the batch at `position`. Returns null when fewer than HEADER_SIZE bytes
 * (or fewer than the declared batch length) remain: a partial batch at the end of a buffer.
 */
export function readBatchHeader(buf: Buffer, position = 0): BatchHeader | null {
  if (buf.length - position < BATCH.HEADER_SIZE) return null;
  const batchLength = buf.readInt32BE(position + BATCH.BATCH_LENGTH);
  const size = batchLength + BATCH.LOG_OVERHEAD;
  if (batchLength < BATCH.HEADER_SIZE - BATCH.LOG_OVERHEAD || buf.length - position < size) return null;
  return {
    position,
    size,
    baseOffset: readInt64(buf, position + BATCH.BASE_OFFSET),
    partitionLeaderEpoch: buf.readInt32BE(position + BATCH.PARTITION_LEADER_EPOCH),
    magic: buf.readInt8(position + BATCH.MAGIC),
    crc: buf.readUInt32BE(position + BATCH.CRC),
    attributes: buf.readInt16BE(position + BATCH.ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(position + BATCH.LAST_OFFSET_DELTA),
    baseTimestamp: readInt64(buf, position + BATCH.BASE_TIMESTAMP),
    maxTimestamp: readInt64(buf, position + BATCH.MAX_TIMESTAMP),
    producerId: readInt64(buf, position + BATCH.PRODUCER_ID),
    producerEpoch: buf.readInt16BE(position + BATCH.PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(position + BATCH.BASE_SEQUENCE),
    recordsCount: buf.readInt32BE(position + BATCH.RECORDS_COUNT),
  };
}

/** Last offset of a batch: baseOffset + lastOffsetDelta. */
export function lastOffsetOf(h: BatchHeader): number {
  return h.baseOffset + h.lastOffsetDelta;
}
