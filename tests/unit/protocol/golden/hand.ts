/**
 * A deliberately tiny byte builder for hand-written golden layouts. It shares no code with the
 * codec: every field is written by an explicit call in a layout, following the primitive rules of
 * the protocol (big-endian integers; int16/int32 lengths in classic versions; unsigned varint N+1
 * lengths and a tag section after every struct in flexible versions). While writing, it records
 * the value under the field's name, so a layout yields both the bytes and the body a decoder
 * must produce from them.
 */

type Obj = Record<string, unknown>;

function uvarint(n: number): number[] {
  const out: number[] = [];
  let u = n;
  while (u >= 0x80) {
    out.push((u % 128) | 0x80);
    u = Math.floor(u / 128);
  }
  out.push(u);
  return out;
}

function be(value: bigint, bytes: number): number[] {
  const out: number[] = [];
  let u = BigInt.asUintN(bytes * 8, value);
  for (let i = 0; i < bytes; i++) {
    out.unshift(Number(u & 0xffn));
    u >>= 8n;
  }
  return out;
}

export class Hand {
  /** True once the layout wrote this struct's tag section itself. */
  private tagsWritten = false;

  constructor(
    readonly flexible: boolean,
    readonly obj: Obj = {},
    private readonly sink: number[] = [],
  ) {}

  private put(name: string, value: unknown, bytes: number[]): this {
    this.obj[name] = value;
    for (const b of bytes) this.sink.push(b);
    return this;
  }

  raw(bytes: number[] | Buffer): this {
    for (const b of bytes) this.sink.push(b);
    return this;
  }

  bool(name: string, v: boolean): this {
    return this.put(name, v, [v ? 1 : 0]);
  }
  int8(name: string, v: number): this {
    return this.put(name, v, be(BigInt(v), 1));
  }
  int16(name: string, v: number): this {
    return this.put(name, v, be(BigInt(v), 2));
  }
  uint16(name: string, v: number): this {
    return this.put(name, v, be(BigInt(v), 2));
  }
  int32(name: string, v: number): this {
    return this.put(name, v, be(BigInt(v), 4));
  }
  uint32(name: string, v: number): this {
    return this.put(name, v, be(BigInt(v), 4));
  }
  int64(name: string, v: number): this {
    return this.put(name, v, be(BigInt(v), 8));
  }
  uuid(name: string, v: Buffer): this {
    if (v.length !== 16) throw new Error('uuid must be 16 bytes');
    return this.put(name, v, [...v]);
  }

  private strBytes(v: string | null): number[] {
    if (v === null) return this.flexible ? [0] : be(-1n, 2);
    const data = [...Buffer.from(v, 'utf8')];
    return [...(this.flexible ? uvarint(data.length + 1) : be(BigInt(data.length), 2)), ...data];
  }

  /** string / nullable string (compact in flexible versions). */
  string(name: string, v: string | null): this {
    return this.put(name, v, this.strBytes(v));
  }

  /** bytes / records (compact in flexible versions). */
  bytes(name: string, v: Buffer | null): this {
    if (v === null) return this.put(name, null, this.flexible ? [0] : be(-1n, 4));
    return this.put(name, v, [...(this.flexible ? uvarint(v.length + 1) : be(BigInt(v.length), 4)), ...v]);
  }

  private count(n: number | null): number[] {
    if (n === null) return this.flexible ? [0] : be(-1n, 4);
    return this.flexible ? uvarint(n + 1) : be(BigInt(n), 4);
  }

  /** Array of structs; each element is a struct (so it gets a tag section in flexible versions). */
  array<T>(name: string, items: readonly T[] | null, each: (h: Hand, item: T) => void): this {
    this.raw(this.count(items === null ? null : items.length));
    if (items === null) {
      this.obj[name] = null;
      return this;
    }
    const out: Obj[] = [];
    for (const item of items) {
      const child = new Hand(this.flexible, {}, this.sink);
      each(child, item);
      child.endStruct();
      out.push(child.obj);
    }
    this.obj[name] = out;
    return this;
  }

  int32s(name: string, items: readonly number[] | null): this {
    this.raw(this.count(items === null ? null : items.length));
    for (const v of items ?? []) this.raw(be(BigInt(v), 4));
    this.obj[name] = items;
    return this;
  }
  int64s(name: string, items: readonly number[]): this {
    this.raw(this.count(items.length));
    for (const v of items) this.raw(be(BigInt(v), 8));
    this.obj[name] = items;
    return this;
  }
  int8s(name: string, items: readonly number[]): this {
    this.raw(this.count(items.length));
    for (const v of items) this.raw(be(BigInt(v), 1));
    this.obj[name] = items;
    return this;
  }
  strings(name: string, items: readonly string[] | null): this {
    this.raw(this.count(items === null ? null : items.length));
    for (const v of items ?? []) this.raw(this.strBytes(v));
    this.obj[name] = items;
    return this;
  }

  /** A nested struct (not nullable). */
  struct<T>(name: string, v: T, each: (h: Hand, v: T) => void): this {
    const child = new Hand(this.flexible, {}, this.sink);
    each(child, v);
    child.endStruct();
    this.obj[name] = child.obj;
    return this;
  }

  /** A nullable struct: int8 -1 for null, 1 then the struct. */
  nullableStruct<T>(name: string, v: T | null, each: (h: Hand, v: T) => void): this {
    if (v === null) {
      this.raw([0xff]);
      this.obj[name] = null;
      return this;
    }
    this.raw([1]);
    return this.struct(name, v, each);
  }

  /**
   * This struct's tagged-field section: count, then per field tag, size, bytes. Fields must be given
   * in ascending tag order (the layout states the order the protocol requires).
   */
  tags(fields: Array<[tag: number, write: (h: Hand) => void]> = []): this {
    if (!this.flexible) throw new Error('tagged fields exist only in flexible versions');
    this.raw(uvarint(fields.length));
    for (const [tag, write] of fields) {
      const sub: number[] = [];
      write(new Hand(true, this.obj, sub));
      this.raw([...uvarint(tag), ...uvarint(sub.length), ...sub]);
    }
    this.tagsWritten = true;
    return this;
  }

  /** Closes a struct: an empty tag section in flexible versions unless the layout wrote one. */
  endStruct(): void {
    if (this.flexible && !this.tagsWritten) this.tags();
  }

  bytesWritten(): Buffer {
    return Buffer.from(this.sink);
  }
}

export interface Built {
  bytes: Buffer;
  expected: Obj;
}

/** Runs a body layout and closes the top-level struct. */
export function build(flexible: boolean, write: (h: Hand) => void): Built {
  const h = new Hand(flexible);
  write(h);
  h.endStruct();
  return { bytes: h.bytesWritten(), expected: h.obj };
}
