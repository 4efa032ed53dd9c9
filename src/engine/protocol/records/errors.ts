/**
 * The Kafka error codes the record-batch code can produce, and the one error type it throws.
 * Validation never throws: it returns these codes in a result object. Encoding/decoding helpers
 * (compression, decodeBatches) throw a RecordsError carrying the code a broker would answer with.
 */
export const RecordsErrorCode = {
  /** Bad framing, CRC mismatch, unknown magic, undecodable compressed data. Retriable in the Java client. */
  CORRUPT_MESSAGE: 2,
  /** Batch larger than max.message.bytes. */
  MESSAGE_TOO_LARGE: 10,
  /** A record timestamp outside message.timestamp.{before,after}.max.ms, or a client-set LogAppendTime. */
  INVALID_TIMESTAMP: 32,
  /** Compression codec id 5..7, or zstd on a Produce version below 7. */
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  /** Record-level problems: bad record structure, inconsistent counts, null key on a compacted topic, ... */
  INVALID_RECORD: 87,
} as const;

export type RecordsErrorCode = (typeof RecordsErrorCode)[keyof typeof RecordsErrorCode];

const NAMES: Record<RecordsErrorCode, string> = {
  2: 'CORRUPT_MESSAGE',
  10: 'MESSAGE_TOO_LARGE',
  32: 'INVALID_TIMESTAMP',
  76: 'UNSUPPORTED_COMPRESSION_TYPE',
  87: 'INVALID_RECORD',
};

export function recordsErrorName(code: RecordsErrorCode): string {
  return NAMES[code];
}

export class RecordsError extends Error {
  override readonly name = 'RecordsError';

  constructor(
    readonly errorCode: RecordsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Mirrors the Java client: only CORRUPT_MESSAGE is retriable. */
  get retriable(): boolean {
    return this.errorCode === RecordsErrorCode.CORRUPT_MESSAGE;
  }
}
