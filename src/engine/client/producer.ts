/**
 * Produces records with batching per partition (linger, batch size), Kafka's murmur2 default
 * partitioner for keyed records and a sticky partition for unkeyed ones, acks 0/1/-1, the
 * five compression codecs, optional idempotence (InitProducerId + sequences per partition) and
 * retries on retriable errors.
 *
 * Ordering: records for one partition are sent in the order `send` was called, with at most one
 * Produce in flight per partition, so a retried batch can never be overtaken by a later one.
 */
import type { Cluster, ClusterOptions } from './cluster.js';
import {
  API,
  CompressionType,
  ErrorCode,
  buildBatch,
  defaultPartition,
  type ProduceResponsePartitionProduceResponse,
  type ResponseBody,
} from './protocol.js';
import { KafkaClientError, brokerError, isRetriable, needsMetadataRefresh } from './errors.js';
import { ownCluster } from './util.js';

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export type Acks = 0 | 1 | -1;

export interface ProducerOptions {
  /** 0 = don't wait, 1 = leader wrote it, -1 = all in-sync replicas have it (default -1). */
  acks?: Acks;
  compression?: Compression;
  /** How long a batch may wait for more records before it is sent (default 5 ms, Kafka 4's default). */
  lingerMs?: number;
  /** A batch is sent as soon as it holds this many bytes (default 16384). */
  batchSize?: number;
  /** Exactly-once per partition across retries: InitProducerId plus sequence numbers (needs acks -1). */
  idempotent?: boolean;
  /** Retries of one batch after retriable errors (default 5). */
  retries?: number;
  /** How long the broker may take to satisfy acks (Produce timeoutMs, default 30 s). */
  ackTimeoutMs?: number;
  /** A record not acknowledged within this time fails (default 120 s). */
  deliveryTimeoutMs?: number;
  /** waitForCapacity() blocks while more than this many bytes are unacknowledged (default 32 MiB). */
  maxBufferedBytes?: number;
}

export type HeaderValue = Buffer | string | null;
export type RecordHeaders = Record<string, HeaderValue> | { key: string; value: HeaderValue }[];

export interface ProducerRecord {
  topic: string;
  /** Explicit partition; otherwise murmur2(key) % partitions, or a sticky partition for a null key. */
  partition?: number;
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: RecordHeaders;
  /** CreateTime in ms (default now). */
  timestamp?: number;
}

export interface RecordMetadata {
  topic: string;
  partition: number;
  /** -1 with acks=0 (the broker does not say). */
  offset: number;
  /** LogAppendTime when the topic uses it, else the record's CreateTime. */
  timestamp: number;
}

interface PendingRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
  timestamp: number;
  size: number;
  resolve: (m: RecordMetadata) => void;
  reject: (e: unknown) => void;
}

interface Batch {
  records: PendingRecord[];
  bytes: number;
  createdAt: number;
  /** Set when the batch is first sent; a retry resends exactly these bytes. */
  encoded: Buffer | null;
  attempts: number;
  /** Not before this time (backoff after a failure). */
  retryAt: number;
}

interface PartitionQueue {
  topic: string;
  partition: number;
  batches: Batch[];
  inFlight: boolean;
  nextSequence: number;
}

const COMPRESSION: Record<Compression, CompressionType> = {
  none: CompressionType.None,
  gzip: CompressionType.Gzip,
  snappy: CompressionType.Snappy,
  lz4: CompressionType.Lz4,
  zstd: CompressionType.Zstd,
};
const { DUPLICATE_SEQUENCE_NUMBER } = ErrorCode;
const RECORD_OVERHEAD = 24;
/** Below Kafka's default max.message.bytes (1048588), so a merged batch is never refused for size. */
const MAX_BATCH_BYTES = 1_000_000;

export class Producer {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;
  private readonly acks: Acks;
  private readonly compression: CompressionType;
  private readonly lingerMs: number;
  private readonly batchSize: number;
  private readonly idempotent: boolean;
  private readonly retries: number;
  private readonly ackTimeoutMs: number;
  private readonly deliveryTimeoutMs: number;
  private readonly maxBufferedBytes: number;

