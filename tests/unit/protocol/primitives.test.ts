import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Reader } from '../../../src/engine/protocol/codec/reader.js';
import { Writer } from '../../../src/engine/protocol/codec/writer.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function written(fn: (w: Writer) => void): string {
  const w = new Writer(4);
  fn(w);
  return w.finish().toString('hex');
}

// Golden values below come from the encoding rules (protobuf-style base-128 varints, zigzag,
// big-endian two's complement), worked out by hand / with a three-line Python reference, not by
// this codec.
describe('unsigned varint', () => {
  const cases: Array<[number, string]> = [
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16383, 'ff7f'],
    [16384, '808001'],
    [0x7fffffff, 'ffffffff07'],
    [0xffffffff, 'ffffffff0f'],
  ];
  it.each(cases)('%d <-> %s', (n, bytes) => {
    expect(written((w) => w.uvarint(n))).toBe(bytes);
    const r = new Reader(hex(bytes));
    expect(r.uvarint()).toBe(n);
    expect(r.ok).toBe(true);
    expect(r.remaining).toBe(0);
  });

  it('rejects a sixth byte / more than 32 bits', () => {
    const r = new Reader(hex('ffffffff1f'));
    expect(r.uvarint()).toBe(0);
    expect(r.ok).toBe(false);
    expect(r.problem).toBe('malformed');
  });

  it('marks a varint cut short as truncated', () => {
    const r = new Reader(hex('8080'));
    expect(r.uvarint()).toBe(0);
    expect(r.problem).toBe('truncated');
  });
});

describe('zigzag varint / varlong', () => {
  const varints: Array<[number, string]> = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-2, '03'],
    [63, '7e'],
    [-64, '7f'],
    [64, '8001'],
    [2147483647, 'feffffff0f'],
    [-2147483648, 'ffffffff0f'],
  ];
  it.each(varints)('varint %d <-> %s', (n, bytes) => {
    expect(written((w) => w.varint(n))).toBe(bytes);
    expect(new Reader(hex(bytes)).varint()).toBe(n);
  });

  const varlongs: Array<[number, string]> = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [2 ** 31, '8080808010'],
    [-(2 ** 31) - 1, '8180808010'],
    [1_700_000_000_000, '80a0abfef962'],
    [Number.MAX_SAFE_INTEGER, 'feffffffffffff1f'],
    [Number.MIN_SAFE_INTEGER, 'fdffffffffffff1f'],
  ];
  it.each(varlongs)('varlong %d <-> %s', (n, bytes) => {
    expect(written((w) => w.varlong(n))).toBe(bytes);
    expect(new Reader(hex(bytes)).varlong()).toBe(n);
  });

  it('reads the widest 64-bit varlongs (clamped to the safe range)', () => {
    // zigzag(-2^63) = 2^64-1: ten bytes, the last one 0x01.
    expect(new Reader(hex('ffffffffffffffffff01')).varlong()).toBe(Number.MIN_SAFE_INTEGER);
    // zigzag(2^63-1) = 2^64-2
    expect(new Reader(hex('feffffffffffffffff01')).varlong()).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('round-trips any 32-bit varint and any safe varlong', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => {
        const w = new Writer(1);
        w.varint(n);
        expect(new Reader(w.finish()).varint()).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        const w = new Writer(1);
        w.varlong(n);
        expect(new Reader(w.finish()).varlong()).toBe(n);
      }),
    );
  });
});

