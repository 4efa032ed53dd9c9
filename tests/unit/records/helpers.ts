import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { BATCH, CompressionType } from '../../../src/engine/protocol/records/batch-header.js';
import { computeBatchCrc } from '../../../src/engine/protocol/records/batch.js';
import { compress } from '../../../src/engine/protocol/records/compression.js';
import { writeInt64 } from '../../../src/engine/protocol/records/varint.js';

export const CODECS = [
  CompressionType.None,
  CompressionType.Gzip,
  CompressionType.Snappy,
  CompressionType.Lz4,
  CompressionType.Zstd,
] as const;

export function fixture(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));
}

/** Recomputes the CRC after a test edited a batch, so the edit is what validation trips over. */
export function fixCrc(batch: Buffer, position = 0): Buffer {
  batch.writeUInt32BE(computeBatchCrc(batch, position), position + BATCH.CRC);
  return batch;
}

/** A batch around hand-made record bytes, for records our builder would never write. */
export function rawBatch(
  records: Buffer[],
  opts: { count: number; lastOffsetDelta: number; compression?: CompressionType; baseTimestamp?: number },
): Buffer {
  const compression = opts.compression ?? CompressionType.None;
  const body = compress(compression, Buffer.concat(records));
  const b = Buffer.alloc(BATCH.HEADER_SIZE + body.length);
  body.copy(b, BATCH.HEADER_SIZE);
  b.writeInt32BE(b.length - BATCH.LOG_OVERHEAD, BATCH.BATCH_LENGTH);
  b.writeInt32BE(-1, BATCH.PARTITION_LEADER_EPOCH);
  b.writeInt8(2, BATCH.MAGIC);
  b.writeInt16BE(compression, BATCH.ATTRIBUTES);
  b.writeInt32BE(opts.lastOffsetDelta, BATCH.LAST_OFFSET_DELTA);
  writeInt64(b, BATCH.BASE_TIMESTAMP, opts.baseTimestamp ?? 1_700_000_000_000);
  writeInt64(b, BATCH.MAX_TIMESTAMP, opts.baseTimestamp ?? 1_700_000_000_000);
  writeInt64(b, BATCH.PRODUCER_ID, -1);
  b.writeInt16BE(-1, BATCH.PRODUCER_EPOCH);
  b.writeInt32BE(-1, BATCH.BASE_SEQUENCE);
  b.writeInt32BE(opts.count, BATCH.RECORDS_COUNT);
  return fixCrc(b);
}
