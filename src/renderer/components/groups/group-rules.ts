/**
 * Pure helpers of the group views: the reset form → the contract's reset spec, and whether an
 * error is Kafka refusing because the group still has consumers.
 */
import { EddyError } from '../../../shared/errors.js';
import type { TimeZoneChoice } from '../../format/index.js';
import type { ResetSpec } from '../../stores/groups.js';

export type ResetTargetKind = 'earliest' | 'latest' | 'offset' | 'timestamp' | 'shift';

export interface ResetFormState {
  topics: string[];
  kind: ResetTargetKind;
  /** Text, so offsets beyond 2^31 and signs are checked as typed. */
  offset: string;
  /** "YYYY-MM-DD HH:mm:ss" as picked, read in `zone`. */
  dateTime: string;
  shift: string;
}

/**
 * Kafka's names for "the group is in use": a reset (OffsetCommit from outside the group) and a
 * delete are refused while members are connected.
 */
const GROUP_IN_USE = new Set([
  'NON_EMPTY_GROUP',
  'GROUP_NOT_EMPTY',
  'UNKNOWN_MEMBER_ID',
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'GROUP_SUBSCRIBED_TO_TOPIC',
]);

export function isGroupInUse(error: unknown): boolean {
  return error instanceof EddyError && error.code === 'KAFKA_ERROR' && GROUP_IN_USE.has(error.detail ?? '');
}

/** "2026-11-25 18:30:00" in the zone → ms since the epoch; null when not a real date-time. */
export function dateTimeToMs(text: string, zone: TimeZoneChoice): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const ms = zone === 'utc' ? Date.UTC(y, mo - 1, d, h, mi, s) : new Date(y, mo - 1, d, h, mi, s).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

export type ResetFormResult =
  { ok: true; spec: ResetSpec } | { ok: false; field: 'offset' | 'timestamp' | 'shift' };

export function resetSpecFromForm(form: ResetFormState, zone: TimeZoneChoice): ResetFormResult {
  const topics = [...form.topics];
  switch (form.kind) {
    case 'earliest':
    case 'latest':
      return { ok: true, spec: { topics, to: { kind: form.kind } } };
    case 'offset': {
      if (!/^\d+$/.test(form.offset.trim())) return { ok: false, field: 'offset' };
      const offset = Number(form.offset.trim());
      if (!Number.isSafeInteger(offset)) return { ok: false, field: 'offset' };
      return { ok: true, spec: { topics, to: { kind: 'offset', offset } } };
    }
    case 'timestamp': {
      const timestamp = dateTimeToMs(form.dateTime, zone);
      if (timestamp === null) return { ok: false, field: 'timestamp' };
      return { ok: true, spec: { topics, to: { kind: 'timestamp', timestamp } } };
    }
    case 'shift': {
      if (!/^[+-]?\d+$/.test(form.shift.trim())) return { ok: false, field: 'shift' };
      const by = Number(form.shift.trim());
      if (!Number.isSafeInteger(by)) return { ok: false, field: 'shift' };
      return { ok: true, spec: { topics, to: { kind: 'shift', by } } };
    }
  }
}

/** "UTC" or the machine's zone as an offset, "UTC+01:00". */
export function zoneName(zone: TimeZoneChoice, at = Date.now()): string {
  if (zone === 'utc') return 'UTC';
  const offset = -new Date(at).getTimezoneOffset();
  if (offset === 0) return 'UTC';
  const abs = Math.abs(offset);
  return `UTC${offset > 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
