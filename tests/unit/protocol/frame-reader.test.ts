import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameReader, FrameTooLargeError, InvalidFrameSizeError } from '../../../src/engine/protocol/frame-reader.js';

function framed(payloads: Buffer[]): Buffer {
  return Buffer.concat(
    payloads.flatMap((p) => {
      const size = Buffer.alloc(4);
      size.writeInt32BE(p.length, 0);
      return [size, p];
    }),
  );
}

describe('FrameReader', () => {
  it('reassembles frames however the stream is split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 20 }),
        (payloadArrays, cuts) => {
          const payloads = payloadArrays.map((a) => Buffer.from(a));
          const stream = framed(payloads);
          const reader = new FrameReader(1024);
          const out: Buffer[] = [];
          let pos = 0;
          let i = 0;
          while (pos < stream.length) {
            const n = cuts[i++ % cuts.length];
            out.push(...reader.push(stream.subarray(pos, pos + n)));
            pos += n;
          }
          expect(out.map((b) => b.toString('hex'))).toEqual(payloads.map((b) => b.toString('hex')));
          expect(reader.bufferedBytes).toBe(0);
        },
      ),
    );
  });

  it('refuses a size above the limit before buffering it, and a negative size', () => {
    const reader = new FrameReader(100);
    const header = Buffer.alloc(4);
    header.writeInt32BE(101, 0);
    expect(() => reader.push(header)).toThrow(FrameTooLargeError);
    header.writeInt32BE(-1, 0);
    expect(() => new FrameReader(100).push(header)).toThrow(InvalidFrameSizeError);
  });
});
