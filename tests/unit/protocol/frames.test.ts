import { describe, expect, it } from 'vitest';
import {
  ApiKey,
  ProtocolError,
  type DecodedRequest,
  apiSchemas,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  readRequestHeaderPrefix,
} from '../../../src/engine/protocol/index.js';

type Produce = DecodedRequest<typeof ApiKey.Produce>;
type Fetch = DecodedRequest<typeof ApiKey.Fetch>;

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function protocolError(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return err as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

describe('request header', () => {
  it('reads the prefix without decoding the body', () => {
    expect(readRequestHeaderPrefix(hex('0012 0003 0000002a ffff'))).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 42 });
    expect(protocolError(() => readRequestHeaderPrefix(hex('00120003000000'))).reason).toBe('truncated');
  });

  it('uses header v1 for non-flexible versions and v2 (tag byte) for flexible ones', () => {
    // Heartbeat v3 (not flexible): header v1 = key, version, correlation id, int16 client id.
    const v3 = encodeRequest(ApiKey.Heartbeat, 3, 7, 'ab', { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null });
    expect(v3.toString('hex')).toBe(
      '00000018' + '000c' + '0003' + '00000007' + '00026162' + '000167' + '00000001' + '00016d' + 'ffff',
    );
    // Heartbeat v4 (flexible): header v2 adds an empty tag section after the classic client id.
    const v4 = encodeRequest(ApiKey.Heartbeat, 4, 7, 'ab', { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null });
    expect(v4.toString('hex')).toBe(
      '00000017' + '000c' + '0004' + '00000007' + '00026162' + '00' + '0267' + '00000001' + '026d' + '00' + '00',
    );
  });

  it('reads a null client id as ""', () => {
    const frame = encodeRequest(ApiKey.ApiVersions, 0, 1, null, {});
    expect(frame.subarray(4).toString('hex')).toBe('0012000000000001ffff');
    expect(decodeRequest(frame.subarray(4)).header.clientId).toBe('');
  });
});

describe('response header', () => {
  const versions = { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }], throttleTimeMs: 0 };

  it('ApiVersions v3 (flexible body) still uses response header v0', () => {
    const frame = encodeResponse(ApiKey.ApiVersions, 3, 9, versions);
    // size, correlation id, then straight into the body: error code, compact array of 1, ...
    expect(frame.toString('hex')).toBe('00000013' + '00000009' + '0000' + '02' + '0012' + '0000' + '0004' + '00' + '00000000' + '00');
    expect(decodeResponse(ApiKey.ApiVersions, 3, frame.subarray(4)).body.apiKeys).toEqual(versions.apiKeys);
  });

  it('other flexible responses use header v1 (tag byte after the correlation id)', () => {
    const frame = encodeResponse(ApiKey.Heartbeat, 4, 9, { throttleTimeMs: 0, errorCode: 27 });
    expect(frame.toString('hex')).toBe('0000000c' + '00000009' + '00' + '00000000' + '001b' + '00');
    const classic = encodeResponse(ApiKey.Heartbeat, 3, 9, { throttleTimeMs: 0, errorCode: 27 });
    expect(classic.toString('hex')).toBe('0000000a' + '00000009' + '00000000' + '001b');
  });
});

