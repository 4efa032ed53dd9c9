/**
 * Turns a message declaration into a decoder and an encoder for ONE version. All version
 * questions (is the field present, tagged, nullable, compact?) are answered here, once; the
 * returned closures only read and write bytes.
 */
import type { DefaultValue, FieldDecl, PrimitiveType } from '../schema.js';
import { inRange } from '../schema.js';
import { ProtocolError } from '../protocol-error.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

type Obj = Record<string, unknown>;
type Decode = (r: Reader) => unknown;
type Encode = (w: Writer, v: unknown) => void;

export interface StructCodec {
  decode(r: Reader): Obj;
  /** Writes `v`; missing (undefined) properties are written as their defaults. */
  encode(w: Writer, v: Obj): void;
}

const ZERO_UUID = Buffer.alloc(16);
const EMPTY_OBJECT: Obj = Object.freeze({}) as Obj;
const EMPTY_ARRAY: readonly unknown[] = Object.freeze([]);

function invalid(path: string, message: string): never {
  throw new ProtocolError(`${path}: ${message}`, { reason: 'invalid-value' });
}

// ---------------------------------------------------------------------------------------------
// Defaults

/** A factory for the default value of a field (fresh objects each time: decoded bodies are mutable). */
function defaultFactory(f: FieldDecl): () => unknown {
  const d: DefaultValue | undefined = f.default;
  if (d === null) return () => null;
  switch (f.type) {
    case 'array':
      return () => [];
    case 'struct': {
      const fields = f.fields ?? [];
      const factories = fields.map(defaultFactory);
      return () => {
        const o: Obj = {};
        for (let i = 0; i < fields.length; i++) o[fields[i].name] = factories[i]();
        return o;
      };
    }
    case 'uuid':
      return () => Buffer.alloc(16);
    case 'bytes':
      return () => Buffer.alloc(0);
    case 'records':
      return () => null;
    default: {
      const value = scalarDefault(f.type, d);
      return () => value;
    }
  }
}

function scalarDefault(type: PrimitiveType, d: DefaultValue | undefined): unknown {
  if (d !== undefined) return d;
  if (type === 'bool') return false;
  if (type === 'string') return '';
  return 0;
}

