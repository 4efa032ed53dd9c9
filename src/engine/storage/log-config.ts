import { StorageErrorCode } from './errors.js';

/**
 * The per-topic settings the log obeys, with Kafka's names, defaults and validity rules.
 * Kafka's Long.MAX_VALUE ("never") is held as Number.MAX_SAFE_INTEGER and written back as
 * 9223372036854775807.
 */

export type TimestampType = 'CreateTime' | 'LogAppendTime';
export type CleanupPolicy = 'delete' | 'compact';

export interface LogConfig {
  /** segment.bytes: roll the active segment before it would grow past this. */
  segmentBytes: number;
  /** segment.ms: roll once the active segment's first batch is this old. */
  segmentMs: number;
  /** retention.ms: delete segments whose largest timestamp is older; -1 keeps everything. */
  retentionMs: number;
  /** retention.bytes: delete the oldest segments while the log is larger; -1 keeps everything. */
  retentionBytes: number;
  /** flush.messages: fsync after this many unflushed messages (LONG_MAX: leave it to the OS). */
  flushMessages: number;
  /** flush.ms: fsync when the last flush is this old (LONG_MAX: leave it to the OS). */
  flushMs: number;
  /** index.interval.bytes: bytes appended between two sparse index entries. */
  indexIntervalBytes: number;
  /** segment.index.bytes: largest .index / .timeindex file; a full index rolls the segment. */
  segmentIndexBytes: number;
  /** max.message.bytes: largest record batch accepted. */
  maxMessageBytes: number;
  /** file.delete.delay.ms: how long a deleted segment stays as .deleted before being unlinked. */
  fileDeleteDelayMs: number;
  /** message.timestamp.type: keep the producer's timestamps or stamp the broker's append time. */
  messageTimestampType: TimestampType;
  /** cleanup.policy: delete (retention), compact, or both. */
  cleanupPolicy: readonly CleanupPolicy[];
}

/** Kafka's Long.MAX_VALUE, as far as a JS number can hold it. */
export const LONG_MAX = Number.MAX_SAFE_INTEGER;
const LONG_MAX_STRING = '9223372036854775807';
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

export const LOG_CONFIG_DEFAULTS: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  retentionMs: 604_800_000,
  retentionBytes: -1,
  flushMessages: LONG_MAX,
  flushMs: LONG_MAX,
  indexIntervalBytes: 4096,
  segmentIndexBytes: 10 * 1024 * 1024,
  maxMessageBytes: 1_048_588,
  fileDeleteDelayMs: 60_000,
  messageTimestampType: 'CreateTime',
  cleanupPolicy: Object.freeze(['delete']) as readonly CleanupPolicy[],
});

type NumberKind = 'int' | 'long';

interface NumberKey {
  kind: NumberKind;
  property: keyof LogConfig;
  min?: number;
}

interface EnumKey {
  kind: 'enum';
  property: 'messageTimestampType';
  allowed: readonly string[];
}

interface ListKey {
  kind: 'list';
  property: 'cleanupPolicy';
  allowed: readonly string[];
}

type KeySpec = NumberKey | EnumKey | ListKey;

/**
 * Kafka topic config name → how to read it. Minimums are Kafka 4's (segment.bytes went from 14 bytes
 * to 1 MiB in 4.0, KIP-1030); code that needs tiny segments (tests) builds a LogConfig directly.
 */
export const LOG_CONFIG_KEYS: Readonly<Record<string, KeySpec>> = Object.freeze({
  'segment.bytes': { kind: 'int', property: 'segmentBytes', min: 1024 * 1024 },
  'segment.ms': { kind: 'long', property: 'segmentMs', min: 1 },
  'retention.ms': { kind: 'long', property: 'retentionMs', min: -1 },
  'retention.bytes': { kind: 'long', property: 'retentionBytes' },
  'flush.messages': { kind: 'long', property: 'flushMessages', min: 1 },
  'flush.ms': { kind: 'long', property: 'flushMs', min: 0 },
  'index.interval.bytes': { kind: 'int', property: 'indexIntervalBytes', min: 0 },
  'segment.index.bytes': { kind: 'int', property: 'segmentIndexBytes', min: 4 },
  'max.message.bytes': { kind: 'int', property: 'maxMessageBytes', min: 0 },
  'file.delete.delay.ms': { kind: 'long', property: 'fileDeleteDelayMs', min: 0 },
  'message.timestamp.type': {
    kind: 'enum',
    property: 'messageTimestampType',
    allowed: ['CreateTime', 'LogAppendTime'],
  },
  'cleanup.policy': { kind: 'list', property: 'cleanupPolicy', allowed: ['delete', 'compact'] },
});

