import { compressSync as compressBlockWithSize } from 'lz4-napi';

import { RecordsError, RecordsErrorCode } from './errors.js';
import { xxh32 } from './xxhash32.js';

/**
 * LZ4 inside Kafka batches is the LZ4 *frame* format (magic 0x184D2204), with the subset Kafka's Java
 * client supports (Lz4BlockOutputStream / Lz4BlockInputStream):
 * - it writes FLG 0x60 (version 01, independent blocks, no block checksum, no content size, no content
 *   checksum), BD 0x40 (64 KiB blocks), a correct header checksum (the broken one was magic v0 only),
 *   blocks stored raw (high bit of the size set) when compression doesn't shrink them, and an end mark;
 * - it reads block checksums, a content size and a content checksum, but rejects dependent (linked)
 *   blocks and non-zero reserved bits.
 * librdkafka writes the same header (LZ4F with independent blocks and default 64 KiB blocks).
 *
 * We write exactly the Java header ourselves (lz4-napi's frame encoder picks larger blocks for inputs
 * above 64 KiB), compressing each block with lz4-napi, and decode frames here, within the subset
 * above, so that anything we accept a Java consumer can read too.
 */

const FRAME_MAGIC = 0x184d2204;
/** Magic (LE), FLG 0x60, BD 0x40, HC 0x82 = (xxh32([0x60, 0x40], seed 0) >> 8) & 0xff. */
const JAVA_FRAME_HEADER = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82]);
const BLOCK_SIZE = 64 * 1024;
const UNCOMPRESSED_BLOCK = 0x80000000;
/** Copies longer than this go through Buffer#copy / copyWithin; shorter ones are cheaper as a byte loop. */
const LONG_COPY = 64;

const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_INDEPENDENCE = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x03;
const BD_RESERVED = 0x8f;

export function encodeLz4Frame(data: Buffer): Buffer {
  const blocks: Buffer[] = [];
  const rawFlags: boolean[] = [];
  let total = JAVA_FRAME_HEADER.length + 4;
  for (let offset = 0; offset < data.length; offset += BLOCK_SIZE) {
    const chunk = data.subarray(offset, Math.min(offset + BLOCK_SIZE, data.length));
    // lz4-napi's block encoder prefixes the uncompressed size (u32 LE); the frame doesn't carry it.
    const compressed = compressBlockWithSize(chunk).subarray(4);
    const raw = compressed.length >= chunk.length;
    blocks.push(raw ? chunk : compressed);
    rawFlags.push(raw);
    total += 4 + (raw ? chunk.length : compressed.length);
  }
  const out = Buffer.allocUnsafe(total);
  JAVA_FRAME_HEADER.copy(out, 0);
  let pos = JAVA_FRAME_HEADER.length;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    out.writeUInt32LE(rawFlags[i] ? block.length + UNCOMPRESSED_BLOCK : block.length, pos);
    block.copy(out, pos + 4);
    pos += 4 + block.length;
  }
  out.writeUInt32LE(0, pos); // end mark
  return out;
}

/**
 * Decodes one frame (bytes after its end are ignored, as Kafka's reader does). Blocks are decoded here
 * rather than by lz4-napi: its frame decoder returns external buffers, which cost several times the
 * decompression itself, and it tolerates truncated frames. Checksums present in the frame are verified.
 */
