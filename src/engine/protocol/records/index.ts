/** Record batches v2: the public surface of src/engine/protocol/records (see README.md here). */
export {
  ATTR,
  BATCH,
  type BatchHeader,
  CompressionType,
  lastOffsetOf,
  readBatchHeader,
} from './batch-header.js';
export {
  type BatchInfo,
  buildBatch,
  type BuildBatchOptions,
  computeBatchCrc,
  type DecodedBatch,
  decodeBatches,
  type DecodeOptions,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_TIMESTAMP_AFTER_MAX_MS,
  NO_TIMESTAMP,
  type RecordError,
  type RecordInput,
  setLogAppendTime,
  setMaxTimestamp,
  stampBatch,
  type TimestampType,
  validateBatches,
  type ValidateOptions,
  type ValidationResult,
} from './batch.js';
export {
  compress,
  compressionFromName,
  compressionName,
  type CompressionName,
  decompress,
  isKnownCompression,
} from './compression.js';
export { crc32c } from './crc.js';
export { RecordsError, RecordsErrorCode, recordsErrorName } from './errors.js';
export { defaultPartition, murmur2, toPositive } from './partitioner.js';
export {
  type DecodedRecord,
  encodeRecord,
  readRecord,
  type RecordFields,
  type RecordHeader,
  sizeOfRecord,
} from './record.js';
export { Cursor } from './varint.js';
