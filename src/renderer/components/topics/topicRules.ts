/**
 * Kafka's own rules for what the topic forms accept, checked before anything is sent (the host and
 * the brokers check again). Each check returns an i18n key under `topics.validation` plus its
 * parameters, or null when the value is fine.
 */
export interface RuleMessage {
  key: string;
  params?: Record<string, string | number>;
}

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;
export const MAX_TOPIC_NAME_LENGTH = 249;
export const MAX_PARTITIONS = 10_000;

/** Kafka's Topic.validate: 1–249 of [a-zA-Z0-9._-], not "." or "..", and not taken. */
export function topicNameError(name: string, existing: Iterable<string>): RuleMessage | null {
  if (name.length === 0) return { key: 'nameRequired' };
  if (name === '.' || name === '..') return { key: 'nameDots' };
  if (name.length > MAX_TOPIC_NAME_LENGTH) return { key: 'nameTooLong', params: { length: name.length } };
  if (!LEGAL_NAME.test(name)) return { key: 'nameChars' };
  for (const other of existing) if (other === name) return { key: 'nameExists', params: { name } };
  return null;
}

/**
 * Kafka warns when two topic names differ only by '.' versus '_' (their metric names collide);
 * it refuses to create the second one. Returns the existing name that collides, if any.
 */
export function topicNameCollision(name: string, existing: Iterable<string>): string | null {
  if (!name.includes('.') && !name.includes('_')) return null;
  const unified = name.replaceAll('.', '_');
  for (const other of existing) if (other !== name && other.replaceAll('.', '_') === unified) return other;
  return null;
}

export function partitionsError(value: number | null | undefined, current = 0): RuleMessage | null {
  if (
    value === null ||
    value === undefined ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_PARTITIONS
  ) {
    return { key: 'partitionsRange' };
  }
  if (current > 0 && value <= current) return { key: 'partitionsGrowOnly', params: { current } };
  return null;
}

/** The replication factor cannot exceed the brokers that are up (Kafka: INVALID_REPLICATION_FACTOR). */
export function replicationFactorError(
  value: number | null | undefined,
  brokersUp: number,
): RuleMessage | null {
  if (value === null || value === undefined || !Number.isInteger(value) || value < 1)
    return { key: 'replicationRange' };
  if (value > brokersUp) return { key: 'replicationTooHigh', params: { up: brokersUp } };
  return null;
}

export const RETENTION_UNITS = {
  ms: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
} as const;
export type RetentionUnit = keyof typeof RETENTION_UNITS;

/** retention.ms for the amount and unit; -1 (Kafka's "forever") when forever. */
export function retentionMs(
  forever: boolean,
  amount: number | null | undefined,
  unit: RetentionUnit,
): number | null {
  if (forever) return -1;
  if (amount === null || amount === undefined || !Number.isFinite(amount) || amount <= 0) return null;
  return Math.round(amount * RETENTION_UNITS[unit]);
}

const INT_RANGES: Record<string, [number, number]> = {
  SHORT: [-32_768, 32_767],
  INT: [-2_147_483_648, 2_147_483_647],
  LONG: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Checks a config value against Kafka's type for it (BOOLEAN, INT, LONG, DOUBLE, LIST …). */
export function configValueError(value: string, type: string | null | undefined): RuleMessage | null {
  const kind = (type ?? '').toUpperCase();
  const trimmed = value.trim();
  if (kind === 'BOOLEAN') return /^(true|false)$/i.test(trimmed) ? null : { key: 'notBoolean' };
  const range = INT_RANGES[kind];
  if (range) {
    const [min, max] = range;
    const n = /^-?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) return { key: 'notInteger', params: { min, max } };
    return null;
  }
  if (kind === 'DOUBLE') {
    return trimmed !== '' && Number.isFinite(Number(trimmed)) ? null : { key: 'notNumber' };
  }
  if (kind === 'LIST') {
    if (trimmed === '') return null;
    return trimmed.split(',').every((item) => item.trim() !== '') ? null : { key: 'notList' };
  }
  return null;
}

/** The configs the create form owns with its own fields. */
export const CREATE_FORM_CONFIGS = ['retention.ms', 'cleanup.policy'] as const;
