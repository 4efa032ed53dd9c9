/**
 * The client's view of one cluster: the bootstrap list, a metadata cache (brokers, topics,
 * partition leaders, topic ids), one pipelined connection per broker, and the retry loop that
 * refreshes metadata after NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE
 * and lost connections. Admin, producer and consumer each sit on top of a Cluster.
 */
import { Connection, type ConnectionOptions, type TlsOptions } from './connection.js';
import { API, ErrorCode } from './protocol.js';
import { KafkaClientError, brokerError, isRetriable, needsMetadataRefresh } from './errors.js';
import type { VersionRange } from './versions.js';
import type { SaslOptions } from './sasl.js';

export interface ClusterOptions {
  /** "host:port,host:port" or a list of "host:port". */
  bootstrap: string | string[];
  clientId?: string;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** How many times a retriable failure is retried (default 5). */
  retries?: number;
  /** First backoff between retries; it doubles up to maxRetryBackoffMs (defaults 100 and 1000). */
  retryBackoffMs?: number;
  maxRetryBackoffMs?: number;
  /** Versions the client speaks; tests narrow it. */
  clientVersions?: ReadonlyMap<number, VersionRange>;
  /** SASL credentials used on every connection (bootstrap and brokers). */
  sasl?: SaslOptions;
  /** TLS settings used on every connection. */
  tls?: TlsOptions;
}

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface PartitionInfo {
  partition: number;
  /** Leader's broker id, -1 when there is none. */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  errorCode: number;
}

export interface TopicInfo {
  name: string;
  /** 16 bytes; all zero when the broker has no topic ids (Metadata < v10). */
  topicId: Buffer;
  isInternal: boolean;
  /** Sorted by partition index. */
  partitions: PartitionInfo[];
}

export interface MetadataSnapshot {
  clusterId: string | null;
  controllerId: number;
  brokers: BrokerInfo[];
  topics: TopicInfo[];
  /** Topic-level error codes from the last answer, for topics that were asked for by name. */
  topicErrors: Map<string, number>;
}

export interface RefreshOptions {
  /** Lets the broker auto-create missing topics if it is configured to (producer behaviour). */
  allowAutoTopicCreation?: boolean;
}

export interface TopicOptions extends RefreshOptions {
  /** Ask the broker even when the topic is cached. */
  refresh?: boolean;
}

export const ZERO_UUID: Buffer = Buffer.alloc(16);

const { UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE } = ErrorCode;

export class Cluster {
  clusterId: string | null = null;
  controllerId = -1;
  readonly brokers = new Map<number, BrokerInfo>();
  readonly topics = new Map<string, TopicInfo>();

  private readonly bootstrap: { host: string; port: number }[];
  private readonly connectionOptions: Omit<ConnectionOptions, 'host' | 'port'>;
  private readonly retries: number;
  private readonly retryBackoffMs: number;
  private readonly maxRetryBackoffMs: number;
  private readonly pool = new Map<string, Promise<Connection>>();
  private readonly refreshing = new Map<string, Promise<MetadataSnapshot>>();
  private nextBootstrap = 0;
  private closed = false;

  constructor(options: ClusterOptions) {
    this.bootstrap = parseBootstrap(options.bootstrap);
    this.connectionOptions = {
      clientId: options.clientId ?? 'eddy',
      requestTimeoutMs: options.requestTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      clientVersions: options.clientVersions,
      sasl: options.sasl,
      tls: options.tls,
    };
    this.retries = options.retries ?? 5;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
    this.maxRetryBackoffMs = options.maxRetryBackoffMs ?? 1000;
  }

  /** Connects to a bootstrap broker and loads the broker list. */
  async connect(): Promise<void> {
    await this.retry('loading cluster metadata', () => this.refreshMetadata([]), { refreshMetadata: false });
  }

