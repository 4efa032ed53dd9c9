/**
 * Zigzag varints (int32) and varlongs (int64) as used inside record batches v2, plus a read cursor.
 *
 * Values are JS numbers. A varlong outside ±2^53 loses precision (see the engine contract: int64s stay
 * below 2^53 in Eddy); nothing here throws for that.
 */

const TWO_POW_32 = 4294967296;

/** Bytes needed for `value` (an int32) as a zigzag varint. */
export function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (v >= 0x80) {
    v >>>= 7;
    bytes++;
  }
  return bytes;
}

/** Bytes needed for `value` (an integer within ±2^53) as a zigzag varlong. */
export function sizeOfVarlong(value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return sizeOfVarint(value);
  // zigzag(v) = 2m + sign with m = v >= 0 ? v : -v - 1; 2m can exceed 2^53, so count bits from m.
  let m = Math.floor((value >= 0 ? value : -value - 1) / 64);
  let bytes = 1;
  while (m > 0) {
    m = Math.floor(m / 128);
    bytes++;
  }
  return bytes;
}

/** Writes `value` (an int32) as a zigzag varint at `offset`; returns the offset after it. */
export function writeVarint(buf: Buffer, offset: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[offset++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[offset++] = v;
  return offset;
}

/** Writes `value` (an integer within ±2^53) as a zigzag varlong at `offset`; returns the offset after it. */
export function writeVarlong(buf: Buffer, offset: number, value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return writeVarint(buf, offset, value);
  // zigzag(v) = 2m + sign (m = v >= 0 ? v : -v - 1) may not be exact as a double, so the first byte
  // takes the sign bit and the low 6 bits of m, and the rest of m follows in 7-bit groups.
  const sign = value < 0 ? 1 : 0;
  let m = sign ? -value - 1 : value;
  let next = Math.floor(m / 64);
  buf[offset++] = ((m % 64) * 2 + sign) | (next > 0 ? 0x80 : 0);
  m = next;
  while (m > 0) {
    next = Math.floor(m / 128);
    buf[offset++] = (m % 128) | (next > 0 ? 0x80 : 0);
    m = next;
  }
  return offset;
}

/** Reads a big-endian int64 as a number (exact within ±2^53) without allocating a BigInt. */
export function readInt64(buf: Buffer, offset: number): number {
  return buf.readInt32BE(offset) * TWO_POW_32 + buf.readUInt32BE(offset + 4);
}

/** Writes an integer (within ±2^53) as a big-endian int64 without allocating a BigInt. */
export function writeInt64(buf: Buffer, offset: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(high, offset);
  buf.writeUInt32BE(value - high * TWO_POW_32, offset + 4);
}

/**
 * A read position over `buf[pos, end)` with a sticky error, in the style of franz-go's kbin reader:
 * a short or malformed read sets `bad`, moves `pos` to `end` (so every later read fails too) and
 * returns 0 (or null); a caller checks `bad` once after a group of reads instead of handling an
 * exception per field.
 */
export class Cursor {
  bad = false;

  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
  ) {}

  remaining(): number {
    return this.end - this.pos;
  }

  int8(): number {
    if (this.pos >= this.end) return this.fail();
    const b = this.buf[this.pos++];
    return b > 127 ? b - 256 : b;
  }

  /** Zigzag varint, at most 5 bytes (Kafka's ByteUtils.readVarint rejects longer ones). */
  varint(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    if (pos >= end) return this.fail();
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return (b >>> 1) ^ -(b & 1);
    }
    let raw = b & 0x7f;
    let shift = 7;
    for (;;) {
      if (pos >= end) return this.fail();
      b = buf[pos++];
      if (b < 0x80) {
        raw |= b << shift;
        break;
      }
      raw |= (b & 0x7f) << shift;
      shift += 7;
      if (shift > 28) return this.fail();
    }
    this.pos = pos;
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Zigzag varlong, at most 10 bytes. */
  varlong(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    // Fast path: up to 4 bytes (|value| < 2^27) fits in 32-bit arithmetic.
    let raw = 0;
    let shift = 0;
    let b = 0;
    do {
      if (pos >= end) return this.fail();
      b = buf[pos++];
      raw |= (b & 0x7f) << shift;
      shift += 7;
    } while (b >= 0x80 && shift < 28);
    if (b < 0x80) {
      this.pos = pos;
      return (raw >>> 1) ^ -(raw & 1);
    }
    // Slow path: accumulate zigzag >>> 1 in float arithmetic (exact up to 2^53); the sign is bit 0.
    const sign = raw & 1;
    let half = raw >>> 1;
    let multiplier = 2 ** 27;
    do {
      if (pos >= end || shift > 63) return this.fail();
      b = buf[pos++];
      half += (b & 0x7f) * multiplier;
      multiplier *= 128;
      shift += 7;
    } while (b >= 0x80);
    this.pos = pos;
    return sign ? -half - 1 : half;
  }

  /** Skips `n` bytes (n >= 0). */
  skip(n: number): void {
    if (n < 0 || n > this.end - this.pos) {
      this.fail();
      return;
    }
    this.pos += n;
  }

  /** `n` bytes as a view into the buffer (no copy). */
  bytes(n: number): Buffer | null {
    if (n < 0 || n > this.end - this.pos) {
      this.fail();
      return null;
    }
    const start = this.pos;
    this.pos += n;
    return this.buf.subarray(start, this.pos);
  }

  private fail(): 0 {
    this.bad = true;
    this.pos = this.end;
    return 0;
  }
}
