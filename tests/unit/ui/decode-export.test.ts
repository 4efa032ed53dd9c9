import { describe, expect, it } from 'vitest';
import {
  csvField,
  exportBytes,
  exportFileName,
  exportRecord,
  rowsToCsv,
  rowsToJson,
  serializeRows,
} from '../../../src/renderer/decode/export.js';
import { messageRow, wireBytes } from './fakes/messages-fake.js';

/** A small RFC 4180 reader, to check that what we write reads back field for field. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  return records;
}

describe('export', () => {
  it('writes text as text and binary as base64, saying which', () => {
    expect(exportBytes(wireBytes('hello'))).toEqual({ text: 'hello', encoding: 'utf8' });
    expect(exportBytes(wireBytes(Uint8Array.of(0xff, 0x00, 0x10)))).toEqual({
      text: '/wAQ',
      encoding: 'base64',
    });
    expect(exportBytes(wireBytes('bell\u0007'))).toEqual({ text: 'YmVsbAc=', encoding: 'base64' });
    expect(exportBytes(null)).toEqual({ text: null, encoding: null });
  });

  it('exports a JSON array of records with partition, offset, timestamp, key, value and headers', () => {
    const rows = [
      messageRow(0, 5, {
        key: null,
        value: wireBytes('{"id":5}'),
        headers: [
          { key: 'trace', value: wireBytes('abc') },
          { key: 'bin', value: wireBytes(Uint8Array.of(1, 2, 255)) },
          { key: 'none', value: null },
        ],
      }),
      messageRow(2, 9, { value: wireBytes('x'.repeat(100), 10) }),
    ];
    const parsed = JSON.parse(rowsToJson(rows));
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toEqual({
      partition: 0,
      offset: 5,
      timestamp: rows[0].timestamp,
      key: null,
      keyEncoding: null,
      keyTruncated: false,
      value: '{"id":5}',
      valueEncoding: 'utf8',
      valueTruncated: false,
      headers: [
        { key: 'trace', value: 'abc', valueEncoding: 'utf8' },
        { key: 'bin', value: 'AQL/', valueEncoding: 'base64' },
        { key: 'none', value: null, valueEncoding: null },
      ],
    });
    expect(parsed[1]).toMatchObject({
      partition: 2,
      offset: 9,
      key: 'key-9',
      value: 'x'.repeat(10),
      valueTruncated: true,
    });
    expect(JSON.parse(rowsToJson([]))).toEqual([]);
  });

  it('quotes CSV fields by RFC 4180: commas, quotes, CR and LF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('writes CSV with a header line and CRLF line ends that reads back exactly', () => {
    const tricky = 'comma, "quote"\nnewline';
    const rows = [
      messageRow(1, 3, {
        key: wireBytes(tricky),
        value: null,
        headers: [{ key: 'h', value: wireBytes('v,1') }],
      }),
      messageRow(0, 4, { key: null, value: wireBytes(Uint8Array.of(0, 159, 146, 150)) }),
    ];
    const csv = rowsToCsv(rows);
    expect(csv.endsWith('\r\n')).toBe(true);
    const records = parseCsv(csv);
    expect(records[0]).toEqual([
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
    ]);
    expect(records[1]).toEqual([
      '1',
      '3',
      String(rows[0].timestamp),
      new Date(rows[0].timestamp).toISOString(),
      tricky,
      'utf8',
      '',
      '',
      JSON.stringify([{ key: 'h', value: 'v,1', valueEncoding: 'utf8' }]),
      'false',
    ]);
    expect(records[2].slice(4, 8)).toEqual(['', '', 'AJ+Slg==', 'base64']);
    expect(records).toHaveLength(3);
  });

  it('serializes by format and names files after the topic and the moment', () => {
    const rows = [messageRow(0, 1)];
    expect(serializeRows(rows, 'json')).toBe(rowsToJson(rows));
    expect(serializeRows(rows, 'csv')).toBe(rowsToCsv(rows));
    expect(exportFileName('orders', 'csv', Date.UTC(2026, 10, 25, 18, 30, 5, 123))).toBe(
      'orders-2026-11-25T18-30-05Z.csv',
    );
    expect(exportRecord(rows[0]).key).toBe('key-1');
  });
});
