/**
 * Reads assigned partitions with Fetch long polls and hands out records through an async
 * iterator. Positions are set with seek (beginning / end / offset / timestamp) and resolved
 * lazily with ListOffsets before the next fetch.
 *
 * Seam for consumer groups: a group member (later) decides the assignment and the starting
 * offsets, then calls assign() / seek(); it reads position() to commit. Nothing here knows
 * about groups.
 */
import type { Cluster, ClusterOptions } from './cluster.js';
import { ZERO_UUID } from './cluster.js';
import { API, ErrorCode, decodeBatches, type DecodedBatch } from './protocol.js';
import { KafkaClientError, brokerError, isRetriable, needsMetadataRefresh } from './errors.js';
import { listOffsets, type IsolationLevel, type OffsetQuery } from './list-offsets.js';
import { ownCluster } from './util.js';

export interface ConsumerOptions {
  /** How long the broker may hold a Fetch waiting for minBytes (default 500 ms). */
  maxWaitMs?: number;
  /** The broker answers as soon as this many bytes are available (default 1). */
  minBytes?: number;
  /** Upper bound for one Fetch answer (default 50 MiB). */
  maxBytes?: number;
  /** Upper bound per partition in one answer (default 1 MiB; grows when a single batch is larger). */
  partitionMaxBytes?: number;
  isolationLevel?: IsolationLevel;
  /**
   * What to do when the position is outside the log (OFFSET_OUT_OF_RANGE): 'none' (default) makes
   * the iterator throw; 'earliest' / 'latest' move the position there and go on.
   */
  autoOffsetReset?: 'none' | 'earliest' | 'latest';
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** 'beginning' = log start offset, 'end' = high watermark, a number = that offset, a timestamp = first record at or after it. */
export type SeekPosition = 'beginning' | 'end' | number | { timestamp: number };

export interface ConsumerRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'create-time' | 'log-append-time';
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
  leaderEpoch: number;
  /** Codec of the batch the record came in. */
  compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
}

const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

interface PartitionState {
  topic: string;
  partition: number;
  /** Next offset to fetch; -1 until a seek is resolved. */
  offset: number;
  /** Unresolved seek; resolved before the next fetch. */
  seek: SeekPosition | null;
  /** Bumped by every seek, so an answer to a fetch sent before it is dropped. */
  generation: number;
  partitionMaxBytes: number;
  highWatermark: number;
  logStartOffset: number;
}

const { OFFSET_OUT_OF_RANGE, CORRUPT_MESSAGE } = ErrorCode;
const CONTROL_ABORT = 0;

export class Consumer implements AsyncIterable<ConsumerRecord> {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;
  private readonly maxWaitMs: number;
  private readonly minBytes: number;
  private readonly maxBytes: number;
  private readonly partitionMaxBytes: number;
  private readonly isolation: IsolationLevel;
  private readonly autoOffsetReset: 'none' | 'earliest' | 'latest';
  private readonly partitions = new Map<string, PartitionState>();
  private buffer: ConsumerRecord[] = [];
  private bufferIndex = 0;
  private closed = false;
  private wakeClosed: () => void = () => undefined;
  private readonly closedSignal: Promise<void>;

  constructor(clusterOrOptions: Cluster | ClusterOptions, options: ConsumerOptions = {}) {
    ({ cluster: this.cluster, owned: this.ownsCluster } = ownCluster(clusterOrOptions));
    this.maxWaitMs = options.maxWaitMs ?? 500;
    this.minBytes = options.minBytes ?? 1;
    this.maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
    this.partitionMaxBytes = options.partitionMaxBytes ?? 1024 * 1024;
    this.isolation = options.isolationLevel ?? 'read_uncommitted';
    this.autoOffsetReset = options.autoOffsetReset ?? 'none';
    this.closedSignal = new Promise((resolve) => (this.wakeClosed = resolve));
  }

