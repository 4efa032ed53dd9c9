/**
 * Cluster metadata records: the controller appends them to its metadata log, and every broker
 * replays the same records into its MetadataImage. State is the replay of these records, so
 * recovery is just replay (the habit of Kafka's controller).
 */
export type MetadataRecord =
  | { type: 'RegisterBroker'; brokerId: number; host: string; port: number; rack: string | null; incarnation: string }
  | { type: 'FenceBroker'; brokerId: number }
  | { type: 'UnfenceBroker'; brokerId: number }
  | { type: 'Topic'; name: string; topicId: string }
  | {
      type: 'Partition';
      topicId: string;
      partition: number;
      replicas: number[];
      isr: number[];
      leader: number;
      leaderEpoch: number;
      partitionEpoch: number;
    }
  | {
      type: 'PartitionChange';
      topicId: string;
      partition: number;
      leader?: number;
      isr?: number[];
      replicas?: number[];
      /** Reassignment in progress: replicas being added / removed (empty arrays when none). */
      addingReplicas?: number[];
      removingReplicas?: number[];
      /** The leader epoch bumps when the leader changes; the partition epoch on every change. */
      leaderEpoch: number;
      partitionEpoch: number;
    }
  | { type: 'RemoveTopic'; topicId: string }
  | { type: 'Config'; resourceType: 'topic' | 'broker'; resourceName: string; name: string; value: string | null }
  | { type: 'ProducerIds'; brokerId: number; nextProducerId: number }
  | { type: 'ClusterId'; clusterId: string };

export type MetadataRecordType = MetadataRecord['type'];
