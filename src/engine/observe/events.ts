/**
 * What the engine tells its observers (the GUI's timeline, the CLI): cluster events derived from
 * controller metadata records, plus periodic per-broker statistics pushed by the brokers.
 */
export type ClusterEvent =
  | { type: 'broker-up'; at: number; brokerId: number; host: string; port: number }
  | { type: 'broker-down'; at: number; brokerId: number }
  | { type: 'topic-created'; at: number; topic: string; partitions: number; replicationFactor: number }
  | { type: 'topic-deleted'; at: number; topic: string }
  | { type: 'partitions-added'; at: number; topic: string; partitions: number }
  | { type: 'leader-changed'; at: number; topic: string; partition: number; leader: number; previousLeader: number; leaderEpoch: number }
  | { type: 'isr-changed'; at: number; topic: string; partition: number; isr: number[]; previousIsr: number[] }
  | { type: 'replicas-changed'; at: number; topic: string; partition: number; replicas: number[]; adding: number[]; removing: number[] }
  | { type: 'config-changed'; at: number; resourceType: 'topic' | 'broker'; resourceName: string; name: string; value: string | null };

export type ClusterEventType = ClusterEvent['type'];

/** One partition replica's offsets as its broker sees them. */
export interface ReplicaStats {
  topic: string;
  partition: number;
  isLeader: boolean;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  sizeBytes: number;
}

/** Cumulative traffic counters of one broker, per topic (rates are differences of two samples). */
export interface TopicTraffic {
  topic: string;
  bytesIn: number;
  recordsIn: number;
  bytesOut: number;
  replicationBytesIn: number;
  replicationBytesOut: number;
}

/** One consumer group as its coordinator sees it, with the offsets committed for it. */
export interface GroupStats {
  groupId: string;
  /** Empty, PreparingRebalance, CompletingRebalance or Stable. */
  state: string;
  /** 'consumer' for Kafka consumers, '' for offsets-only (simple) groups. */
  protocolType: string;
  /** The chosen assignor (range, roundrobin, cooperative-sticky …) while Stable, else ''. */
  protocol: string;
  members: number;
  /** The partition of `__consumer_offsets` that holds the group; its leader coordinates it. */
  offsetsPartition: number;
  offsets: { topic: string; partition: number; offset: number }[];
}

export interface BrokerStats {
  brokerId: number;
  at: number;
  replicas: ReplicaStats[];
  traffic: TopicTraffic[];
  connections: number;
  /** The groups this broker coordinates (absent from brokers that do not report groups). */
  groups?: GroupStats[];
}

/** Lag of one partition for one group: log end offset (leader's high watermark) − committed offset. */
export interface PartitionLag {
  topic: string;
  partition: number;
  committedOffset: number;
  /** The leader's high watermark (what kafka-consumer-groups shows as LOG-END-OFFSET); null when unknown. */
  logEndOffset: number | null;
  /** null when the log end offset is unknown (Kafka prints '-'). */
  lag: number | null;
}

export interface GroupLag {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: number;
  /** Broker id of the coordinator that reported the group. */
  coordinator: number;
  /** Sorted by topic, then partition. */
  partitions: PartitionLag[];
  /** Sum of the known partition lags. */
  totalLag: number;
}
