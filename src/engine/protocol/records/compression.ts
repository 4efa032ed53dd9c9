import { gunzipSync, gzipSync } from 'node:zlib';

import { compress as zstdCompress, decompress as zstdDecompress } from 'zstd-napi';

import { CompressionType } from './batch-header.js';
import { RecordsError, RecordsErrorCode } from './errors.js';
import { decodeLz4Frame, encodeLz4Frame } from './lz4-frame.js';
import { decodeSnappy, encodeSnappyXerial } from './snappy.js';

/**
 * The codecs of attribute bits 0-2. Output matches what the Java client writes: a gzip stream,
 * snappy-java (xerial) framing, an LZ4 frame with Java's header, a zstd frame. Input is accepted from
 * any client (raw snappy blocks, LZ4 frames with checksums or a content size, multi-member gzip).
 *
 * Errors are RecordsError: an unknown codec id → UNSUPPORTED_COMPRESSION_TYPE, undecodable data →
 * CORRUPT_MESSAGE.
 */

const NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionName = (typeof NAMES)[number];

export function isKnownCompression(id: number): id is CompressionType {
  return Number.isInteger(id) && id >= CompressionType.None && id <= CompressionType.Zstd;
}

/** The name used by the `compression.type` configs ('none', 'gzip', ...). */
export function compressionName(type: CompressionType): CompressionName {
  if (!isKnownCompression(type)) throw unknownCodec(type);
  return NAMES[type];
}

/** Parses a `compression.type` name; returns undefined for anything else ('producer' included). */
export function compressionFromName(name: string): CompressionType | undefined {
  const index = (NAMES as readonly string[]).indexOf(name);
  return index < 0 ? undefined : (index as CompressionType);
}

export function compress(type: CompressionType, data: Buffer): Buffer {
  switch (type) {
    case CompressionType.None:
      return data;
    case CompressionType.Gzip:
      return gzipSync(data);
    case CompressionType.Snappy:
      return encodeSnappyXerial(data);
    case CompressionType.Lz4:
      return encodeLz4Frame(data);
    case CompressionType.Zstd:
      return zstdCompress(data);
    default:
      throw unknownCodec(type);
  }
}

export function decompress(type: CompressionType, data: Buffer): Buffer {
  switch (type) {
    case CompressionType.None:
      return data;
    case CompressionType.Snappy:
      return decodeSnappy(data);
    case CompressionType.Lz4:
      return decodeLz4Frame(data);
    case CompressionType.Gzip:
      return guard('gzip', () => gunzipSync(data));
    case CompressionType.Zstd:
      return guard('zstd', () => zstdDecompress(data));
    default:
      throw unknownCodec(type);
  }
}

function guard(codec: string, run: () => Buffer): Buffer {
  try {
    return run();
  } catch (cause) {
    throw new RecordsError(
      RecordsErrorCode.CORRUPT_MESSAGE,
      `invalid ${codec} data: ${(cause as Error).message}`,
      { cause },
    );
  }
}

function unknownCodec(type: number): RecordsError {
  return new RecordsError(
    RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    `unknown compression codec id ${type}`,
  );
}
