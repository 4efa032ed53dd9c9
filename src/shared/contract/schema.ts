/**
 * A tiny runtime validator with static types, for arguments that arrive from an untrusted peer (a
 * renderer or a WebSocket client). Objects are strict (unknown keys are refused) and must be plain
 * data, so nothing from the peer can reach a prototype.
 */

export interface Issue {
  /** Where the problem is, e.g. `args[0].partitions`. */
  path: string;
  message: string;
}

export interface Schema<T> {
  readonly kind: string;
  /** Appends problems to `issues`; returns nothing. */
  check(value: unknown, path: string, issues: Issue[]): void;
  /** Type carrier only; never set at run time. */
  readonly __type?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

export function validate<T>(schema: Schema<T>, value: unknown, path = 'value'): Validation<T> {
  const issues: Issue[] = [];
  schema.check(value, path, issues);
  return issues.length === 0 ? { ok: true, value: value as T } : { ok: false, issues };
}

export function describeIssues(issues: Issue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function string(
  options: { minLength?: number; maxLength?: number; pattern?: RegExp } = {},
): Schema<string> {
  const maxLength = options.maxLength ?? 64 * 1024;
  return {
    kind: 'string',
    check(value, path, issues) {
      if (typeof value !== 'string') {
        issues.push({ path, message: `expected a string, got ${typeName(value)}` });
        return;
      }
      if (options.minLength !== undefined && value.length < options.minLength)
        issues.push({ path, message: `must be at least ${options.minLength} characters long` });
      if (value.length > maxLength)
        issues.push({ path, message: `must be at most ${maxLength} characters long` });
      if (options.pattern && !options.pattern.test(value))
        issues.push({ path, message: `must match ${String(options.pattern)}` });
    },
  };
}

export function integer(options: { min?: number; max?: number } = {}): Schema<number> {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return {
    kind: 'integer',
    check(value, path, issues) {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        issues.push({ path, message: `expected a whole number, got ${typeName(value)}` });
        return;
      }
      if (value < min || value > max)
        issues.push({ path, message: `must be from ${min} to ${max} (got ${value})` });
    },
  };
}

export function boolean(): Schema<boolean> {
  return {
    kind: 'boolean',
    check(value, path, issues) {
      if (typeof value !== 'boolean')
        issues.push({ path, message: `expected true or false, got ${typeName(value)}` });
    },
  };
}

export function literal<const T extends readonly (string | number | boolean)[]>(
  ...values: T
): Schema<T[number]> {
  return {
    kind: 'literal',
    check(value, path, issues) {
      if (!values.includes(value as T[number]))
        issues.push({ path, message: `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}` });
    },
  };
}

export function array<T>(item: Schema<T>, options: { maxItems?: number } = {}): Schema<T[]> {
  const maxItems = options.maxItems ?? 10_000;
  return {
    kind: 'array',
    check(value, path, issues) {
      if (!Array.isArray(value)) {
        issues.push({ path, message: `expected an array, got ${typeName(value)}` });
        return;
      }
      if (value.length > maxItems) {
        issues.push({ path, message: `must have at most ${maxItems} items` });
        return;
      }
      value.forEach((v, i) => item.check(v, `${path}[${i}]`, issues));
    },
  };
}

export interface TupleSchema<T extends unknown[]> extends Schema<T> {
  readonly items: readonly Schema<unknown>[];
}

/** A fixed-length list: the shape of a method's argument list. */
type TupleOf<S extends readonly Schema<any>[]> = { -readonly [K in keyof S]: Infer<S[K]> };

export function tuple<const S extends readonly Schema<any>[]>(
  items: S,
): TupleSchema<TupleOf<S> extends infer T extends unknown[] ? T : never> {
  return {
    kind: 'tuple',
    items,
    check(value, path, issues) {
      if (!Array.isArray(value)) {
        issues.push({ path, message: `expected an argument list, got ${typeName(value)}` });
        return;
      }
      if (value.length !== items.length) {
        issues.push({ path, message: `expected ${items.length} argument(s), got ${value.length}` });
        return;
      }
      items.forEach((schema, i) => schema.check(value[i], `${path}[${i}]`, issues));
    },
  };
}

type Shape = Record<string, Schema<any>>;
type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends OptionalSchema<any> ? K : never;
}[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return {
    kind: 'optional',
    optional: true,
    check(value, path, issues) {
      if (value !== undefined) inner.check(value, path, issues);
    },
  };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    kind: 'nullable',
    check(value, path, issues) {
      if (value !== null) inner.check(value, path, issues);
    },
  };
}

/** A plain object with exactly these keys (optional ones may be left out); any other key is refused. */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  return {
    kind: 'object',
    check(value, path, issues) {
      if (!isPlainObject(value)) {
        issues.push({ path, message: `expected an object, got ${typeName(value)}` });
        return;
      }
      for (const key of Object.keys(value)) {
        if (!Object.prototype.hasOwnProperty.call(shape, key))
          issues.push({ path: `${path}.${key}`, message: 'is not a known field' });
      }
      for (const [key, schema] of Object.entries(shape)) {
        const present = Object.prototype.hasOwnProperty.call(value, key);
        if (!present && !(schema as Partial<OptionalSchema<unknown>>).optional) {
          issues.push({ path: `${path}.${key}`, message: 'is required' });
          continue;
        }
        schema.check(present ? value[key] : undefined, `${path}.${key}`, issues);
      }
    },
  };
}

/** One of several object shapes, told apart by the string in `key`. */
export function discriminated<K extends string, V extends Record<string, Schema<any>>>(
  key: K,
  variants: V,
): Schema<Infer<V[keyof V]>> {
  return {
    kind: 'discriminated',
    check(value, path, issues) {
      if (!isPlainObject(value)) {
        issues.push({ path, message: `expected an object, got ${typeName(value)}` });
        return;
      }
      const tag = value[key];
      if (typeof tag !== 'string' || !Object.prototype.hasOwnProperty.call(variants, tag)) {
        issues.push({
          path: `${path}.${key}`,
          message: `must be one of ${Object.keys(variants).join(', ')}`,
        });
        return;
      }
      variants[tag].check(value, path, issues);
    },
  };
}

/** Anything; for envelope fields whose content another schema checks later. */
export function unknownValue(): Schema<unknown> {
  return { kind: 'unknown', check() {} };
}
