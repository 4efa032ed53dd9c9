/**
 * Big-endian writer. Small values go into a growing scratch buffer; large byte blobs (record
 * batches) are kept as references and only copied once, when `finish()` joins the pieces.
 * Range errors from Node's write helpers (an int32 field holding 2^40, say) surface as RangeError;
 * the encoder turns them into ProtocolError.
 */

const TWO_32 = 0x1_0000_0000;
const INT64_LIMIT = 2 ** 63;
/** Blobs at least this large are referenced instead of copied into the scratch buffer. */
const LARGE_BLOB = 1024;

export class Writer {
  private buf: Buffer;
  private pos = 0;
  /** Start of the part of `buf` not yet handed to `chunks`. */
  private segmentStart = 0;
  private chunks: Buffer[] | null = null;
  private flushedBytes = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.flushedBytes + this.pos - this.segmentStart;
  }

  private ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const used = this.pos - this.segmentStart;
    const size = Math.max(this.buf.length * 2, used + n + 64);
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.segmentStart, this.pos);
    this.buf = next;
    this.pos = used;
    this.segmentStart = 0;
  }

  int8(v: number): void {
    this.ensure(1);
    this.pos = this.buf.writeInt8(v, this.pos);
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  int16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(v, this.pos);
  }

  uint16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeUInt16BE(v, this.pos);
  }

  int32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(v, this.pos);
  }

  uint32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeUInt32BE(v, this.pos);
  }

  /** int64 from a JS number; values beyond ±(2^63-1) are clamped. */
  int64(v: number): void {
    this.ensure(8);
    const b = this.buf;
    const p = this.pos;
    if (v >= INT64_LIMIT) {
      b.writeUInt32BE(0x7fffffff, p);
      b.writeUInt32BE(0xffffffff, p + 4);
    } else if (v <= -INT64_LIMIT) {
      b.writeUInt32BE(0x80000000, p);
      b.writeUInt32BE(0, p + 4);
    } else {
      const n = Math.trunc(v);
      if (Number.isNaN(n)) throw new RangeError('int64 value is NaN');
      const hi = Math.floor(n / TWO_32);
      b.writeInt32BE(hi, p);
      b.writeUInt32BE(n - hi * TWO_32, p + 4);
    }
    this.pos = p + 8;
  }

  float64(v: number): void {
    this.ensure(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }

  /** Unsigned varint, 0 ≤ v ≤ 2^32-1. */
  uvarint(v: number): void {
    if (!(v >= 0 && v <= 0xffffffff)) throw new RangeError(`uvarint out of range: ${v}`);
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    let u = v >>> 0;
    while (u >= 0x80) {
      b[p++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    b[p++] = u;
    this.pos = p;
  }

  /** Unsigned varlong for 0 ≤ v ≤ 2^53-1. */
  uvarlong(v: number): void {
    if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER)) throw new RangeError(`uvarlong out of range: ${v}`);
    const hi = Math.floor(v / TWO_32);
    this.varint64(hi, v - hi * TWO_32);
  }

  /** Zigzag-encoded signed 32-bit varint. */
  varint(v: number): void {
    this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Zigzag-encoded signed 64-bit varlong from a safe-integer JS number. */
  varlong(v: number): void {
    if (!Number.isSafeInteger(v)) throw new RangeError(`varlong out of range: ${v}`);
    // Split into two's-complement halves, then zigzag on the 64-bit pair: (n << 1) ^ (n >> 63).
    const hi = Math.floor(v / TWO_32);
    const lo = v - hi * TWO_32;
    const sign = v < 0 ? 0xffffffff : 0;
    this.varint64((((hi << 1) | (lo >>> 31)) ^ sign) >>> 0, ((lo << 1) ^ sign) >>> 0);
  }

  /** Base-128 varint of the unsigned 64-bit value hi * 2^32 + lo. */
  private varint64(hi: number, lo: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (hi !== 0 || lo >= 0x80) {
      b[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    b[p++] = lo;
    this.pos = p;
  }

  /** Copies (small) or references (large) raw bytes. */
  bytes(data: Buffer): void {
    const n = data.length;
    if (n >= LARGE_BLOB) {
      if (this.chunks === null) this.chunks = [];
      if (this.pos > this.segmentStart) {
        this.chunks.push(this.buf.subarray(this.segmentStart, this.pos));
        this.flushedBytes += this.pos - this.segmentStart;
        this.segmentStart = this.pos;
      }
      this.chunks.push(data);
      this.flushedBytes += n;
      return;
    }
    this.ensure(n);
    data.copy(this.buf, this.pos);
    this.pos += n;
  }

  /** UTF-8 bytes of `s` whose length (`byteLength`) the caller already wrote. */
  utf8(s: string, byteLength: number): void {
    this.ensure(byteLength);
    this.pos += this.buf.write(s, this.pos, byteLength, 'utf8');
  }

  /** One contiguous buffer with everything written. */
  finish(): Buffer {
    const tail = this.buf.subarray(this.segmentStart, this.pos);
    if (this.chunks === null) return tail;
    if (tail.length > 0) this.chunks.push(tail);
    return Buffer.concat(this.chunks, this.flushedBytes + tail.length);
  }
}