  /** Adds partitions. A new partition starts at `initial` (default 'end', like a console consumer). */
  assign(partitions: TopicPartition[], initial: SeekPosition = 'end'): void {
    for (const tp of partitions) {
      const id = key(tp);
      if (this.partitions.has(id)) continue;
      this.partitions.set(id, {
        topic: tp.topic,
        partition: tp.partition,
        offset: -1,
        seek: initial,
        generation: 0,
        partitionMaxBytes: this.partitionMaxBytes,
        highWatermark: -1,
        logStartOffset: -1,
      });
    }
  }

  /** Removes partitions (all when none are given); their buffered records are dropped. */
  unassign(partitions?: TopicPartition[]): void {
    const ids = partitions ? partitions.map(key) : [...this.partitions.keys()];
    for (const id of ids) this.partitions.delete(id);
    this.buffer = this.buffer.slice(this.bufferIndex).filter((r) => this.partitions.has(key(r)));
    this.bufferIndex = 0;
  }

  assignment(): TopicPartition[] {
    return [...this.partitions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** Moves the position of an assigned partition; records already buffered for it are dropped. */
  seek(tp: TopicPartition, position: SeekPosition): void {
    const state = this.partitions.get(key(tp));
    if (!state)
      throw new KafkaClientError(`${tp.topic}-${tp.partition} is not assigned to this consumer`, {
        kind: 'config',
      });
    if (typeof position === 'number' && (!Number.isInteger(position) || position < 0)) {
      throw new KafkaClientError(`offset must be a non-negative integer, got ${position}`, {
        kind: 'config',
      });
    }
    state.seek = position;
    state.offset = -1;
    state.generation++;
    this.buffer = this.buffer
      .slice(this.bufferIndex)
      .filter((r) => r.topic !== tp.topic || r.partition !== tp.partition);
    this.bufferIndex = 0;
  }

  /** The offset of the next record the iterator will hand out for a partition (-1 while a seek is unresolved). */
  position(tp: TopicPartition): number {
    const state = this.partitions.get(key(tp));
    if (!state) return -1;
    const next = this.buffer
      .slice(this.bufferIndex)
      .find((r) => r.topic === tp.topic && r.partition === tp.partition);
    return next ? next.offset : state.offset;
  }

  /** The partition's high watermark from the last Fetch (-1 before any). */
  highWatermark(tp: TopicPartition): number {
    return this.partitions.get(key(tp))?.highWatermark ?? -1;
  }

  /**
   * All records of the assigned partitions, in offset order per partition, until close(). A fetch
   * error (e.g. OFFSET_OUT_OF_RANGE) ends the iteration by throwing; after handling it (say, a seek),
   * call records() again.
   */
  async *records(): AsyncGenerator<ConsumerRecord, void, undefined> {
    while (!this.closed) {
      if (this.bufferIndex < this.buffer.length) {
        yield this.buffer[this.bufferIndex++];
        continue;
      }
      this.buffer = [];
      this.bufferIndex = 0;
      const round = this.fetchRound();
      round.catch(() => undefined);
      await Promise.race([round, this.closedSignal]);
      if (this.closed) return;
      await round; // rethrows a fetch error to the caller
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<ConsumerRecord> {
    return this.records();
  }

  /** Stops the iterator (it returns after the record being handed out) and closes owned connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeClosed();
    if (this.ownsCluster) await this.cluster.close();
  }

  /** One fetch per leader, in parallel; fills the buffer. */
  private async fetchRound(): Promise<void> {
    await this.resolveSeeks();
    const byLeader = new Map<number, PartitionState[]>();
    let stale = false;
    for (const state of this.partitions.values()) {
      if (state.offset < 0) continue;
      const info = this.cluster.topics
        .get(state.topic)
        ?.partitions.find((p) => p.partition === state.partition);
      if (!info || info.leader < 0) {
        stale = true;
        continue;
      }
      byLeader.set(info.leader, [...(byLeader.get(info.leader) ?? []), state]);
    }
    if (byLeader.size === 0) {
      // Nothing to fetch: no partitions yet, or no leaders known for them.
      if (stale) await this.refresh();
      await Promise.race([delay(stale ? 100 : this.maxWaitMs), this.closedSignal]);
      return;
    }
    const results = await Promise.allSettled(
      [...byLeader].map(([leader, states]) => this.fetchFrom(leader, states)),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const fatal = failures.find((e) => !isRetriable(e));
    if (fatal) throw fatal;
    if (stale || failures.some(needsMetadataRefresh)) await this.refresh();
    if (failures.length > 0) await delay(100);
  }

  private async fetchFrom(leader: number, states: PartitionState[]): Promise<void> {
    const conn = await this.cluster.brokerConnection(leader);
    const topics = new Map<string, PartitionState[]>();
    for (const s of states) topics.set(s.topic, [...(topics.get(s.topic) ?? []), s]);
    let version = conn.versionFor(API.Fetch);
    const ids = new Map<string, Buffer>();
    for (const name of topics.keys()) ids.set(name, this.cluster.topics.get(name)?.topicId ?? ZERO_UUID);
    // Fetch v13+ names topics by id; without ids from Metadata stay on v12.
    if (version >= 13 && [...ids.values()].some((id) => id.equals(ZERO_UUID))) version = 12;
    const sent = new Map(states.map((s) => [key(s), { offset: s.offset, generation: s.generation }]));
    const body = await conn.send(
      API.Fetch,
      {
        replicaId: -1,
        maxWaitMs: this.maxWaitMs,
        minBytes: this.minBytes,
        maxBytes: this.maxBytes,
        isolationLevel: this.isolation === 'read_committed' ? 1 : 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [...topics].map(([name, list]) => ({
          topic: name,
          topicId: ids.get(name),
          partitions: list.map((s) => ({
            partition: s.partition,
            currentLeaderEpoch: -1,
            fetchOffset: s.offset,
            lastFetchedEpoch: -1,
            logStartOffset: -1,
            partitionMaxBytes: s.partitionMaxBytes,
          })),
        })),
        forgottenTopicsData: [],
        rackId: '',
      },
      { version, timeoutMs: this.maxWaitMs + 30_000 },
    );
    if (body.errorCode) throw brokerError(body.errorCode, { broker: conn.address, action: 'fetching' });
    const names = new Map([...ids].map(([name, id]) => [id.toString('hex'), name]));
    const errors: unknown[] = [];
    for (const t of body.responses) {
      const topic = t.topic || (t.topicId ? names.get(t.topicId.toString('hex')) : undefined);
      if (!topic) continue;
      for (const p of t.partitions) {
        const state = this.partitions.get(key({ topic, partition: p.partitionIndex }));
        const asked = sent.get(key({ topic, partition: p.partitionIndex }));
        // Dropped: unassigned meanwhile, or seek() moved it while the fetch was out.
        if (!state || !asked || state.generation !== asked.generation) continue;
        if (p.errorCode === OFFSET_OUT_OF_RANGE) {
          if (this.autoOffsetReset === 'none') {
            errors.push(
              new KafkaClientError(
                `offset ${asked.offset} is out of range for ${topic}-${p.partitionIndex} (log start ${p.logStartOffset ?? -1}, high watermark ${p.highWatermark})`,
                {
                  code: OFFSET_OUT_OF_RANGE,
                  retriable: false,
                  topic,
                  partition: p.partitionIndex,
                  broker: conn.address,
                },
              ),
            );
          } else {
            state.seek = this.autoOffsetReset === 'earliest' ? 'beginning' : 'end';
            state.offset = -1;
          }
          continue;
        }
        if (p.errorCode !== 0) {
          errors.push(
            brokerError(p.errorCode, {
              topic,
              partition: p.partitionIndex,
              broker: conn.address,
              action: 'fetching',
            }),
          );
          continue;
        }
        state.highWatermark = p.highWatermark;
        if (p.logStartOffset !== undefined && p.logStartOffset >= 0) state.logStartOffset = p.logStartOffset;
        this.consume(state, p.records, p.abortedTransactions ?? null);
      }
    }
    const fatal = errors.find((e) => !isRetriable(e));
    if (fatal) throw fatal;
    if (errors.length > 0) throw errors[0];
  }

  /** Turns one partition's record batches into records, skipping what lies below the position. */
  private consume(
    state: PartitionState,
    records: Buffer | null,
    aborted: { producerId: number; firstOffset: number }[] | null,
  ): void {
    if (!records || records.length === 0) return;
    let batches: DecodedBatch[];
    try {
      batches = decodeBatches(records);
    } catch (err) {
      throw new KafkaClientError(
        `records of ${state.topic}-${state.partition} at offset ${state.offset} could not be decoded: ${(err as Error).message}`,
        {
          code: CORRUPT_MESSAGE,
          retriable: false,
          topic: state.topic,
          partition: state.partition,
          cause: err,
        },
      );
    }
    // read_committed: records of aborted transactions are dropped (the broker lists where they start).
    const abortedQueue =
      this.isolation === 'read_committed' && aborted
        ? [...aborted].sort((a, b) => a.firstOffset - b.firstOffset)
        : [];
    const abortedProducers = new Set<number>();
    const start = state.offset;
    for (const batch of batches) {
      const lastOffset = batch.baseOffset + batch.lastOffsetDelta;
      if (lastOffset < start) continue;
      while (abortedQueue.length > 0 && abortedQueue[0].firstOffset <= lastOffset)
        abortedProducers.add(abortedQueue.shift()!.producerId);
      if (batch.isControl) {
        const marker = batch.records[0]?.key;
        if (marker && marker.length >= 4 && marker.readInt16BE(2) === CONTROL_ABORT)
          abortedProducers.delete(batch.producerId);
      } else if (!(batch.isTransactional && abortedProducers.has(batch.producerId))) {
        const timestampType = batch.timestampType === 'LogAppendTime' ? 'log-append-time' : 'create-time';
        const compression = CODEC_NAMES[batch.compression] ?? 'none';
        for (const r of batch.records) {
          if (r.offset < start) continue;
          this.buffer.push({
            topic: state.topic,
            partition: state.partition,
            offset: r.offset,
            timestamp: r.timestamp,
            timestampType,
            key: r.key,
            value: r.value,
            headers: r.headers,
            leaderEpoch: batch.partitionLeaderEpoch,
            compression,
          });
        }
      }
      state.offset = lastOffset + 1;
    }
    if (state.offset === start && batches.length === 0) {
      // Only a partial batch came back: it is bigger than partitionMaxBytes. Ask for more next time.
      state.partitionMaxBytes = Math.min(this.maxBytes, state.partitionMaxBytes * 2);
    }
  }

  private async resolveSeeks(): Promise<void> {
    const queries: (OffsetQuery & { state: PartitionState; generation: number })[] = [];
    for (const state of this.partitions.values()) {
      if (state.seek === null) continue;
      if (typeof state.seek === 'number') {
        state.offset = state.seek;
        state.seek = null;
        continue;
      }
      const spec = state.seek === 'beginning' ? 'earliest' : state.seek === 'end' ? 'latest' : state.seek;
      queries.push({
        topic: state.topic,
        partition: state.partition,
        spec,
        state,
        generation: state.generation,
      });
    }
    if (queries.length === 0) return;
    const listed = await listOffsets(this.cluster, queries, this.isolation);
    const latest = queries.filter((q, i) => typeof q.spec === 'object' && listed[i].offset < 0);
    const ends =
      latest.length > 0
        ? await listOffsets(
            this.cluster,
            latest.map((q) => ({ ...q, spec: 'latest' as const })),
            this.isolation,
          )
        : [];
    queries.forEach((q, i) => {
      if (q.state.generation !== q.generation) return; // seek() again meanwhile
      // No record at or after the timestamp: start at the end, as Kafka's consumers do.
      const offset = listed[i].offset >= 0 ? listed[i].offset : (ends[latest.indexOf(q)]?.offset ?? -1);
      if (offset < 0) return;
      q.state.offset = offset;
      q.state.seek = null;
    });
  }

  private async refresh(): Promise<void> {
    const topics = [...new Set([...this.partitions.values()].map((s) => s.topic))];
    await this.cluster.refreshMetadata(topics).catch(() => undefined);
  }
}

function key(tp: TopicPartition): string {
  return `${tp.topic}\0${tp.partition}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