  private readonly queues = new Map<string, PartitionQueue>();
  private readonly sticky = new Map<string, number>();
  private routeChain: Promise<void> = Promise.resolve();
  private routing = 0;
  private buffered = 0;
  private unacknowledged = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private draining = false;
  private flushing = 0;
  private idleWaiters: (() => void)[] = [];
  private capacityWaiters: (() => void)[] = [];
  private producerId = -1;
  private producerEpoch = -1;
  private producerIdPending: Promise<void> | null = null;
  /** A topic whose metadata just failed to load: records queued behind it fail at once instead of each retrying. */
  private topicFailures = new Map<string, { error: unknown; at: number }>();
  private closed = false;

  constructor(clusterOrOptions: Cluster | ClusterOptions, options: ProducerOptions = {}) {
    ({ cluster: this.cluster, owned: this.ownsCluster } = ownCluster(clusterOrOptions));
    this.acks = options.acks ?? -1;
    if (![0, 1, -1].includes(this.acks))
      throw new KafkaClientError(`acks must be 0, 1 or -1 (all), got ${String(options.acks)}`, {
        kind: 'config',
      });
    const compression = options.compression ?? 'none';
    if (!(compression in COMPRESSION)) {
      throw new KafkaClientError(
        `compression must be one of none, gzip, snappy, lz4, zstd; got '${compression}'`,
        { kind: 'config' },
      );
    }
    this.compression = COMPRESSION[compression];
    this.lingerMs = nonNegative('lingerMs', options.lingerMs ?? 5);
    this.batchSize = nonNegative('batchSize', options.batchSize ?? 16_384);
    this.idempotent = options.idempotent ?? false;
    if (this.idempotent && this.acks !== -1)
      throw new KafkaClientError('an idempotent producer needs acks=-1 (all)', { kind: 'config' });
    this.retries = nonNegative('retries', options.retries ?? 5);
    this.ackTimeoutMs = nonNegative('ackTimeoutMs', options.ackTimeoutMs ?? 30_000);
    this.deliveryTimeoutMs = nonNegative('deliveryTimeoutMs', options.deliveryTimeoutMs ?? 120_000);
    this.maxBufferedBytes = nonNegative('maxBufferedBytes', options.maxBufferedBytes ?? 32 * 1024 * 1024);
  }

  /** Queues one record; resolves when the broker has acknowledged it (per acks). */
  send(record: ProducerRecord): Promise<RecordMetadata> {
    if (this.closed)
      return Promise.reject(new KafkaClientError('the producer is closed', { kind: 'closed' }));
    let resolve!: (m: RecordMetadata) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<RecordMetadata>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    let pending: PendingRecord;
    try {
      const key = toBuffer(record.key ?? null, 'key');
      const value = toBuffer(record.value, 'value');
      const headers = normalizeHeaders(record.headers);
      let size = RECORD_OVERHEAD + (key?.length ?? 0) + (value?.length ?? 0);
      for (const h of headers) size += h.key.length + (h.value?.length ?? 0) + 4;
      pending = { key, value, headers, timestamp: record.timestamp ?? Date.now(), size, resolve, reject };
    } catch (err) {
      return Promise.reject(err);
    }
    this.buffered += pending.size;
    this.unacknowledged++;
    const cached = this.cluster.topics.get(record.topic);
    if (this.routing === 0 && cached && cached.partitions.length > 0) {
      this.route(record, pending);
    } else {
      // Metadata first; the chain keeps records in send() order while it loads.
      this.routing++;
      this.routeChain = this.routeChain
        .then(async () => {
          const failure = this.topicFailures.get(record.topic);
          if (failure && Date.now() - failure.at < 1_000) throw failure.error;
          try {
            await this.cluster.topic(record.topic, { allowAutoTopicCreation: true });
          } catch (error) {
            this.topicFailures.set(record.topic, { error, at: Date.now() });
            throw error;
          }
          this.topicFailures.delete(record.topic);
          this.route(record, pending);
        })
        .catch((err) => this.settle(pending, err))
        .finally(() => this.routing--);
    }
    return promise;
  }

  /** Resolves once fewer than maxBufferedBytes are waiting for acknowledgement. */
  waitForCapacity(): Promise<void> {
    if (this.buffered <= this.maxBufferedBytes) return Promise.resolve();
    return new Promise((resolve) => this.capacityWaiters.push(resolve));
  }

