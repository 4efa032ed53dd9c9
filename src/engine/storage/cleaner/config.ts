/**
 * The settings the log cleaner obeys: four topic configs (read from a topic's resolved config strings,
 * the same map the broker hands to parseLogConfig) and a few broker configs. Kafka's names and
 * defaults; Long.MAX_VALUE ("never") is held as Number.MAX_SAFE_INTEGER.
 */

/** Kafka's Long.MAX_VALUE, as far as a JS number can hold it. */
export const CLEANER_LONG_MAX = Number.MAX_SAFE_INTEGER;

/** Per-topic settings (cleanup.policy, segment.bytes and friends come from the log's own LogConfig). */
export interface CleanerConfig {
  /** delete.retention.ms: how long a tombstone stays after the pass that first cleaned it. */
  deleteRetentionMs: number;
  /** min.cleanable.dirty.ratio: dirty bytes / cleanable bytes above which the log is cleaned. */
  minCleanableRatio: number;
  /** min.compaction.lag.ms: records younger than this are never compacted. */
  minCompactionLagMs: number;
  /** max.compaction.lag.ms: a dirty record older than this makes the log eligible whatever its ratio. */
  maxCompactionLagMs: number;
}

export const CLEANER_CONFIG_DEFAULTS: Readonly<CleanerConfig> = Object.freeze({
  deleteRetentionMs: 86_400_000,
  minCleanableRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: CLEANER_LONG_MAX,
});

/** Broker-wide settings, from `BrokerConfig.overrides` (Kafka's `log.cleaner.*` names). */
export interface CleanerBrokerSettings {
  /** log.cleaner.enable (default true). */
  enable: boolean;
  /** log.cleaner.backoff.ms: pause when no log needs cleaning (default 15000). */
  backoffMs: number;
  /**
   * Keys the offset map of one pass may hold, from log.cleaner.dedupe.buffer.size (128 MiB) and
   * log.cleaner.io.buffer.load.factor (0.9) at Kafka's 24 bytes per entry: about 5 million.
   */
  maxMapEntries: number;
  /**
   * log.cleaner.io.buffer.size (512 KiB): bytes read per step before the cleaner hands the event
   * loop back (setImmediate). Kafka uses it as its read and write buffer size.
   */
  stepBytes: number;
}

const DEFAULT_DEDUPE_BUFFER_SIZE = 128 * 1024 * 1024;
const DEFAULT_LOAD_FACTOR = 0.9;
const DEFAULT_IO_BUFFER_SIZE = 512 * 1024;
/** Kafka's SkimpyOffsetMap: a 16-byte MD5 of the key plus an 8-byte offset. */
const BYTES_PER_MAP_ENTRY = 24;

function readNumber(raw: string | null | undefined, fallback: number, valid: (n: number) => boolean): number {
  if (raw === null || raw === undefined) return fallback;
  const text = raw.trim();
  if (text.length === 0) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || !valid(n)) return fallback;
  return Math.min(n, CLEANER_LONG_MAX);
}

/** The cleaner's topic configs from a topic's resolved config strings; missing or invalid values keep the default. */
export function cleanerConfigFrom(
  configs: Readonly<Record<string, string | null | undefined>>,
): CleanerConfig {
  const d = CLEANER_CONFIG_DEFAULTS;
  return {
    deleteRetentionMs: readNumber(configs['delete.retention.ms'], d.deleteRetentionMs, (n) => n >= 0),
    minCleanableRatio: readNumber(
      configs['min.cleanable.dirty.ratio'],
      d.minCleanableRatio,
      (n) => n >= 0 && n <= 1,
    ),
    minCompactionLagMs: readNumber(configs['min.compaction.lag.ms'], d.minCompactionLagMs, (n) => n >= 0),
    maxCompactionLagMs: readNumber(configs['max.compaction.lag.ms'], d.maxCompactionLagMs, (n) => n >= 1),
  };
}

/** The broker's `log.cleaner.*` settings; missing or invalid values keep Kafka's defaults. */
export function cleanerBrokerSettings(
  overrides: Readonly<Record<string, string | undefined>>,
): CleanerBrokerSettings {
  const enable = (overrides['log.cleaner.enable'] ?? 'true').trim() !== 'false';
  const backoffMs = readNumber(overrides['log.cleaner.backoff.ms'], 15_000, (n) => n >= 0);
  const dedupe = readNumber(
    overrides['log.cleaner.dedupe.buffer.size'],
    DEFAULT_DEDUPE_BUFFER_SIZE,
    (n) => n > 0,
  );
  const loadFactor = readNumber(
    overrides['log.cleaner.io.buffer.load.factor'],
    DEFAULT_LOAD_FACTOR,
    (n) => n > 0 && n <= 1,
  );
  const stepBytes = readNumber(overrides['log.cleaner.io.buffer.size'], DEFAULT_IO_BUFFER_SIZE, (n) => n > 0);
  return {
    enable,
    backoffMs,
    maxMapEntries: Math.max(1, Math.floor((dedupe * loadFactor) / BYTES_PER_MAP_ENTRY)),
    stepBytes: Math.floor(stepBytes),
  };
}
