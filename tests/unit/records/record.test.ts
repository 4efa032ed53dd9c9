import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { RecordsError, RecordsErrorCode } from '../../../src/engine/protocol/records/errors.js';
import {
  encodeRecord,
  type RecordFields,
  type RecordSummary,
  readRecord,
  scanRecord,
  sizeOfRecord,
} from '../../../src/engine/protocol/records/record.js';
import { Cursor } from '../../../src/engine/protocol/records/varint.js';
import { fixture } from './helpers.js';

const bytesOrNull = fc.option(
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  { nil: null },
);
const recordArb: fc.Arbitrary<RecordFields> = fc.record({
  attributes: fc.constant(0),
  timestampDelta: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger()),
  offsetDelta: fc.integer({ min: 0, max: 2147483647 }),
  key: bytesOrNull,
  value: bytesOrNull,
  headers: fc.array(fc.record({ key: fc.string({ unit: 'grapheme', maxLength: 20 }), value: bytesOrNull }), {
    maxLength: 5,
  }),
});

describe('record encoding', () => {
  it("writes the same bytes as Kafka's Java client (first record of the Java fixture)", () => {
    const javaBatch = fixture('java-none.bin');
    const expected = javaBatch.subarray(
      61,
      61 +
        sizeOfRecord({
          timestampDelta: 0,
          offsetDelta: 0,
          key: Buffer.from('key-0'),
          value: Buffer.from('value-0'),
          headers: [
            { key: 'h1', value: Buffer.from('v1') },
            { key: 'h2', value: null },
            { key: 'été', value: Buffer.from('☃') },
          ],
        }),
    );
    const ours = encodeRecord({
      timestampDelta: 0,
      offsetDelta: 0,
      key: Buffer.from('key-0'),
      value: Buffer.from('value-0'),
      headers: [
        { key: 'h1', value: Buffer.from('v1') },
        { key: 'h2', value: null },
        { key: 'été', value: Buffer.from('☃') },
      ],
    });
    expect(ours.toString('hex')).toBe(expected.toString('hex'));
    expect(ours.toString('hex')).toBe(
      '4c0000000a6b65792d300e76616c75652d3006046831047631046832010ac3a974c3a906e29883',
    );
  });

  it('round-trips any record through readRecord and scanRecord', () => {
    fc.assert(
      fc.property(
        recordArb,
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e12 }),
        (record, baseOffset, baseTimestamp) => {
          const encoded = encodeRecord(record);
          expect(encoded.length).toBe(sizeOfRecord(record));
          const padded = Buffer.concat([Buffer.from([9, 9]), encoded, Buffer.from([7])]);
          const cur = new Cursor(padded, 2, padded.length - 1);
          const decoded = readRecord(cur, baseOffset, baseTimestamp, null);
          expect(cur.pos).toBe(padded.length - 1);
          expect(decoded).toEqual({
            ...record,
            offset: baseOffset + record.offsetDelta,
            timestamp: baseTimestamp + record.timestampDelta,
          });

          const summary: RecordSummary = { timestampDelta: 0, offsetDelta: 0, hasKey: false };
          const scan = new Cursor(padded, 2, padded.length - 1);
          expect(scanRecord(scan, summary)).toBeNull();
          expect(scan.pos).toBe(padded.length - 1);
          expect(summary).toEqual({
            timestampDelta: record.timestampDelta,
            offsetDelta: record.offsetDelta,
            hasKey: record.key !== null,
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns views into the input, not copies', () => {
    const encoded = encodeRecord({
      timestampDelta: 0,
      offsetDelta: 0,
      key: Buffer.from('k'),
      value: Buffer.from('value'),
      headers: [],
    });
    const decoded = readRecord(new Cursor(encoded, 0, encoded.length), 0, 0, null);
    expect(decoded.value?.buffer).toBe(encoded.buffer);
  });

  it('uses the LogAppendTime for every record of such a batch', () => {
    const encoded = encodeRecord({ timestampDelta: 5, offsetDelta: 0, key: null, value: null, headers: [] });
    expect(readRecord(new Cursor(encoded, 0, encoded.length), 10, 100, 999).timestamp).toBe(999);
  });
});

describe('malformed records', () => {
  const good = encodeRecord({
    timestampDelta: 1,
    offsetDelta: 0,
    key: Buffer.from('k'),
    value: Buffer.from('v'),
    headers: [{ key: 'h', value: Buffer.from('x') }],
  });
  // Layout of `good`: [0] length 12, [1] attributes, [2] tsDelta, [3] offsetDelta, [4] keyLen, [5] 'k',
  // [6] valueLen, [7] 'v', [8] headerCount, [9] headerKeyLen, [10] 'h', [11] headerValueLen, [12] 'x'.
  const variants: [string, Buffer][] = [
    ['truncated', good.subarray(0, 8)],
    [
      'length larger than the record',
      Buffer.concat([Buffer.from([0x1a]), good.subarray(1), Buffer.from([0, 0])]),
    ],
    ['length smaller than the record', Buffer.concat([Buffer.from([0x16]), good.subarray(1)])],
    ['negative length', Buffer.concat([Buffer.from([0x01]), good.subarray(1)])],
    ['negative header count', Buffer.from(good).fill(0x01, 8, 9)],
    ['negative header key size', Buffer.from(good).fill(0x01, 9, 10)],
    ['key length -2', Buffer.from(good).fill(0x03, 4, 5)],
  ];
  it.each(variants)('%s → INVALID_RECORD from readRecord and a message from scanRecord', (_name, bytes) => {
    let caught: unknown;
    try {
      readRecord(new Cursor(bytes, 0, bytes.length), 0, 0, null);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RecordsError);
    expect((caught as RecordsError).errorCode).toBe(RecordsErrorCode.INVALID_RECORD);
    const summary: RecordSummary = { timestampDelta: 0, offsetDelta: 0, hasKey: false };
    expect(scanRecord(new Cursor(bytes, 0, bytes.length), summary)).toMatch(/record|header/);
  });
});