  /** Bytes of records queued or in flight. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Sends everything queued now, without waiting for linger, and resolves when all of it is acknowledged or failed. */
  async flush(): Promise<void> {
    this.flushing++;
    try {
      await this.routeChain;
      if (this.unacknowledged > 0) {
        const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
        this.scheduleDrain(0);
        await idle;
      }
    } finally {
      this.flushing--;
    }
  }

  /** Flushes, then closes the connections when the producer created its own Cluster. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.ownsCluster) await this.cluster.close();
  }

  private route(record: ProducerRecord, pending: PendingRecord): void {
    const topic = this.cluster.topics.get(record.topic);
    const count = topic?.partitions.length ?? 0;
    let partition: number;
    if (record.partition !== undefined) {
      partition = record.partition;
      if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
        this.settle(
          pending,
          new KafkaClientError(`topic '${record.topic}' has no partition ${partition} (it has ${count})`, {
            code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            retriable: false,
            topic: record.topic,
            partition,
          }),
        );
        return;
      }
    } else if (pending.key !== null) {
      partition = defaultPartition(pending.key, count);
    } else {
      partition = this.stickyPartition(record.topic, count);
    }
    const id = `${record.topic}\0${partition}`;
    let queue = this.queues.get(id);
    if (!queue) {
      queue = { topic: record.topic, partition, batches: [], inFlight: false, nextSequence: 0 };
      this.queues.set(id, queue);
    }
    let batch = queue.batches[queue.batches.length - 1];
    if (
      !batch ||
      batch.encoded ||
      (batch.records.length > 0 && batch.bytes + pending.size > this.batchSize)
    ) {
      batch = { records: [], bytes: 0, createdAt: Date.now(), encoded: null, attempts: 0, retryAt: 0 };
      queue.batches.push(batch);
      // A new batch for an unkeyed record's partition means the previous one is full: move on.
      if (pending.key === null && record.partition === undefined && queue.batches.length > 1)
        this.sticky.delete(record.topic);
    }
    batch.records.push(pending);
    batch.bytes += pending.size;
    this.scheduleDrain(batch.bytes >= this.batchSize ? 0 : this.lingerMs);
  }

  private stickyPartition(topic: string, count: number): number {
    let p = this.sticky.get(topic);
    if (p === undefined || p >= count) {
      p = Math.floor(Math.random() * count);
      this.sticky.set(topic, p);
    }
    return p;
  }

  private scheduleDrain(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      void this.drain();
    }, delayMs);
  }

  /** Sends every ready batch: one Produce per leader, the head batch of each idle partition. */
  private async drain(): Promise<void> {
    if (this.draining) {
      this.scheduleDrain(1);
      return;
    }
    this.draining = true;
    try {
      if (this.idempotent) await this.ensureProducerId();
      const now = Date.now();
      let nextWake = Infinity;
      const byLeader = new Map<number, { queue: PartitionQueue; batch: Batch }[]>();
      let missingLeader = false;
      for (const queue of this.queues.values()) {
        const batch = queue.batches[0];
        if (!batch || queue.inFlight) continue;
        if (now - batch.createdAt > this.deliveryTimeoutMs) {
          this.failBatch(
            queue,
            batch,
            new KafkaClientError(
              `records for ${queue.topic}-${queue.partition} were not acknowledged within ${this.deliveryTimeoutMs} ms`,
              { kind: 'timeout', topic: queue.topic, partition: queue.partition },
            ),
          );
          continue;
        }
        const full = batch.bytes >= this.batchSize || queue.batches.length > 1 || batch.encoded !== null;
        const readyAt = Math.max(
          batch.retryAt,
          full || this.flushing > 0 ? 0 : batch.createdAt + this.lingerMs,
        );
        if (readyAt > now) {
          nextWake = Math.min(nextWake, readyAt);
          continue;
        }
        const leader =
          this.cluster.topics.get(queue.topic)?.partitions.find((p) => p.partition === queue.partition)
            ?.leader ?? -1;
        if (leader < 0) {
          missingLeader = true;
          continue;
        }
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), { queue, batch }]);
      }
      if (missingLeader) {
        const topics = [...new Set([...this.queues.values()].map((q) => q.topic))];
        void this.cluster
          .refreshMetadata(topics, { allowAutoTopicCreation: true })
          .catch(() => undefined)
          .finally(() => this.scheduleDrain(100));
      }
      for (const [leader, items] of byLeader) {
        for (const { queue, batch } of items) {
          queue.inFlight = true;
          // Encoding seals the batch: later records start a new one.
          if (!batch.encoded) {
            this.absorbQueued(queue, batch);
            this.encode(queue, batch);
          }
        }
        void this.produce(leader, items);
      }
      if (nextWake !== Infinity) this.scheduleDrain(Math.max(0, nextWake - Date.now()));
    } catch (err) {
      // Producer id could not be obtained: everything queued fails with that error.
      for (const queue of this.queues.values())
        for (const batch of [...queue.batches]) if (!queue.inFlight) this.failBatch(queue, batch, err);
    } finally {
      this.draining = false;
    }
  }

  /**
   * Under load, records pile up behind the in-flight batch. With one Produce in flight per
   * partition, sending them as one larger batch (up to MAX_BATCH_BYTES) keeps throughput up
   * without giving up ordering.
   */
  private absorbQueued(queue: PartitionQueue, head: Batch): void {
    while (queue.batches.length > 1) {
      const next = queue.batches[1];
      if (next.encoded || head.bytes + next.bytes > Math.max(this.batchSize, MAX_BATCH_BYTES)) break;
      head.records.push(...next.records);
      head.bytes += next.bytes;
      queue.batches.splice(1, 1);
    }
  }

  private encode(queue: PartitionQueue, batch: Batch): void {
    const idempotent = this.idempotent && this.producerId >= 0;
    const baseSequence = idempotent ? queue.nextSequence : -1;
    if (idempotent) queue.nextSequence = (queue.nextSequence + batch.records.length) % 0x80000000;
    batch.encoded = buildBatch({
      records: batch.records.map((r) => ({
        key: r.key,
        value: r.value,
        headers: r.headers,
        timestamp: r.timestamp,
      })),
      compression: this.compression,
      producerId: idempotent ? this.producerId : -1,
      producerEpoch: idempotent ? this.producerEpoch : -1,
      baseSequence,
    });
  }

  private async produce(leader: number, items: { queue: PartitionQueue; batch: Batch }[]): Promise<void> {
    const topics = new Map<string, { index: number; records: Buffer }[]>();
    for (const { queue, batch } of items) {
      topics.set(queue.topic, [
        ...(topics.get(queue.topic) ?? []),
        { index: queue.partition, records: batch.encoded as Buffer },
      ]);
    }
    let response: ResponseBody<typeof API.Produce>;
    let broker = `broker ${leader}`;
    try {
      const conn = await this.cluster.brokerConnection(leader);
      broker = conn.address;
      response = await conn.send(
        API.Produce,
        {
          transactionalId: null,
          acks: this.acks,
          timeoutMs: this.ackTimeoutMs,
          topicData: [...topics].map(([name, partitionData]) => ({ name, partitionData })),
        },
        { timeoutMs: this.ackTimeoutMs + 5_000 },
      );
    } catch (err) {
      for (const item of items) this.onPartitionError(item.queue, item.batch, err);
      return;
    }
    if (this.acks === 0) {
      for (const { queue, batch } of items) this.completeBatch(queue, batch, -1, -1);
      return;
    }
    const answers = new Map<string, ProduceResponsePartitionProduceResponse>();
    for (const t of response.responses)
      for (const p of t.partitionResponses) answers.set(`${t.name}\0${p.index}`, p);
    for (const { queue, batch } of items) {
      const answer = answers.get(`${queue.topic}\0${queue.partition}`);
      if (!answer) {
        this.onPartitionError(
          queue,
          batch,
          new KafkaClientError(
            `broker ${broker} left ${queue.topic}-${queue.partition} out of its Produce answer`,
            { kind: 'protocol', retriable: true },
          ),
        );
      } else if (answer.errorCode === 0 || answer.errorCode === DUPLICATE_SEQUENCE_NUMBER) {
        this.completeBatch(queue, batch, answer.baseOffset, answer.logAppendTimeMs ?? -1);
      } else {
        const message =
          answer.errorMessage ??
          answer.recordErrors?.find((e) => e.batchIndexErrorMessage)?.batchIndexErrorMessage ??
          null;
        this.onPartitionError(
          queue,
          batch,
          brokerError(
            answer.errorCode,
            { topic: queue.topic, partition: queue.partition, broker, action: 'producing' },
            message,
          ),
        );
      }
    }
  }

  private completeBatch(
    queue: PartitionQueue,
    batch: Batch,
    baseOffset: number,
    logAppendTime: number,
  ): void {
    queue.inFlight = false;
    queue.batches.shift();
    batch.records.forEach((r, i) =>
      this.settle(r, null, {
        topic: queue.topic,
        partition: queue.partition,
        offset: baseOffset >= 0 ? baseOffset + i : -1,
        timestamp: logAppendTime >= 0 ? logAppendTime : r.timestamp,
      }),
    );
    if (queue.batches.length > 0) this.scheduleDrain(0);
  }

  private onPartitionError(queue: PartitionQueue, batch: Batch, err: unknown): void {
    queue.inFlight = false;
    if (isRetriable(err) && batch.attempts < this.retries && !this.closed) {
      batch.attempts++;
      batch.retryAt = Date.now() + Math.min(1000, 100 * 2 ** (batch.attempts - 1));
      if (needsMetadataRefresh(err)) {
        void this.cluster
          .refreshMetadata([queue.topic], { allowAutoTopicCreation: true })
          .catch(() => undefined);
      }
      this.scheduleDrain(batch.retryAt - Date.now());
      return;
    }
    this.failBatch(queue, batch, err);
  }

  private failBatch(queue: PartitionQueue, batch: Batch, err: unknown): void {
    const i = queue.batches.indexOf(batch);
    if (i >= 0) queue.batches.splice(i, 1);
    for (const r of batch.records) this.settle(r, err);
    if (this.idempotent && batch.encoded) {
      // A failed sequenced batch leaves a gap the broker would refuse; start over with a new producer id.
      this.producerId = -1;
      for (const q of this.queues.values()) q.nextSequence = 0;
      for (const q of this.queues.values()) for (const b of q.batches) if (!q.inFlight) b.encoded = null;
    }
    if (queue.batches.length > 0) this.scheduleDrain(0);
  }

  private settle(record: PendingRecord, err: unknown, meta?: RecordMetadata): void {
    this.buffered -= record.size;
    this.unacknowledged--;
    if (err) record.reject(err);
    else record.resolve(meta as RecordMetadata);
    if (this.buffered <= this.maxBufferedBytes && this.capacityWaiters.length > 0) {
      const waiters = this.capacityWaiters;
      this.capacityWaiters = [];
      for (const w of waiters) w();
    }
    if (this.unacknowledged === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private ensureProducerId(): Promise<void> {
    if (this.producerId >= 0) return Promise.resolve();
    if (!this.producerIdPending) {
      this.producerIdPending = this.cluster
        .retry('initializing the producer id', async () => {
          const conn = await this.cluster.anyConnection();
          const body = await conn.send(API.InitProducerId, {
            transactionalId: null,
            transactionTimeoutMs: 60_000,
            producerId: -1,
            producerEpoch: -1,
          });
          if (body.errorCode !== 0)
            throw brokerError(body.errorCode, {
              broker: conn.address,
              action: 'initializing the producer id',
            });
          this.producerId = body.producerId;
          this.producerEpoch = body.producerEpoch;
        })
        .finally(() => {
          this.producerIdPending = null;
        });
    }
    return this.producerIdPending;
  }
}

function toBuffer(v: Buffer | string | null | undefined, what: string): Buffer | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (Buffer.isBuffer(v)) return v;
  throw new KafkaClientError(`a record ${what} must be a Buffer, a string or null`, { kind: 'config' });
}

const NO_HEADERS: { key: string; value: Buffer | null }[] = [];

function normalizeHeaders(headers: RecordHeaders | undefined): { key: string; value: Buffer | null }[] {
  if (!headers) return NO_HEADERS;
  const list = Array.isArray(headers)
    ? headers
    : Object.entries(headers).map(([key, value]) => ({ key, value }));
  return list.map((h) => ({ key: h.key, value: toBuffer(h.value, `header '${h.key}'`) }));
}

function nonNegative(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0)
    throw new KafkaClientError(`${name} must be a non-negative number, got ${v}`, { kind: 'config' });
  return v;
}
