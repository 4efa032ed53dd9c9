/**
 * Topic-level configs under Kafka's names, with Kafka 4.x defaults, the broker-level synonym that
 * supplies a cluster-wide default, and validation. DescribeConfigs, CreateTopics, AlterConfigs and the
 * GUI all read this one table.
 */
export type ConfigType = 'long' | 'int' | 'short' | 'double' | 'boolean' | 'string' | 'list' | 'password' | 'class';

export interface ConfigDefinition {
  name: string;
  type: ConfigType;
  /** Kafka's default as a string, or null where Kafka has none. */
  defaultValue: string | null;
  /** Broker config that supplies the default (DescribeConfigs synonyms). */
  brokerSynonym?: string;
  /** Returns a problem sentence, or null when the value is fine. */
  validate?: (value: string) => string | null;
  documentation: string;
  sensitive?: boolean;
  readOnly?: boolean;
}

const LONG_MAX = '9223372036854775807';
const INT_MAX = 2147483647;

function integer(min: number, max = Number.MAX_SAFE_INTEGER, allowLongMax = true) {
  return (v: string): string | null => {
    if (allowLongMax && v.trim() === LONG_MAX) return null;
    if (!/^-?\d+$/.test(v.trim())) return `"${v}" is not a whole number.`;
    const n = Number(v);
    if (n < min) return `must be at least ${min} (got ${v}).`;
    if (n > max) return `must be at most ${max} (got ${v}).`;
    return null;
  };
}

function oneOf(...allowed: string[]) {
  return (v: string): string | null =>
    allowed.includes(v.trim()) ? null : `must be one of ${allowed.join(', ')} (got "${v}").`;
}

function listOf(...allowed: string[]) {
  return (v: string): string | null => {
    const items = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) return `must list at least one of ${allowed.join(', ')}.`;
    const bad = items.find((i) => !allowed.includes(i));
    return bad ? `"${bad}" is not one of ${allowed.join(', ')}.` : null;
  };
}

function ratio(v: string): string | null {
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? null : `must be a number between 0 and 1 (got "${v}").`;
}

function bool(v: string): string | null {
  return v === 'true' || v === 'false' ? null : `must be true or false (got "${v}").`;
}

