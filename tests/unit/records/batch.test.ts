import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  BATCH,
  CompressionType,
  readBatchHeader,
} from '../../../src/engine/protocol/records/batch-header.js';
import {
  buildBatch,
  computeBatchCrc,
  decodeBatches,
  type RecordInput,
  setLogAppendTime,
  setMaxTimestamp,
  stampBatch,
  validateBatches,
  type ValidateOptions,
  type ValidationResult,
} from '../../../src/engine/protocol/records/batch.js';
import { compressionName } from '../../../src/engine/protocol/records/compression.js';
import { RecordsError, RecordsErrorCode } from '../../../src/engine/protocol/records/errors.js';
import { encodeRecord } from '../../../src/engine/protocol/records/record.js';
import { CODECS, fixCrc, rawBatch } from './helpers.js';

const NOW = 1_700_000_000_000;
const bytesOrNull = fc.option(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  { nil: null },
);
const recordArb: fc.Arbitrary<RecordInput> = fc.record({
  key: bytesOrNull,
  value: bytesOrNull,
  headers: fc.array(fc.record({ key: fc.string({ unit: 'grapheme', maxLength: 12 }), value: bytesOrNull }), {
    maxLength: 4,
  }),
  timestamp: fc.integer({ min: NOW - 86_400_000, max: NOW + 3_600_000 }),
});

function expectFailure(result: ValidationResult, code: number): Extract<ValidationResult, { ok: false }> {
  if (result.ok) throw new Error(`expected error ${code}, validation passed`);
  expect(result.errorCode, result.message).toBe(code);
  return result;
}

function threeRecords(opts: Partial<Parameters<typeof buildBatch>[0]> = {}): Buffer {
  return buildBatch({
    records: [
      { key: 'a', value: '1', timestamp: NOW },
      { key: 'b', value: '2', timestamp: NOW + 2 },
      { key: 'c', value: '3', timestamp: NOW + 1 },
    ],
    ...opts,
  });
}

const record = (offsetDelta: number, key: Buffer | null = Buffer.from('k')) =>
  encodeRecord({ timestampDelta: 0, offsetDelta, key, value: Buffer.from('v'), headers: [] });

