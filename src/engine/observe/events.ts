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

export interface BrokerStats {
  brokerId: number;
  at: number;
  replicas: ReplicaStats[];
  traffic: TopicTraffic[];
  connections: number;
}