  /**
   * Asks a broker for metadata. `topics` null means every topic (the cache is replaced); a list
   * updates just those topics (topics the broker does not know are dropped from the cache).
   */
  refreshMetadata(topics: string[] | null, options: RefreshOptions = {}): Promise<MetadataSnapshot> {
    const key = `${options.allowAutoTopicCreation ? 'a' : 'n'}:${topics === null ? '*' : [...topics].sort().join(',')}`;
    let running = this.refreshing.get(key);
    if (!running) {
      running = this.fetchMetadata(topics, options).finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, running);
    }
    return running;
  }

  /**
   * Metadata for one topic, loaded when not cached. Retries while the topic has no leaders yet
   * (just created) and fails with UNKNOWN_TOPIC_OR_PARTITION when it does not exist.
   */
  async topic(name: string, options: TopicOptions = {}): Promise<TopicInfo> {
    const cached = this.topics.get(name);
    if (cached && !options.refresh && cached.partitions.every((p) => p.leader >= 0)) return cached;
    return this.retry(
      `loading metadata for topic '${name}'`,
      async () => {
        const snapshot = await this.refreshMetadata([name], options);
        const code = snapshot.topicErrors.get(name) ?? UNKNOWN_TOPIC_OR_PARTITION;
        const topic = this.topics.get(name);
        if (code !== 0 || !topic)
          throw brokerError(code || UNKNOWN_TOPIC_OR_PARTITION, {
            topic: name,
            action: 'loading topic metadata',
          });
        const leaderless = topic.partitions.find((p) => p.leader < 0);
        if (leaderless || topic.partitions.length === 0) {
          throw brokerError(LEADER_NOT_AVAILABLE, {
            topic: name,
            partition: leaderless?.partition,
            action: 'loading topic metadata',
          });
        }
        return topic;
      },
      { refreshMetadata: false },
    );
  }

  /** Partition info (leader etc.) for one partition; throws UNKNOWN_TOPIC_OR_PARTITION if out of range. */
  async partition(topic: string, partition: number, options: TopicOptions = {}): Promise<PartitionInfo> {
    const info = await this.topic(topic, options);
    const p = info.partitions.find((x) => x.partition === partition);
    if (!p) {
      throw new KafkaClientError(
        `topic '${topic}' has no partition ${partition} (it has ${info.partitions.length})`,
        {
          code: UNKNOWN_TOPIC_OR_PARTITION,
          retriable: false,
          topic,
          partition,
        },
      );
    }
    return p;
  }

  /** The pooled connection to a broker by node id (loads metadata when the id is unknown). */
  async brokerConnection(nodeId: number): Promise<Connection> {
    let broker = this.brokers.get(nodeId);
    if (!broker) {
      await this.refreshMetadata([]);
      broker = this.brokers.get(nodeId);
    }
    if (!broker)
      throw new KafkaClientError(`broker ${nodeId} is not in the cluster metadata`, {
        kind: 'connection',
        retriable: true,
      });
    return this.connectTo(broker.host, broker.port);
  }

  /** Connection to the broker that leads a partition, and that broker's id. */
  async leaderConnection(
    topic: string,
    partition: number,
  ): Promise<{ nodeId: number; connection: Connection }> {
    const p = await this.partition(topic, partition);
    return { nodeId: p.leader, connection: await this.brokerConnection(p.leader) };
  }

  /** The broker to send admin requests to (Metadata's controller id; in KRaft any broker forwards). */
  async controllerConnection(): Promise<Connection> {
    if (this.controllerId < 0 || !this.brokers.has(this.controllerId)) await this.refreshMetadata([]);
    if (this.controllerId >= 0 && this.brokers.has(this.controllerId))
      return this.brokerConnection(this.controllerId);
    return this.anyConnection();
  }

  /** An open connection to any broker: a pooled one if there is one, else known brokers, else the bootstrap list. */
  async anyConnection(): Promise<Connection> {
    for (const pending of this.pool.values()) {
      const conn = await pending.catch(() => null);
      if (conn && !conn.closed) return conn;
    }
    const candidates = [...this.brokers.values(), ...this.rotatedBootstrap()];
    let lastError: unknown = null;
    for (const c of candidates) {
      try {
        return await this.connectTo(c.host, c.port);
      } catch (err) {
        // Refused credentials or an untrusted certificate will not get better on another broker.
        if (err instanceof KafkaClientError && (err.kind === 'authentication' || err.kind === 'tls'))
          throw err;
        lastError = err;
      }
    }
    const list = this.bootstrap.map((b) => `${b.host}:${b.port}`).join(', ');
    throw new KafkaClientError(
      `could not reach any broker (bootstrap: ${list})${lastError ? `: ${(lastError as Error).message}` : ''}`,
      {
        kind: 'connection',
        retriable: true,
        cause: lastError ?? undefined,
      },
    );
  }

  /**
   * Runs `fn` and retries it on retriable failures with exponential backoff, refreshing the
   * metadata of the cached topics first when the failure says it is stale.
   */
  async retry<T>(
    action: string,
    fn: (attempt: number) => Promise<T>,
    options: { refreshMetadata?: boolean } = {},
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (err) {
        if (this.closed)
          throw new KafkaClientError(`${action} stopped: the client was closed`, {
            kind: 'closed',
            cause: err,
          });
        if (!isRetriable(err) || attempt >= this.retries) throw err;
        await this.backoff(attempt);
        if (options.refreshMetadata !== false && this.topics.size > 0 && needsMetadataRefresh(err)) {
          await this.refreshMetadata([...this.topics.keys()]).catch(() => undefined);
        }
      }
    }
  }

  /** Waits retryBackoffMs · 2^attempt (capped, ±20 % jitter). */
  backoff(attempt: number): Promise<void> {
    const base = Math.min(this.maxRetryBackoffMs, this.retryBackoffMs * 2 ** attempt);
    const ms = Math.round(base * (0.8 + Math.random() * 0.4));
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.pool.values()];
    this.pool.clear();
    for (const pending of all) {
      const conn = await pending.catch(() => null);
      conn?.close();
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private connectTo(host: string, port: number): Promise<Connection> {
    if (this.closed) return Promise.reject(new KafkaClientError('the client is closed', { kind: 'closed' }));
    const address = `${host}:${port}`;
    const existing = this.pool.get(address);
    if (existing) {
      return existing.then((conn) => (conn.closed ? this.reconnect(address, host, port, existing) : conn));
    }
    return this.reconnect(address, host, port, undefined);
  }

  private reconnect(
    address: string,
    host: string,
    port: number,
    stale: Promise<Connection> | undefined,
  ): Promise<Connection> {
    const current = this.pool.get(address);
    if (current && current !== stale) return current;
    const pending = Connection.connect({ ...this.connectionOptions, host, port });
    this.pool.set(address, pending);
    pending.then(
      (conn) => {
        conn.once('close', () => {
          if (this.pool.get(address) === pending) this.pool.delete(address);
        });
        if (this.closed) conn.close();
      },
      () => {
        if (this.pool.get(address) === pending) this.pool.delete(address);
      },
    );
    return pending;
  }

  private rotatedBootstrap(): { host: string; port: number }[] {
    const start = this.nextBootstrap++ % this.bootstrap.length;
    return [...this.bootstrap.slice(start), ...this.bootstrap.slice(0, start)];
  }

  private async fetchMetadata(topics: string[] | null, options: RefreshOptions): Promise<MetadataSnapshot> {
    const conn = await this.anyConnection();
    const body = await conn.send(API.Metadata, {
      topics: topics === null ? null : topics.map((name) => ({ name, topicId: ZERO_UUID })),
      allowAutoTopicCreation: options.allowAutoTopicCreation ?? false,
      includeTopicAuthorizedOperations: false,
      includeClusterAuthorizedOperations: false,
    });
    this.clusterId = body.clusterId ?? null;
    this.controllerId = body.controllerId ?? -1;
    this.brokers.clear();
    for (const b of body.brokers)
      this.brokers.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null });
    if (topics === null) this.topics.clear();
    const topicErrors = new Map<string, number>();
    const seen: TopicInfo[] = [];
    for (const t of body.topics) {
      if (t.name === null) continue;
      topicErrors.set(t.name, t.errorCode);
      if (t.errorCode === UNKNOWN_TOPIC_OR_PARTITION) {
        this.topics.delete(t.name);
        continue;
      }
      if (t.errorCode !== 0 && t.partitions.length === 0) continue;
      const info: TopicInfo = {
        name: t.name,
        topicId: t.topicId ?? ZERO_UUID,
        isInternal: t.isInternal ?? false,
        partitions: t.partitions
          .map((p) => ({
            partition: p.partitionIndex,
            leader: p.leaderId,
            leaderEpoch: p.leaderEpoch ?? -1,
            replicas: p.replicaNodes,
            isr: p.isrNodes,
            offlineReplicas: p.offlineReplicas ?? [],
            errorCode: p.errorCode,
          }))
          .sort((a, b) => a.partition - b.partition),
      };
      this.topics.set(t.name, info);
      seen.push(info);
    }
    return {
      clusterId: this.clusterId,
      controllerId: this.controllerId,
      brokers: [...this.brokers.values()],
      topics: seen,
      topicErrors,
    };
  }
}

/** Parses "h:p,h:p" (or a list); a bare host gets port 9092. */
export function parseBootstrap(bootstrap: string | string[]): { host: string; port: number }[] {
  const parts = (Array.isArray(bootstrap) ? bootstrap : bootstrap.split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (parts.length === 0)
    throw new KafkaClientError('the bootstrap server list is empty', { kind: 'config' });
  return parts.map((part) => {
    let host = part;
    let portText: string | undefined;
    const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(part);
    if (bracketed) {
      host = bracketed[1];
      portText = bracketed[2];
    } else if (part.indexOf(':') === part.lastIndexOf(':') && part.includes(':')) {
      host = part.slice(0, part.indexOf(':'));
      portText = part.slice(part.indexOf(':') + 1);
    }
    const port = portText === undefined ? 9092 : Number(portText);
    if (!host || !/^\d+$/.test(portText ?? '9092') || port < 1 || port > 65535) {
      throw new KafkaClientError(`'${part}' is not a host:port address`, { kind: 'config' });
    }
    return { host, port };
  });
}
