/**
 * fast-check arbitraries for message bodies, driven by the declarations, plus an independent
 * "what should a decoder return" helper (defaults for fields a version does not carry).
 */
import fc from 'fast-check';
import type { FieldDecl, PrimitiveType } from '../../../src/engine/protocol/schema.js';
import { inRange } from '../../../src/engine/protocol/schema.js';

type Obj = Record<string, unknown>;

const buffer = (min: number, max: number): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));

function primitive(type: PrimitiveType): fc.Arbitrary<unknown> {
  switch (type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'int32':
      return fc.oneof(fc.constant(-1), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
    case 'uint32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'int64':
      return fc.oneof(fc.constant(-1), fc.constant(0), fc.maxSafeInteger());
    case 'float64':
      return fc.double({ noNaN: true });
    case 'string':
      return fc.string({ unit: 'binary', maxLength: 12 });
    case 'uuid':
      return fc.oneof(fc.constant(Buffer.alloc(16)), buffer(16, 16));
    case 'bytes':
      return buffer(0, 24);
    case 'records':
      // Mostly small; sometimes above the writer's "reference, don't copy" threshold.
      return fc.oneof({ weight: 4, arbitrary: buffer(0, 80) }, { weight: 1, arbitrary: buffer(1024, 3000) });
  }
}

/** An arbitrary body for `fields` in `version`: only the fields that version carries. */
export function bodyArbitrary(fields: readonly FieldDecl[], version: number, depth = 0): fc.Arbitrary<Obj> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) {
    if (!inRange(f.versions, version)) continue;
    model[f.name] = fieldArbitrary(f, version, depth);
  }
  return fc.record(model) as fc.Arbitrary<Obj>;
}

function fieldArbitrary(f: FieldDecl, version: number, depth: number): fc.Arbitrary<unknown> {
  let value: fc.Arbitrary<unknown>;
  if (f.type === 'array') {
    const item = f.items === 'struct' ? bodyArbitrary(f.fields ?? [], version, depth + 1) : primitive(f.items as PrimitiveType);
    value = fc.array(item, { maxLength: depth > 1 ? 2 : 3 });
  } else if (f.type === 'struct') {
    value = bodyArbitrary(f.fields ?? [], version, depth + 1);
  } else {
    value = primitive(f.type);
  }
  return inRange(f.nullableVersions, version) ? fc.option(value, { nil: null, freq: 4 }) : value;
}

/** The default a decoder must return for a field the wire did not carry. */
export function defaultOf(f: FieldDecl): unknown {
  if (f.default === null) return null;
  switch (f.type) {
    case 'array':
      return [];
    case 'struct':
      return withDefaults(f.fields ?? [], {}, -1);
    case 'uuid':
      return Buffer.alloc(16);
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return null;
    case 'bool':
      return f.default ?? false;
    case 'string':
      return f.default ?? '';
    default:
      return f.default ?? 0;
  }
}

/**
 * `body` completed with defaults for every field `version` does not carry (recursively);
 * version -1 means "no field is carried" (a struct that is entirely absent).
 */
export function withDefaults(fields: readonly FieldDecl[], body: Obj, version: number): Obj {
  const out: Obj = {};
  for (const f of fields) {
    if (version < 0 || !inRange(f.versions, version) || !(f.name in body)) {
      out[f.name] = defaultOf(f);
      continue;
    }
    const v = body[f.name];
    if (v === null || f.fields === undefined) {
      out[f.name] = v;
    } else if (f.type === 'array') {
      out[f.name] = (v as Obj[]).map((item) => withDefaults(f.fields ?? [], item, version));
    } else {
      out[f.name] = withDefaults(f.fields, v as Obj, version);
    }
  }
  return out;
}
