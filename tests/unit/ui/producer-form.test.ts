// The producer form's rules as pure functions: JSON checking with exact positions (the same verdict
// the editor's linter and the Send button use), templates, base64, Kafka's limits, the record built.
import { describe, expect, it } from 'vitest';
import {
  badRandomPlaceholder,
  checkJson,
  expandTemplates,
  initialFormState,
  isBase64,
  maskTemplates,
  MAX_RUN_COUNT,
  payloadSize,
  recordFromForm,
  runCount,
  validateForm,
} from '../../../src/renderer/composables/useProduceForm.js';
import {
  dateTimeToMs,
  isGroupInUse,
  resetSpecFromForm,
} from '../../../src/renderer/components/groups/group-rules.js';
import { EddyError } from '../../../src/shared/errors.js';

const topics = [
  { name: 'orders', partitions: 3, replicationFactor: 2, internal: false },
  { name: 'payments', partitions: 6, replicationFactor: 3, internal: false },
];

describe('checkJson', () => {
  it('accepts every kind of valid JSON value', () => {
    for (const text of [
      '{}',
      '[]',
      '0',
      '-1.5e+3',
      '"a\\u00e9\\n"',
      'true',
      'null',
      ' {"a": [1, {"b": null}], "c": "d"} ',
    ]) {
      expect(checkJson(text), text).toBeNull();
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it('names the first problem with its line and column', () => {
    expect(checkJson('{"a": }')).toEqual({ code: 'expectedValue', position: 6, line: 1, column: 7 });
    expect(checkJson('{\n  "a": 1\n  "b": 2\n}')).toEqual({
      code: 'expectedCommaOrBrace',
      position: 13,
      line: 3,
      column: 3,
    });
    expect(checkJson('{"a": 1,}')?.code).toBe('trailingComma');
    expect(checkJson('[1, 2,]')?.code).toBe('trailingComma');
    expect(checkJson("{'a': 1}")?.code).toBe('expectedKey');
    expect(checkJson('{"a" 1}')?.code).toBe('expectedColon');
    expect(checkJson('[1 2]')?.code).toBe('expectedCommaOrBracket');
    expect(checkJson('{"a": "b')).toMatchObject({ code: 'unexpectedEnd', position: 8 });
    expect(checkJson('"a\nb"')?.code).toBe('badString');
    expect(checkJson('"\\x"')?.code).toBe('badEscape');
    expect(checkJson('01')?.code).toBe('badNumber');
    expect(checkJson('+1')?.code).toBe('badNumber');
    expect(checkJson('NaN')?.code).toBe('badNumber');
    expect(checkJson('{} x')).toMatchObject({ code: 'trailing', position: 3 });
    expect(checkJson('')?.code).toBe('unexpectedEnd');
    expect(checkJson('nul')?.code).toBe('expectedValue');
  });

  it('agrees with JSON.parse on what is invalid', () => {
    for (const text of ['{"a": }', '[1,]', '{"a":1,}', '01', '"\\x"', '{} x', '', '{"a" 1}']) {
      expect(checkJson(text), text).not.toBeNull();
      expect(() => JSON.parse(text), text).toThrow();
    }
  });
});

describe('templates', () => {
  it('masks placeholders so numbers stay numbers and strings stay strings, keeping positions', () => {
    const text = '{"n": {{i}}, "id": "{{uuid}}", "at": {{now}}, "r": {{random:1:6}}}';
    const masked = maskTemplates(text);
    expect(masked).toHaveLength(text.length);
    expect(checkJson(masked)).toBeNull();
    // A string placeholder outside quotes would expand to invalid JSON: it is flagged where it is.
    expect(checkJson(maskTemplates('{"id": {{uuid}}}'))).toMatchObject({
      code: 'expectedValue',
      position: 7,
    });
    expect(checkJson(maskTemplates('{"n": {{i}} }'))).toBeNull();
  });

  it('expands one record for the preview', () => {
    const now = Date.UTC(2026, 10, 25, 18, 0, 0);
    expect(expandTemplates('k-{{i}} {{now}} {{iso}} {{random:3:9}}', 7, now)).toBe(
      `k-7 ${now} 2026-11-25T18:00:00.000Z 3`,
    );
  });

  it('rejects random bounds that are not whole numbers in order', () => {
    expect(badRandomPlaceholder('{{random:1:6}}')).toBeNull();
    expect(badRandomPlaceholder('{{random:9:1}}')).toBe('{{random:9:1}}');
    expect(badRandomPlaceholder('{{random:a:b}}')).toBe('{{random:a:b}}');
  });
});

describe('validateForm', () => {
  it('passes the default form for an existing topic', () => {
    expect(validateForm(initialFormState('orders'), topics)).toEqual([]);
  });

  it('applies Kafka’s and JSON’s rules', () => {
    const keys = (form: ReturnType<typeof initialFormState>) => validateForm(form, topics).map((p) => p.key);
    expect(keys(initialFormState(''))).toEqual(['producer.validation.topic']);
    expect(keys(initialFormState('nope'))).toEqual(['producer.validation.topicUnknown']);
    expect(keys({ ...initialFormState('orders'), partition: 3 })).toEqual(['producer.validation.partition']);
    expect(keys({ ...initialFormState('orders'), value: '{"a": }' })).toEqual(['producer.json.at']);
    expect(keys({ ...initialFormState('orders'), value: '{"a": }', valueNull: true })).toEqual([]);
    expect(keys({ ...initialFormState('orders'), value: 'not json', valueEncoding: 'text' })).toEqual([]);
    expect(keys({ ...initialFormState('orders'), value: 'a*b', valueEncoding: 'base64' })).toEqual([
      'producer.validation.base64',
    ]);
    expect(keys({ ...initialFormState('orders'), headers: [{ key: ' ', value: 'x' }] })).toEqual([
      'producer.validation.headerKey',
    ]);
    expect(keys({ ...initialFormState('orders'), mode: 'count', count: 0 })).toEqual([
      'producer.validation.count',
    ]);
    expect(keys({ ...initialFormState('orders'), mode: 'rate', ratePerSec: 0 })).toEqual([
      'producer.validation.rate',
    ]);
    expect(keys({ ...initialFormState('orders'), mode: 'rate', count: 0, untilStopped: true })).toEqual([]);
    expect(keys({ ...initialFormState('orders'), template: true, value: '{"n": {{i}}}' })).toEqual([]);
    expect(keys({ ...initialFormState('orders'), template: false, value: '{"n": {{i}}}' })).toEqual([
      'producer.json.at',
    ]);
    expect(keys({ ...initialFormState('orders'), template: true, key: '{{random:5:1}}' })).toEqual([
      'producer.validation.random',
    ]);
  });

  it('builds the record and the run size', () => {
    const form = {
      ...initialFormState('orders'),
      key: 'k',
      headers: [{ key: 'trace', value: 't-1' }],
      acks: 1 as const,
    };
    expect(recordFromForm(form)).toEqual({
      topic: 'orders',
      partition: null,
      key: { encoding: 'text', data: 'k' },
      value: { encoding: 'text', data: form.value },
      headers: [{ key: 'trace', value: 't-1' }],
      timestamp: null,
      compression: 'none',
      acks: 1,
    });
    expect(recordFromForm({ ...form, keyNull: true, valueNull: true })).toMatchObject({
      key: null,
      value: null,
    });
    expect(recordFromForm({ ...form, valueEncoding: 'base64', value: 'aGVs\nbG8=' }).value).toEqual({
      encoding: 'base64',
      data: 'aGVsbG8=',
    });
    expect(runCount({ ...form, mode: 'once' })).toBe(1);
    expect(runCount({ ...form, mode: 'count', count: 25 })).toBe(25);
    expect(runCount({ ...form, mode: 'rate', count: 25, untilStopped: true })).toBe(MAX_RUN_COUNT);
  });

  it('knows base64 and sizes', () => {
    expect(isBase64('aGVsbG8=')).toBe(true);
    expect(isBase64('aGVsbG8')).toBe(false);
    expect(payloadSize('base64', 'aGVsbG8=')).toBe(5);
    expect(payloadSize('text', 'zażółć')).toBe(10);
  });
});

describe('reset offsets form', () => {
  it('turns the form into the contract’s spec, checking each target', () => {
    const base = { topics: ['orders'], kind: 'earliest' as const, offset: '0', dateTime: '', shift: '-1' };
    expect(resetSpecFromForm(base, 'utc')).toEqual({
      ok: true,
      spec: { topics: ['orders'], to: { kind: 'earliest' } },
    });
    expect(resetSpecFromForm({ ...base, kind: 'offset', offset: '42' }, 'utc')).toEqual({
      ok: true,
      spec: { topics: ['orders'], to: { kind: 'offset', offset: 42 } },
    });
    expect(resetSpecFromForm({ ...base, kind: 'offset', offset: '-3' }, 'utc')).toEqual({
      ok: false,
      field: 'offset',
    });
    expect(resetSpecFromForm({ ...base, kind: 'shift', shift: '+10' }, 'utc')).toMatchObject({
      spec: { to: { kind: 'shift', by: 10 } },
    });
    expect(resetSpecFromForm({ ...base, kind: 'shift', shift: '1.5' }, 'utc')).toEqual({
      ok: false,
      field: 'shift',
    });
    expect(resetSpecFromForm({ ...base, kind: 'timestamp', dateTime: '' }, 'utc')).toEqual({
      ok: false,
      field: 'timestamp',
    });
    expect(
      resetSpecFromForm({ ...base, kind: 'timestamp', dateTime: '2026-11-25 18:30:00' }, 'utc'),
    ).toMatchObject({
      spec: { to: { kind: 'timestamp', timestamp: Date.UTC(2026, 10, 25, 18, 30, 0) } },
    });
  });

  it('reads the picked date-time in the chosen zone', () => {
    expect(dateTimeToMs('2026-11-25 18:30:00', 'utc')).toBe(Date.UTC(2026, 10, 25, 18, 30, 0));
    expect(dateTimeToMs('2026-11-25 18:30:00', 'local')).toBe(new Date(2026, 10, 25, 18, 30, 0).getTime());
    expect(dateTimeToMs('yesterday', 'utc')).toBeNull();
  });

  it('recognises Kafka refusing because the group is in use', () => {
    expect(isGroupInUse(new EddyError('KAFKA_ERROR', { detail: 'NON_EMPTY_GROUP' }))).toBe(true);
    expect(isGroupInUse(new EddyError('KAFKA_ERROR', { detail: 'UNKNOWN_MEMBER_ID' }))).toBe(true);
    expect(isGroupInUse(new EddyError('KAFKA_ERROR', { detail: 'TOPIC_AUTHORIZATION_FAILED' }))).toBe(false);
    expect(isGroupInUse(new EddyError('NOT_FOUND'))).toBe(false);
  });
});
