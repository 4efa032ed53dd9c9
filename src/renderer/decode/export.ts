/**
 * Exporting browsed records as JSON or CSV. Keys, values and header values are written as text
 * when they are valid UTF-8 without control characters, else as base64, with the encoding named
 * next to them so the file can be read back without guessing. Pure functions: they run on the UI
 * thread for small exports and in a worker (workers/export-worker.ts) for large ones.
 */
import type { MessageRow, WireBytes } from '../../shared/contract/index.js';
import { base64ToBytes, hasControlCharacters, utf8OrNull } from './bytes.js';

export type ExportFormat = 'json' | 'csv';
export type ExportEncoding = 'utf8' | 'base64';

export interface ExportedHeader {
  key: string;
  value: string | null;
  valueEncoding: ExportEncoding | null;
}

export interface ExportedRecord {
  partition: number;
  offset: number;
  /** Ms since epoch (UTC). */
  timestamp: number;
  key: string | null;
  keyEncoding: ExportEncoding | null;
  /** Only the preview was in memory: the value is cut (load the full value before exporting). */
  keyTruncated: boolean;
  value: string | null;
  valueEncoding: ExportEncoding | null;
  valueTruncated: boolean;
  headers: ExportedHeader[];
}

/** Text when the bytes read as clean UTF-8, else the base64 as it came. */
export function exportBytes(wire: WireBytes | null): {
  text: string | null;
  encoding: ExportEncoding | null;
} {
  if (wire === null) return { text: null, encoding: null };
  const text = utf8OrNull(base64ToBytes(wire.base64));
  if (text !== null && !hasControlCharacters(text)) return { text, encoding: 'utf8' };
  return { text: wire.base64, encoding: 'base64' };
}

export function exportRecord(row: MessageRow): ExportedRecord {
  const key = exportBytes(row.key);
  const value = exportBytes(row.value);
  return {
    partition: row.partition,
    offset: row.offset,
    timestamp: row.timestamp,
    key: key.text,
    keyEncoding: key.encoding,
    keyTruncated: row.key?.truncated ?? false,
    value: value.text,
    valueEncoding: value.encoding,
    valueTruncated: row.value?.truncated ?? false,
    headers: row.headers.map((h) => {
      const v = exportBytes(h.value);
      return { key: h.key, value: v.text, valueEncoding: v.encoding };
    }),
  };
}

/** A JSON array of records, one per line, so large files stay diffable and greppable. */
export function rowsToJson(rows: readonly MessageRow[]): string {
  if (rows.length === 0) return '[]\n';
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) parts[i] = `  ${JSON.stringify(exportRecord(rows[i]))}`;
  return `[\n${parts.join(',\n')}\n]\n`;
}

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, and its quotes doubled. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
  'partition',
  'offset',
  'timestamp',
  'timestamp_utc',
  'key',
  'key_encoding',
  'value',
  'value_encoding',
  'headers',
  'truncated',
] as const;

function isoUtc(ms: number): string {
  return ms >= 0 && Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

/**
 * CSV with a header line and CRLF line ends (RFC 4180). Headers are one JSON object per record
 * (`[{"key":…,"value":…,"valueEncoding":…}]`); an empty field is a null key or value.
 */
export function rowsToCsv(rows: readonly MessageRow[]): string {
  const lines = new Array<string>(rows.length + 1);
  lines[0] = CSV_COLUMNS.join(',');
  for (let i = 0; i < rows.length; i++) {
    const r = exportRecord(rows[i]);
    lines[i + 1] = [
      r.partition,
      r.offset,
      r.timestamp,
      isoUtc(r.timestamp),
      r.key,
      r.keyEncoding,
      r.value,
      r.valueEncoding,
      r.headers.length ? JSON.stringify(r.headers) : '',
      r.keyTruncated || r.valueTruncated,
    ]
      .map(csvField)
      .join(',');
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function serializeRows(rows: readonly MessageRow[], format: ExportFormat): string {
  return format === 'json' ? rowsToJson(rows) : rowsToCsv(rows);
}

export const EXPORT_MIME: Record<ExportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
};

/** "orders-2026-11-25T18-30-00Z.csv": the topic and the moment, safe on every file system. */
export function exportFileName(topic: string, format: ExportFormat, now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  return `${topic}-${stamp}.${format}`;
}
