import { gzipSync } from 'node:zlib';

import fc from 'fast-check';
import { compressFrameSync, compressSync as lz4BlockWithSize } from 'lz4-napi';
import { compressSync as snappyRaw } from 'snappy';
import { describe, expect, it } from 'vitest';

import { CompressionType } from '../../../src/engine/protocol/records/batch-header.js';
import {
  compress,
  compressionFromName,
  compressionName,
  decompress,
  isKnownCompression,
} from '../../../src/engine/protocol/records/compression.js';
import { RecordsError, RecordsErrorCode } from '../../../src/engine/protocol/records/errors.js';
import { decodeLz4Frame, encodeLz4Frame } from '../../../src/engine/protocol/records/lz4-frame.js';
import {
  decodeSnappy,
  encodeSnappyXerial,
  isXerialFramed,
} from '../../../src/engine/protocol/records/snappy.js';
import { xxh32 } from '../../../src/engine/protocol/records/xxhash32.js';
import { CODECS } from './helpers.js';

function expectRecordsError(run: () => unknown, code: number): RecordsError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(RecordsError);
  expect((caught as RecordsError).errorCode).toBe(code);
  return caught as RecordsError;
}

/** Deterministic data that compresses a little (mostly text, some noise). */
function sample(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    out[i] = i % 7 === 0 ? (x >>> 16) & 0xff : 97 + (i % 13);
  }
  return out;
}

function noise(size: number, seed = 7): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('compress / decompress', () => {
  it.each(CODECS.map((c) => [compressionName(c), c] as const))(
    '%s round-trips random data',
    (_name, codec) => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
          const data = Buffer.from(bytes);
          expect(decompress(codec, compress(codec, data)).equals(data)).toBe(true);
        }),
        { numRuns: 60 },
      );
      for (const size of [0, 1, 32 * 1024, 64 * 1024, 64 * 1024 + 1, 300_000]) {
        const data = sample(size);
        expect(decompress(codec, compress(codec, data)).equals(data), `size ${size}`).toBe(true);
      }
    },
  );

  it('maps names and ids like compression.type', () => {
    expect(CODECS.map(compressionName)).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    expect(compressionFromName('zstd')).toBe(CompressionType.Zstd);
    expect(compressionFromName('producer')).toBeUndefined();
    expect(isKnownCompression(4)).toBe(true);
    expect(isKnownCompression(5)).toBe(false);
  });

  it('rejects codec ids 5-7 with UNSUPPORTED_COMPRESSION_TYPE', () => {
    for (const id of [5, 6, 7]) {
      expectRecordsError(
        () => compress(id as CompressionType, Buffer.from('x')),
        RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      );
      expectRecordsError(
        () => decompress(id as CompressionType, Buffer.from('x')),
        RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      );
      expectRecordsError(
        () => compressionName(id as CompressionType),
        RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      );
    }
  });

  it('turns undecodable data into CORRUPT_MESSAGE for every codec', () => {
    const garbage = Buffer.from('this is not compressed data at all, not even a little');
    for (const codec of [
      CompressionType.Gzip,
      CompressionType.Snappy,
      CompressionType.Lz4,
      CompressionType.Zstd,
    ]) {
      const err = expectRecordsError(() => decompress(codec, garbage), RecordsErrorCode.CORRUPT_MESSAGE);
      expect(err.retriable).toBe(true);
    }
    const gz = gzipSync(sample(1000));
    expectRecordsError(
      () => decompress(CompressionType.Gzip, gz.subarray(0, gz.length - 6)),
      RecordsErrorCode.CORRUPT_MESSAGE,
    );
  });

  it('reads multi-member gzip streams', () => {
    const both = Buffer.concat([gzipSync(Buffer.from('hello ')), gzipSync(Buffer.from('world'))]);
    expect(decompress(CompressionType.Gzip, both).toString()).toBe('hello world');
  });
});