describe('build → validate → decode', () => {
  it.each(CODECS.map((c) => [compressionName(c), c] as const))(
    'round-trips random records with %s',
    (_name, compression) => {
      fc.assert(
        fc.property(
          fc.array(recordArb, { minLength: 1, maxLength: 40 }),
          fc.record({
            producerId: fc.integer({ min: -1, max: 2 ** 40 }),
            producerEpoch: fc.integer({ min: 0, max: 32767 }),
            transactional: fc.boolean(),
          }),
          (records, producer) => {
            const idempotent = producer.producerId >= 0;
            const batch = buildBatch({
              records,
              compression,
              ...producer,
              producerEpoch: idempotent ? producer.producerEpoch : -1,
              baseSequence: idempotent ? 5 : -1,
            });
            const before = Buffer.from(batch);
            const result = validateBatches(batch, { now: NOW });
            if (!result.ok) throw new Error(result.message);
            expect(batch.equals(before)).toBe(true); // validation never writes
            const [info] = result.batches;
            const timestamps = records.map((r) => r.timestamp as number);
            const max = Math.max(...timestamps);
            expect(info).toMatchObject({
              position: 0,
              size: batch.length,
              baseOffset: 0,
              partitionLeaderEpoch: -1,
              magic: 2,
              compression,
              timestampType: 'CreateTime',
              isTransactional: producer.transactional,
              isControl: false,
              lastOffsetDelta: records.length - 1,
              recordsCount: records.length,
              baseTimestamp: timestamps[0],
              maxTimestamp: max,
              maxRecordTimestamp: max,
              maxRecordTimestampOffsetDelta: timestamps.indexOf(max),
              producerId: producer.producerId,
              baseSequence: idempotent ? 5 : -1,
            });
            expect(info.uncompressedRecordsSize).toBeGreaterThan(0);

            const [decoded] = decodeBatches(batch);
            expect(decoded.records).toHaveLength(records.length);
            decoded.records.forEach((r, i) => {
              expect(r.offset).toBe(i);
              expect(r.timestamp).toBe(timestamps[i]);
              expect(r.key).toEqual(records[i].key);
              expect(r.value).toEqual(records[i].value);
              expect(r.headers).toEqual(records[i].headers);
            });
          },
        ),
        { numRuns: compression === CompressionType.None ? 200 : 60 },
      );
    },
  );

  it('accepts strings for keys, values and header values, and defaults timestamps to now', () => {
    const t0 = Date.now();
    const [batch] = decodeBatches(
      buildBatch({
        records: [{ key: 'ключ', value: 'значение', headers: [{ key: 'h', value: 'v' }] }, { value: null }],
      }),
    );
    expect(batch.records[0].key?.toString()).toBe('ключ');
    expect(batch.records[0].value?.toString()).toBe('значение');
    expect(batch.records[0].headers).toEqual([{ key: 'h', value: Buffer.from('v') }]);
    expect(batch.records[1]).toMatchObject({ key: null, value: null });
    expect(batch.records[0].timestamp).toBeGreaterThanOrEqual(t0);
  });

  it('lays the header out like MemoryRecordsBuilder', () => {
    const batch = threeRecords({
      baseOffset: 42,
      partitionLeaderEpoch: 7,
      producerId: 9,
      producerEpoch: 1,
      baseSequence: 3,
      transactional: true,
      compression: CompressionType.Lz4,
    });
    const h = readBatchHeader(batch)!;
    expect(h).toMatchObject({
      baseOffset: 42,
      partitionLeaderEpoch: 7,
      magic: 2,
      attributes: 0x13,
      lastOffsetDelta: 2,
      baseTimestamp: NOW,
      maxTimestamp: NOW + 2,
      producerId: 9,
      producerEpoch: 1,
      baseSequence: 3,
      recordsCount: 3,
    });
    expect(h.size).toBe(batch.length);
    expect(h.crc).toBe(computeBatchCrc(batch, 0));
    const control = buildBatch({
      records: [{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 5]) }],
      control: true,
      transactional: true,
    });
    expect(readBatchHeader(control)!.attributes).toBe(0x30);
    expect(() => buildBatch({ records: [] })).toThrow(RangeError);
  });

  it('builds LogAppendTime batches whose records all read the append time', () => {
    const batch = threeRecords({ timestampType: 'LogAppendTime', logAppendTime: NOW + 50 });
    const [decoded] = decodeBatches(batch);
    expect(decoded.timestampType).toBe('LogAppendTime');
    expect(decoded.maxTimestamp).toBe(NOW + 50);
    expect(decoded.records.map((r) => r.timestamp)).toEqual([NOW + 50, NOW + 50, NOW + 50]);
  });
});

