/**
 * Admin operations against any Kafka cluster: topics (create, delete, list, describe), configs,
 * the broker list, and offset lookups. Per-item failures (one topic of several) come back in the
 * results as `error`; failures of the whole call throw a KafkaClientError.
 */
import { Cluster, type ClusterOptions, type PartitionInfo, type BrokerInfo } from './cluster.js';
import { API, ErrorCode } from './protocol.js';
import { KafkaClientError, brokerError } from './errors.js';
import { listOffsets, type IsolationLevel, type ListedOffset, type OffsetQuery } from './list-offsets.js';
import { formatUuid, ownCluster } from './util.js';

export interface NewTopic {
  name: string;
  /** Default: the broker's num.partitions. */
  numPartitions?: number;
  /** Default: the broker's default.replication.factor. */
  replicationFactor?: number;
  configs?: Record<string, string>;
  /** Explicit replica placement: partition → broker ids (then numPartitions/replicationFactor stay unset). */
  assignments?: Record<number, number[]>;
}

export interface CreateTopicsOptions {
  /** Check the request without creating anything. */
  validateOnly?: boolean;
  /** How long the controller may take (default 30 s). */
  timeoutMs?: number;
}

export interface CreateTopicResult {
  name: string;
  /** Kafka's text form of the topic id (base64url), '' when the broker does not return one. */
  topicId: string;
  numPartitions: number;
  replicationFactor: number;
  configs: {
    name: string;
    value: string | null;
    readOnly: boolean;
    source: ConfigSource;
    isSensitive: boolean;
  }[];
  error: KafkaClientError | null;
}

export interface DeleteTopicResult {
  name: string;
  error: KafkaClientError | null;
}

export interface TopicDescription {
  name: string;
  topicId: string;
  isInternal: boolean;
  partitions: PartitionInfo[];
  error: KafkaClientError | null;
}

export type ConfigResourceType = 'topic' | 'broker' | 'broker-logger' | 'group' | 'client-metrics';

export interface ConfigResource {
  type: ConfigResourceType;
  /** Topic name, broker id as text, ... */
  name: string;
  /** Only these keys (default: all). */
  keys?: string[];
}

export type ConfigSource =
  | 'unknown'
  | 'dynamic-topic'
  | 'dynamic-broker'
  | 'dynamic-default-broker'
  | 'static-broker'
  | 'default'
  | 'dynamic-broker-logger'
  | 'client-metrics'
  | 'group';

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  isSensitive: boolean;
  source: ConfigSource;
  synonyms: { name: string; value: string | null; source: ConfigSource }[];
  /** 'boolean', 'int', 'list', ... ('unknown' before DescribeConfigs v3). */
  type: string;
  documentation: string | null;
}

export interface ConfigResourceResult {
  type: ConfigResourceType;
  name: string;
  configs: ConfigEntry[];
  error: KafkaClientError | null;
}

export interface ClusterDescription {
  clusterId: string | null;
  controllerId: number;
  brokers: BrokerInfo[];
}

const RESOURCE_TYPES: Record<ConfigResourceType, number> = {
  topic: 2,
  broker: 4,
  'broker-logger': 8,
  'client-metrics': 16,
  group: 32,
};
const CONFIG_SOURCES: ConfigSource[] = [
  'unknown',
  'dynamic-topic',
  'dynamic-broker',
  'dynamic-default-broker',
  'static-broker',
  'default',
  'dynamic-broker-logger',
  'client-metrics',
  'group',
];
const CONFIG_TYPES = [
  'unknown',
  'boolean',
  'string',
  'int',
  'short',
  'long',
  'double',
  'list',
  'class',
  'password',
];
const { NOT_CONTROLLER, UNKNOWN_TOPIC_OR_PARTITION } = ErrorCode;

export class Admin {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;

  constructor(clusterOrOptions: Cluster | ClusterOptions) {
    ({ cluster: this.cluster, owned: this.ownsCluster } = ownCluster(clusterOrOptions));
  }