describe('fixed-width integers', () => {
  it('writes and reads big-endian two\u2019s complement', () => {
    const out = written((w) => {
      w.int8(-1);
      w.int16(-2);
      w.uint16(0xfffe);
      w.int32(-3);
      w.uint32(0xfffffffd);
      w.int64(-4);
      w.int64(0x1_0000_0001);
      w.bool(true);
      w.float64(1.5);
    });
    expect(out).toBe('ff' + 'fffe' + 'fffe' + 'fffffffd' + 'fffffffd' + 'fffffffffffffffc' + '0000000100000001' + '01' + '3ff8000000000000');
    const r = new Reader(Buffer.from(out, 'hex'));
    expect([r.int8(), r.int16(), r.uint16(), r.int32(), r.uint32(), r.int64(), r.int64(), r.bool(), r.float64()]).toEqual([
      -1,
      -2,
      0xfffe,
      -3,
      0xfffffffd,
      -4,
      0x1_0000_0001,
      true,
      1.5,
    ]);
    expect(r.ok).toBe(true);
  });

  it('clamps int64: ±(2^63-1) on write, the safe range on read', () => {
    expect(written((w) => w.int64(2 ** 64))).toBe('7fffffffffffffff');
    expect(written((w) => w.int64(-(2 ** 64)))).toBe('8000000000000000');
    expect(new Reader(hex('7fffffffffffffff')).int64()).toBe(Number.MAX_SAFE_INTEGER);
    expect(new Reader(hex('8000000000000000')).int64()).toBe(Number.MIN_SAFE_INTEGER);
    expect(new Reader(hex('001fffffffffffff')).int64()).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('int64 round-trips every safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        const w = new Writer(1);
        w.int64(n);
        const b = w.finish();
        expect(b.readBigInt64BE(0)).toBe(BigInt(n));
        expect(new Reader(b).int64()).toBe(n);
      }),
    );
  });

  it('refuses out-of-range fixed-width values', () => {
    expect(() => written((w) => w.int16(40000))).toThrow(RangeError);
    expect(() => written((w) => w.int32(2 ** 31))).toThrow(RangeError);
    expect(() => written((w) => w.uvarint(-1))).toThrow(RangeError);
  });
});

describe('sticky reader', () => {
  it('returns zeros after a short read and stays bad', () => {
    const r = new Reader(hex('0001'));
    expect(r.int32()).toBe(0);
    expect(r.ok).toBe(false);
    expect(r.problem).toBe('truncated');
    expect(r.int8()).toBe(0);
    expect(r.uuid()).toEqual(Buffer.alloc(16));
    expect(r.utf8(3)).toBe('');
    expect(r.ok).toBe(false);
  });

  it('slices are zero-copy views, uuids are copies', () => {
    const buf = hex('00112233445566778899aabbccddeeff' + 'cafe');
    const r = new Reader(buf);
    const id = r.uuid();
    const view = r.slice(2);
    buf[0] = 0x99;
    buf[16] = 0x00;
    expect(id[0]).toBe(0x00);
    expect(view[0]).toBe(0x00);
    expect(view.buffer).toBe(buf.buffer);
  });

  it('skips tagged-field sections', () => {
    // two tags: tag 0 with 2 bytes, tag 5 with 1 byte; then an int8 7
    const r = new Reader(hex('02 00 02 abcd 05 01 ee 07'));
    r.skipTaggedFields();
    expect(r.int8()).toBe(7);
    expect(r.ok).toBe(true);
  });
});

describe('writer', () => {
  it('keeps large blobs as references and joins them once', () => {
    const big = Buffer.alloc(5000, 7);
    const w = new Writer(8);
    w.int32(1);
    w.bytes(big);
    w.int16(2);
    w.bytes(Buffer.from([1, 2, 3]));
    expect(w.length).toBe(4 + 5000 + 2 + 3);
    const out = w.finish();
    expect(out.length).toBe(5009);
    expect(out.readInt32BE(0)).toBe(1);
    expect(out.subarray(4, 5004).equals(big)).toBe(true);
    expect(out.readInt16BE(5004)).toBe(2);
    expect([...out.subarray(5006)]).toEqual([1, 2, 3]);
  });

  it('writes UTF-8 strings by byte length', () => {
    const s = 'h\u00e9llo \u{1f600}';
    const n = Buffer.byteLength(s);
    expect(written((w) => w.utf8(s, n))).toBe(Buffer.from(s).toString('hex'));
  });
});