export const TOPIC_CONFIGS: ConfigDefinition[] = [
  { name: 'cleanup.policy', type: 'list', defaultValue: 'delete', brokerSynonym: 'log.cleanup.policy', validate: listOf('delete', 'compact'), documentation: 'delete old segments, compact by key, or both' },
  { name: 'compression.type', type: 'string', defaultValue: 'producer', brokerSynonym: 'compression.type', validate: oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'), documentation: 'codec for stored batches; producer keeps what the producer sent' },
  { name: 'compression.gzip.level', type: 'int', defaultValue: '-1', brokerSynonym: 'compression.gzip.level', validate: integer(-1, 9, false), documentation: 'gzip level when the broker recompresses' },
  { name: 'compression.lz4.level', type: 'int', defaultValue: '9', brokerSynonym: 'compression.lz4.level', validate: integer(1, 17, false), documentation: 'lz4 level when the broker recompresses' },
  { name: 'compression.zstd.level', type: 'int', defaultValue: '3', brokerSynonym: 'compression.zstd.level', validate: integer(-131072, 22, false), documentation: 'zstd level when the broker recompresses' },
  { name: 'delete.retention.ms', type: 'long', defaultValue: '86400000', brokerSynonym: 'log.cleaner.delete.retention.ms', validate: integer(0), documentation: 'how long tombstones stay on compacted topics' },
  { name: 'file.delete.delay.ms', type: 'long', defaultValue: '60000', brokerSynonym: 'log.segment.delete.delay.ms', validate: integer(0), documentation: 'wait before a deleted segment file is removed' },
  { name: 'flush.messages', type: 'long', defaultValue: LONG_MAX, brokerSynonym: 'log.flush.interval.messages', validate: integer(1), documentation: 'fsync after this many messages' },
  { name: 'flush.ms', type: 'long', defaultValue: LONG_MAX, brokerSynonym: 'log.flush.interval.ms', validate: integer(0), documentation: 'fsync after this much time' },
  { name: 'follower.replication.throttled.replicas', type: 'list', defaultValue: '', documentation: 'replicas throttled on the follower side' },
  { name: 'index.interval.bytes', type: 'int', defaultValue: '4096', brokerSynonym: 'log.index.interval.bytes', validate: integer(0, INT_MAX, false), documentation: 'bytes between offset index entries' },
  { name: 'leader.replication.throttled.replicas', type: 'list', defaultValue: '', documentation: 'replicas throttled on the leader side' },
  { name: 'local.retention.bytes', type: 'long', defaultValue: '-2', brokerSynonym: 'log.local.retention.bytes', validate: integer(-2), documentation: 'local bytes kept when tiered storage is on' },
  { name: 'local.retention.ms', type: 'long', defaultValue: '-2', brokerSynonym: 'log.local.retention.ms', validate: integer(-2), documentation: 'local time kept when tiered storage is on' },
  { name: 'max.compaction.lag.ms', type: 'long', defaultValue: LONG_MAX, brokerSynonym: 'log.cleaner.max.compaction.lag.ms', validate: integer(1), documentation: 'longest time a message stays uncompacted' },
  { name: 'max.message.bytes', type: 'int', defaultValue: '1048588', brokerSynonym: 'message.max.bytes', validate: integer(0, INT_MAX, false), documentation: 'largest record batch the topic accepts' },
  { name: 'message.timestamp.after.max.ms', type: 'long', defaultValue: '3600000', brokerSynonym: 'log.message.timestamp.after.max.ms', validate: integer(0), documentation: 'how far in the future a CreateTime timestamp may be' },
  { name: 'message.timestamp.before.max.ms', type: 'long', defaultValue: LONG_MAX, brokerSynonym: 'log.message.timestamp.before.max.ms', validate: integer(0), documentation: 'how far in the past a CreateTime timestamp may be' },
  { name: 'message.timestamp.type', type: 'string', defaultValue: 'CreateTime', brokerSynonym: 'log.message.timestamp.type', validate: oneOf('CreateTime', 'LogAppendTime'), documentation: 'producer time or broker append time' },
  { name: 'min.cleanable.dirty.ratio', type: 'double', defaultValue: '0.5', brokerSynonym: 'log.cleaner.min.cleanable.ratio', validate: ratio, documentation: 'dirty share of the log that triggers compaction' },
  { name: 'min.compaction.lag.ms', type: 'long', defaultValue: '0', brokerSynonym: 'log.cleaner.min.compaction.lag.ms', validate: integer(0), documentation: 'youngest age a message may be compacted at' },
  { name: 'min.insync.replicas', type: 'int', defaultValue: '1', brokerSynonym: 'min.insync.replicas', validate: integer(1, INT_MAX, false), documentation: 'replicas that must hold a write for acks=all' },
  { name: 'preallocate', type: 'boolean', defaultValue: 'false', brokerSynonym: 'log.preallocate', validate: bool, documentation: 'preallocate segment files' },
  { name: 'remote.storage.enable', type: 'boolean', defaultValue: 'false', validate: (v) => (v === 'false' ? null : 'tiered storage is not available in Eddy.'), documentation: 'tiered storage (not available)' },
  { name: 'retention.bytes', type: 'long', defaultValue: '-1', brokerSynonym: 'log.retention.bytes', validate: integer(-1), documentation: 'size a partition may grow to before old segments go' },
  { name: 'retention.ms', type: 'long', defaultValue: '604800000', brokerSynonym: 'log.retention.ms', validate: integer(-1), documentation: 'age after which old segments go (-1 keeps forever)' },
  { name: 'segment.bytes', type: 'int', defaultValue: '1073741824', brokerSynonym: 'log.segment.bytes', validate: integer(1024 * 1024, INT_MAX, false), documentation: 'size at which a new segment starts' },
  { name: 'segment.index.bytes', type: 'int', defaultValue: '10485760', brokerSynonym: 'log.index.size.max.bytes', validate: integer(4, INT_MAX, false), documentation: 'largest offset index of a segment' },
  { name: 'segment.jitter.ms', type: 'long', defaultValue: '0', brokerSynonym: 'log.roll.jitter.ms', validate: integer(0), documentation: 'random jitter subtracted from segment.ms' },
  { name: 'segment.ms', type: 'long', defaultValue: '604800000', brokerSynonym: 'log.roll.ms', validate: integer(1), documentation: 'age at which a new segment starts' },
  { name: 'unclean.leader.election.enable', type: 'boolean', defaultValue: 'false', brokerSynonym: 'unclean.leader.election.enable', validate: bool, documentation: 'let an out-of-sync replica lead (may lose data)' },
];

export const TOPIC_CONFIG_BY_NAME = new Map(TOPIC_CONFIGS.map((c) => [c.name, c]));

/** Checks a set of topic configs; returns a sentence for the first problem, or null. */
export function validateTopicConfigs(configs: Record<string, string | null>): string | null {
  for (const [name, value] of Object.entries(configs)) {
    const def = TOPIC_CONFIG_BY_NAME.get(name);
    if (!def) return `Unknown topic config name: ${name}.`;
    if (value === null) continue;
    const problem = def.validate?.(value);
    if (problem) return `Invalid value ${value} for configuration ${name}: ${problem}`;
  }
  return null;
}
