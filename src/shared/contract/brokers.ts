/** Brokers with their load, the lifecycle buttons (embedded cluster only), and the event timeline. */
import { method, stream } from './define.js';
import { brokerId } from './common.js';
import { array, integer, literal, object, optional, tuple } from './schema.js';

export interface BrokerView {
  id: number;
  host: string;
  port: number;
  rack: string | null;
  /** Registered and unfenced (clients can use it). */
  up: boolean;
  /** The broker's process state in the embedded cluster; null for external clusters. */
  running: boolean | null;
  /** The broker clients are told is the controller. */
  controller: boolean;
  /** Partitions whose leader is this broker. */
  leaders: number;
  /** Replicas hosted (leaders + followers). */
  replicas: number;
  /** Bytes of log on disk; null when the cluster does not say (DescribeLogDirs failed). */
  diskBytes: number | null;
  /** Rates over the last sample interval; null until two samples exist or where unknown. */
  bytesInPerSec: number | null;
  bytesOutPerSec: number | null;
  /** Open client connections (embedded only), null elsewhere. */
  connections: number | null;
}

export interface BrokersSnapshot {
  at: number;
  brokers: BrokerView[];
  /** Totals over all brokers for the status strip. */
  bytesInPerSec: number | null;
  bytesOutPerSec: number | null;
}

/** One entry of the cluster's timeline; `type` follows the engine's ClusterEvent names. */
export type TimelineEvent =
  | { seq: number; type: 'broker-up'; at: number; brokerId: number; host: string; port: number }
  | { seq: number; type: 'broker-down'; at: number; brokerId: number }
  | {
      seq: number;
      type: 'topic-created';
      at: number;
      topic: string;
      partitions: number;
      replicationFactor: number;
    }
  | { seq: number; type: 'topic-deleted'; at: number; topic: string }
  | { seq: number; type: 'partitions-added'; at: number; topic: string; partitions: number }
  | {
      seq: number;
      type: 'leader-changed';
      at: number;
      topic: string;
      partition: number;
      leader: number;
      previousLeader: number;
      leaderEpoch: number;
    }
  | {
      seq: number;
      type: 'isr-changed';
      at: number;
      topic: string;
      partition: number;
      isr: number[];
      previousIsr: number[];
    }
  | {
      seq: number;
      type: 'replicas-changed';
      at: number;
      topic: string;
      partition: number;
      replicas: number[];
      adding: number[];
      removing: number[];
    }
  | {
      seq: number;
      type: 'config-changed';
      at: number;
      resourceType: 'topic' | 'broker';
      resourceName: string;
      name: string;
      value: string | null;
    }
  | { seq: number; type: 'group-state'; at: number; groupId: string; state: string; members: number };

export type TimelineEventType = TimelineEvent['type'];

export const TIMELINE_EVENT_TYPES = [
  'broker-up',
  'broker-down',
  'topic-created',
  'topic-deleted',
  'partitions-added',
  'leader-changed',
  'isr-changed',
  'replicas-changed',
  'config-changed',
  'group-state',
] as const satisfies readonly TimelineEventType[];

export interface TimelineBatch {
  /** true for the history sent on subscribe, false for events as they happen. */
  history: boolean;
  events: TimelineEvent[];
}

export const brokersContract = {
  /** A snapshot on subscribe, then one per second (and at once after a broker changes state). */
  onBrokers: stream(tuple([])).emits<BrokersSnapshot>(),
  /** Controlled shutdown: leadership moves away first, logs are flushed. Embedded only. */
  stop: method(tuple([brokerId()])).returns<void>(),
  /** Ends the broker at once, as a crash would. Embedded only. */
  kill: method(tuple([brokerId()])).returns<void>(),
  start: method(tuple([brokerId()])).returns<void>(),
  /**
   * The last `limit` events (newest last) filtered by type (all when absent), then new ones as they
   * happen. Embedded: the recorded timeline.jsonl; external: what Eddy saw since it connected.
   */
  onTimeline: stream(
    tuple([
      object({
        limit: integer({ min: 0, max: 10_000 }),
        types: optional(array(literal(...TIMELINE_EVENT_TYPES), { maxItems: 20 })),
      }),
    ]),
  ).emits<TimelineBatch>(),
};
