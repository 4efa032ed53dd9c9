/** Topics: the list with figures, one topic's partitions and files, create / delete / configs. */
import { method, stream } from './define.js';
import { partitionIndex, topicName } from './common.js';
import { array, integer, nullable, object, string, tuple } from './schema.js';

export interface TopicRow {
  name: string;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  /** Sum over partitions of (high watermark − log start offset); null when unknown. */
  records: number | null;
  /** Bytes on disk of the leaders' logs (one copy); null when unknown. */
  sizeBytes: number | null;
  /** Partitions whose ISR is smaller than their replica set. */
  underReplicatedPartitions: number;
  /** Partitions with no leader. */
  offlinePartitions: number;
}

export interface PartitionRow {
  partition: number;
  /** -1 when there is none. */
  leader: number;
  leaderEpoch: number;
  /** In preference order: the first is the preferred leader. */
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  logStartOffset: number | null;
  /** The leader's log end offset (where the next record goes). */
  logEndOffset: number | null;
  highWatermark: number | null;
  /** Bytes of the leader's log on disk; null when unknown. */
  sizeBytes: number | null;
}

export interface TopicDetail {
  name: string;
  /** Kafka's topic id, base64url as Kafka prints it. */
  topicId: string;
  internal: boolean;
  partitions: PartitionRow[];
  /** Broker ids of the cluster, for the partitions × brokers grid (sorted). */
  brokerIds: number[];
  /** Brokers that are down (fenced), so the grid can mark them. */
  brokersDown: number[];
}

export interface ConfigEntryView {
  name: string;
  value: string | null;
  /** DEFAULT_CONFIG, STATIC_BROKER_CONFIG, DYNAMIC_TOPIC_CONFIG … as Kafka names sources. */
  source: string;
  isDefault: boolean;
  readOnly: boolean;
  sensitive: boolean;
  /** Kafka's value type (BOOLEAN, INT, LONG, STRING, LIST …) when the broker says. */
  type: string | null;
  documentation: string | null;
}

export interface SegmentFile {
  name: string;
  /** log, index, timeindex, snapshot, txnindex, deleted, cleaned, swap, other. */
  kind: string;
  bytes: number;
  modifiedAt: number;
}

export interface ReplicaFiles {
  brokerId: number;
  partition: number;
  /** The replica's directory relative to the data dir, e.g. broker-2/orders-0. */
  directory: string;
  files: SegmentFile[];
}

const configMap = () =>
  array(object({ name: string({ minLength: 1, maxLength: 255 }), value: string({ maxLength: 64 * 1024 }) }), {
    maxItems: 200,
  });

export const newTopicSchema = object({
  name: topicName(),
  partitions: integer({ min: 1, max: 10_000 }),
  replicationFactor: integer({ min: 1, max: 32 }),
  configs: configMap(),
});

export const topicsContract = {
  /** The list on subscribe, then whenever it changes (at most about once a second). */
  onTopics: stream(tuple([])).emits<TopicRow[]>(),
  create: method(tuple([newTopicSchema])).returns<void>(),
  /** Validates against the brokers (Kafka's validateOnly) without creating. */
  validateCreate: method(tuple([newTopicSchema])).returns<void>(),
  delete: method(tuple([topicName()])).returns<void>(),
  /** One topic live: on subscribe, then after each leader / ISR / offset change. */
  onTopic: stream(tuple([topicName()])).emits<TopicDetail>(),
  configs: method(tuple([topicName()])).returns<ConfigEntryView[]>(),
  /** Sets `set` and returns `reset` to their defaults, in one IncrementalAlterConfigs. */
  alterConfigs: method(
    tuple([topicName(), configMap(), array(string({ minLength: 1, maxLength: 255 }), { maxItems: 200 })]),
  ).returns<void>(),
  /** Grows the topic to `total` partitions (Kafka cannot shrink). */
  addPartitions: method(tuple([topicName(), integer({ min: 1, max: 10_000 })])).returns<void>(),
  /** Deletes every record below the high watermark (DeleteRecords); all partitions when null. */
  purge: method(
    tuple([topicName(), nullable(array(partitionIndex(), { maxItems: 10_000 }))]),
  ).returns<void>(),
  /** Segment files of every replica of one partition, or of all partitions when null (embedded cluster only). */
  files: method(tuple([topicName(), nullable(partitionIndex())])).returns<ReplicaFiles[]>(),
  /** The broker's defaults for topic configs, for the create form and the diff. */
  configDefaults: method(tuple([])).returns<ConfigEntryView[]>(),
};