describe('validateBatches rejects what Kafka rejects', () => {
  // Every row was also run through Kafka 4.2's own ProduceRequest.validateRecords + DefaultRecordBatch.ensureValid
  // + LogValidator (tests/unit/records/fixtures/RecordsFixtures.java `validate`); rows marked "Kafka: …" differ on purpose.
  const rows: [string, () => Buffer, number, ValidateOptions?][] = [
    [
      'corrupted CRC',
      () => {
        const b = threeRecords();
        b[b.length - 1] ^= 1;
        return b;
      },
      RecordsErrorCode.CORRUPT_MESSAGE,
    ],
    [
      'corrupted header field under the CRC',
      () => {
        const b = threeRecords();
        b.writeInt32BE(99, BATCH.BASE_SEQUENCE);
        return b;
      },
      RecordsErrorCode.CORRUPT_MESSAGE,
    ],
    // Kafka: INVALID_RECORD (no complete batch at all) — the brief asks for CORRUPT_MESSAGE.
    ['truncated batch', () => threeRecords().subarray(0, 70), RecordsErrorCode.CORRUPT_MESSAGE],
    ['only a few bytes', () => threeRecords().subarray(0, 10), RecordsErrorCode.CORRUPT_MESSAGE],
    [
      'batch length below the header size',
      () => {
        const b = threeRecords();
        b.writeInt32BE(20, BATCH.BATCH_LENGTH);
        return b;
      },
      RecordsErrorCode.CORRUPT_MESSAGE,
    ],
    // Kafka: trims a trailing partial batch silently.
    [
      'trailing garbage after a valid batch',
      () => Buffer.concat([threeRecords(), Buffer.from('garbage-bytes')]),
      RecordsErrorCode.CORRUPT_MESSAGE,
    ],
    [
      'wrong lastOffsetDelta',
      () => fixCrc(threeRecords().fill(0, BATCH.LAST_OFFSET_DELTA, BATCH.LAST_OFFSET_DELTA + 4)),
      RecordsErrorCode.INVALID_RECORD,
    ],
    [
      'recordsCount 0',
      () => {
        const b = threeRecords();
        b.writeInt32BE(0, BATCH.RECORDS_COUNT);
        b.writeInt32BE(-1, BATCH.LAST_OFFSET_DELTA);
        return fixCrc(b);
      },
      RecordsErrorCode.INVALID_RECORD,
    ],
    ['magic 1', () => threeRecords().fill(1, BATCH.MAGIC, BATCH.MAGIC + 1), RecordsErrorCode.INVALID_RECORD],
    ['magic 0', () => threeRecords().fill(0, BATCH.MAGIC, BATCH.MAGIC + 1), RecordsErrorCode.INVALID_RECORD],
    ['magic 3', () => threeRecords().fill(3, BATCH.MAGIC, BATCH.MAGIC + 1), RecordsErrorCode.CORRUPT_MESSAGE],
    [
      'magic -1',
      () => threeRecords().fill(0xff, BATCH.MAGIC, BATCH.MAGIC + 1),
      RecordsErrorCode.CORRUPT_MESSAGE,
    ],
    [
      'two batches in one partition',
      () => Buffer.concat([threeRecords(), threeRecords()]),
      RecordsErrorCode.INVALID_RECORD,
    ],
    ['baseOffset not 0', () => threeRecords({ baseOffset: 10 }), RecordsErrorCode.INVALID_RECORD],
    ['control batch from a client', () => threeRecords({ control: true }), RecordsErrorCode.INVALID_RECORD],
    [
      'producer id without a sequence',
      () => threeRecords({ producerId: 7, producerEpoch: 0, baseSequence: -1 }),
      RecordsErrorCode.INVALID_RECORD,
    ],
    [
      'declared count above the records held',
      () => rawBatch([record(0), record(1)], { count: 3, lastOffsetDelta: 2 }),
      RecordsErrorCode.INVALID_RECORD,
    ],
    [
      'declared count above the records held (gzip)',
      () =>
        rawBatch([record(0), record(1)], { count: 3, lastOffsetDelta: 2, compression: CompressionType.Gzip }),
      RecordsErrorCode.INVALID_RECORD,
    ],
    [
      'bytes after the declared records',
      () => rawBatch([record(0), record(1), Buffer.from([1, 2, 3])], { count: 2, lastOffsetDelta: 1 }),
      RecordsErrorCode.INVALID_RECORD,
    ],
    [
      'an extra record (zstd)',
      () =>
        rawBatch([record(0), record(1), record(2)], {
          count: 2,
          lastOffsetDelta: 1,
          compression: CompressionType.Zstd,
        }),
      RecordsErrorCode.INVALID_RECORD,
    ],
    // Kafka: accepts (uncompressed) or fails with UNKNOWN_SERVER_ERROR (compressed).
    [
      'offset deltas with a gap',
      () => rawBatch([record(0), record(2)], { count: 2, lastOffsetDelta: 1 }),
      RecordsErrorCode.INVALID_RECORD,
    ],
    [
      'offset deltas with a gap (snappy)',
      () =>
        rawBatch([record(0), record(2)], {
          count: 2,
          lastOffsetDelta: 1,
          compression: CompressionType.Snappy,
        }),
      RecordsErrorCode.INVALID_RECORD,
    ],
    [
      'record length mismatch',
      () => {
        const r = record(0);
        r[0] += 2;
        return rawBatch([r, Buffer.from([0, 0])], { count: 1, lastOffsetDelta: 0 });
      },
      RecordsErrorCode.INVALID_RECORD,
    ],
    [
      'negative header count',
      () =>
        rawBatch(
          [
            encodeRecord({ timestampDelta: 0, offsetDelta: 0, key: null, value: null, headers: [] }).fill(
              0x01,
              6,
              7,
            ),
          ],
          { count: 1, lastOffsetDelta: 0 },
        ),
      RecordsErrorCode.INVALID_RECORD,
    ],
    // Kafka: INVALID_RECORD or UNKNOWN_SERVER_ERROR depending on where decompression breaks.
    [
      'undecodable compressed data with a valid CRC',
      () => fixCrc(threeRecords({ compression: CompressionType.Gzip }).fill(0x55, 80, 90)),
      RecordsErrorCode.CORRUPT_MESSAGE,
    ],
    [
      'truncated lz4 frame with a valid CRC',
      () => {
        const b = threeRecords({ compression: CompressionType.Lz4 });
        const cut = b.subarray(0, b.length - 2);
        cut.writeInt32BE(cut.length - BATCH.LOG_OVERHEAD, BATCH.BATCH_LENGTH);
        return fixCrc(cut);
      },
      RecordsErrorCode.CORRUPT_MESSAGE,
    ],
    // Kafka: UNKNOWN_SERVER_ERROR.
    [
      'compression codec 5',
      () => fixCrc(threeRecords().fill(5, BATCH.ATTRIBUTES + 1, BATCH.ATTRIBUTES + 2)),
      RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    ],
    [
      'zstd on Produce v6',
      () => threeRecords({ compression: CompressionType.Zstd }),
      RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      { produceVersion: 6 },
    ],
    [
      'batch above max.message.bytes',
      () => threeRecords(),
      RecordsErrorCode.MESSAGE_TOO_LARGE,
      { maxMessageBytes: 87 },
    ],
    [
      'null key on a compacted topic',
      () =>
        buildBatch({
          records: [
            { key: 'x', value: '1', timestamp: NOW },
            { key: null, value: '2', timestamp: NOW },
          ],
        }),
      RecordsErrorCode.INVALID_RECORD,
      { compacted: true },
    ],
    [
      'timestamp more than an hour ahead',
      () => buildBatch({ records: [{ key: 'x', value: '1', timestamp: NOW + 3_600_001 }] }),
      RecordsErrorCode.INVALID_TIMESTAMP,
    ],
    [
      'timestamp older than before.max.ms',
      () => buildBatch({ records: [{ key: 'x', value: '1', timestamp: NOW - 1001 }] }),
      RecordsErrorCode.INVALID_TIMESTAMP,
      { timestampBeforeMaxMs: 1000 },
    ],
    [
      'client-set LogAppendTime on a LogAppendTime topic',
      () => threeRecords({ timestampType: 'LogAppendTime', logAppendTime: NOW }),
      RecordsErrorCode.INVALID_TIMESTAMP,
      { timestampType: 'LogAppendTime' },
    ],
  ];

  it.each(rows)('%s', (_name, make, code, opts) => {
    expectFailure(validateBatches(make(), { now: NOW, ...opts }), code);
  });

  it('accepts what Kafka accepts at the edges', () => {
    const ok = (buf: Buffer, opts: ValidateOptions = {}) =>
      expect(validateBatches(buf, { now: NOW, ...opts }).ok).toBe(true);
    ok(buildBatch({ records: [{ key: 'x', value: '1', timestamp: NOW + 3_600_000 }] })); // exactly after.max.ms
    ok(buildBatch({ records: [{ key: 'x', value: '1', timestamp: 0 }] })); // before.max.ms unlimited by default
    ok(buildBatch({ records: [{ key: 'x', value: '1', timestamp: -1 }] })); // NO_TIMESTAMP is not checked
    ok(buildBatch({ records: [{ key: 'x', value: '1', timestamp: NOW + 7_200_000 }] }), {
      timestampType: 'LogAppendTime',
    });
    ok(threeRecords({ timestampType: 'LogAppendTime', logAppendTime: NOW })); // CreateTime topic: the window applies to the append time
    ok(threeRecords({ compression: CompressionType.Zstd }), { produceVersion: 7 });
    const batch = threeRecords();
    ok(batch, { maxMessageBytes: batch.length });
    ok(buildBatch({ records: [{ key: '', value: null, timestamp: NOW }] }), { compacted: true }); // empty key and tombstone are fine
  });

  it('reports where the bad batch starts and the per-record errors', () => {
    const first = threeRecords();
    const withTail = Buffer.concat([first, Buffer.from([1, 2, 3])]);
    expect(
      expectFailure(validateBatches(withTail, { origin: 'internal' }), RecordsErrorCode.CORRUPT_MESSAGE)
        .position,
    ).toBe(first.length);

    const nullKeys = buildBatch({
      compression: CompressionType.Gzip,
      records: [
        { key: null, value: 'a' },
        { key: 'k', value: 'b' },
        { key: null, value: 'c' },
      ],
    });
    const failure = expectFailure(
      validateBatches(nullKeys, { compacted: true }),
      RecordsErrorCode.INVALID_RECORD,
    );
    expect(failure.recordErrors.map((e) => e.batchIndex)).toEqual([0, 2]);
    expect(failure.recordErrors[0].message).toBe('Compacted topic cannot accept message without key');
    expect(failure.errorName).toBe('INVALID_RECORD');

    // As in LogValidator: the key check comes first per record, and one timestamp error makes the whole batch INVALID_TIMESTAMP.
    const late = buildBatch({
      records: [
        { key: 'x', value: '1', timestamp: NOW + 4_000_000 },
        { key: null, value: '2', timestamp: NOW + 4_000_000 },
      ],
    });
    const mixed = expectFailure(
      validateBatches(late, { now: NOW, compacted: true }),
      RecordsErrorCode.INVALID_TIMESTAMP,
    );
    expect(mixed.recordErrors.map((e) => e.batchIndex)).toEqual([0, 1]);
    expect(mixed.recordErrors[0].message).toMatch(
      /^Timestamp 1700004000000 of message with offset 0 is out of range/,
    );
  });

  it('rejects an empty Produce blob, but not an empty internal one', () => {
    expectFailure(validateBatches(Buffer.alloc(0)), RecordsErrorCode.INVALID_RECORD);
    expect(validateBatches(Buffer.alloc(0), { origin: 'internal' })).toEqual({ ok: true, batches: [] });
  });
});

