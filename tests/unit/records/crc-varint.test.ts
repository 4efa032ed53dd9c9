import { createRequire } from 'node:module';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { crc32c } from '../../../src/engine/protocol/records/crc.js';
import {
  Cursor,
  readInt64,
  sizeOfVarint,
  sizeOfVarlong,
  writeInt64,
  writeVarint,
  writeVarlong,
} from '../../../src/engine/protocol/records/varint.js';

const require = createRequire(import.meta.url);
const kafkajsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;

describe('crc32c', () => {
  it('has the CRC-32C check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('checksums a range without copying it, equal to the checksum of a copy', () => {
    const buf = Buffer.from('xx123456789yy');
    expect(crc32c(buf, 2, 11)).toBe(0xe3069283);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const data = Buffer.from(bytes);
        const start = data.length ? a % data.length : 0;
        const end = start + (data.length ? b % (data.length - start + 1) : 0);
        expect(crc32c(data, start, end)).toBe(kafkajsCrc32C(Buffer.from(data.subarray(start, end))));
      }),
    );
  });
});

const hex = (b: Buffer) => b.toString('hex');
function varint(value: number): Buffer {
  const buf = Buffer.alloc(10);
  return buf.subarray(0, writeVarint(buf, 0, value));
}
function varlong(value: number): Buffer {
  const buf = Buffer.alloc(10);
  return buf.subarray(0, writeVarlong(buf, 0, value));
}

describe('zigzag varints', () => {
  it('writes the bytes Kafka writes', () => {
    expect(hex(varint(0))).toBe('00');
    expect(hex(varint(-1))).toBe('01');
    expect(hex(varint(1))).toBe('02');
    expect(hex(varint(63))).toBe('7e');
    expect(hex(varint(-64))).toBe('7f');
    expect(hex(varint(64))).toBe('8001');
    expect(hex(varint(300))).toBe('d804');
    expect(hex(varint(2147483647))).toBe('feffffff0f');
    expect(hex(varint(-2147483648))).toBe('ffffffff0f');
    expect(hex(varlong(-1))).toBe('01');
    expect(hex(varlong(2 ** 31))).toBe('8080808010');
    expect(hex(varlong(-(2 ** 40)))).toBe('ffffffffff3f');
    expect(hex(varlong(Number.MAX_SAFE_INTEGER))).toBe('feffffffffffff1f');
  });

  it('round-trips every int32 as a varint with the predicted size', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), (v) => {
        const bytes = varint(v);
        expect(bytes.length).toBe(sizeOfVarint(v));
        const cur = new Cursor(bytes, 0, bytes.length);
        expect(cur.varint()).toBe(v);
        expect(cur.bad).toBe(false);
        expect(cur.pos).toBe(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips safe integers as varlongs with the predicted size', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (v) => {
        const bytes = varlong(v);
        expect(bytes.length).toBe(sizeOfVarlong(v));
        const cur = new Cursor(bytes, 0, bytes.length);
        expect(cur.varlong()).toBe(v);
        expect(cur.bad).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a varlong the way Kafka encodes int64 extremes (10 bytes)', () => {
    // Long.MIN_VALUE zigzags to 2^64-1: ten bytes, the last 0x01.
    const bytes = Buffer.from('ffffffffffffffffff01', 'hex');
    const cur = new Cursor(bytes, 0, bytes.length);
    expect(cur.varlong()).toBe(-(2 ** 63));
    expect(cur.pos).toBe(10);
  });

  it('marks the cursor bad on truncated or over-long encodings', () => {
    for (const h of ['', '80', 'ffffffff', 'ffffffffff01']) {
      const b = Buffer.from(h, 'hex');
      const cur = new Cursor(b, 0, b.length);
      cur.varint();
      expect(cur.bad, h).toBe(true);
    }
    const long = Buffer.from('ffffffffffffffffffff01', 'hex');
    const cur = new Cursor(long, 0, long.length);
    cur.varlong();
    expect(cur.bad).toBe(true);
  });

  it('keeps the cursor sticky: reads after a failure return 0 / null', () => {
    const b = Buffer.from([0x04, 0x61]);
    const cur = new Cursor(b, 0, b.length);
    expect(cur.varint()).toBe(2);
    expect(cur.bytes(2)).toBeNull();
    expect(cur.bad).toBe(true);
    expect(cur.int8()).toBe(0);
  });

  it('reads and writes int64 without BigInt', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (v) => {
        const b = Buffer.alloc(8);
        writeInt64(b, 0, v);
        expect(b.readBigInt64BE(0)).toBe(BigInt(v));
        expect(readInt64(b, 0)).toBe(v);
      }),
    );
  });
});