describe('ProtocolError', () => {
  it('unknown API key', () => {
    const e = protocolError(() => decodeRequest(hex('03e7 0000 00000005 0000')));
    expect(e.reason).toBe('unknown-api-key');
    expect(e.apiKey).toBe(999);
    expect(e.correlationId).toBe(5);
    expect(protocolError(() => encodeResponse(999, 0, 1, {})).reason).toBe('unknown-api-key');
  });

  it('unsupported versions, including latestVersionUnstable ones', () => {
    const e = protocolError(() => decodeRequest(hex('0012 0063 00000005 0000')));
    expect(e.reason).toBe('unsupported-version');
    expect(e.apiVersion).toBe(99);
    // EndTxn v5 and ConsumerGroupHeartbeat v1 are marked unstable in the spec snapshot.
    expect(apiSchemas[ApiKey.EndTxn].validVersions).toEqual([0, 4]);
    expect(apiSchemas[ApiKey.ConsumerGroupHeartbeat].validVersions).toEqual([0, 0]);
    expect(protocolError(() => encodeRequest(ApiKey.EndTxn, 5, 1, 'c', {})).reason).toBe('unsupported-version');
    expect(protocolError(() => encodeResponse(ApiKey.Produce, -1, 1, {})).reason).toBe('unsupported-version');
  });

  it('every possible truncation of a valid request is rejected, never mis-decoded', () => {
    const frame = encodeRequest(ApiKey.Produce, 9, 3, 'client', {
      transactionalId: 'tx',
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: 'orders', partitionData: [{ index: 2, records: Buffer.alloc(70, 1) }] }],
    }).subarray(4);
    for (let n = 0; n < frame.length; n++) {
      const e = protocolError(() => decodeRequest(frame.subarray(0, n)));
      expect(e.reason).toBe('truncated');
    }
    expect((decodeRequest(frame) as Produce).body.topicData[0].partitionData[0].records).toEqual(Buffer.alloc(70, 1));
  });

  it('truncated responses', () => {
    const frame = encodeResponse(ApiKey.Metadata, 12, 1, { brokers: [{ nodeId: 1, host: 'localhost', port: 9092 }], clusterId: 'c' }).subarray(4);
    for (let n = 0; n < frame.length; n++) {
      expect(protocolError(() => decodeResponse(ApiKey.Metadata, 12, frame.subarray(0, n))).reason).toBe('truncated');
    }
  });

  it('malformed: null in a non-nullable field, absurd lengths', () => {
    // Heartbeat v0: group id (non-nullable) with length -1.
    expect(protocolError(() => decodeRequest(hex('000c 0000 00000001 0000 ffff 00000001 0001 6d'))).reason).toBe('malformed');
    // Negative string length other than -1.
    expect(protocolError(() => decodeRequest(hex('000c 0000 00000001 0000 fffe'))).reason).toBe('malformed');
    // An array claiming 2^31-1 elements in a short frame is refused before allocating anything.
    const e = protocolError(() => decodeRequest(hex('0003 0001 00000001 0000 7fffffff')));
    expect(e.reason).toBe('truncated');
    expect(e.message).toMatch(/array of 2147483647/);
  });

  it('rejects values that do not fit the schema when encoding', () => {
    const e1 = protocolError(() => encodeResponse(ApiKey.Heartbeat, 0, 1, { errorCode: 70000 }));
    expect(e1.reason).toBe('invalid-value');
    const e2 = protocolError(() => encodeRequest(ApiKey.Heartbeat, 0, 1, 'c', { groupId: null as unknown as string }));
    expect(e2.reason).toBe('invalid-value');
    expect(e2.message).toMatch(/groupId/);
    expect(protocolError(() => encodeRequest(ApiKey.Heartbeat, 0, 1, 'c', { groupId: 'x'.repeat(40000) })).reason).toBe('invalid-value');
    expect(protocolError(() => encodeResponse(ApiKey.DescribeCluster, 0, 1, { clusterId: 'c', brokers: null as never })).reason).toBe('invalid-value');
  });

  it('tolerates bytes after the body, as Kafka does', () => {
    const frame = encodeRequest(ApiKey.Heartbeat, 1, 1, 'c', { groupId: 'g', generationId: 2, memberId: 'm' }).subarray(4);
    const padded = Buffer.concat([frame, hex('deadbeef')]);
    expect(decodeRequest(padded).body).toEqual(decodeRequest(frame).body);
  });
});

describe('fields outside the version', () => {
  it('read as defaults and are ignored when encoding', () => {
    const frame = encodeRequest(ApiKey.Produce, 2, 1, 'c', { transactionalId: 'ignored-in-v2', acks: 1, timeoutMs: 5, topicData: [] });
    expect(frame.subarray(4).toString('hex')).toBe('0000000200000001' + '000163' + '0001' + '00000005' + '00000000');
    expect(decodeRequest(frame.subarray(4)).body).toEqual({ transactionalId: null, acks: 1, timeoutMs: 5, topicData: [] });
  });

  it('missing properties are written as their defaults', () => {
    const frame = encodeResponse(ApiKey.Produce, 8, 1, { responses: [{ name: 't', partitionResponses: [{ index: 0 }] }] });
    const body = decodeResponse(ApiKey.Produce, 8, frame.subarray(4)).body;
    expect(body.responses[0].partitionResponses[0]).toEqual({
      index: 0,
      errorCode: 0,
      baseOffset: 0,
      logAppendTimeMs: -1,
      logStartOffset: -1,
      recordErrors: [],
      errorMessage: null,
      currentLeader: { leaderId: -1, leaderEpoch: -1 },
    });
  });
});

