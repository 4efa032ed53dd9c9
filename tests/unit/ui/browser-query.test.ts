import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildBrowseQuery,
  defaultForm,
  regexProblem,
  utcMsToWallClock,
  wallClockToUtcMs,
  type BrowseForm,
} from '../../../src/renderer/decode/query.js';

const form = (overrides: Partial<BrowseForm> = {}): BrowseForm => ({
  ...defaultForm('orders'),
  ...overrides,
});

describe('browse query building', () => {
  // A zone with an offset (and summer time) so that local and UTC differ.
  // (Node re-reads TZ when it changes; this file runs in Node, without a DOM.)
  const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;
  const savedZone = env.TZ;
  beforeAll(() => {
    env.TZ = 'Europe/Warsaw';
  });
  afterAll(() => {
    if (savedZone === undefined) delete env.TZ;
    else env.TZ = savedZone;
  });

  it('reads a typed date-time in the chosen zone and sends UTC ms', () => {
    expect(wallClockToUtcMs('2026-11-25T18:30:00', 'utc')).toBe(Date.UTC(2026, 10, 25, 18, 30, 0));
    // Warsaw is UTC+1 in November and UTC+2 in July.
    expect(wallClockToUtcMs('2026-11-25T18:30:00', 'local')).toBe(Date.UTC(2026, 10, 25, 17, 30, 0));
    expect(wallClockToUtcMs('2026-07-01 12:00', 'local')).toBe(Date.UTC(2026, 6, 1, 10, 0, 0));
    expect(wallClockToUtcMs('2026-11-25T18:30:00.5', 'utc')).toBe(Date.UTC(2026, 10, 25, 18, 30, 0, 500));
    const built = buildBrowseQuery(
      form({ startKind: 'timestamp', startDateTime: '2026-11-25T18:30:00' }),
      'local',
    );
    expect(built.query?.start).toEqual({ kind: 'timestamp', timestamp: Date.UTC(2026, 10, 25, 17, 30, 0) });
    const utc = buildBrowseQuery(
      form({ startKind: 'timestamp', startDateTime: '2026-11-25T18:30:00' }),
      'utc',
    );
    expect(utc.query?.start).toEqual({ kind: 'timestamp', timestamp: Date.UTC(2026, 10, 25, 18, 30, 0) });
  });

  it('refuses date-times that do not exist, and round-trips those that do', () => {
    expect(wallClockToUtcMs('2026-02-30T10:00:00', 'utc')).toBeNull();
    expect(wallClockToUtcMs('2026-13-01T10:00:00', 'local')).toBeNull();
    expect(wallClockToUtcMs('yesterday', 'utc')).toBeNull();
    const ms = Date.UTC(2026, 10, 25, 17, 30, 0);
    expect(utcMsToWallClock(ms, 'local')).toBe('2026-11-25T18:30:00');
    expect(utcMsToWallClock(ms, 'utc')).toBe('2026-11-25T17:30:00');
    expect(buildBrowseQuery(form({ startKind: 'timestamp', startDateTime: '' }), 'utc').problems).toEqual([
      { field: 'startDateTime', reason: 'missing' },
    ]);
    expect(
      buildBrowseQuery(form({ startKind: 'timestamp', startDateTime: '2026-02-30T00:00:00' }), 'utc')
        .problems,
    ).toEqual([{ field: 'startDateTime', reason: 'invalid' }]);
  });

  it('builds each start position, sorted partitions, limit and live', () => {
    expect(
      buildBrowseQuery(form({ startKind: 'beginning', partitions: [2, 0], limit: 10, live: true }), 'utc')
        .query,
    ).toEqual({
      topic: 'orders',
      partitions: [0, 2],
      start: { kind: 'beginning' },
      limit: 10,
      live: true,
      filter: null,
    });
    expect(buildBrowseQuery(form({ startKind: 'latest', latestCount: 50 }), 'utc').query?.start).toEqual({
      kind: 'latest',
      count: 50,
    });
    expect(buildBrowseQuery(form({ startKind: 'offset', startOffset: 1234 }), 'utc').query?.start).toEqual({
      kind: 'offset',
      offset: 1234,
    });
    expect(buildBrowseQuery(form(), 'utc', 8192).query).toMatchObject({
      partitions: null,
      previewBytes: 8192,
    });
  });

  it("checks the form with Kafka's rules before anything is sent", () => {
    expect(buildBrowseQuery(form({ topic: '' }), 'utc').problems).toEqual([
      { field: 'topic', reason: 'missing' },
    ]);
    expect(buildBrowseQuery(form({ topic: 'bad name!' }), 'utc').problems).toEqual([
      { field: 'topic', reason: 'invalid' },
    ]);
    expect(buildBrowseQuery(form({ topic: '..' }), 'utc').problems).toEqual([
      { field: 'topic', reason: 'invalid' },
    ]);
    expect(buildBrowseQuery(form({ limit: 0 }), 'utc').problems).toEqual([
      { field: 'limit', reason: 'range' },
    ]);
    expect(buildBrowseQuery(form({ limit: NaN }), 'utc').problems).toEqual([
      { field: 'limit', reason: 'range' },
    ]);
    expect(buildBrowseQuery(form({ startKind: 'offset', startOffset: -1 }), 'utc').problems).toEqual([
      { field: 'startOffset', reason: 'range' },
    ]);
    expect(buildBrowseQuery(form({ startKind: 'latest', latestCount: 1.5 }), 'utc').problems).toEqual([
      { field: 'latestCount', reason: 'range' },
    ]);
  });

  it('validates a regex here and reports the SyntaxError sentence', () => {
    const unterminated = 'order-(\\d+';
    const expected = (() => {
      try {
        new RegExp(unterminated, 'i');
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(regexProblem('order-(\\d+', false)).toBe(expected);
    expect(expected).toContain('Unterminated group');
    const built = buildBrowseQuery(form({ filterKind: 'regex', filterExpression: 'order-(\\d+' }), 'utc');
    expect(built.query).toBeNull();
    expect(built.problems).toEqual([{ field: 'filterExpression', reason: 'regex', sentence: expected }]);
    expect(regexProblem('^order-\\d+$', true)).toBeNull();
  });

  it('builds filters: text, regex and JSON path, with field and case', () => {
    expect(
      buildBrowseQuery(
        form({ filterKind: 'regex', filterExpression: '^a.+z$', filterField: 'key', caseSensitive: true }),
        'utc',
      ).query?.filter,
    ).toEqual({ kind: 'regex', expression: '^a.+z$', field: 'key', caseSensitive: true });
    expect(
      buildBrowseQuery(form({ filterKind: 'text', filterExpression: 'needle', filterField: 'any' }), 'utc')
        .query?.filter,
    ).toEqual({
      kind: 'text',
      expression: 'needle',
      field: 'any',
      caseSensitive: false,
    });
    expect(
      buildBrowseQuery(form({ filterKind: 'jsonpath', filterExpression: 'customer.id' }), 'utc').problems,
    ).toEqual([{ field: 'filterExpression', reason: 'jsonpath' }]);
    expect(
      buildBrowseQuery(form({ filterKind: 'jsonpath', filterExpression: '$.customer.id' }), 'utc').query
        ?.filter?.kind,
    ).toBe('jsonpath');
    expect(buildBrowseQuery(form({ filterKind: 'text', filterExpression: '  ' }), 'utc').problems).toEqual([
      { field: 'filterExpression', reason: 'missing' },
    ]);
    expect(
      buildBrowseQuery(form({ filterKind: 'text', filterExpression: 'x'.repeat(4097) }), 'utc').problems,
    ).toEqual([{ field: 'filterExpression', reason: 'too-long' }]);
    expect(
      buildBrowseQuery(form({ filterKind: 'none', filterExpression: '(' }), 'utc').query?.filter,
    ).toBeNull();
  });
});
