/**
 * The message browser: read a topic from a chosen position, optionally filtered, optionally live.
 * The host reads and filters off the UI thread and sends rows in batches; keys and values travel
 * as bytes (base64) and are decoded in the renderer, large values as a preview.
 */
import { method, stream } from './define.js';
import type { WireBytes } from './common.js';
import { offset, partitionIndex, topicName } from './common.js';
import {
  array,
  boolean,
  discriminated,
  integer,
  literal,
  nullable,
  object,
  optional,
  string,
  tuple,
} from './schema.js';

export const browseQuerySchema = object({
  topic: topicName(),
  /** Partitions to read; all when null. */
  partitions: nullable(array(partitionIndex(), { maxItems: 10_000 })),
  start: discriminated('kind', {
    beginning: object({ kind: literal('beginning') }),
    /** The last `count` records of each partition. */
    latest: object({ kind: literal('latest'), count: integer({ min: 0, max: 1_000_000 }) }),
    offset: object({ kind: literal('offset'), offset: offset() }),
    /** Ms since epoch (UTC); the UI converts from the zone the user chose. */
    timestamp: object({ kind: literal('timestamp'), timestamp: integer({ min: 0 }) }),
  }),
  /** Rows to deliver at most (matches, when filtered). */
  limit: integer({ min: 1, max: 1_000_000 }),
  /** Keep following new records after the limit/end is reached. */
  live: boolean(),
  filter: nullable(
    object({
      kind: literal('text', 'regex', 'jsonpath'),
      expression: string({ minLength: 1, maxLength: 4096 }),
      /** Where to look. */
      field: literal('key', 'value', 'headers', 'any'),
      caseSensitive: optional(boolean()),
    }),
  ),
  /** Bytes of each key/value sent at most; the rest is fetched with `messages.value`. Default 64 KiB. */
  previewBytes: optional(integer({ min: 256, max: 1024 * 1024 })),
});

export interface MessageRow {
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: WireBytes | null;
  value: WireBytes | null;
  headers: { key: string; value: WireBytes | null }[];
  /** Codec of the batch the record came in. */
  compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /** For the JSON path filter: what matched, when it did. */
  match: string | null;
}

export interface BrowseBatch {
  rows: MessageRow[];
  progress: {
    /** Records read (before filtering) and their bytes. */
    scannedRecords: number;
    scannedBytes: number;
    /** Records delivered so far. */
    matched: number;
    /** Reading has caught up with the end of every partition (still following when live). */
    caughtUp: boolean;
    /** No more batches will come (limit reached and not live, or an error). */
    done: boolean;
  };
  /** A bad regex or JSON path, or a Kafka error, as a sentence. */
  error: string | null;
}

export const messagesContract = {
  onBrowse: stream(tuple([browseQuerySchema])).emits<BrowseBatch>(),
  /** The whole key or value of one record (for previews that were cut). */
  value: method(
    tuple([topicName(), partitionIndex(), offset(), literal('key', 'value')]),
  ).returns<WireBytes | null>(),
};