export function decodeLz4Frame(data: Buffer): Buffer {
  if (data.length < 7 || data.readUInt32LE(0) !== FRAME_MAGIC) throw corrupt('missing LZ4 frame magic');
  const flg = data[4];
  const bd = data[5];
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01)
    throw corrupt(`unsupported frame version in FLG 0x${hex(flg)}`);
  if ((flg & FLG_RESERVED) !== 0 || (bd & BD_RESERVED) !== 0) {
    throw corrupt(`reserved bits set (FLG 0x${hex(flg)}, BD 0x${hex(bd)})`);
  }
  if ((flg & FLG_BLOCK_INDEPENDENCE) === 0)
    throw corrupt('dependent (linked) blocks are not supported by Kafka');
  const blockSizeId = (bd >> 4) & 0x07;
  if (blockSizeId < 4) throw corrupt(`invalid block size id ${blockSizeId}`);
  const maxBlockSize = 1 << (2 * blockSizeId + 8);
  const descriptorEnd = flg & FLG_CONTENT_SIZE ? 14 : 6;
  if (data.length < descriptorEnd + 1) throw corrupt('truncated frame descriptor');
  if (((xxh32(data, 4, descriptorEnd) >>> 8) & 0xff) !== data[descriptorEnd])
    throw corrupt('header checksum mismatch');
  const blockChecksums = (flg & FLG_BLOCK_CHECKSUM) !== 0;

  // A plausible content size sizes the output exactly and for good; otherwise the output grows. A
  // compressed block yields at most 255 bytes per input byte, which bounds what a block may need.
  const declared = flg & FLG_CONTENT_SIZE ? data.readUInt32LE(6) + data.readUInt32LE(10) * 2 ** 32 : -1;
  const exact = declared >= 0 && declared <= 255 * data.length;
  let out = Buffer.allocUnsafe(exact ? declared : Math.min(4 * data.length, maxBlockSize));
  let written = 0;
  let pos = descriptorEnd + 1;
  for (;;) {
    if (data.length - pos < 4) throw corrupt('truncated frame (no end mark)');
    const word = data.readUInt32LE(pos);
    pos += 4;
    const size = word & 0x7fffffff;
    if (size === 0) break;
    if (size > maxBlockSize)
      throw corrupt(`block of ${size} bytes exceeds the frame's ${maxBlockSize}-byte maximum`);
    const blockEnd = pos + size;
    if (blockEnd + (blockChecksums ? 4 : 0) > data.length)
      throw corrupt('truncated frame (block overruns the input)');
    if (blockChecksums && xxh32(data, pos, blockEnd) !== data.readUInt32LE(blockEnd))
      throw corrupt('block checksum mismatch');
    const raw = (word & UNCOMPRESSED_BLOCK) !== 0;
    const bound = raw ? size : Math.min(maxBlockSize, size * 255);
    if (out.length - written < bound && !exact) {
      const grown = Buffer.allocUnsafe(Math.max(out.length * 2, written + bound));
      out.copy(grown, 0, 0, written);
      out = grown;
    }
    if (raw) {
      if (size > out.length - written) throw corrupt(`content exceeds the declared ${declared} bytes`);
      data.copy(out, written, pos, blockEnd);
      written += size;
    } else {
      written = decodeBlock(data, pos, blockEnd, out, written, Math.min(out.length, written + bound));
    }
    pos = blockEnd + (blockChecksums ? 4 : 0);
  }
  if (flg & FLG_CONTENT_CHECKSUM) {
    if (data.length - pos < 4) throw corrupt('truncated frame (missing content checksum)');
    if (xxh32(out, 0, written) !== data.readUInt32LE(pos)) throw corrupt('content checksum mismatch');
  }
  if (declared >= 0 && declared !== written)
    throw corrupt(`content size ${declared} declared but ${written} bytes decoded`);
  return written === out.length ? out : out.subarray(0, written);
}

/**
 * Decodes one LZ4 block (the block format: sequences of token, literals, 2-byte offset, match) from
 * src[start, end) into dst at `at`, writing no further than `limit`. Matches may not reach before `at`
 * (blocks are independent). Returns the position after the decoded bytes.
 */
function decodeBlock(
  src: Buffer,
  start: number,
  end: number,
  dst: Buffer,
  at: number,
  limit: number,
): number {
  let s = start;
  let d = at;
  for (;;) {
    const token = src[s++];
    let literals = token >>> 4;
    if (literals === 15) {
      let b: number;
      do {
        if (s >= end) throw corrupt('truncated literal length');
        b = src[s++];
        literals += b;
      } while (b === 255);
    }
    if (literals > end - s || literals > limit - d) throw corrupt('literals overrun the block');
    if (literals > LONG_COPY) {
      src.copy(dst, d, s, s + literals);
    } else {
      for (let i = 0; i < literals; i++) dst[d + i] = src[s + i];
    }
    s += literals;
    d += literals;
    if (s === end) return d; // the last sequence has literals only
    if (end - s < 2) throw corrupt('truncated match offset');
    const offset = src[s] | (src[s + 1] << 8);
    s += 2;
    if (offset === 0 || offset > d - at) throw corrupt(`invalid match offset ${offset}`);
    let length = (token & 0x0f) + 4;
    if (length === 19) {
      let b: number;
      do {
        if (s >= end) throw corrupt('truncated match length');
        b = src[s++];
        length += b;
      } while (b === 255);
    }
    if (length > limit - d) throw corrupt('match overruns the block');
    const from = d - offset;
    if (offset >= length && length > LONG_COPY) {
      dst.copyWithin(d, from, from + length);
    } else {
      for (let i = 0; i < length; i++) dst[d + i] = dst[from + i]; // overlapping copies repeat the pattern
    }
    d += length;
    if (s >= end) throw corrupt('block ends after a match');
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

function corrupt(message: string): RecordsError {
  return new RecordsError(RecordsErrorCode.CORRUPT_MESSAGE, `invalid lz4 frame: ${message}`);
}
