/**
 * From the browser's query form to the `messages.onBrowse` query: start positions, the time zone
 * of a typed date-time, and filters checked before they are sent (a regex that does not compile is
 * refused here with the engine's own SyntaxError sentence). Pure functions of their inputs.
 */
import type { browseQuerySchema } from '../../shared/contract/messages.js';
import type { Infer } from '../../shared/contract/schema.js';
import type { TimeZoneChoice } from '../format/index.js';

export type StartKind = 'beginning' | 'latest' | 'offset' | 'timestamp';
export type FilterKind = 'none' | 'text' | 'regex' | 'jsonpath';
export type FilterField = 'key' | 'value' | 'headers' | 'any';

export interface BrowseForm {
  topic: string;
  /** Empty: every partition. */
  partitions: number[];
  startKind: StartKind;
  latestCount: number;
  startOffset: number;
  /** Wall-clock "YYYY-MM-DDTHH:mm:ss" in `timeZone`, as the date-time picker gives it. */
  startDateTime: string;
  limit: number;
  live: boolean;
  filterKind: FilterKind;
  filterExpression: string;
  filterField: FilterField;
  caseSensitive: boolean;
}

/** What the contract takes (src/shared/contract/messages.ts `browseQuerySchema`). */
export type BrowseQuery = Infer<typeof browseQuerySchema>;

export type QueryProblem =
  | { field: 'topic'; reason: 'missing' | 'invalid' }
  | { field: 'partitions'; reason: 'invalid' }
  | { field: 'latestCount'; reason: 'range' }
  | { field: 'startOffset'; reason: 'range' }
  | { field: 'startDateTime'; reason: 'missing' | 'invalid' }
  | { field: 'limit'; reason: 'range' }
  | { field: 'filterExpression'; reason: 'missing' | 'too-long' | 'jsonpath' }
  | { field: 'filterExpression'; reason: 'regex'; sentence: string };

export const LIMIT_MAX = 1_000_000;
export const EXPRESSION_MAX = 4096;
const TOPIC_PATTERN = /^[a-zA-Z0-9._-]+$/;

export function defaultForm(topic = ''): BrowseForm {
  return {
    topic,
    partitions: [],
    startKind: 'latest',
    latestCount: 100,
    startOffset: 0,
    startDateTime: '',
    limit: 500,
    live: false,
    filterKind: 'none',
    filterExpression: '',
    filterField: 'value',
    caseSensitive: false,
  };
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/**
 * "2026-11-25T18:30:00" read as a wall clock in the chosen zone → ms since epoch (UTC). Null when
 * the text is not such a date-time or names a moment that does not exist (Feb 30).
 */
export function wallClockToUtcMs(text: string, zone: TimeZoneChoice): number | null {
  const m = WALL_CLOCK.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const date =
    zone === 'utc'
      ? new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms))
      : new Date(year, month - 1, day, hour, minute, second, ms);
  const [y, mo, d] =
    zone === 'utc'
      ? [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()]
      : [date.getFullYear(), date.getMonth(), date.getDate()];
  if (y !== year || mo !== month - 1 || d !== day) return null; // rolled over: no such day
  return date.getTime();
}

/** The reverse, for showing a moment in the picker: ms → "YYYY-MM-DDTHH:mm:ss" in the zone. */
export function utcMsToWallClock(ms: number, zone: TimeZoneChoice): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return zone === 'utc'
    ? `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
    : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The SyntaxError sentence of an expression that does not compile as a regex, else null. */
export function regexProblem(expression: string, caseSensitive: boolean): string | null {
  try {
    new RegExp(expression, caseSensitive ? '' : 'i');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A JSON path must start at the root (`$`) — the host checks the rest. */
export function jsonPathProblem(expression: string): boolean {
  return !expression.trim().startsWith('$');
}

const isWhole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

export function buildBrowseQuery(
  form: BrowseForm,
  zone: TimeZoneChoice,
  previewBytes?: number,
): { query: BrowseQuery; problems: [] } | { query: null; problems: QueryProblem[] } {
  const problems: QueryProblem[] = [];
  const topic = form.topic.trim();
  if (!topic) problems.push({ field: 'topic', reason: 'missing' });
  else if (topic.length > 249 || !TOPIC_PATTERN.test(topic) || topic === '.' || topic === '..') {
    problems.push({ field: 'topic', reason: 'invalid' });
  }
  if (form.partitions.some((p) => !isWhole(p, 0, 1_000_000)))
    problems.push({ field: 'partitions', reason: 'invalid' });

  let start: BrowseQuery['start'] = { kind: 'beginning' };
  switch (form.startKind) {
    case 'beginning':
      break;
    case 'latest':
      if (!isWhole(form.latestCount, 1, LIMIT_MAX)) problems.push({ field: 'latestCount', reason: 'range' });
      start = { kind: 'latest', count: form.latestCount };
      break;
    case 'offset':
      if (!isWhole(form.startOffset, 0, Number.MAX_SAFE_INTEGER))
        problems.push({ field: 'startOffset', reason: 'range' });
      start = { kind: 'offset', offset: form.startOffset };
      break;
    case 'timestamp': {
      if (!form.startDateTime) {
        problems.push({ field: 'startDateTime', reason: 'missing' });
        break;
      }
      const ms = wallClockToUtcMs(form.startDateTime, zone);
      if (ms === null || ms < 0) problems.push({ field: 'startDateTime', reason: 'invalid' });
      else start = { kind: 'timestamp', timestamp: ms };
      break;
    }
  }
  if (!isWhole(form.limit, 1, LIMIT_MAX)) problems.push({ field: 'limit', reason: 'range' });

  let filter: BrowseQuery['filter'] = null;
  if (form.filterKind !== 'none') {
    const expression = form.filterExpression;
    if (expression.trim() === '') problems.push({ field: 'filterExpression', reason: 'missing' });
    else if (expression.length > EXPRESSION_MAX)
      problems.push({ field: 'filterExpression', reason: 'too-long' });
    else if (form.filterKind === 'regex') {
      const sentence = regexProblem(expression, form.caseSensitive);
      if (sentence) problems.push({ field: 'filterExpression', reason: 'regex', sentence });
    } else if (form.filterKind === 'jsonpath' && jsonPathProblem(expression)) {
      problems.push({ field: 'filterExpression', reason: 'jsonpath' });
    }
    filter = {
      kind: form.filterKind,
      expression,
      field: form.filterField,
      caseSensitive: form.caseSensitive,
    };
  }

  if (problems.length) return { query: null, problems };
  const query: BrowseQuery = {
    topic,
    partitions: form.partitions.length ? [...form.partitions].sort((a, b) => a - b) : null,
    start,
    limit: form.limit,
    live: form.live,
    filter,
  };
  if (previewBytes !== undefined) query.previewBytes = previewBytes;
  return { query, problems: [] };
}
