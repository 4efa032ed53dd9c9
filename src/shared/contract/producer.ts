/** Producing from the UI: once, N times, or at a rate; templated values; where a key lands. */
import { method, stream } from './define.js';
import { partitionIndex, topicName } from './common.js';
import { array, integer, literal, nullable, object, optional, string, tuple } from './schema.js';

/** Text is sent as UTF-8; base64 for binary. Templates are expanded only in text. */
const payload = () =>
  nullable(object({ encoding: literal('text', 'base64'), data: string({ maxLength: 8 * 1024 * 1024 }) }));

export const produceRecordSchema = object({
  topic: topicName(),
  /** null: the default partitioner (murmur2 of the key, or sticky round robin without a key). */
  partition: nullable(partitionIndex()),
  key: payload(),
  value: payload(),
  headers: array(
    object({ key: string({ maxLength: 32 * 1024 }), value: nullable(string({ maxLength: 1024 * 1024 })) }),
    { maxItems: 1000 },
  ),
  /** Ms since epoch; null lets the producer stamp it. */
  timestamp: nullable(integer({ min: 0 })),
  compression: optional(literal('none', 'gzip', 'snappy', 'lz4', 'zstd')),
  acks: optional(literal(0, 1, -1)),
});

/**
 * Sends the record `count` times (≥ 1), at most `ratePerSec` a second when set. With `template`
 * true, `{{i}}` (0-based index), `{{uuid}}`, `{{now}}` (ms), `{{iso}}`, `{{random:A:B}}` in key,
 * value and header values are expanded per record.
 */
export const produceRunSchema = object({
  record: produceRecordSchema,
  count: integer({ min: 1, max: 10_000_000 }),
  ratePerSec: nullable(integer({ min: 1, max: 1_000_000 })),
  template: literal(true, false),
});

export interface ProducedRecord {
  partition: number;
  offset: number;
  timestamp: number;
}

export interface ProduceProgress {
  sent: number;
  acknowledged: number;
  failed: number;
  /** The last few acknowledgements, newest last (at most 20). */
  recent: ProducedRecord[];
  /** The first error, as Kafka named it and as a sentence. */
  error: { name: string; message: string } | null;
  done: boolean;
}

export interface KeyPlacement {
  partitions: number;
  /** murmur2(key) & 0x7fffffff, as the Java client computes it; null for a null key. */
  hash: number | null;
  /** hash % partitions; null for a null key (the sticky partitioner picks). */
  partition: number | null;
}

export const producerContract = {
  /** One record; resolves when acknowledged. */
  send: method(tuple([produceRecordSchema])).returns<ProducedRecord>(),
  /** A run of records; progress about ten times a second; unsubscribing stops it. */
  onRun: stream(tuple([produceRunSchema])).emits<ProduceProgress>(),
  /** Where the default partitioner would put this key. */
  placeKey: method(
    tuple([
      topicName(),
      nullable(object({ encoding: literal('text', 'base64'), data: string({ maxLength: 1024 * 1024 }) })),
    ]),
  ).returns<KeyPlacement>(),
};
