/**
 * The producer form as data: what the user typed, whether Kafka (and JSON) would accept it, and the
 * record or run it becomes. Everything but `useProduceForm` is a pure function, so the rules are
 * tested without a DOM and the CodeMirror linter and the Send button agree on one verdict.
 */
import { computed, reactive } from 'vue';
import type { TopicSummary } from '../../shared/contract/cluster.js';

// ---------------------------------------------------------------------------------------------
// JSON checking with an exact position: JSON.parse's messages and positions differ between
// engines (V8 in Node 20 often gives none), so a small scanner finds the first error itself.

export type JsonProblemCode =
  | 'unexpectedEnd'
  | 'expectedValue'
  | 'expectedKey'
  | 'expectedColon'
  | 'expectedCommaOrBrace'
  | 'expectedCommaOrBracket'
  | 'trailingComma'
  | 'badString'
  | 'badEscape'
  | 'badNumber'
  | 'trailing';

export interface JsonProblem {
  code: JsonProblemCode;
  /** 0-based offset into the text. */
  position: number;
  /** 1-based, for people. */
  line: number;
  column: number;
}

class JsonScanError extends Error {
  constructor(
    readonly code: JsonProblemCode,
    readonly position: number,
  ) {
    super(code);
  }
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/** null when `text` is one valid JSON value (RFC 8259), else the first problem and where it is. */
export function checkJson(text: string): JsonProblem | null {
  let i = 0;
  const n = text.length;
  const fail = (code: JsonProblemCode, at = i): never => {
    throw new JsonScanError(code, Math.min(at, n));
  };
  const ws = () => {
    while (i < n) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else break;
    }
  };
  const string = () => {
    // at the opening quote
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail('badString');
      if (c === 92) {
        const e = text[i + 1];
        if (e === undefined) fail('unexpectedEnd', n);
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('badEscape');
          i += 6;
        } else if ('"\\/bfnrt'.includes(e)) i += 2;
        else fail('badEscape');
        continue;
      }
      i++;
    }
    fail('unexpectedEnd', n);
  };
  const number = () => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!match) fail('badNumber');
    const end = i + match![0].length;
    // "01", "1." or "1e" leave a digit, dot or exponent right after what matched.
    if (end < n && /[0-9.eE+-]/.test(text[end])) fail('badNumber', i);
    i = end;
  };
  // An object's `"key": value` (the caller has skipped whitespace and seen it is not the end).
  const member = (): void => {
    if (text[i] !== '"') fail('expectedKey');
    string();
    ws();
    if (i >= n) fail('unexpectedEnd', n);
    if (text[i] !== ':') fail('expectedColon');
    i++;
    value();
  };
  // The items of an object or array, from its opening bracket at `i` through `close`.
  const list = (close: string, item: () => void, badEnd: JsonProblemCode): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (i >= n) fail('unexpectedEnd', n);
      if (text[i] === close) fail('trailingComma');
      item();
      ws();
      if (i >= n) fail('unexpectedEnd', n);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(badEnd);
    }
  };
  const value = (): void => {
    ws();
    if (i >= n) fail('unexpectedEnd', n);
    const c = text[i];
    if (c === '{') return list('}', member, 'expectedCommaOrBrace');
    if (c === '[') return list(']', value, 'expectedCommaOrBracket');
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (c === '+' || c === '.' || text.startsWith('NaN', i) || text.startsWith('Infinity', i))
      fail('badNumber');
    fail('expectedValue');
  };
  try {
    value();
    ws();
    if (i < n) fail('trailing');
    return null;
  } catch (err) {
    if (!(err instanceof JsonScanError)) throw err;
    return { code: err.code, position: err.position, ...lineColumn(text, err.position) };
  }
}

// ---------------------------------------------------------------------------------------------
// Templates: the engine expands them per record; here they are masked for validation and
// expanded once for the preview.

export const TEMPLATE_PLACEHOLDERS = ['{{i}}', '{{uuid}}', '{{now}}', '{{iso}}', '{{random:A:B}}'] as const;
const PLACEHOLDER = /\{\{(i|uuid|now|iso|random:(-?\d+):(-?\d+)|random:[^}]*)\}\}/g;