describe('tagged fields', () => {
  it('are written only when they differ from the default, sorted by tag', () => {
    // Fetch v12 request: ClusterId (tag 0) and ReplicaState (tag 1) are tagged.
    const base = { maxWaitMs: 1, minBytes: 1, maxBytes: 1, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, topics: [], forgottenTopicsData: [], rackId: '' };
    const plain = encodeRequest(ApiKey.Fetch, 15, 1, 'c', base).subarray(4);
    expect(plain[plain.length - 1]).toBe(0); // empty tag section
    const tagged = encodeRequest(ApiKey.Fetch, 15, 1, 'c', { ...base, replicaState: { replicaId: 3, replicaEpoch: 7 }, clusterId: 'k' }).subarray(4);
    // count 2; tag 0 (clusterId, compact string "k") before tag 1 (replica state struct)
    expect(tagged.subarray(plain.length - 1).toString('hex')).toBe('02' + '00' + '02' + '026b' + '01' + '0d' + '00000003' + '0000000000000007' + '00');
    const decoded = (decodeRequest(tagged) as Fetch).body;
    expect(decoded.clusterId).toBe('k');
    expect(decoded.replicaState).toEqual({ replicaId: 3, replicaEpoch: 7 });
    expect((decodeRequest(plain) as Fetch).body.replicaState).toEqual({ replicaId: -1, replicaEpoch: -1 });
  });

  it('unknown tags are skipped', () => {
    // Heartbeat v4 response with an unknown tag 9 (3 bytes) in the body's tag section.
    const frame = hex('00000001 00 00000000 0000 01 09 03 aabbcc');
    expect(decodeResponse(ApiKey.Heartbeat, 4, frame).body).toEqual({ throttleTimeMs: 0, errorCode: 0 });
  });

  it('a tagged field that claims more bytes than remain is truncation', () => {
    const frame = hex('00000001 00 00000000 0000 01 09 08 aabbcc');
    expect(protocolError(() => decodeResponse(ApiKey.Heartbeat, 4, frame)).reason).toBe('truncated');
  });
});

describe('nullable structs', () => {
  it('use an int8 marker', () => {
    // ConsumerGroupHeartbeat v0 response: Assignment is a nullable struct.
    const none = encodeResponse(ApiKey.ConsumerGroupHeartbeat, 0, 1, { memberEpoch: 1, heartbeatIntervalMs: 5, assignment: null }).subarray(4);
    const some = encodeResponse(ApiKey.ConsumerGroupHeartbeat, 0, 1, { memberEpoch: 1, heartbeatIntervalMs: 5, assignment: { topicPartitions: [] } }).subarray(4);
    // ... memberEpoch, heartbeatIntervalMs, then the marker
    expect(none.subarray(none.length - 2).toString('hex')).toBe('ff00');
    expect(some.subarray(some.length - 4).toString('hex')).toBe('01' + '01' + '00' + '00');
    expect(decodeResponse(ApiKey.ConsumerGroupHeartbeat, 0, none).body.assignment).toBeNull();
    expect(decodeResponse(ApiKey.ConsumerGroupHeartbeat, 0, some).body.assignment).toEqual({ topicPartitions: [] });
  });
});

describe('records', () => {
  it('decode as zero-copy views of the frame', () => {
    const batch = Buffer.alloc(4096, 0xab);
    const frame = encodeRequest(ApiKey.Produce, 11, 1, 'c', { acks: 1, timeoutMs: 1, topicData: [{ name: 't', partitionData: [{ index: 0, records: batch }] }] }).subarray(4);
    const records = (decodeRequest(frame) as Produce).body.topicData[0].partitionData[0].records as Buffer;
    expect(records.equals(batch)).toBe(true);
    expect(records.buffer).toBe(frame.buffer);
    expect(records.byteOffset).toBe(frame.byteOffset + frame.length - 1 - 1 - 1 - batch.length);
  });
});
