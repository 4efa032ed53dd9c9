import { describe, expect, expectTypeOf, it } from 'vitest';
import { eddyContract, lookupMember, type EddyClient } from '../../../src/shared/contract/index.js';
import type { ClusterDescription, StreamObserver } from '../../../src/shared/contract/index.js';
import * as s from '../../../src/shared/contract/schema.js';
import { clientMessageSchema } from '../../../src/shared/rpc/protocol.js';
import { ERROR_CATALOG, EddyError, isErrorCode } from '../../../src/shared/errors.js';

describe('schema validator', () => {
  it('accepts values of the declared shape and infers their type', () => {
    const topic = s.object({
      name: s.string({ minLength: 1, maxLength: 249, pattern: /^[A-Za-z0-9._-]+$/ }),
      partitions: s.integer({ min: 1, max: 100_000 }),
      compact: s.optional(s.boolean()),
      policy: s.literal('delete', 'compact'),
      owner: s.nullable(s.string()),
      tags: s.array(s.string(), { maxItems: 3 }),
    });
    const value = { name: 'orders', partitions: 3, policy: 'delete', owner: null, tags: ['a'] };
    const result = s.validate(topic, value);
    expect(result).toEqual({ ok: true, value });
    expectTypeOf<s.Infer<typeof topic>>().toEqualTypeOf<{
      name: string;
      partitions: number;
      policy: 'delete' | 'compact';
      owner: string | null;
      tags: string[];
      compact?: boolean | undefined;
    }>();
  });

  it('reports every problem with its path', () => {
    const schema = s.object({ name: s.string({ minLength: 1 }), partitions: s.integer({ min: 1 }) });
    const result = s.validate(schema, { name: '', partitions: 1.5 }, 'args[0]');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual(['args[0].name', 'args[0].partitions']);
    expect(s.describeIssues(result.issues)).toContain('at least 1 characters');
  });

  it('refuses unknown keys, missing keys and objects that are not plain data', () => {
    const schema = s.object({ a: s.integer() });
    expect(s.validate(schema, { a: 1, b: 2 }).ok).toBe(false);
    expect(s.validate(schema, {}).ok).toBe(false);
    expect(s.validate(schema, JSON.parse('{"a":1,"__proto__":{"polluted":true}}')).ok).toBe(false);
    expect(
      s.validate(
        schema,
        new (class {
          a = 1;
        })(),
      ).ok,
    ).toBe(false);
    expect(s.validate(schema, [1]).ok).toBe(false);
    expect(s.validate(schema, null).ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('checks ranges, lengths and types of scalars', () => {
    expect(s.validate(s.integer({ min: 0, max: 10 }), 11).ok).toBe(false);
    expect(s.validate(s.integer(), Number.NaN).ok).toBe(false);
    expect(s.validate(s.integer(), '1').ok).toBe(false);
    expect(s.validate(s.string({ maxLength: 3 }), 'abcd').ok).toBe(false);
    expect(s.validate(s.string(), 'x'.repeat(64 * 1024 + 1)).ok).toBe(false);
    expect(s.validate(s.boolean(), 0).ok).toBe(false);
    expect(s.validate(s.literal('a', 'b'), 'c').ok).toBe(false);
    expect(s.validate(s.array(s.integer(), { maxItems: 2 }), [1, 2, 3]).ok).toBe(false);
  });

  it('checks argument lists by length and position', () => {
    const args = s.tuple([s.string(), s.integer()]);
    expectTypeOf<s.Infer<typeof args>>().toEqualTypeOf<[string, number]>();
    expect(s.validate(args, ['t', 1]).ok).toBe(true);
    expect(s.validate(args, ['t']).ok).toBe(false);
    expect(s.validate(args, ['t', 1, 2]).ok).toBe(false);
    expect(s.validate(args, [1, 't']).ok).toBe(false);
    expect(s.validate(s.tuple([]), []).ok).toBe(true);
  });

  it('tells variants apart by their tag', () => {
    expect(
      s.validate(clientMessageSchema, { type: 'call', id: 1, path: 'cluster.describe', args: [] }).ok,
    ).toBe(true);
    expect(s.validate(clientMessageSchema, { type: 'cancel', id: 1 }).ok).toBe(true);
    expect(s.validate(clientMessageSchema, { type: 'cancel', id: 1, extra: 1 }).ok).toBe(false);
    expect(
      s.validate(clientMessageSchema, { type: 'call', id: 0, path: 'cluster.describe', args: [] }).ok,
    ).toBe(false);
    expect(s.validate(clientMessageSchema, { type: 'call', id: 1, path: 'cluster', args: [] }).ok).toBe(
      false,
    );
    expect(s.validate(clientMessageSchema, { type: 'shutdown', id: 1 }).ok).toBe(false);
    expect(s.validate(clientMessageSchema, 'call').ok).toBe(false);
  });
});

describe('the UI contract', () => {
  it('finds members by path and never walks into prototypes', () => {
    expect(lookupMember(eddyContract, 'cluster.describe')?.kind).toBe('method');
    expect(lookupMember(eddyContract, 'cluster.onChange')?.kind).toBe('stream');
    for (const path of [
      'cluster.constructor',
      'cluster.toString',
      '__proto__.x',
      'constructor.name',
      'cluster',
      '.x',
    ])
      expect(lookupMember(eddyContract, path), path).toBeUndefined();
  });

  it('types the client from the contract', () => {
    expectTypeOf<EddyClient['cluster']['describe']>().returns.toEqualTypeOf<Promise<ClusterDescription>>();
    expectTypeOf<Parameters<EddyClient['cluster']['onChange']>[0]>().toEqualTypeOf<
      StreamObserver<ClusterDescription> | ((event: ClusterDescription) => void)
    >();
  });
});

describe('error catalog', () => {
  it('has a sentence for every code and survives the wire', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(entry.message).toMatch(/[.?]$/);
    }
    const wire = new EddyError('INVALID_ARGUMENT', { detail: 'args[0]: bad' }).toWire();
    const back = EddyError.fromWire(JSON.parse(JSON.stringify(wire)));
    expect(back).toBeInstanceOf(EddyError);
    expect(back.code).toBe('INVALID_ARGUMENT');
    expect(back.detail).toBe('args[0]: bad');
    expect(back.retriable).toBe(false);
    expect(EddyError.fromWire({ code: 'NOPE' as never, message: 'x' }).code).toBe('INTERNAL');
    expect(isErrorCode('toString')).toBe(false);
  });
});