/** Is `v` equal to the field's default? Used to decide whether a tagged field is written at all. */
function defaultTest(f: FieldDecl, version: number): (v: unknown) => boolean {
  const d = f.default;
  if (d === null) return (v) => v === null || v === undefined;
  switch (f.type) {
    case 'array':
      return (v) => v === undefined || (v !== null && (v as unknown[]).length === 0);
    case 'bytes':
      return (v) => v === undefined || (v !== null && (v as Buffer).length === 0);
    case 'records':
      return (v) => v === undefined || v === null;
    case 'uuid':
      return (v) => v === undefined || ZERO_UUID.equals(v as Buffer);
    case 'struct': {
      const present = (f.fields ?? []).filter((sub) => inRange(sub.versions, version));
      const tests = present.map((sub) => defaultTest(sub, version));
      return (v) => {
        if (v === undefined) return true;
        if (v === null) return false;
        for (let i = 0; i < present.length; i++) if (!tests[i]((v as Obj)[present[i].name])) return false;
        return true;
      };
    }
    default: {
      const value = scalarDefault(f.type, d);
      return (v) => v === undefined || v === value;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Values

interface ValueCodec {
  decode: Decode;
  encode: Encode;
}

interface ValueOptions {
  /** Compact (flexible) encodings for lengths and the struct's tagged section. */
  flexible: boolean;
  nullable: boolean;
  path: string;
}

function primitiveCodec(type: PrimitiveType, o: ValueOptions, dflt: unknown): ValueCodec {
  const { flexible: compact, nullable, path } = o;
  switch (type) {
    case 'bool':
      return { decode: (r) => r.bool(), encode: (w, v) => w.bool(v === undefined ? (dflt as boolean) : (v as boolean)) };
    case 'int8':
      return { decode: (r) => r.int8(), encode: (w, v) => w.int8(v === undefined ? (dflt as number) : (v as number)) };
    case 'int16':
      return { decode: (r) => r.int16(), encode: (w, v) => w.int16(v === undefined ? (dflt as number) : (v as number)) };
    case 'uint16':
      return { decode: (r) => r.uint16(), encode: (w, v) => w.uint16(v === undefined ? (dflt as number) : (v as number)) };
    case 'int32':
      return { decode: (r) => r.int32(), encode: (w, v) => w.int32(v === undefined ? (dflt as number) : (v as number)) };
    case 'uint32':
      return { decode: (r) => r.uint32(), encode: (w, v) => w.uint32(v === undefined ? (dflt as number) : (v as number)) };
    case 'int64':
      return { decode: (r) => r.int64(), encode: (w, v) => w.int64(v === undefined ? (dflt as number) : (v as number)) };
    case 'float64':
      return { decode: (r) => r.float64(), encode: (w, v) => w.float64(v === undefined ? (dflt as number) : (v as number)) };
    case 'uuid':
      return {
        decode: (r) => r.uuid(),
        encode: (w, v) => {
          const b = v === undefined || v === null ? ZERO_UUID : (v as Buffer);
          if (b.length !== 16) invalid(path, `uuid must be 16 bytes, got ${b.length}`);
          w.bytes(b);
        },
      };
    case 'string':
      return stringCodec(compact, nullable, path, dflt as string | null);
    case 'bytes':
    case 'records':
      return bytesCodec(compact, nullable, path, type === 'records', dflt as Buffer | null);
  }
}

function stringCodec(compact: boolean, nullable: boolean, path: string, dflt: string | null): ValueCodec {
  return {
    decode: (r) => {
      const n = r.stringLength(compact);
      if (n < 0) {
        if (n !== -1) r.fail('malformed', `${path}: negative string length ${n}`);
        else if (!nullable) r.fail('malformed', `${path}: null in a non-nullable string`);
        return nullable ? null : '';
      }
      return r.utf8(n);
    },
    encode: (w, v) => {
      const s = v === undefined ? dflt : (v as string | null);
      if (s === null) {
        if (!nullable) invalid(path, 'null in a non-nullable string');
        if (compact) w.uvarint(0);
        else w.int16(-1);
        return;
      }
      if (typeof s !== 'string') invalid(path, `expected a string, got ${typeof s}`);
      const n = s.length < 64 && isAscii(s) ? s.length : Buffer.byteLength(s, 'utf8');
      if (compact) {
        w.uvarint(n + 1);
      } else {
        if (n > 0x7fff) invalid(path, `string of ${n} bytes does not fit an int16 length`);
        w.int16(n);
      }
      w.utf8(s, n);
    },
  };
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function bytesCodec(compact: boolean, nullable: boolean, path: string, zeroCopy: boolean, dflt: Buffer | null): ValueCodec {
  return {
    decode: (r) => {
      const n = r.bytesLength(compact);
      if (n < 0) {
        if (n !== -1) r.fail('malformed', `${path}: negative length ${n}`);
        else if (!nullable) r.fail('malformed', `${path}: null in a non-nullable bytes field`);
        return nullable ? null : Buffer.alloc(0);
      }
      const view = r.slice(n);
      // Record batches stay views of the frame (zero copy); small `bytes` fields are copied so a
      // long-lived value (group metadata, say) does not pin a whole request buffer.
      return zeroCopy ? view : Buffer.from(view);
    },
    encode: (w, v) => {
      const b = v === undefined ? dflt : (v as Buffer | null);
      if (b === null) {
        if (!nullable) invalid(path, 'null in a non-nullable bytes field');
        if (compact) w.uvarint(0);
        else w.int32(-1);
        return;
      }
      if (!(b instanceof Uint8Array)) invalid(path, 'expected a Buffer');
      if (compact) w.uvarint(b.length + 1);
      else w.int32(b.length);
      w.bytes(b);
    },
  };
}

function arrayCodec(item: ValueCodec, o: ValueOptions, defaultIsNull: boolean): ValueCodec {
  const { flexible: compact, nullable, path } = o;
  const decodeItem = item.decode;
  const encodeItem = item.encode;
  return {
    decode: (r) => {
      const n = compact ? r.uvarint() - 1 : r.int32();
      if (n < 0) {
        if (n !== -1) r.fail('malformed', `${path}: negative array length ${n}`);
        else if (!nullable) r.fail('malformed', `${path}: null in a non-nullable array`);
        return nullable ? null : [];
      }
      // Every element takes at least one byte in practice; a larger count is a lie.
      if (n > r.remaining) {
        r.fail('truncated', `${path}: array of ${n} elements but only ${r.remaining} bytes left`);
        return [];
      }
      const out: unknown[] = [];
      for (let i = 0; i < n && r.ok; i++) out.push(decodeItem(r));
      return out;
    },
    encode: (w, v) => {
      const a = v === undefined ? (defaultIsNull ? null : EMPTY_ARRAY) : (v as readonly unknown[] | null);
      if (a === null) {
        if (!nullable) invalid(path, 'null in a non-nullable array');
        if (compact) w.uvarint(0);
        else w.int32(-1);
        return;
      }
      if (!Array.isArray(a)) invalid(path, 'expected an array');
      if (compact) w.uvarint(a.length + 1);
      else w.int32(a.length);
      for (let i = 0; i < a.length; i++) encodeItem(w, a[i]);
    },
  };
}

function nullableStructCodec(struct: StructCodec, path: string, defaultIsNull: boolean): ValueCodec {
  return {
    decode: (r) => {
      const marker = r.int8();
      if (marker < 0) return null;
      if (marker !== 1) r.fail('malformed', `${path}: bad nullable-struct marker ${marker}`);
      return struct.decode(r);
    },
    encode: (w, v) => {
      const s = v === undefined ? (defaultIsNull ? null : EMPTY_OBJECT) : (v as Obj | null);
      if (s === null) {
        w.int8(-1);
        return;
      }
      w.int8(1);
      struct.encode(w, s);
    },
  };
}

function plainStructCodec(struct: StructCodec, path: string): ValueCodec {
  return {
    decode: (r) => struct.decode(r),
    encode: (w, v) => {
      if (v === null) invalid(path, 'null in a non-nullable struct');
      struct.encode(w, v === undefined ? EMPTY_OBJECT : (v as Obj));
    },
  };
}

/** Codec for a field's value in one version (ignoring whether the field is tagged). */
function valueCodec(f: FieldDecl, version: number, messageFlexible: boolean, path: string): ValueCodec {
  const flexible = f.flexibleVersions === undefined ? messageFlexible : inRange(f.flexibleVersions, version);
  const nullable = inRange(f.nullableVersions, version);
  const o: ValueOptions = { flexible, nullable, path };
  if (f.type === 'array') {
    let item: ValueCodec;
    if (f.items === 'struct') {
      item = plainStructCodec(compileStruct(f.fields ?? [], version, flexible, path + '[]'), path + '[]');
    } else {
      const itemType = f.items as PrimitiveType;
      item = primitiveCodec(itemType, { ...o, nullable: false, path: path + '[]' }, scalarDefault(itemType, undefined));
    }
    return arrayCodec(item, o, f.default === null);
  }
  if (f.type === 'struct') {
    const struct = compileStruct(f.fields ?? [], version, flexible, path);
    return nullable ? nullableStructCodec(struct, path, f.default === null) : plainStructCodec(struct, path);
  }
  const dflt = f.default === null ? null : f.type === 'bytes' ? Buffer.alloc(0) : f.type === 'records' ? null : scalarDefault(f.type, f.default);
  return primitiveCodec(f.type, o, dflt);
}

// ---------------------------------------------------------------------------------------------
// Structs

interface TaggedPlan {
  tag: number;
  name: string;
  codec: ValueCodec;
  isDefault: (v: unknown) => boolean;
}

/**
 * Compiles the fields of one struct (or a whole message body) for `version`. `flexible` is
 * whether this version uses compact encodings and tagged-field sections.
 */
export function compileStruct(fields: readonly FieldDecl[], version: number, flexible: boolean, path = ''): StructCodec {
  const n = fields.length;
  const names: string[] = [];
  // Per field: a decoder for fields in sequence, or a default factory for absent/tagged ones.
  const decoders: Array<Decode | null> = [];
  const defaults: Array<() => unknown> = [];
  const seqNames: string[] = [];
  const seqEncoders: Encode[] = [];
  const tagged: TaggedPlan[] = [];

  for (const f of fields) {
    const fieldPath = path ? `${path}.${f.name}` : f.name;
    names.push(f.name);
    defaults.push(defaultFactory(f));
    const present = inRange(f.versions, version);
    const isTagged = present && flexible && inRange(f.taggedVersions, version);
    if (!present || isTagged) {
      decoders.push(null);
      if (isTagged) {
        tagged.push({
          tag: f.tag as number,
          name: f.name,
          codec: valueCodec(f, version, flexible, fieldPath),
          isDefault: defaultTest(f, version),
        });
      }
      continue;
    }
    const codec = valueCodec(f, version, flexible, fieldPath);
    decoders.push(codec.decode);
    seqNames.push(f.name);
    seqEncoders.push(codec.encode);
  }
  tagged.sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < tagged.length; i++) {
    if (tagged[i].tag === tagged[i - 1].tag) throw new Error(`${path}: duplicate tag ${tagged[i].tag}`);
  }
  const tagIndex = new Map<number, TaggedPlan>(tagged.map((t) => [t.tag, t]));
  const seqCount = seqNames.length;

  const readTagged = (r: Reader, o: Obj): void => {
    const count = r.uvarint();
    for (let i = 0; i < count && r.ok; i++) {
      const tag = r.uvarint();
      const size = r.uvarint();
      const start = r.pos;
      if (size > r.end - start) {
        r.fail('truncated', `${path || 'body'}: tagged field ${tag} of ${size} bytes runs past the end`);
        return;
      }
      const plan = tagIndex.get(tag);
      if (plan !== undefined) {
        const end = r.end;
        r.end = start + size;
        o[plan.name] = plan.codec.decode(r);
        r.end = end;
      }
      if (r.ok) r.pos = start + size;
    }
  };

  const writeTagged = (w: Writer, o: Obj): void => {
    if (tagged.length === 0) {
      w.uvarint(0);
      return;
    }
    let written: TaggedPlan[] | null = null;
    for (const t of tagged) {
      if (!t.isDefault(o[t.name])) (written ??= []).push(t);
    }
    if (written === null) {
      w.uvarint(0);
      return;
    }
    w.uvarint(written.length);
    for (const t of written) {
      const sub = new Writer(64);
      t.codec.encode(sub, o[t.name]);
      const bytes = sub.finish();
      w.uvarint(t.tag);
      w.uvarint(bytes.length);
      w.bytes(bytes);
    }
  };

  return {
    decode(r: Reader): Obj {
      const o: Obj = {};
      for (let i = 0; i < n; i++) {
        const d = decoders[i];
        o[names[i]] = d !== null ? d(r) : defaults[i]();
      }
      if (flexible) readTagged(r, o);
      return o;
    },
    encode(w: Writer, o: Obj): void {
      for (let i = 0; i < seqCount; i++) seqEncoders[i](w, o[seqNames[i]]);
      if (flexible) writeTagged(w, o);
    },
  };
}
