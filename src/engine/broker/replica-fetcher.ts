import { Connection } from '../client/connection.js';
import { ErrorCode } from '../protocol/errors.js';
import { validateBatches } from '../protocol/records/batch.js';
import type { Partition } from './partition.js';

export interface ReplicaFetcherOptions {
  brokerId: number;
  leaderId: number;
  leaderAddress: () => { host: string; port: number } | null;
  /** replica.fetch.wait.max.ms */
  maxWaitMs?: number;
  /** replica.fetch.max.bytes per partition */
  partitionMaxBytes?: number;
  /** replica.fetch.response.max.bytes */
  maxBytes?: number;
  onError?: (message: string) => void;
  /** Called after records were appended or the high watermark moved. */
  onProgress?: (partition: Partition) => void;
  /** Called with the bytes of each append, for traffic counters. */
  onAppend?: (partition: Partition, bytes: number) => void;
}

/** Fetch v12: topic names, lastFetchedEpoch and divergingEpoch, replica id in the body. */
const FETCH_VERSION = 12;
const BACKOFF_MS = 100;

/**
 * One follower's fetch loop against one leader broker (Kafka's ReplicaFetcherThread), over the
 * Kafka protocol on a real TCP connection: Fetch with this broker's id as replica id, append what
 * comes back, truncate where the leader says the logs diverge.
 */
export class ReplicaFetcher {
  private readonly partitions = new Map<string, Partition>();
  private connection: Connection | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly options: ReplicaFetcherOptions) {}

  get leaderId(): number {
    return this.options.leaderId;
  }

  get size(): number {
    return this.partitions.size;
  }

  add(partition: Partition): void {
    this.partitions.set(key(partition), partition);
    if (!this.running) this.start();
    this.wake?.();
  }

  remove(partition: Partition): void {
    const k = key(partition);
    if (this.partitions.get(k) === partition) this.partitions.delete(k);
  }

  has(partition: Partition): boolean {
    return this.partitions.get(key(partition)) === partition;
  }

  private start(): void {
    this.running = true;
    this.loop = this.run().catch((err) => this.options.onError?.(`replica fetcher crashed: ${(err as Error).message}`));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.connection?.close();
    this.connection = null;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.partitions.size === 0) {
        await this.sleep(1000);
        continue;
      }
      try {
        const conn = await this.connect();
        if (!conn) {
          await this.sleep(BACKOFF_MS);
          continue;
        }
        await this.fetchOnce(conn);
      } catch (err) {
        if (!this.running) return;
        this.options.onError?.(`fetch from broker ${this.options.leaderId} failed: ${(err as Error).message}`);
        this.connection?.close();
        this.connection = null;
        await this.sleep(BACKOFF_MS);
      }
    }
  }

  private async connect(): Promise<Connection | null> {
    if (this.connection && !this.connection.closed) return this.connection;
    const address = this.options.leaderAddress();
    if (!address) return null;
    this.connection = await Connection.connect({
      host: address.host,
      port: address.port,
      clientId: `eddy-replica-${this.options.brokerId}`,
      connectTimeoutMs: 2000,
    });
    return this.connection;
  }

  private async fetchOnce(conn: Connection): Promise<void> {
    const byTopic = new Map<string, Partition[]>();
    for (const p of this.partitions.values()) {
      const list = byTopic.get(p.topic) ?? [];
      list.push(p);
      byTopic.set(p.topic, list);
    }
    const maxWaitMs = this.options.maxWaitMs ?? 500;
    const request = {
      replicaId: this.options.brokerId,
      maxWaitMs,
      minBytes: 1,
      maxBytes: this.options.maxBytes ?? 10 * 1024 * 1024,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [...byTopic.entries()].map(([topic, parts]) => ({
        topic,
        partitions: parts.map((p) => ({
          partition: p.partition,
          currentLeaderEpoch: p.leaderEpoch,
          fetchOffset: p.logEndOffset,
          lastFetchedEpoch: p.epochCache.latestEpoch,
          logStartOffset: p.logStartOffset,
          partitionMaxBytes: this.options.partitionMaxBytes ?? 1024 * 1024,
        })),
      })),
      forgottenTopicsData: [],
      rackId: '',
    };
    const response: any = await conn.send(1, request, { version: FETCH_VERSION, timeoutMs: maxWaitMs + 5000 });
    let backoff = false;
    for (const t of response.responses as any[]) {
      for (const pr of t.partitions as any[]) {
        const p = this.partitions.get(`${t.topic}-${pr.partitionIndex}`);
        if (!p || p.isLeader) continue;
        if (!this.handlePartition(p, pr)) backoff = true;
      }
    }
    if (backoff) await this.sleep(BACKOFF_MS);
  }

  /** Applies one partition's answer; false when the fetcher should back off (an error). */
  private handlePartition(p: Partition, pr: any): boolean {
    switch (pr.errorCode) {
      case ErrorCode.NONE:
        break;
      case ErrorCode.OFFSET_OUT_OF_RANGE:
        // Behind the leader's log start: start over there. Ahead of its end: cut back to it.
        if (p.logEndOffset < pr.logStartOffset) p.truncateFullyAndStartAt(pr.logStartOffset);
        else if (pr.highWatermark >= 0 && p.logEndOffset > pr.highWatermark) p.truncateTo(pr.highWatermark);
        return true;
      default:
        // NOT_LEADER_OR_FOLLOWER, FENCED/UNKNOWN_LEADER_EPOCH …: wait for the metadata to settle.
        return false;
    }
    const diverging = pr.divergingEpoch;
    if (diverging && diverging.epoch >= -1 && diverging.endOffset >= 0) {
      const own = p.epochCache.endOffsetFor(diverging.epoch, p.logEndOffset);
      const target = own.epoch === diverging.epoch ? Math.min(own.endOffset, diverging.endOffset) : diverging.endOffset;
      p.truncateTo(Math.max(target, p.logStartOffset));
      return true;
    }
    const records: Buffer | null = pr.records;
    if (records && records.length > 0) {
      const check = validateBatches(records, { origin: 'internal' });
      if (!check.ok) {
        this.options.onError?.(`leader sent bad batches for ${p.topic}-${p.partition}: ${check.message}`);
        return false;
      }
      // Whole batches at or past our end only: a batch we already hold may come back after a truncation race.
      p.appendAsFollower(records);
      this.options.onAppend?.(p, records.length);
    }
    // The high watermark first (as Kafka's fetcher does): the log start may only move up to it.
    p.updateFollowerHighWatermark(pr.highWatermark);
    if (pr.logStartOffset > p.logStartOffset && pr.logStartOffset <= p.highWatermark) {
      p.log.deleteRecordsBefore(pr.logStartOffset);
    }
    this.options.onProgress?.(p);
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }
}

function key(p: Partition): string {
  return `${p.topic}-${p.partition}`;
}