describe('validateBatches for internal batches (log recovery, replication)', () => {
  it('walks several batches with any base offsets', () => {
    const log = Buffer.concat([
      threeRecords({ baseOffset: 0 }),
      threeRecords({ baseOffset: 3, compression: CompressionType.Snappy }),
      threeRecords({ baseOffset: 6 }),
    ]);
    const result = validateBatches(log, { origin: 'internal', checkRecords: true });
    if (!result.ok) throw new Error(result.message);
    expect(result.batches.map((b) => [b.position, b.baseOffset])).toEqual([
      [0, 0],
      [result.batches[1].position, 3],
      [result.batches[2].position, 6],
    ]);
    expect(result.batches[2].position + result.batches[2].size).toBe(log.length);
  });

  it('allows compaction gaps and empty batches, but not decreasing offset deltas', () => {
    expect(
      validateBatches(rawBatch([record(0), record(2)], { count: 2, lastOffsetDelta: 2 }), {
        origin: 'internal',
        checkRecords: true,
      }).ok,
    ).toBe(true);
    expect(
      validateBatches(rawBatch([], { count: 0, lastOffsetDelta: 4 }), {
        origin: 'internal',
        checkRecords: true,
      }).ok,
    ).toBe(true);
    expectFailure(
      validateBatches(rawBatch([record(1), record(0)], { count: 2, lastOffsetDelta: 1 }), {
        origin: 'internal',
        checkRecords: true,
      }),
      RecordsErrorCode.INVALID_RECORD,
    );
    expectFailure(
      validateBatches(rawBatch([record(0), record(5)], { count: 2, lastOffsetDelta: 1 }), {
        origin: 'internal',
        checkRecords: true,
      }),
      RecordsErrorCode.INVALID_RECORD,
    );
  });

  it('skips the record walk unless asked, keeping header timestamps', () => {
    const garbage = fixCrc(threeRecords({ compression: CompressionType.Gzip }).fill(0x55, 80, 90));
    const result = validateBatches(garbage, { origin: 'internal' });
    if (!result.ok) throw new Error(result.message);
    expect(result.batches[0]).toMatchObject({
      maxRecordTimestamp: NOW + 2,
      maxRecordTimestampOffsetDelta: 2,
      uncompressedRecordsSize: -1,
    });
    expectFailure(
      validateBatches(Buffer.concat([threeRecords(), Buffer.alloc(5)]), { origin: 'internal' }),
      RecordsErrorCode.CORRUPT_MESSAGE,
    );
  });
});

