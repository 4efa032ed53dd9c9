import { crc32c } from '@node-rs/crc32';

import { BATCH, readBatchHeader, type BatchHeader } from '../../src/engine/protocol/records/batch-header.js';

/**
 * Builds valid record batches v2 (magic 2, uncompressed) for tests, independent of the production
 * batch builder.
 */

export interface TestRecord {
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  /** Absolute timestamp; defaults to the batch's base timestamp. */
  timestamp?: number;
}

export interface MakeBatchOptions {
  baseOffset?: number;
  /** Timestamp of the first record when records don't say; default 1_700_000_000_000. */
  baseTimestamp?: number;
  partitionLeaderEpoch?: number;
  /** Extra attribute bits (for example a compression codec, to test header-only paths). */
  attributes?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
}

/** Zig-zag LEB128, exact for integers within ±2^53. */
function varlong(value: number): number[] {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function bytesOf(data: Buffer | string | null | undefined): Buffer | null {
  if (data === null || data === undefined) return null;
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

function encodeRecord(record: TestRecord, offsetDelta: number, baseTimestamp: number): Buffer {
  const key = bytesOf(record.key);
  const value = bytesOf(record.value === undefined ? `value-${offsetDelta}` : record.value);
  const body = Buffer.concat([
    Buffer.from([0]), // attributes
    Buffer.from(varlong((record.timestamp ?? baseTimestamp) - baseTimestamp)),
    Buffer.from(varlong(offsetDelta)),
    Buffer.from(varlong(key ? key.length : -1)),
    key ?? Buffer.alloc(0),
    Buffer.from(varlong(value ? value.length : -1)),
    value ?? Buffer.alloc(0),
    Buffer.from(varlong(0)), // headers
  ]);
  return Buffer.concat([Buffer.from(varlong(body.length)), body]);
}

/** One batch holding `records` (a count makes that many small records). */
export function makeBatch(records: TestRecord[] | number, options: MakeBatchOptions = {}): Buffer {
  const list: TestRecord[] =
    typeof records === 'number' ? Array.from({ length: records }, () => ({})) : records;
  if (list.length === 0) throw new Error('a batch needs at least one record');
  const baseTimestamp = list[0].timestamp ?? options.baseTimestamp ?? 1_700_000_000_000;
  const timestamps = list.map((r) => r.timestamp ?? baseTimestamp);
  const body = Buffer.concat(list.map((r, i) => encodeRecord(r, i, baseTimestamp)));
  const batch = Buffer.alloc(BATCH.HEADER_SIZE + body.length);
  batch.writeBigInt64BE(BigInt(options.baseOffset ?? 0), BATCH.BASE_OFFSET);
  batch.writeInt32BE(batch.length - BATCH.LOG_OVERHEAD, BATCH.BATCH_LENGTH);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? -1, BATCH.PARTITION_LEADER_EPOCH);
  batch.writeInt8(2, BATCH.MAGIC);
  batch.writeInt16BE(options.attributes ?? 0, BATCH.ATTRIBUTES);
  batch.writeInt32BE(list.length - 1, BATCH.LAST_OFFSET_DELTA);
  batch.writeBigInt64BE(BigInt(baseTimestamp), BATCH.BASE_TIMESTAMP);
  batch.writeBigInt64BE(BigInt(Math.max(...timestamps)), BATCH.MAX_TIMESTAMP);
  batch.writeBigInt64BE(BigInt(options.producerId ?? -1), BATCH.PRODUCER_ID);
  batch.writeInt16BE(options.producerEpoch ?? -1, BATCH.PRODUCER_EPOCH);
  batch.writeInt32BE(options.baseSequence ?? -1, BATCH.BASE_SEQUENCE);
  batch.writeInt32BE(list.length, BATCH.RECORDS_COUNT);
  body.copy(batch, BATCH.HEADER_SIZE);
  batch.writeUInt32BE(crc32c(batch.subarray(BATCH.ATTRIBUTES)), BATCH.CRC);
  return batch;
}

/** The headers of every whole batch in `buf`, in order (a torn tail is ignored). */
export function batchHeaders(buf: Buffer): BatchHeader[] {
  const headers: BatchHeader[] = [];
  for (let h = readBatchHeader(buf, 0); h; h = readBatchHeader(buf, h.position + h.size)) headers.push(h);
  return headers;
}

/** Recomputes the CRC after a test edited a batch in place. */
export function resealBatch(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch.subarray(BATCH.ATTRIBUTES)), BATCH.CRC);
  return batch;
}
