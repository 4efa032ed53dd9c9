/**
 * The message browser's filters and rows, shared by the browse worker and the in-process scan:
 * text (substring; case-insensitive unless asked), regex (JavaScript syntax, checked up front) and
 * JSON path (jsonpath-plus with its safe evaluator; the field parsed as JSON, non-JSON never
 * matches) over the key, the value, the headers or any of them. Pure functions, no I/O.
 */
import { JSONPath } from 'jsonpath-plus';
import type { BrowseBatch, MessageRow } from '../../shared/contract/messages.js';
import type { WireBytes } from '../../shared/contract/common.js';

export type BrowseFilterSpec = {
  kind: 'text' | 'regex' | 'jsonpath';
  expression: string;
  field: 'key' | 'value' | 'headers' | 'any';
  caseSensitive?: boolean;
};

/** The parts of a record a filter and a row need (ConsumerRecord fits). */
export interface ScannedRecord {
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'create-time' | 'log-append-time';
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
  compression?: MessageRow['compression'];
}

/** Returns null for no match, '' for a match without a shown value, or the matched value (JSON path). */
export type RecordFilter = (r: ScannedRecord) => string | null;

/** Longest `match` text sent for a JSON path hit. */
export const MATCH_MAX_CHARS = 1024;

export class FilterError extends Error {}

/** Compiles a filter; throws FilterError with a sentence for a bad pattern or path. */
export function compileFilter(spec: BrowseFilterSpec | null): RecordFilter | null {
  if (!spec) return null;
  const { field } = spec;
  if (spec.kind === 'text')
    return bytesFilter(field, textMatcher(spec.expression, spec.caseSensitive ?? false));
  if (spec.kind === 'regex') {
    let re: RegExp;
    try {
      re = new RegExp(spec.expression, spec.caseSensitive ? '' : 'i');
    } catch (err) {
      throw new FilterError(
        `The regular expression is not valid (${(err as Error).message.replace(/^Invalid regular expression: /, '')}). Check its brackets, escapes and quantifiers.`,
      );
    }
    return bytesFilter(
      field,
      (b) => re.test(b.toString('utf8')),
      (s) => re.test(s),
    );
  }
  return jsonPathFilter(spec.expression, field);
}

type BytesTest = (b: Buffer) => boolean;

function textMatcher(
  text: string,
  caseSensitive: boolean,
): { bytes: BytesTest; text: (s: string) => boolean } {
  if (caseSensitive) {
    const needle = Buffer.from(text, 'utf8');
    return { bytes: (b) => b.indexOf(needle) !== -1, text: (s) => s.includes(text) };
  }
  const lower = text.toLowerCase();
  // ASCII needle: fold ASCII letters byte by byte, no decoding. The bytes of multi-byte UTF-8
  // characters (all ≥ 0x80) can never equal an ASCII letter, so this is exact.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) {
    const search = asciiFoldSearch(lower);
    return { bytes: search, text: (s) => s.toLowerCase().includes(lower) };
  }
  return {
    bytes: (b) => b.toString('utf8').toLowerCase().includes(lower),
    text: (s) => s.toLowerCase().includes(lower),
  };
}

const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/**
 * Case-insensitive search of an ASCII needle in bytes. Candidates come from Buffer.indexOf (native)
 * for one anchor byte of the needle — a non-letter when there is one (a single byte to look for),
 * else the first letter in both cases — and are checked with ASCII folding.
 */
export function asciiFoldSearch(lowerNeedle: string): BytesTest {
  const needle = Buffer.from(lowerNeedle, 'latin1');
  const n = needle.length;
  if (n === 0) return () => true;
  let k = needle.findIndex((c) => !isLetter(c));
  if (k < 0) k = 0;
  const a = needle[k];
  const b = isLetter(a) ? a & ~0x20 : a;
  return (h) => {
    const last = h.length - n;
    if (last < 0) return false;
    let pa = h.indexOf(a, k);
    let pb = a === b ? -1 : h.indexOf(b, k);
    while (pa !== -1 || pb !== -1) {
      let p: number;
      if (pb === -1 || (pa !== -1 && pa < pb)) {
        p = pa;
        pa = h.indexOf(a, pa + 1);
      } else {
        p = pb;
        pb = h.indexOf(b, pb + 1);
      }
      const s = p - k;
      if (s > last) return false;
      let i = 0;
      for (; i < n; i++) {
        let c = h[s + i];
        if (c >= 0x41 && c <= 0x5a) c |= 0x20;
        if (c !== needle[i]) break;
      }
      if (i === n) return true;
    }
    return false;
  };
}

