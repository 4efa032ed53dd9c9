/**
 * Big-endian reader over a Buffer with a sticky error: a short or malformed read marks the reader
 * bad, moves it to the end and returns a zero value. Callers check `ok` once when they are done
 * instead of handling an exception per field.
 */

const TWO_32 = 0x1_0000_0000;
const EMPTY = Buffer.alloc(0);

export type ReadProblem = 'truncated' | 'malformed';

export class Reader {
  pos: number;
  end: number;
  ok = true;
  /** Why the reader went bad (the first problem wins). */
  problem: ReadProblem | null = null;
  detail = '';

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Marks the reader bad. Returns false so callers can `return r.fail(...)`-style chain. */
  fail(problem: ReadProblem, detail: string): false {
    if (this.ok) {
      this.ok = false;
      this.problem = problem;
      this.detail = detail;
    }
    this.pos = this.end;
    return false;
  }

  /** Reserves `n` bytes and returns their start, or -1 (reader now bad) if they are not there. */
  private take(n: number): number {
    const p = this.pos;
    if (n > this.end - p) {
      this.fail('truncated', `needed ${n} bytes at offset ${p}, only ${Math.max(0, this.end - p)} left`);
      return -1;
    }
    this.pos = p + n;
    return p;
  }

  bool(): boolean {
    const p = this.take(1);
    return p >= 0 && this.buf[p] !== 0;
  }

  int8(): number {
    const p = this.take(1);
    return p < 0 ? 0 : (this.buf[p] << 24) >> 24;
  }

  int16(): number {
    const p = this.take(2);
    return p < 0 ? 0 : ((this.buf[p] << 24) | (this.buf[p + 1] << 16)) >> 16;
  }

  uint16(): number {
    const p = this.take(2);
    return p < 0 ? 0 : (this.buf[p] << 8) | this.buf[p + 1];
  }

  int32(): number {
    const p = this.take(4);
    const b = this.buf;
    return p < 0 ? 0 : (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
  }

  uint32(): number {
    const p = this.take(4);
    const b = this.buf;
    return p < 0 ? 0 : b[p] * 0x100_0000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  }

  /** int64 as a JS number, clamped to the safe-integer range. */
  int64(): number {
    const p = this.take(8);
    if (p < 0) return 0;
    const b = this.buf;
    const hi = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    const lo = b[p + 4] * 0x100_0000 + ((b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]);
    const n = hi * TWO_32 + lo;
    if (n > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
    if (n < Number.MIN_SAFE_INTEGER) return Number.MIN_SAFE_INTEGER;
    return n;
  }

  float64(): number {
    const p = this.take(8);
    return p < 0 ? 0 : this.buf.readDoubleBE(p);
  }

  /** Unsigned varint of at most 32 bits (5 bytes), as a non-negative number. */
  uvarint(): number {
    const b = this.buf;
    let p = this.pos;
    // Fast path: one byte (tag counts, small compact lengths).
    if (p < this.end && b[p] < 0x80) {
      this.pos = p + 1;
      return b[p];
    }
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (p >= this.end) {
        this.fail('truncated', 'varint runs past the end');
        return 0;
      }
      const byte = b[p++];
      if (i === 4 && byte > 0x0f) {
        this.fail('malformed', 'varint longer than 32 bits');
        return 0;
      }
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 128;
    }
    this.pos = p;
    return result;
  }

  /** Unsigned varlong of at most 64 bits (10 bytes), as a number (clamped to the safe range). */
  uvarlong(): number {
    const b = this.buf;
    let result = 0;
    let scale = 1;
    let p = this.pos;
    for (let i = 0; ; i++) {
      if (p >= this.end) {
        this.fail('truncated', 'varlong runs past the end');
        return 0;
      }
      if (i === 10) {
        this.fail('malformed', 'varlong longer than 64 bits');
        return 0;
      }
      const byte = b[p++];
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) break;
    }
    this.pos = p;
    return result;
  }

  /** Zigzag-encoded signed varint (32-bit). */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zigzag-encoded signed varlong, as a number (exact within ±2^53). */
  varlong(): number {
    const b = this.buf;
    let p = this.pos;
    // Decode into two 32-bit halves so values up to 2^64 stay exact before un-zigzagging.
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      if (p >= this.end) {
        this.fail('truncated', 'varlong runs past the end');
        return 0;
      }
      if (i === 10) {
        this.fail('malformed', 'varlong longer than 64 bits');
        return 0;
      }
      const byte = b[p++] & 0xff;
      const bits = byte & 0x7f;
      if (shift < 28) {
        lo |= bits << shift;
      } else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else {
        hi |= bits << (shift - 32);
      }
      shift += 7;
      if ((byte & 0x80) === 0) break;
    }
    this.pos = p;
    lo >>>= 0;
    hi >>>= 0;
    // zigzag: value = (u >>> 1) ^ -(u & 1), done on the 64-bit pair.
    const negative = (lo & 1) === 1;
    const mlo = ((lo >>> 1) | (hi << 31)) >>> 0;
    const mhi = hi >>> 1;
    const magnitude = mhi * TWO_32 + mlo;
    const n = negative ? -magnitude - 1 : magnitude;
    if (n > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
    if (n < Number.MIN_SAFE_INTEGER) return Number.MIN_SAFE_INTEGER;
    return n;
  }

  uuid(): Buffer {
    const p = this.take(16);
    // Copied: a 16-byte id must not keep a whole request frame alive.
    return p < 0 ? Buffer.alloc(16) : Buffer.from(this.buf.subarray(p, p + 16));
  }

  /** Raw bytes, zero-copy (a view of the underlying buffer). */
  slice(n: number): Buffer {
    const p = this.take(n);
    return p < 0 ? EMPTY : this.buf.subarray(p, p + n);
  }

  utf8(n: number): string {
    const p = this.take(n);
    return p < 0 ? '' : this.buf.toString('utf8', p, p + n);
  }

  /** Classic length (int16) or compact length (uvarint N+1); -1 means null. */
  stringLength(compact: boolean): number {
    return compact ? this.uvarint() - 1 : this.int16();
  }

  /** Classic length (int32) or compact length (uvarint N+1); -1 means null. */
  bytesLength(compact: boolean): number {
    return compact ? this.uvarint() - 1 : this.int32();
  }

  /** int16-length string; null for length -1. */
  nullableString(): string | null {
    const n = this.int16();
    if (n < 0) {
      if (n !== -1) this.fail('malformed', `negative string length ${n}`);
      return null;
    }
    return this.utf8(n);
  }

  /** Skips the tagged-field section of a struct (all tags treated as unknown). */
  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count && this.ok; i++) {
      this.uvarint();
      const size = this.uvarint();
      this.take(size);
    }
  }
}
