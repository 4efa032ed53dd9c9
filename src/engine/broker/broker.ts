import { EventEmitter } from 'node:events';
import { KafkaListener, type ConnectionInfo } from '../net/kafka-listener.js';
import { MetadataImage } from '../controller/metadata-image.js';
import type { ControllerChannel } from '../controller/channel.js';
import type { MetadataRecord } from '../controller/records.js';
import { brokerTopicDefaults, type BrokerConfig } from '../config/broker-config.js';
import { mergeBrokerOverrides } from '../config/broker-config-catalog.js';
import { ReplicaManager } from './replica-manager.js';
import { RequestDispatcher } from './request-dispatcher.js';
import { handlers } from './handlers/index.js';
import { ProducerIdManager } from './producer-id-manager.js';
import { FetchWaiters } from './fetch-waiters.js';
import { ReplicaFetcher } from './replica-fetcher.js';
import type { IsrChangeRequest, Partition } from './partition.js';
import { partitionKey } from './replica-manager.js';
import { TrafficCounters } from './traffic.js';
import type { BrokerStats } from '../observe/events.js';
import { createGroupCoordinator } from '../groups/broker-host.js';
import type { GroupCoordinator } from '../groups/coordinator.js';
import type { LogCleaner } from '../storage/cleaner/index.js';
import { startBrokerLogCleaner } from './log-cleaner-host.js';
import { groupStats } from './group-stats.js';

export interface BrokerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** log.retention.check.interval.ms: Kafka's default. */
export const DEFAULT_RETENTION_CHECK_INTERVAL_MS = 300_000;
const FLUSH_CHECK_INTERVAL_MS = 1000;
/** replica.lag.time.max.ms: Kafka's default. */
export const DEFAULT_REPLICA_LAG_TIME_MAX_MS = 30_000;

/**
 * One Kafka broker: a listener, the request handlers, and the replicas it holds. All of its state
 * changes on one event loop (its own worker thread in a cluster).
 */
export class Broker extends EventEmitter {
  readonly image = new MetadataImage();
  readonly replicas: ReplicaManager;
  readonly listener: KafkaListener;
  readonly producerIds: ProducerIdManager;
  readonly fetchWaiters = new FetchWaiters();
  readonly traffic = new TrafficCounters();
  /** The classic group coordinator for the `__consumer_offsets` partitions this broker leads. */
  readonly groups: GroupCoordinator;
  private readonly dispatcher: RequestDispatcher;
  private unsubscribe: (() => void) | null = null;
  private readonly fetchers = new Map<number, ReplicaFetcher>();
  private readonly watched = new WeakSet<Partition>();
  private timers: NodeJS.Timeout[] = [];
  /** Compaction of local replicas of compacted topics (null when log.cleaner.enable=false or stopped). */
  private cleaner: LogCleaner | null = null;
  private started = false;

  constructor(
    readonly config: BrokerConfig,
    readonly controller: ControllerChannel,
    readonly logger: BrokerLogger = silentLogger,
  ) {
    super();
    this.replicas = new ReplicaManager({
      brokerId: config.nodeId,
      logDir: config.logDir,
      defaultTopicConfigs: () => this.topicDefaults(),
      onLogEvent: (m) => logger.info(m),
      onRoleChange: (p, role) => this.onRoleChange(p, role),
      onRemoved: (p) => this.stopFetching(p),
    });
    this.producerIds = new ProducerIdManager(() => controller.allocateProducerIds(config.nodeId));
    this.groups = createGroupCoordinator(this);
    this.dispatcher = new RequestDispatcher(this, handlers);
    this.listener = new KafkaListener(
      {
        host: config.host,
        port: config.port,
        maxRequestBytes: config.socketRequestMaxBytes,
        onError: (err, conn) => this.onConnectionError(err, conn),
      },
      (frame, conn) => this.dispatcher.dispatch(frame, conn),
    );
  }

  get nodeId(): number {
    return this.config.nodeId;
  }

  get port(): number {
    return this.listener.port;
  }

  get host(): string {
    return this.config.host;
  }