function bytesFilter(
  field: BrowseFilterSpec['field'],
  test: BytesTest | { bytes: BytesTest; text: (s: string) => boolean },
  textTest?: (s: string) => boolean,
): RecordFilter {
  const bytes = typeof test === 'function' ? test : test.bytes;
  const text = typeof test === 'function' ? textTest! : test.text;
  const inHeaders = (r: ScannedRecord) =>
    r.headers.some((h) => text(h.key) || (h.value !== null && bytes(h.value)));
  switch (field) {
    case 'key':
      return (r) => (r.key !== null && bytes(r.key) ? '' : null);
    case 'value':
      return (r) => (r.value !== null && bytes(r.value) ? '' : null);
    case 'headers':
      return (r) => (inHeaders(r) ? '' : null);
    case 'any':
      return (r) =>
        (r.value !== null && bytes(r.value)) || (r.key !== null && bytes(r.key)) || inHeaders(r) ? '' : null;
  }
}

/** Cheap structural checks jsonpath-plus does not make (it silently matches nothing). */
function checkJsonPath(path: string): void {
  if (!path.startsWith('$'))
    throw new FilterError(
      `A JSON path starts with '$' (the whole value), for example $.customer.id or $.items[?(@.qty > 1)].`,
    );
  const stack: string[] = [];
  let quote: string | null = null;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') stack.push(c);
    else if (c === ']' || c === ')') {
      const open = stack.pop();
      if ((c === ']' && open !== '[') || (c === ')' && open !== '('))
        throw new FilterError(`The JSON path has an unmatched '${c}' at character ${i + 1}.`);
    }
  }
  if (quote) throw new FilterError(`The JSON path has an unclosed ${quote} quote.`);
  if (stack.length > 0) throw new FilterError(`The JSON path has an unclosed '${stack[stack.length - 1]}'.`);
  try {
    JSONPath.toPathArray(path);
    JSONPath({ path, json: { a: [1, { b: 'c' }] }, wrap: true, eval: 'safe' });
  } catch (err) {
    throw new FilterError(`The JSON path is not valid: ${(err as Error).message}`);
  }
}

function jsonPathFilter(path: string, field: BrowseFilterSpec['field']): RecordFilter {
  checkJsonPath(path);
  const evaluate = (b: Buffer | null): string | null => {
    if (b === null || b.length === 0) return null;
    // Quick reject: JSON text starts with one of these (after whitespace).
    let i = 0;
    while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
    const c = b[i];
    if (!(
      c === 0x7b ||
      c === 0x5b ||
      c === 0x22 ||
      c === 0x2d ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x74 ||
      c === 0x66 ||
      c === 0x6e
    ))
      return null;
    let json: unknown;
    try {
      json = JSON.parse(b.toString('utf8'));
    } catch {
      return null;
    }
    let found: unknown[];
    try {
      found = JSONPath({ path, json: json as object, wrap: true, eval: 'safe' }) as unknown[];
    } catch {
      return null; // e.g. a filter expression reading a property of a number
    }
    if (!Array.isArray(found) || found.length === 0) return null;
    const text = JSON.stringify(found.length === 1 ? found[0] : found) ?? 'null';
    return text.length > MATCH_MAX_CHARS ? `${text.slice(0, MATCH_MAX_CHARS - 1)}…` : text;
  };
  const inHeaders = (r: ScannedRecord): string | null => {
    for (const h of r.headers) {
      const m = evaluate(h.value);
      if (m !== null) return m;
    }
    return null;
  };
  switch (field) {
    case 'key':
      return (r) => evaluate(r.key);
    case 'value':
      return (r) => evaluate(r.value);
    case 'headers':
      return inHeaders;
    case 'any':
      return (r) => evaluate(r.value) ?? evaluate(r.key) ?? inHeaders(r);
  }
}

export function wireBytes(b: Buffer | null, previewBytes: number): WireBytes | null {
  if (b === null) return null;
  const truncated = b.length > previewBytes;
  return {
    base64: (truncated ? b.subarray(0, previewBytes) : b).toString('base64'),
    size: b.length,
    truncated,
  };
}

export function toRow(r: ScannedRecord, previewBytes: number, match: string | null): MessageRow {
  return {
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    timestampType: r.timestampType === 'log-append-time' ? 'LogAppendTime' : 'CreateTime',
    key: wireBytes(r.key, previewBytes),
    value: wireBytes(r.value, previewBytes),
    headers: r.headers.map((h) => ({ key: h.key, value: wireBytes(h.value, previewBytes) })),
    compression: r.compression ?? 'none',
    match: match === '' ? null : match,
  };
}

/** Bytes a record adds to `scannedBytes`: key, value and headers. */
export function recordBytes(r: ScannedRecord): number {
  let n = (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const h of r.headers) n += h.key.length + (h.value?.length ?? 0);
  return n;
}

export type { BrowseBatch };
