import { compressSync, uncompressSync } from 'snappy';

import { RecordsError, RecordsErrorCode } from './errors.js';

/**
 * Snappy as it appears inside Kafka batches. Two framings exist on the wire:
 * - snappy-java ("xerial") framing, written by the Java client: 8-byte magic `0x82 'SNAPPY' 0x00`,
 *   int32 version, int32 compatible version, then repeated `int32 length + raw snappy block`
 *   (SnappyOutputStream cuts the input into 32 KiB blocks);
 * - one raw snappy block, written by librdkafka and several other clients.
 * Readers must accept both (snappy-java itself falls back to a raw block when the magic is absent).
 */

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
const XERIAL_HEADER_SIZE = 16;
/** snappy-java SnappyOutputStream's default block size. */
const XERIAL_BLOCK_SIZE = 32 * 1024;
/**
 * Ask the binding for ordinary (copied) buffers: its default external buffers are several times slower
 * here (GC accounting of external memory) and are not allowed inside Electron's V8 memory cage.
 */
const COPY = { copyOutputData: true } as const;

export function isXerialFramed(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, 0, 8) === 0;
}

/** Compresses `data` the way the Java client does (xerial framing, 32 KiB blocks). */
export function encodeSnappyXerial(data: Buffer): Buffer {
  const blocks: Buffer[] = [];
  let total = XERIAL_HEADER_SIZE;
  for (let offset = 0; offset < data.length; offset += XERIAL_BLOCK_SIZE) {
    const block = compressSync(
      data.subarray(offset, Math.min(offset + XERIAL_BLOCK_SIZE, data.length)),
      COPY,
    );
    blocks.push(block);
    total += 4 + block.length;
  }
  const out = Buffer.allocUnsafe(total);
  XERIAL_MAGIC.copy(out, 0);
  out.writeInt32BE(XERIAL_VERSION, 8);
  out.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  let pos = XERIAL_HEADER_SIZE;
  for (const block of blocks) {
    out.writeInt32BE(block.length, pos);
    block.copy(out, pos + 4);
    pos += 4 + block.length;
  }
  return out;
}

/** Decompresses either framing (detected by the xerial magic). */
export function decodeSnappy(data: Buffer): Buffer {
  return isXerialFramed(data) ? decodeXerial(data) : uncompressBlock(data);
}

function decodeXerial(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (data.length - pos < 4) throw corrupt(`truncated xerial block length at byte ${pos}`);
    const length = data.readInt32BE(pos);
    pos += 4;
    if (length < 0 || length > data.length - pos) {
      throw corrupt(
        `xerial block of ${length} bytes at byte ${pos - 4} overruns the ${data.length}-byte input`,
      );
    }
    const part = uncompressBlock(data.subarray(pos, pos + length));
    parts.push(part);
    total += part.length;
    pos += length;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
}

function uncompressBlock(block: Buffer): Buffer {
  try {
    return uncompressSync(block, COPY) as Buffer;
  } catch (cause) {
    throw new RecordsError(
      RecordsErrorCode.CORRUPT_MESSAGE,
      `invalid snappy data: ${(cause as Error).message}`,
      { cause },
    );
  }
}

function corrupt(message: string): RecordsError {
  return new RecordsError(RecordsErrorCode.CORRUPT_MESSAGE, `invalid snappy data: ${message}`);
}