export interface LogConfigError {
  key: string;
  /** Always INVALID_CONFIG (40). */
  errorCode: number;
  message: string;
}

export type LogConfigParseResult =
  | {
      ok: true;
      config: LogConfig;
      /** Keys this module does not own, left for their owners. */ ignored: string[];
    }
  | { ok: false; errors: LogConfigError[]; /** All the errors' sentences in one line. */ error: string };

function invalid(key: string, value: string, reason: string): LogConfigError {
  return {
    key,
    errorCode: StorageErrorCode.INVALID_CONFIG,
    message: `Invalid value ${value} for configuration ${key}: ${reason}.`,
  };
}

function parseNumber(key: string, raw: string, spec: NumberKey): number | LogConfigError {
  const text = raw.trim();
  if (!/^[+-]?\d+$/.test(text)) return invalid(key, raw, `Not a number of type ${spec.kind.toUpperCase()}`);
  const big = BigInt(text);
  const [low, high] =
    spec.kind === 'int' ? [BigInt(INT_MIN), BigInt(INT_MAX)] : [-(2n ** 63n), 2n ** 63n - 1n];
  if (big < low || big > high) return invalid(key, raw, `Not a number of type ${spec.kind.toUpperCase()}`);
  if (spec.min !== undefined && big < BigInt(spec.min))
    return invalid(key, raw, `Value must be at least ${spec.min}`);
  // Anything beyond what a double holds exactly is "practically forever", like Long.MAX_VALUE.
  if (big >= BigInt(LONG_MAX)) return LONG_MAX;
  if (big <= -BigInt(LONG_MAX)) return -LONG_MAX;
  return Number(big);
}

/**
 * Reads Kafka topic config strings (CreateTopics / AlterConfigs values) over `base` (the broker's
 * defaults). A null value means "use the default". Keys this module does not own are passed over,
 * so the caller can hand it a topic's whole config map.
 */
export function parseLogConfig(
  values:
    Readonly<Record<string, string | null | undefined>> | ReadonlyMap<string, string | null | undefined>,
  base: Readonly<LogConfig> = LOG_CONFIG_DEFAULTS,
): LogConfigParseResult {
  const config: LogConfig = { ...base, cleanupPolicy: [...base.cleanupPolicy] };
  const errors: LogConfigError[] = [];
  const ignored: string[] = [];
  const entries: [string, string | null | undefined][] =
    values instanceof Map
      ? [...values.entries()]
      : Object.entries(values as Readonly<Record<string, string | null | undefined>>);
  for (const [key, raw] of entries) {
    const spec = LOG_CONFIG_KEYS[key];
    if (!spec) {
      ignored.push(key);
      continue;
    }
    if (raw === null || raw === undefined) continue;
    if (spec.kind === 'int' || spec.kind === 'long') {
      const parsed = parseNumber(key, raw, spec);
      if (typeof parsed === 'number') (config[spec.property] as number) = parsed;
      else errors.push(parsed);
    } else if (spec.kind === 'enum') {
      const value = raw.trim();
      if (spec.allowed.includes(value)) config.messageTimestampType = value as TimestampType;
      else errors.push(invalid(key, raw, `String must be one of: ${spec.allowed.join(', ')}`));
    } else if (spec.kind === 'list') {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
      const unknown = items.filter((item) => !spec.allowed.includes(item));
      if (items.length === 0)
        errors.push(invalid(key, raw, `Must name at least one of: ${spec.allowed.join(', ')}`));
      else if (unknown.length > 0)
        errors.push(
          invalid(key, raw, `Unknown policy ${unknown.join(', ')}; use ${spec.allowed.join(' and/or ')}`),
        );
      else config.cleanupPolicy = [...new Set(items)] as CleanupPolicy[];
    }
  }
  if (errors.length > 0) return { ok: false, errors, error: errors.map((e) => e.message).join(' ') };
  return { ok: true, config, ignored };
}

/** The config as Kafka topic config strings (for DescribeConfigs and the UI). */
export function formatLogConfig(config: Readonly<LogConfig>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, spec] of Object.entries(LOG_CONFIG_KEYS)) {
    const value = config[spec.property];
    if (typeof value === 'number') out[key] = value >= LONG_MAX ? LONG_MAX_STRING : String(value);
    else if (Array.isArray(value)) out[key] = value.join(',');
    else out[key] = String(value);
  }
  return out;
}