  /**
   * Broker configs in force now: the dynamic config of this broker id over the dynamic cluster
   * default ('') over the start-up settings (AlterConfigs on BROKER resources changes the first two).
   */
  effectiveOverrides(): Record<string, string> {
    return mergeBrokerOverrides(
      this.config.overrides,
      this.image.brokerConfigs.get(''),
      this.image.brokerConfigs.get(String(this.config.nodeId)),
    );
  }

  topicDefaults(): Record<string, string> {
    return brokerTopicDefaults({ ...this.config, overrides: this.effectiveOverrides() });
  }

  /** log.retention.check.interval.ms (a start-up setting, as in Kafka). */
  get retentionCheckIntervalMs(): number {
    const raw = this.config.overrides['log.retention.check.interval.ms'];
    if (raw === undefined) return DEFAULT_RETENTION_CHECK_INTERVAL_MS;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isSafeInteger(n) || n < 1) {
      throw new Error(`Invalid value ${JSON.stringify(raw)} for log.retention.check.interval.ms: it must be a whole number of at least 1.`);
    }
    return n;
  }

  /** Binds the listener, registers with the controller and catches up on metadata. */
  async start(): Promise<void> {
    const retentionCheckIntervalMs = this.retentionCheckIntervalMs;
    await this.listener.start();
    if (this.config.port === 0) this.config.port = this.listener.port;
    await this.controller.registerBroker({ brokerId: this.nodeId, host: this.host, port: this.port, rack: null });
    const { history, unsubscribe } = await this.controller.subscribe((records) => this.onMetadata(records));
    this.unsubscribe = unsubscribe;
    for (const r of history) this.image.apply(r);
    this.replicas.removeStrayLogs(this.image);
    this.replicas.applyImage(this.image);
    this.groups.start();
    this.timers.push(
      setInterval(() => this.runRetention(), retentionCheckIntervalMs).unref(),
      setInterval(() => this.runFlush(), FLUSH_CHECK_INTERVAL_MS).unref(),
      setInterval(() => this.checkIsrShrink(), Math.max(100, this.replicaLagTimeMaxMs / 2)).unref(),
    );
    this.cleaner = startBrokerLogCleaner(this);
    this.started = true;
    this.logger.info(`broker ${this.nodeId} listening on ${this.host}:${this.port}`);
  }

  /**
   * Stops the broker cleanly. With `controlled` (a single broker stopping in a running cluster) it
   * first asks the controller to move its leaderships away, as Kafka's controlled shutdown does;
   * a whole-cluster stop skips that so leaders and ISRs come back as they were.
   */
  async stop(options: { controlled?: boolean } = {}): Promise<void> {
    if (this.started && options.controlled) await this.controller.brokerShutdown(this.nodeId).catch(() => undefined);
    await this.halt();
    this.replicas.flushAll();
    this.replicas.close();
  }

  /** Stops at once, as a crash would: nothing is flushed and no log is marked clean. */
  async abort(): Promise<void> {
    await this.halt();
    this.replicas.abandon();
  }

  private async halt(): Promise<void> {
    this.groups.stop();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.cleaner?.stop();
    this.cleaner = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.listener.stop();
    for (const f of this.fetchers.values()) await f.stop();
    this.fetchers.clear();
    this.fetchWaiters.cancelAll();
    this.started = false;
  }

  /**
   * Time (retention.ms) and size (retention.bytes) retention on every local replica, leaders and
   * followers alike, as Kafka's log manager does every log.retention.check.interval.ms.
   */
  runRetention(now = Date.now()): void {
    for (const p of this.replicas.all()) {
      try {
        p.log.applyRetention(now);
      } catch (err) {
        this.logger.error(`retention failed for ${p.topic}-${p.partition}: ${(err as Error).message}`);
      }
    }
  }

  private runFlush(): void {
    for (const p of this.replicas.all()) {
      try {
        p.log.maybeFlush();
      } catch (err) {
        this.logger.error(`flush failed for ${p.topic}-${p.partition}: ${(err as Error).message}`);
      }
    }
  }

  /** What this broker holds and has moved, for the observation stream. */
  stats(now = Date.now()): BrokerStats {
    return {
      brokerId: this.nodeId,
      at: now,
      replicas: this.replicas.all().map((p) => ({
        topic: p.topic,
        partition: p.partition,
        isLeader: p.isLeader,
        logStartOffset: p.logStartOffset,
        logEndOffset: p.logEndOffset,
        highWatermark: p.highWatermark,
        sizeBytes: p.log.size,
      })),
      traffic: this.traffic.snapshot(),
      connections: this.listener.connectionCount,
      groups: groupStats(this.groups),
    };
  }

  get replicaLagTimeMaxMs(): number {
    return Number(this.config.overrides['replica.lag.time.max.ms'] ?? DEFAULT_REPLICA_LAG_TIME_MAX_MS);
  }

  /** Asks the controller to change a partition's ISR (AlterPartition); the metadata brings the result. */
  requestIsrChange(change: IsrChangeRequest | null): void {
    if (!change) return;
    const p = change.partition;
    // Only live (unfenced) brokers may join an ISR (KIP-841); a dead follower's last progress must
    // not bring it back.
    const isr = change.isr.filter((id) => p.isr.includes(id) || this.image.brokers.get(id)?.fenced === false);
    if (isr.length === p.isr.length && isr.every((id) => p.isr.includes(id))) {
      p.isrChangePending = false;
      return;
    }
    change = { ...change, isr };
    this.controller
      .alterPartition({
        brokerId: this.nodeId,
        topicId: p.topicId,
        partition: p.partition,
        leaderEpoch: change.leaderEpoch,
        partitionEpoch: change.partitionEpoch,
        isr: change.isr,
      })
      .then(
        (result) => {
          if (result.errorCode !== 0) p.isrChangePending = false;
        },
        (err: Error) => {
          p.isrChangePending = false;
          this.logger.warn(`AlterPartition for ${p.topic}-${p.partition} failed: ${err.message}`);
        },
      );
  }

  private checkIsrShrink(): void {
    const now = Date.now();
    for (const p of this.replicas.all()) {
      if (p.isLeader && p.isr.length > 1) this.requestIsrChange(p.isrShrink(now, this.replicaLagTimeMaxMs));
    }
  }

  private onRoleChange(p: Partition, role: 'leader' | 'follower' | 'offline'): void {
    if (!this.watched.has(p)) {
      this.watched.add(p);
      const key = partitionKey(p.topic, p.partition);
      const wake = () => this.fetchWaiters.notify(key);
      p.on('highWatermark', wake);
      p.on('append', wake);
      p.on('removed', wake);
    }
    this.stopFetching(p);
    if (role === 'follower') this.fetcherFor(p.leaderId).add(p);
    // Waiters (acks=all produce, long-poll fetch) re-check their partition's state.
    this.fetchWaiters.notify(partitionKey(p.topic, p.partition));
  }

  private stopFetching(p: Partition): void {
    for (const f of this.fetchers.values()) f.remove(p);
  }

  private fetcherFor(leaderId: number): ReplicaFetcher {
    let f = this.fetchers.get(leaderId);
    if (!f) {
      f = new ReplicaFetcher({
        brokerId: this.nodeId,
        leaderId,
        leaderAddress: () => {
          const b = this.image.brokers.get(leaderId);
          return b && !b.fenced ? { host: b.host, port: b.port } : null;
        },
        maxWaitMs: Number(this.config.overrides['replica.fetch.wait.max.ms'] ?? 500),
        onError: (m) => this.logger.warn(m),
        onAppend: (p, bytes) => this.traffic.replicated(p.topic, bytes),
      });
      this.fetchers.set(leaderId, f);
    }
    return f;
  }

  private onMetadata(records: MetadataRecord[]): void {
    for (const r of records) this.image.apply(r);
    try {
      this.replicas.applyImage(this.image);
    } catch (err) {
      this.logger.error(`applying metadata failed: ${(err as Error).message}`);
    }
    this.emit('metadata', records);
  }

  private onConnectionError(err: Error, conn: ConnectionInfo | null): void {
    const who = conn ? `${conn.remoteAddress}:${conn.remotePort}` : 'listener';
    this.logger.warn(`closing connection from ${who}: ${err.message}`);
  }
}

const silentLogger: BrokerLogger = { info() {}, warn() {}, error() {} };