export function hasTemplate(text: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(text);
}

/** A `{{random:A:B}}` whose bounds are not whole numbers with A ≤ B, or null. */
export function badRandomPlaceholder(text: string): string | null {
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (!m[1].startsWith('random')) continue;
    if (m[2] === undefined || m[3] === undefined || Number(m[2]) > Number(m[3])) return m[0];
  }
  return null;
}

/**
 * The text with every placeholder replaced by something of the same length that JSON judges the
 * way the expansion will be judged: numbers (`{{i}}`, `{{now}}`, `{{random}}`) become `0` and
 * spaces; strings (`{{uuid}}`, `{{iso}}`) become `x…`, fine inside quotes and an error outside.
 * Same length keeps the error positions true to what the user typed.
 */
export function maskTemplates(text: string): string {
  return text.replace(PLACEHOLDER, (whole: string, name: string) =>
    (name === 'uuid' || name === 'iso' ? 'x' : '0').padEnd(
      whole.length,
      name === 'uuid' || name === 'iso' ? 'x' : ' ',
    ),
  );
}

/** One expansion, for the preview (record `index` at time `now`; random picks the low bound). */
export function expandTemplates(text: string, index: number, now: number): string {
  return text.replace(PLACEHOLDER, (whole: string, name: string, low?: string) => {
    if (name === 'i') return String(index);
    if (name === 'now') return String(now);
    if (name === 'iso') return new Date(now).toISOString();
    if (name === 'uuid') return '3f0e5c1a-8b7d-4e2f-9a61-0c4d2b7e9f10';
    return low ?? whole;
  });
}

// ---------------------------------------------------------------------------------------------

export function isBase64(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}

/** UTF-8 size of a text, or decoded size of base64. */
export function payloadSize(encoding: 'text' | 'base64', data: string): number {
  if (encoding === 'base64') {
    const compact = data.replace(/\s+/g, '');
    const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
    return Math.max(0, (compact.length / 4) * 3 - padding);
  }
  return new TextEncoder().encode(data).length;
}

export type ValueEncoding = 'json' | 'text' | 'base64';
export type SendMode = 'once' | 'count' | 'rate';
export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface ProduceFormState {
  topic: string;
  /** null: the default partitioner. */
  partition: number | null;
  keyNull: boolean;
  key: string;
  valueNull: boolean;
  valueEncoding: ValueEncoding;
  value: string;
  headers: { key: string; value: string }[];
  template: boolean;
  mode: SendMode;
  count: number;
  ratePerSec: number;
  untilStopped: boolean;
  compression: Compression;
  acks: -1 | 0 | 1;
}

export function initialFormState(topic = ''): ProduceFormState {
  return {
    topic,
    partition: null,
    keyNull: false,
    key: '',
    valueNull: false,
    valueEncoding: 'json',
    value: '{\n  "id": 1,\n  "status": "created"\n}',
    headers: [],
    template: false,
    mode: 'once',
    count: 10,
    ratePerSec: 10,
    untilStopped: false,
    compression: 'none',
    acks: -1,
  };
}

/** The most records a run may send ("until stopped" sends this many unless stopped first). */
export const MAX_RUN_COUNT = 10_000_000;

/** What is wrong, per field, as i18n keys with their parameters. Empty when the form can be sent. */
export interface FormProblem {
  field: 'topic' | 'partition' | 'key' | 'value' | 'headers' | 'count' | 'rate';
  key: string;
  params?: Record<string, string | number>;
  /** For JSON problems: where, so the editor can mark it. */
  json?: JsonProblem;
}

export function jsonProblemOfValue(
  form: Pick<ProduceFormState, 'valueNull' | 'valueEncoding' | 'value' | 'template'>,
): JsonProblem | null {
  if (form.valueNull || form.valueEncoding !== 'json') return null;
  return checkJson(form.template ? maskTemplates(form.value) : form.value);
}

