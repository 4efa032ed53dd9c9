/**
 * The group coordinator's broker configs, under Kafka's names. They come from the broker's overrides
 * (`eddy serve --config group.initial.rebalance.delay.ms=3000`, the engine options), so no new field
 * on BrokerConfig is needed.
 */
export interface GroupCoordinatorConfig {
  /** group.initial.rebalance.delay.ms — Kafka: 3000. Eddy: 0 (see DEFAULTS). */
  initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms */
  minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  maxSessionTimeoutMs: number;
  /** group.max.size */
  maxGroupSize: number;
  /** offsets.topic.num.partitions — used when __consumer_offsets is first created. */
  offsetsTopicNumPartitions: number;
  /** offsets.topic.replication.factor — capped by the live brokers at creation. */
  offsetsTopicReplicationFactor: number;
  /** offsets.topic.segment.bytes */
  offsetsTopicSegmentBytes: number;
  /** offsets.retention.minutes, in ms. */
  offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms */
  offsetsRetentionCheckIntervalMs: number;
  /** offset.metadata.max.bytes (Kafka compares it with the metadata string's length). */
  offsetMetadataMaxBytes: number;
  /** offsets.commit.timeout.ms: how long a coordinator write waits for the in-sync replicas. */
  offsetCommitTimeoutMs: number;
  /** Kafka's classic-group new-member join timeout (not configurable in Kafka either). */
  newMemberJoinTimeoutMs: number;
}

export const GROUP_COORDINATOR_DEFAULTS: GroupCoordinatorConfig = {
  // Kafka waits 3 s after the first member joins an empty group so that others can join the same
  // generation. A desktop cluster is mostly one developer starting one consumer; waiting would only
  // make every first poll 3 s slower. Set it to 3000 to get Kafka's behaviour.
  initialRebalanceDelayMs: 0,
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 1_800_000,
  maxGroupSize: 0x7fffffff,
  offsetsTopicNumPartitions: 50,
  offsetsTopicReplicationFactor: 3,
  offsetsTopicSegmentBytes: 104_857_600,
  offsetsRetentionMs: 10_080 * 60_000,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetMetadataMaxBytes: 4096,
  offsetCommitTimeoutMs: 5_000,
  newMemberJoinTimeoutMs: 5 * 60_000,
};

const KEYS: { name: string; field: keyof GroupCoordinatorConfig; scale?: number; min: number }[] = [
  { name: 'group.initial.rebalance.delay.ms', field: 'initialRebalanceDelayMs', min: 0 },
  { name: 'group.min.session.timeout.ms', field: 'minSessionTimeoutMs', min: 0 },
  { name: 'group.max.session.timeout.ms', field: 'maxSessionTimeoutMs', min: 0 },
  { name: 'group.max.size', field: 'maxGroupSize', min: 1 },
  { name: 'offsets.topic.num.partitions', field: 'offsetsTopicNumPartitions', min: 1 },
  { name: 'offsets.topic.replication.factor', field: 'offsetsTopicReplicationFactor', min: 1 },
  { name: 'offsets.topic.segment.bytes', field: 'offsetsTopicSegmentBytes', min: 1024 * 1024 },
  { name: 'offsets.retention.minutes', field: 'offsetsRetentionMs', scale: 60_000, min: 1 },
  { name: 'offsets.retention.check.interval.ms', field: 'offsetsRetentionCheckIntervalMs', min: 1 },
  { name: 'offset.metadata.max.bytes', field: 'offsetMetadataMaxBytes', min: 0 },
  { name: 'offsets.commit.timeout.ms', field: 'offsetCommitTimeoutMs', min: 1 },
];

/**
 * Reads the coordinator configs from broker overrides. A malformed value stops the broker from
 * starting, as it stops Kafka: silently using a default would hide the mistake.
 */
export function groupCoordinatorConfig(overrides: Record<string, string> = {}): GroupCoordinatorConfig {
  const config = { ...GROUP_COORDINATOR_DEFAULTS };
  for (const k of KEYS) {
    const raw = overrides[k.name];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isSafeInteger(n) || n < k.min) {
      throw new Error(
        `Invalid value ${JSON.stringify(raw)} for ${k.name}: it must be a whole number of at least ${k.min}.`,
      );
    }
    config[k.field] = n * (k.scale ?? 1);
  }
  if (config.minSessionTimeoutMs > config.maxSessionTimeoutMs) {
    throw new Error('group.min.session.timeout.ms must not be larger than group.max.session.timeout.ms.');
  }
  return config;
}
