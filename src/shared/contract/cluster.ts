/** The cluster service: who the brokers are, which one is the controller, which topics exist. */
import { method, stream } from './define.js';
import { tuple } from './schema.js';

export interface BrokerSummary {
  /** Kafka's node.id. */
  id: number;
  host: string;
  port: number;
  /** Registered and not fenced by the controller: clients can use it. */
  up: boolean;
}

export interface TopicSummary {
  name: string;
  partitions: number;
  /** Replicas per partition. */
  replicationFactor: number;
  /** Kafka's own topics, such as __consumer_offsets. */
  internal: boolean;
}

export interface ClusterDescription {
  clusterId: string;
  /** The broker clients are told is the controller; -1 when no broker is up. */
  controllerId: number;
  /** Sorted by id. */
  brokers: BrokerSummary[];
  /** Sorted by name. */
  topics: TopicSummary[];
}

export const clusterContract = {
  describe: method(tuple([])).returns<ClusterDescription>(),
  /** Emits the current description on subscribe, then again after every metadata change. */
  onChange: stream(tuple([])).emits<ClusterDescription>(),
};