export function validateForm(form: ProduceFormState, topics: readonly TopicSummary[]): FormProblem[] {
  const problems: FormProblem[] = [];
  const topic = topics.find((t) => t.name === form.topic);
  if (!form.topic) problems.push({ field: 'topic', key: 'producer.validation.topic' });
  else if (!topic)
    problems.push({ field: 'topic', key: 'producer.validation.topicUnknown', params: { topic: form.topic } });
  if (topic && form.partition !== null && (form.partition < 0 || form.partition >= topic.partitions)) {
    problems.push({
      field: 'partition',
      key: 'producer.validation.partition',
      params: { max: topic.partitions - 1, topic: topic.name, n: topic.partitions },
    });
  }
  const templated: string[] = [];
  if (!form.keyNull) templated.push(form.key);
  if (!form.valueNull) {
    if (form.valueEncoding === 'base64') {
      if (!isBase64(form.value)) problems.push({ field: 'value', key: 'producer.validation.base64' });
    } else {
      templated.push(form.value);
      const json = jsonProblemOfValue(form);
      if (json) {
        problems.push({
          field: 'value',
          key: 'producer.json.at',
          params: { line: json.line, column: json.column },
          json,
        });
      }
    }
  }
  form.headers.forEach((h, index) => {
    if (!h.key.trim())
      problems.push({ field: 'headers', key: 'producer.validation.headerKey', params: { n: index + 1 } });
    templated.push(h.value);
  });
  if (form.template && templated.some((t) => badRandomPlaceholder(t) !== null)) {
    problems.push({ field: form.valueNull ? 'key' : 'value', key: 'producer.validation.random' });
  }
  if (form.mode !== 'once' && !(form.mode === 'rate' && form.untilStopped)) {
    if (!Number.isInteger(form.count) || form.count < 1 || form.count > MAX_RUN_COUNT) {
      problems.push({ field: 'count', key: 'producer.validation.count' });
    }
  }
  if (
    form.mode === 'rate' &&
    (!Number.isInteger(form.ratePerSec) || form.ratePerSec < 1 || form.ratePerSec > 1_000_000)
  ) {
    problems.push({ field: 'rate', key: 'producer.validation.rate' });
  }
  return problems;
}

type Payload = { encoding: 'text' | 'base64'; data: string } | null;

export interface ProduceRecordShape {
  topic: string;
  partition: number | null;
  key: Payload;
  value: Payload;
  headers: { key: string; value: string | null }[];
  timestamp: number | null;
  compression: Compression;
  acks: -1 | 0 | 1;
}

export function recordFromForm(form: ProduceFormState): ProduceRecordShape {
  return {
    topic: form.topic,
    partition: form.partition,
    key: form.keyNull ? null : { encoding: 'text', data: form.key },
    value: form.valueNull
      ? null
      : {
          encoding: form.valueEncoding === 'base64' ? 'base64' : 'text',
          data: form.valueEncoding === 'base64' ? form.value.replace(/\s+/g, '') : form.value,
        },
    headers: form.headers.map((h) => ({ key: h.key, value: h.value })),
    timestamp: null,
    compression: form.compression,
    acks: form.acks,
  };
}

/** How many records a run sends: N, or the maximum when it runs until stopped. */
export function runCount(form: ProduceFormState): number {
  if (form.mode === 'once') return 1;
  if (form.mode === 'rate' && form.untilStopped) return MAX_RUN_COUNT;
  return form.count;
}

/** The form as reactive state, with its verdict and the record it becomes. */
export function useProduceForm(topics: () => readonly TopicSummary[], initialTopic = '') {
  const form = reactive<ProduceFormState>(initialFormState(initialTopic));
  const problems = computed(() => validateForm(form, topics()));
  const record = computed(() => recordFromForm(form));
  const jsonProblem = computed(() => jsonProblemOfValue(form));
  const problemOf = (field: FormProblem['field']) => problems.value.find((p) => p.field === field) ?? null;
  return { form, problems, record, jsonProblem, problemOf };
}