  async createTopics(topics: NewTopic[], options: CreateTopicsOptions = {}): Promise<CreateTopicResult[]> {
    const results = new Map<string, CreateTopicResult>();
    let pending = topics;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const conn = await this.cluster.retry('finding the controller', () =>
        this.cluster.controllerConnection(),
      );
      const body = await conn.send(
        API.CreateTopics,
        {
          topics: pending.map((t) => ({
            name: t.name,
            numPartitions: t.assignments ? -1 : (t.numPartitions ?? -1),
            replicationFactor: t.assignments ? -1 : (t.replicationFactor ?? -1),
            assignments: Object.entries(t.assignments ?? {}).map(([p, brokerIds]) => ({
              partitionIndex: Number(p),
              brokerIds,
            })),
            configs: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
          })),
          timeoutMs: options.timeoutMs ?? 30_000,
          validateOnly: options.validateOnly ?? false,
        },
        { timeoutMs: (options.timeoutMs ?? 30_000) + 5_000 },
      );
      const retry: NewTopic[] = [];
      for (const r of body.topics) {
        const error =
          r.errorCode === 0
            ? null
            : brokerError(
                r.errorCode,
                { topic: r.name, action: `creating topic '${r.name}'`, broker: conn.address },
                r.errorMessage,
              );
        if (error && r.errorCode === NOT_CONTROLLER && attempt < 3) {
          const again = pending.find((t) => t.name === r.name);
          if (again) retry.push(again);
          continue;
        }
        results.set(r.name, {
          name: r.name,
          topicId: formatUuid(r.topicId),
          numPartitions: r.numPartitions ?? -1,
          replicationFactor: r.replicationFactor ?? -1,
          configs: (r.configs ?? []).map((c) => ({
            name: c.name,
            value: c.value,
            readOnly: c.readOnly,
            source: CONFIG_SOURCES[c.configSource] ?? 'unknown',
            isSensitive: c.isSensitive,
          })),
          error,
        });
      }
      pending = retry;
      if (retry.length > 0) {
        await this.cluster.backoff(attempt);
        await this.cluster.refreshMetadata([]);
      }
    }
    return topics.map(
      (t) =>
        results.get(t.name) ?? {
          name: t.name,
          topicId: '',
          numPartitions: -1,
          replicationFactor: -1,
          configs: [],
          error: new KafkaClientError(`the broker left topic '${t.name}' out of its CreateTopics answer`),
        },
    );
  }

  async deleteTopics(names: string[], options: { timeoutMs?: number } = {}): Promise<DeleteTopicResult[]> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const results = new Map<string, DeleteTopicResult>();
    let pending = names;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const conn = await this.cluster.retry('finding the controller', () =>
        this.cluster.controllerConnection(),
      );
      const body = await conn.send(
        API.DeleteTopics,
        {
          topics: pending.map((name) => ({ name, topicId: Buffer.alloc(16) })),
          topicNames: pending,
          timeoutMs,
        },
        { timeoutMs: timeoutMs + 5_000 },
      );
      const retry: string[] = [];
      for (const r of body.responses) {
        const name = r.name ?? '';
        if (r.errorCode === NOT_CONTROLLER && attempt < 3) {
          retry.push(name);
          continue;
        }
        const error =
          r.errorCode === 0
            ? null
            : brokerError(
                r.errorCode,
                { topic: name, action: `deleting topic '${name}'`, broker: conn.address },
                r.errorMessage,
              );
        results.set(name, { name, error });
        if (!error) this.cluster.topics.delete(name);
      }
      pending = retry;
      if (retry.length > 0) {
        await this.cluster.backoff(attempt);
        await this.cluster.refreshMetadata([]);
      }
    }
    return names.map(
      (name) =>
        results.get(name) ?? {
          name,
          error: new KafkaClientError(`the broker left topic '${name}' out of its DeleteTopics answer`),
        },
    );
  }

  /** Topic names, sorted. Internal topics (e.g. __consumer_offsets) only when asked for. */
  async listTopics(options: { includeInternal?: boolean } = {}): Promise<string[]> {
    const snapshot = await this.cluster.retry('listing topics', () => this.cluster.refreshMetadata(null), {
      refreshMetadata: false,
    });
    return snapshot.topics
      .filter((t) => options.includeInternal || !t.isInternal)
      .map((t) => t.name)
      .sort();
  }

  /** Partitions with leader, replicas and ISR, from Metadata. Unknown topics come back with an error. */
  async describeTopics(names: string[]): Promise<TopicDescription[]> {
    const snapshot = await this.cluster.retry(
      'describing topics',
      () => this.cluster.refreshMetadata(names),
      { refreshMetadata: false },
    );
    return names.map((name) => {
      const code = snapshot.topicErrors.get(name) ?? UNKNOWN_TOPIC_OR_PARTITION;
      const info = this.cluster.topics.get(name);
      if (code !== 0 || !info) {
        return {
          name,
          topicId: '',
          isInternal: false,
          partitions: [],
          error: brokerError(code || UNKNOWN_TOPIC_OR_PARTITION, {
            topic: name,
            action: `describing topic '${name}'`,
          }),
        };
      }
      return {
        name,
        topicId: formatUuid(info.topicId),
        isInternal: info.isInternal,
        partitions: info.partitions,
        error: null,
      };
    });
  }

  async describeConfigs(
    resources: ConfigResource[],
    options: { includeSynonyms?: boolean; includeDocumentation?: boolean } = {},
  ): Promise<ConfigResourceResult[]> {
    // Broker and broker-logger configs are answered by that broker; the rest by any broker.
    const groups = new Map<number, ConfigResource[]>();
    for (const r of resources) {
      const target = r.type === 'broker' || r.type === 'broker-logger' ? Number(r.name) : -1;
      if (target !== -1 && !Number.isInteger(target))
        throw new KafkaClientError(`'${r.name}' is not a broker id`, { kind: 'config' });
      groups.set(target, [...(groups.get(target) ?? []), r]);
    }
    const results = new Map<string, ConfigResourceResult>();
    await Promise.all(
      [...groups].map(async ([target, list]) => {
        const body = await this.cluster.retry('describing configs', async () => {
          const conn =
            target === -1 ? await this.cluster.anyConnection() : await this.cluster.brokerConnection(target);
          return conn.send(API.DescribeConfigs, {
            resources: list.map((r) => ({
              resourceType: RESOURCE_TYPES[r.type],
              resourceName: r.name,
              configurationKeys: r.keys ?? null,
            })),
            includeSynonyms: options.includeSynonyms ?? false,
            includeDocumentation: options.includeDocumentation ?? false,
          });
        });
        for (const r of body.results) {
          const type =
            (Object.keys(RESOURCE_TYPES) as ConfigResourceType[]).find(
              (k) => RESOURCE_TYPES[k] === r.resourceType,
            ) ?? 'topic';
          results.set(`${type}\0${r.resourceName}`, {
            type,
            name: r.resourceName,
            error:
              r.errorCode === 0
                ? null
                : brokerError(
                    r.errorCode,
                    {
                      topic: type === 'topic' ? r.resourceName : undefined,
                      action: `describing configs of ${type} '${r.resourceName}'`,
                    },
                    r.errorMessage,
                  ),
            configs: r.configs.map((c) => ({
              name: c.name,
              value: c.value,
              readOnly: c.readOnly,
              isDefault: c.configSource === 5 || (c.configSource === -1 && c.isDefault === true),
              isSensitive: c.isSensitive,
              source: CONFIG_SOURCES[c.configSource] ?? 'unknown',
              synonyms: (c.synonyms ?? []).map((s) => ({
                name: s.name,
                value: s.value,
                source: CONFIG_SOURCES[s.source] ?? 'unknown',
              })),
              type: CONFIG_TYPES[c.configType ?? 0] ?? 'unknown',
              documentation: c.documentation ?? null,
            })),
          });
        }
      }),
    );
    return resources.map(
      (r) =>
        results.get(`${r.type}\0${r.name}`) ?? {
          type: r.type,
          name: r.name,
          configs: [],
          error: new KafkaClientError(
            `the broker left ${r.type} '${r.name}' out of its DescribeConfigs answer`,
          ),
        },
    );
  }

  /** Cluster id, controller and brokers: DescribeCluster where the broker has it, else Metadata. */
  async describeCluster(): Promise<ClusterDescription> {
    return this.cluster.retry('describing the cluster', async () => {
      const conn = await this.cluster.anyConnection();
      if (!conn.supports(API.DescribeCluster)) {
        const snapshot = await this.cluster.refreshMetadata([]);
        return {
          clusterId: snapshot.clusterId,
          controllerId: snapshot.controllerId,
          brokers: snapshot.brokers,
        };
      }
      const body = await conn.send(API.DescribeCluster, {
        includeClusterAuthorizedOperations: false,
        endpointType: 1,
      });
      if (body.errorCode !== 0)
        throw brokerError(
          body.errorCode,
          { action: 'describing the cluster', broker: conn.address },
          body.errorMessage,
        );
      return {
        clusterId: body.clusterId,
        controllerId: body.controllerId,
        brokers: body.brokers
          .map((b) => ({ nodeId: b.brokerId, host: b.host, port: b.port, rack: b.rack ?? null }))
          .sort((a, b) => a.nodeId - b.nodeId),
      };
    });
  }

  /** Offsets by spec: earliest, latest, max-timestamp, or the first offset at/after a timestamp. */
  listOffsets(
    queries: OffsetQuery[],
    options: { isolationLevel?: IsolationLevel } = {},
  ): Promise<ListedOffset[]> {
    return listOffsets(this.cluster, queries, options.isolationLevel);
  }

  async close(): Promise<void> {
    if (this.ownsCluster) await this.cluster.close();
  }
}
