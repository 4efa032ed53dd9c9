/**
 * Errors the storage layer throws, each carrying the Kafka error code the broker puts on the wire.
 * (Kept local until the shared error catalog exists; the codes are Kafka's and stable.)
 */

export const StorageErrorCode = {
  UNKNOWN_SERVER_ERROR: -1,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  MESSAGE_TOO_LARGE: 10,
  RECORD_LIST_TOO_LARGE: 18,
  INVALID_CONFIG: 40,
  KAFKA_STORAGE_ERROR: 56,
} as const;

export type StorageErrorName = keyof typeof StorageErrorCode;

/** Codes the Java client retries on. */
const RETRIABLE: ReadonlySet<StorageErrorName> = new Set<StorageErrorName>([
  'CORRUPT_MESSAGE',
  'KAFKA_STORAGE_ERROR',
]);

export class LogError extends Error {
  /** Kafka error code for the wire. */
  readonly errorCode: number;
  readonly retriable: boolean;

  constructor(
    readonly code: StorageErrorName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LogError';
    this.errorCode = StorageErrorCode[code];
    this.retriable = RETRIABLE.has(code);
  }
}

/** A fetch, ListOffsets or DeleteRecords offset outside what the log holds. */
export class OffsetOutOfRangeError extends LogError {
  constructor(message: string) {
    super('OFFSET_OUT_OF_RANGE', message);
    this.name = 'OffsetOutOfRangeError';
  }
}

/**
 * The disk failed us (ENOSPC, EIO, a failed fsync …). Kafka answers KAFKA_STORAGE_ERROR and takes the
 * log directory offline; we do the same for the one partition when its state can no longer be trusted.
 */
export class StorageError extends LogError {
  constructor(message: string, cause?: unknown) {
    super('KAFKA_STORAGE_ERROR', message, { cause });
    this.name = 'StorageError';
  }
}

/** Wraps a node:fs error in a StorageError with a sentence naming the action and the file. */
export function storageFailure(action: string, path: string, cause: unknown): StorageError {
  if (cause instanceof StorageError) return cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new StorageError(`Could not ${action} ${path}${code ? ` (${code})` : ''}: ${detail}`, cause);
}