describe('stamping batches in place', () => {
  it('stampBatch writes baseOffset and partitionLeaderEpoch and leaves the CRC valid', () => {
    for (const compression of CODECS) {
      const batch = threeRecords({ compression });
      const crc = batch.readUInt32BE(BATCH.CRC);
      stampBatch(batch, 0, 1234567890123, 42);
      expect(batch.readUInt32BE(BATCH.CRC)).toBe(crc);
      expect(validateBatches(batch, { origin: 'internal', checkRecords: true }).ok).toBe(true);
      const [decoded] = decodeBatches(batch);
      expect(decoded.baseOffset).toBe(1234567890123);
      expect(decoded.partitionLeaderEpoch).toBe(42);
      expect(decoded.records.map((r) => r.offset)).toEqual([1234567890123, 1234567890124, 1234567890125]);
    }
  });

  it('stamps a batch in the middle of a buffer', () => {
    const a = threeRecords();
    const b = threeRecords({ compression: CompressionType.Zstd });
    const log = Buffer.concat([a, b]);
    stampBatch(log, a.length, 3, 1);
    setLogAppendTime(log, a.length, NOW + 99);
    const decoded = decodeBatches(log);
    expect(decoded[1]).toMatchObject({
      baseOffset: 3,
      partitionLeaderEpoch: 1,
      timestampType: 'LogAppendTime',
      maxTimestamp: NOW + 99,
    });
    expect(decoded[0]).toMatchObject({ baseOffset: 0, timestampType: 'CreateTime' });
  });

  it('setLogAppendTime sets bit 3 and maxTimestamp and recomputes the CRC', () => {
    const batch = threeRecords({ compression: CompressionType.Snappy });
    expect(setLogAppendTime(batch, 0, NOW + 500)).toBe(true);
    expect(batch.readInt16BE(BATCH.ATTRIBUTES) & 0x08).toBe(0x08);
    expect(batch.readInt16BE(BATCH.ATTRIBUTES) & 0x07).toBe(CompressionType.Snappy);
    expect(batch.readUInt32BE(BATCH.CRC)).toBe(computeBatchCrc(batch, 0));
    const [decoded] = decodeBatches(batch);
    expect(decoded.records.map((r) => r.timestamp)).toEqual([NOW + 500, NOW + 500, NOW + 500]);
    expect(setLogAppendTime(batch, 0, NOW + 500)).toBe(false);
    expect(setMaxTimestamp(batch, 0, 'CreateTime', NOW + 2)).toBe(true);
    expect(decodeBatches(batch)[0].records.map((r) => r.timestamp)).toEqual([NOW, NOW + 2, NOW + 1]);
  });
});

