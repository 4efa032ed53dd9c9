import { createRequire } from 'node:module';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { defaultPartition, murmur2, toPositive } from '../../../src/engine/protocol/records/partitioner.js';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: Buffer,
) => number;

// Kafka's UtilsTest.testMurmur2 (signed 32-bit results).
const GOLDEN: [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

describe('murmur2', () => {
  it.each(GOLDEN)('matches Kafka for %j', (key, expected) => {
    expect(murmur2(Buffer.from(key))).toBe(expected);
  });

  it('hashes the empty key like Java (seed ^ 0, finalised)', () => {
    expect(murmur2(Buffer.alloc(0))).toBe(kafkajsMurmur2(Buffer.alloc(0)));
  });

  it('agrees with kafkajs 2.x DefaultPartitioner murmur2 on random keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const key = Buffer.from(bytes);
        expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      }),
      { numRuns: 500 },
    );
  });
});

describe('defaultPartition', () => {
  it('is (murmur2 & 0x7fffffff) % n for the golden keys', () => {
    for (const [key, hash] of GOLDEN) {
      for (const n of [1, 3, 12, 100])
        expect(defaultPartition(Buffer.from(key), n)).toBe((hash & 0x7fffffff) % n);
    }
    // '21' → -973932308 → 1173551340 → partition 0 of 3 and of 12; 'foobar' → 1357151166 → 6 of 12.
    expect(defaultPartition(Buffer.from('21'), 3)).toBe(0);
    expect(defaultPartition(Buffer.from('21'), 12)).toBe(0);
    expect(defaultPartition(Buffer.from('foobar'), 12)).toBe(6);
  });

  it('toPositive clears only the sign bit (Integer.MIN_VALUE → 0)', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(5)).toBe(5);
  });

  it('always lands in [0, n)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 10_000 }), (bytes, n) => {
        const p = defaultPartition(bytes, n);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThan(n);
      }),
    );
  });

  it('rejects a non-positive partition count', () => {
    expect(() => defaultPartition(Buffer.from('k'), 0)).toThrow(RangeError);
  });
});