describe('snappy framing', () => {
  it('writes xerial framing like snappy-java: magic, version 1, compatible 1, 32 KiB blocks', () => {
    const data = sample(100_000);
    const out = encodeSnappyXerial(data);
    expect(out.subarray(0, 16).toString('hex')).toBe('82534e415050590000000001' + '00000001');
    expect(isXerialFramed(out)).toBe(true);
    // 100000 bytes → blocks of 32768, 32768, 32768, 1696.
    let pos = 16;
    const sizes: number[] = [];
    while (pos < out.length) {
      const len = out.readInt32BE(pos);
      const block = decodeSnappy(out.subarray(pos + 4, pos + 4 + len));
      sizes.push(block.length);
      pos += 4 + len;
    }
    expect(sizes).toEqual([32768, 32768, 32768, 1696]);
    expect(pos).toBe(out.length);
    expect(decompress(CompressionType.Snappy, out).equals(data)).toBe(true);
  });

  it('reads one raw snappy block (librdkafka) as well as xerial', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        const data = Buffer.from(bytes);
        expect(decompress(CompressionType.Snappy, snappyRaw(data)).equals(data)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('reads xerial streams whose blocks have any size, and header-only streams', () => {
    const data = sample(10_000);
    const header = encodeSnappyXerial(Buffer.alloc(0));
    expect(header.length).toBe(16);
    expect(decodeSnappy(header).length).toBe(0);
    const blocks = [data.subarray(0, 1), data.subarray(1, 9000), data.subarray(9000)].map((part) => {
      const block = snappyRaw(part);
      const len = Buffer.alloc(4);
      len.writeInt32BE(block.length);
      return Buffer.concat([len, block]);
    });
    expect(decodeSnappy(Buffer.concat([header, ...blocks])).equals(data)).toBe(true);
  });

  it('rejects truncated xerial streams', () => {
    const framed = encodeSnappyXerial(sample(50_000));
    expectRecordsError(
      () => decodeSnappy(framed.subarray(0, framed.length - 10)),
      RecordsErrorCode.CORRUPT_MESSAGE,
    );
    expectRecordsError(() => decodeSnappy(framed.subarray(0, 18)), RecordsErrorCode.CORRUPT_MESSAGE);
  });
});

function frame(flg: number, bd: number, body: Buffer[], contentSize?: bigint): Buffer {
  const descriptor = Buffer.alloc(contentSize === undefined ? 2 : 10);
  descriptor[0] = flg;
  descriptor[1] = bd;
  if (contentSize !== undefined) descriptor.writeBigUInt64LE(contentSize, 2);
  const hc = Buffer.from([(xxh32(descriptor) >>> 8) & 0xff]);
  return Buffer.concat([Buffer.from([0x04, 0x22, 0x4d, 0x18]), descriptor, hc, ...body]);
}
function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
const rawBlock = (data: Buffer) => [u32le(data.length | 0x80000000), data];
const lz4Block = (data: Buffer) => {
  const c = lz4BlockWithSize(data).subarray(4);
  return [u32le(c.length), c];
};
const END = u32le(0);

describe('lz4 frames', () => {
  it('computes xxHash32 reference values', () => {
    expect(xxh32(Buffer.from('')).toString(16)).toBe('2cc5d05');
    expect(xxh32(Buffer.from('a')).toString(16)).toBe('550d7456');
    expect(xxh32(Buffer.from('abc')).toString(16)).toBe('32d153ff');
    expect(xxh32(Buffer.from('Nobody inspects the spammish repetition')).toString(16)).toBe('e2293b2f');
    expect(xxh32(Buffer.from('xxabcxx'), 2, 5)).toBe(0x32d153ff);
  });

  it("writes exactly Kafka's Java header: FLG 0x60, BD 0x40 (64 KiB), HC 0x82, end mark", () => {
    const out = encodeLz4Frame(sample(1000));
    expect(out.subarray(0, 7).toString('hex')).toBe('04224d18604082');
    expect(((xxh32(Buffer.from([0x60, 0x40])) >>> 8) & 0xff).toString(16)).toBe('82');
    expect(out.subarray(out.length - 4).toString('hex')).toBe('00000000');
  });

  it('cuts input into 64 KiB blocks and stores incompressible blocks raw (high bit)', () => {
    const data = Buffer.concat([sample(64 * 1024), noise(10_000)]);
    const out = encodeLz4Frame(data);
    let pos = 7;
    const blocks: { size: number; raw: boolean }[] = [];
    for (;;) {
      const word = out.readUInt32LE(pos);
      pos += 4;
      if (word === 0) break;
      blocks.push({ size: word & 0x7fffffff, raw: word >= 0x80000000 });
      pos += word & 0x7fffffff;
    }
    expect(pos).toBe(out.length);
    expect(blocks).toHaveLength(2);
    expect(blocks[0].raw).toBe(false);
    expect(blocks[1]).toEqual({ size: 10_000, raw: true });
    expect(decodeLz4Frame(out).equals(data)).toBe(true);
  });

  it('reads frames as the Java client writes them (raw and compressed blocks)', () => {
    const hello = frame(0x60, 0x40, [...rawBlock(Buffer.from('hello')), END]);
    expect(hello.toString('hex')).toBe('04224d18604082' + '05000080' + '68656c6c6f' + '00000000');
    expect(decodeLz4Frame(hello).toString()).toBe('hello');
    const a = sample(70_000);
    const javaLike = frame(0x60, 0x40, [
      ...lz4Block(a.subarray(0, 65536)),
      ...rawBlock(a.subarray(65536)),
      END,
    ]);
    expect(decodeLz4Frame(javaLike).equals(a)).toBe(true);
  });

  it('reads frames with a content size, block checksums or a content checksum (other writers)', () => {
    const data = sample(100_000);
    const withSize = frame(
      0x68,
      0x40,
      [...lz4Block(data.subarray(0, 65536)), ...lz4Block(data.subarray(65536)), END],
      BigInt(data.length),
    );
    expect(decodeLz4Frame(withSize).equals(data)).toBe(true);
    for (const options of [
      {},
      { contentChecksum: true },
      { blockChecksums: true },
      { contentChecksum: true, blockChecksums: true },
    ]) {
      const framed = compressFrameSync(data, options);
      expect(decompress(CompressionType.Lz4, framed).equals(data), JSON.stringify(options)).toBe(true);
    }
    // lz4-napi's own frame encoder picks larger blocks for larger inputs (BD 0x50..0x70): still valid for Kafka.
    expect(compressFrameSync(sample(300_000))[5]).toBeGreaterThan(0x40);
    expect(decodeLz4Frame(compressFrameSync(sample(300_000))).equals(sample(300_000))).toBe(true);
  });

  it('decodes any frame lz4-napi writes, whatever the options', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200_000 }),
        fc.record({ contentChecksum: fc.boolean(), blockChecksums: fc.boolean() }),
        (bytes, options) => {
          const data = Buffer.from(bytes);
          expect(decodeLz4Frame(compressFrameSync(data, options)).equals(data)).toBe(true);
          expect(decodeLz4Frame(encodeLz4Frame(data)).equals(data)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
    const repetitive = Buffer.from('abcabcabcabc'.repeat(20_000) + 'xyz');
    expect(decodeLz4Frame(compressFrameSync(repetitive, { contentChecksum: true })).equals(repetitive)).toBe(
      true,
    );
  });

  it('fails corrupted frames with CORRUPT_MESSAGE, never with another error', () => {
    const valid = compressFrameSync(
      Buffer.from(JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ i, s: `v${i}` })))),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (flips) => {
          const mutated = Buffer.from(valid);
          for (const [at, xor] of flips) mutated[at % mutated.length] ^= xor;
          try {
            decodeLz4Frame(mutated);
          } catch (err) {
            expect(err).toBeInstanceOf(RecordsError);
            expect((err as RecordsError).errorCode).toBe(RecordsErrorCode.CORRUPT_MESSAGE);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects matches reaching before the block and content sizes that do not match', () => {
    // token 0x10: one literal 'a', then a match at offset 2 (only 1 byte decoded so far).
    const badOffset = Buffer.from([0x10, 0x61, 0x02, 0x00, 0x50, 0x61, 0x61, 0x61, 0x61, 0x61]);
    expectRecordsError(
      () => decodeLz4Frame(frame(0x60, 0x40, [u32le(badOffset.length), badOffset, END])),
      RecordsErrorCode.CORRUPT_MESSAGE,
    );
    const wrongSize = frame(0x68, 0x40, [...rawBlock(Buffer.from('abc')), END], 4n);
    expectRecordsError(() => decodeLz4Frame(wrongSize), RecordsErrorCode.CORRUPT_MESSAGE);
  });

  it('ignores bytes after the end mark, as the Java reader does', () => {
    const framed = encodeLz4Frame(Buffer.from('payload'));
    expect(decodeLz4Frame(Buffer.concat([framed, Buffer.from([1, 2, 3])])).toString()).toBe('payload');
  });

  it('rejects what the Java reader rejects and truncated frames', () => {
    const ok = encodeLz4Frame(sample(5000));
    const cases: [string, Buffer][] = [
      ['missing end mark', ok.subarray(0, ok.length - 2)],
      ['cut inside a block', ok.subarray(0, 20)],
      ['bad magic', Buffer.concat([Buffer.from([0x05]), ok.subarray(1)])],
      ['dependent blocks', frame(0x40, 0x40, [...rawBlock(Buffer.from('x')), END])],
      ['reserved FLG bit', frame(0x61, 0x40, [...rawBlock(Buffer.from('x')), END])],
      ['block size id 3', frame(0x60, 0x30, [...rawBlock(Buffer.from('x')), END])],
      ['block larger than BD allows', frame(0x60, 0x40, [...rawBlock(Buffer.alloc(65537)), END])],
      [
        'wrong header checksum',
        Buffer.from('04224d18604083' + '05000080' + '68656c6c6f' + '00000000', 'hex'),
      ],
      ['missing content checksum', frame(0x64, 0x40, [...rawBlock(Buffer.from('x')), END])],
    ];
    for (const [name, input] of cases) {
      const err = expectRecordsError(() => decodeLz4Frame(input), RecordsErrorCode.CORRUPT_MESSAGE);
      expect(err.message, name).toMatch(/lz4/);
    }
  });
});