describe('decodeBatches', () => {
  it('decodes consecutive batches and ignores a trailing partial batch at every cut point', () => {
    const a = threeRecords();
    const b = threeRecords({ baseOffset: 3, compression: CompressionType.Lz4 });
    expect(decodeBatches(Buffer.concat([a, b])).map((x) => x.baseOffset)).toEqual([0, 3]);
    for (let cut = 1; cut < b.length; cut++) {
      const decoded = decodeBatches(Buffer.concat([a, b.subarray(0, cut)]));
      expect(
        decoded.map((x) => x.baseOffset),
        `cut ${cut}`,
      ).toEqual([0]);
    }
    expect(decodeBatches(Buffer.alloc(0))).toEqual([]);
  });

  it('throws CORRUPT_MESSAGE for a bad CRC unless told not to check', () => {
    const batch = threeRecords();
    batch.writeInt32BE(5, BATCH.BASE_SEQUENCE);
    expect(() => decodeBatches(batch)).toThrow(RecordsError);
    try {
      decodeBatches(batch);
    } catch (err) {
      expect((err as RecordsError).errorCode).toBe(RecordsErrorCode.CORRUPT_MESSAGE);
    }
    expect(decodeBatches(batch, { verifyCrc: false })[0].records).toHaveLength(3);
  });

  it('throws on an unsupported magic, an impossible length and malformed records', () => {
    const codeOf = (buf: Buffer) => {
      try {
        decodeBatches(buf);
      } catch (err) {
        return (err as RecordsError).errorCode;
      }
      return 0;
    };
    expect(codeOf(threeRecords().fill(1, BATCH.MAGIC, BATCH.MAGIC + 1))).toBe(
      RecordsErrorCode.CORRUPT_MESSAGE,
    );
    expect(codeOf(Buffer.concat([threeRecords()]).fill(0, BATCH.BATCH_LENGTH, BATCH.BATCH_LENGTH + 4))).toBe(
      RecordsErrorCode.CORRUPT_MESSAGE,
    );
    expect(codeOf(rawBatch([record(0)], { count: 2, lastOffsetDelta: 1 }))).toBe(
      RecordsErrorCode.INVALID_RECORD,
    );
    expect(codeOf(rawBatch([record(0), Buffer.from([0])], { count: 1, lastOffsetDelta: 0 }))).toBe(
      RecordsErrorCode.INVALID_RECORD,
    );
    expect(codeOf(fixCrc(threeRecords().fill(6, BATCH.ATTRIBUTES + 1, BATCH.ATTRIBUTES + 2)))).toBe(
      RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    );
  });

  it('returns keys and values of uncompressed batches as views of the input', () => {
    const batch = threeRecords();
    const [decoded] = decodeBatches(batch);
    expect(decoded.records[0].value?.buffer).toBe(batch.buffer);
  });
});
