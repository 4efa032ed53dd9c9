import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { buildBatch, decodeBatches, CompressionType } from '../../../src/engine/protocol/records/index.js';
import { ErrorCode } from '../../../src/engine/protocol/errors.js';
import { RawClient } from '../../helpers/raw-client.js';

const PRODUCE = 0;
const FETCH = 1;
const LIST_OFFSETS = 2;
const METADATA = 3;
const API_VERSIONS = 18;
const CREATE_TOPICS = 19;
const DELETE_TOPICS = 20;
const INIT_PRODUCER_ID = 22;
const DESCRIBE_CONFIGS = 32;
const DESCRIBE_CLUSTER = 60;

let dataDir: string;
let engine: Engine;
let client: RawClient;

async function start(overrides: Record<string, string> = {}) {
  engine = await startEngine({ dataDir, brokers: 1, host: '127.0.0.1', basePort: 0, overrides });
  client = await RawClient.connect(engine.brokers[0].port);
}

async function restart() {
  client.close();
  await engine.stop();
  await start();
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-broker-'));
  await start();
});

afterEach(async () => {
  client?.close();
  await engine?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function createTopic(name: string, numPartitions = 1, configs: Record<string, string> = {}, validateOnly = false) {
  return client.request(CREATE_TOPICS, 7, {
    topics: [
      {
        name,
        numPartitions,
        replicationFactor: 1,
        assignments: [],
        configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })),
      },
    ],
    timeoutMs: 5000,
    validateOnly,
  });
}

function batchOf(values: string[], opts: Partial<Parameters<typeof buildBatch>[0]> = {}) {
  return buildBatch({
    records: values.map((v, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(v), headers: [], timestamp: Date.now() })),
    ...opts,
  });
}

function produce(topic: string, partition: number, records: Buffer, acks = -1, version = 9) {
  return client.request(PRODUCE, version, {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
}

function fetch(topic: string, partition: number, fetchOffset: number, maxWaitMs = 0, minBytes = 1) {
  return client.request(FETCH, 12, {
    replicaId: -1,
    maxWaitMs,
    minBytes,
    maxBytes: 10 * 1024 * 1024,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition, fetchOffset, partitionMaxBytes: 1024 * 1024, currentLeaderEpoch: -1 }] }],
    forgottenTopicsData: [],
    rackId: '',
  });
}

function values(records: Buffer | null): string[] {
  if (!records) return [];
  return decodeBatches(records).flatMap((b) => b.records.map((r) => r.value?.toString() ?? '<null>'));
}

describe('ApiVersions', () => {
  it('advertises every registered API and answers a too-new version with UNSUPPORTED_VERSION in v0', async () => {
    const res = await client.request(API_VERSIONS, 3, { clientSoftwareName: 'eddy-test', clientSoftwareVersion: '1.0' });
    expect(res.errorCode).toBe(0);
    const keys = res.apiKeys.map((k: any) => k.apiKey);
    expect(keys).toEqual(expect.arrayContaining([0, 1, 2, 3, 18, 19, 20, 22, 32, 60]));
    const produceRange = res.apiKeys.find((k: any) => k.apiKey === 0);
    expect(produceRange).toMatchObject({ minVersion: 0, maxVersion: 11 });

    // A version from the future: encode v4, then patch the version field of the header.
    const frame = (await import('../../../src/engine/protocol/index.js')).encodeRequest(API_VERSIONS, 4, 77, 'x', {
      clientSoftwareName: 'x',
      clientSoftwareVersion: '1',
    });
    frame.writeInt16BE(9, 6);
    const reply = client.nextFrame();
    client.writeRaw(frame);
    const decoded = (await import('../../../src/engine/protocol/index.js')).decodeResponse(API_VERSIONS, 0, await reply);
    expect(decoded.correlationId).toBe(77);
    expect((decoded.body as any).errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect((decoded.body as any).apiKeys).toEqual([{ apiKey: 18, minVersion: 0, maxVersion: 4 }]);
  });

  it('refuses client software names Kafka refuses', async () => {
    const res = await client.request(API_VERSIONS, 3, { clientSoftwareName: 'bad name!', clientSoftwareVersion: '1' });
    expect(res.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });
});

describe('bad input', () => {
  it('closes only the connection that sent an unknown API key, and keeps serving others', async () => {
    const other = await RawClient.connect(engine.brokers[0].port);
    const bad = Buffer.alloc(4 + 8);
    bad.writeInt32BE(8, 0);
    bad.writeInt16BE(999, 4); // unknown api key
    bad.writeInt16BE(0, 6);
    bad.writeInt32BE(1, 8);
    client.writeRaw(bad);
    await client.whenClosed();
    const res = await other.request(METADATA, 12, { topics: null, allowAutoTopicCreation: false });
    expect(res.brokers).toHaveLength(1);
    other.close();
  });

  it('closes the connection on a frame larger than socket.request.max.bytes without allocating it', async () => {
    const header = Buffer.alloc(4);
    header.writeInt32BE(200 * 1024 * 1024, 0);
    client.writeRaw(header);
    await client.whenClosed();
    const again = await RawClient.connect(engine.brokers[0].port);
    expect((await again.request(API_VERSIONS, 0, {})).errorCode).toBe(0);
    again.close();
  });

  it('closes on garbage and on a negative size, and survives a truncated frame', async () => {
    const garbage = await RawClient.connect(engine.brokers[0].port);
    garbage.writeRaw(Buffer.from([0, 0, 0, 6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    await garbage.whenClosed();
    const negative = await RawClient.connect(engine.brokers[0].port);
    negative.writeRaw(Buffer.from([0xff, 0xff, 0xff, 0xf0]));
    await negative.whenClosed();
    const truncated = await RawClient.connect(engine.brokers[0].port);
    truncated.writeRaw(Buffer.from([0, 0, 0, 100, 0, 3, 0, 12]));
    truncated.close();
    expect((await client.request(API_VERSIONS, 2, {})).errorCode).toBe(0);
  });

  it('closes the connection on an unsupported Produce v2 (message format v1)', async () => {
    const { encodeRequest } = await import('../../../src/engine/protocol/index.js');
    client.writeRaw(encodeRequest(PRODUCE, 2, 5, 'x', { acks: 1, timeoutMs: 100, topicData: [] }));
    await client.whenClosed();
  });
});

describe('CreateTopics and DeleteTopics', () => {
  it("validates names, partitions, replication factor and configs with Kafka's error codes", async () => {
    expect((await createTopic('bad name')).topics[0].errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect((await createTopic('x'.repeat(250))).topics[0].errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect((await createTopic('zero', 0)).topics[0].errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    const rf = await client.request(CREATE_TOPICS, 7, {
      topics: [{ name: 'rf', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }],
      timeoutMs: 1000,
    });
    expect(rf.topics[0].errorCode).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    const badConfig = await createTopic('cfg', 1, { 'retention.ms': 'soon' });
    expect(badConfig.topics[0].errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(badConfig.topics[0].errorMessage).toContain('retention.ms');
    expect((await createTopic('cfg2', 1, { 'no.such.config': '1' })).topics[0].errorCode).toBe(ErrorCode.INVALID_CONFIG);
  });

  it('creates, refuses duplicates and name collisions, honours validateOnly, deletes', async () => {
    const validated = await createTopic('orders', 3, {}, true);
    expect(validated.topics[0]).toMatchObject({ errorCode: 0, numPartitions: 3, replicationFactor: 1 });
    let md = await client.request(METADATA, 12, { topics: null });
    expect(md.topics).toHaveLength(0);

    const created = await createTopic('orders', 3, { 'retention.ms': '1000000' });
    expect(created.topics[0].errorCode).toBe(0);
    expect(created.topics[0].configs.find((c: any) => c.name === 'retention.ms')).toMatchObject({ value: '1000000', configSource: 1 });
    expect((await createTopic('orders')).topics[0].errorCode).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    await createTopic('a.b');
    expect((await createTopic('a_b')).topics[0].errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);

    md = await client.request(METADATA, 12, { topics: [{ name: 'orders', topicId: Buffer.alloc(16) }] });
    expect(md.topics[0].partitions).toHaveLength(3);
    expect(fs.existsSync(path.join(dataDir, 'broker-1', 'orders-2'))).toBe(true);

    const del = await client.request(DELETE_TOPICS, 6, { topics: [{ name: 'orders', topicId: Buffer.alloc(16) }], timeoutMs: 1000 });
    expect(del.responses[0].errorCode).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'broker-1', 'orders-2'))).toBe(false);
    const again = await client.request(DELETE_TOPICS, 4, { topicNames: ['orders'], timeoutMs: 1000 });
    expect(again.responses[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});

describe('Metadata', () => {
  it('auto-creates a requested topic unless the request or the broker forbids it', async () => {
    const none = await client.request(METADATA, 12, { topics: [{ name: 'lazy', topicId: Buffer.alloc(16) }], allowAutoTopicCreation: false });
    expect(none.topics[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const auto = await client.request(METADATA, 12, { topics: [{ name: 'lazy', topicId: Buffer.alloc(16) }], allowAutoTopicCreation: true });
    expect(auto.topics[0].errorCode).toBe(0);
    expect(auto.topics[0].partitions[0]).toMatchObject({ leaderId: 1, replicaNodes: [1], isrNodes: [1] });
    const v1 = await client.request(METADATA, 1, { topics: [{ name: 'bad/name' }] });
    expect(v1.topics[0].errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
  });
});

describe('Produce and Fetch', () => {
  it('assigns offsets, serves them back exactly as stored, and keeps them across a restart', async () => {
    await createTopic('t', 2);
    const r1 = await produce('t', 0, batchOf(['a', 'b', 'c']));
    expect(r1.responses[0].partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0 });
    const r2 = await produce('t', 0, batchOf(['d'], { compression: CompressionType.Zstd }));
    expect(r2.responses[0].partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 3 });
    let f = await fetch('t', 0, 0);
    expect(f.responses[0].partitions[0]).toMatchObject({ errorCode: 0, highWatermark: 4, logStartOffset: 0 });
    expect(values(f.responses[0].partitions[0].records)).toEqual(['a', 'b', 'c', 'd']);
    await restart();
    f = await fetch('t', 0, 3);
    expect(values(f.responses[0].partitions[0].records)).toEqual(['d']);
    expect(f.responses[0].partitions[0].highWatermark).toBe(4);
  });

  it('answers partition-level errors: unknown partition, out-of-range offset, wrong acks', async () => {
    await createTopic('t', 1);
    expect((await produce('t', 5, batchOf(['x']))).responses[0].partitionResponses[0].errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect((await produce('t', 0, batchOf(['x']), 2)).responses[0].partitionResponses[0].errorCode).toBe(
      ErrorCode.INVALID_REQUIRED_ACKS,
    );
    const f = await fetch('t', 0, 10);
    expect(f.responses[0].partitions[0].errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it('rejects a corrupt CRC and an oversized batch without storing anything', async () => {
    await createTopic('t', 1, { 'max.message.bytes': '2000' });
    const corrupt = batchOf(['hello']);
    corrupt[corrupt.length - 1] ^= 0xff;
    expect((await produce('t', 0, corrupt)).responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    const big = batchOf(['x'.repeat(5000)]);
    expect((await produce('t', 0, big)).responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    const f = await fetch('t', 0, 0);
    expect(f.responses[0].partitions[0].highWatermark).toBe(0);
    expect(engine.brokers[0].replicas.get('t', 0)!.logEndOffset).toBe(0);
  });

  it('parks a long-poll fetch until data arrives, and answers acks=0 with silence but keeps order', async () => {
    await createTopic('t', 1);
    const other = await RawClient.connect(engine.brokers[0].port);
    const started = Date.now();
    const pending = other.request(FETCH, 12, {
      replicaId: -1,
      maxWaitMs: 10_000,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [],
      rackId: '',
    });
    client.send(PRODUCE, 9, {
      transactionalId: null,
      acks: 0,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records: batchOf(['fire-and-forget']) }] }],
    });
    // The next response on this connection must belong to the next request, not the acks=0 one.
    const md = await client.request(METADATA, 12, { topics: null });
    expect(md.topics[0].name).toBe('t');
    const f = await pending;
    expect(values(f.responses[0].partitions[0].records)).toEqual(['fire-and-forget']);
    expect(Date.now() - started).toBeLessThan(9_000);
    other.close();
  });
});

describe('idempotent produce', () => {
  it('answers a retried batch with its original offset and refuses a sequence gap', async () => {
    await createTopic('t', 1);
    const init = await client.request(INIT_PRODUCER_ID, 4, { transactionalId: null, transactionTimeoutMs: 60000, producerId: -1, producerEpoch: -1 });
    expect(init.errorCode).toBe(0);
    const pid = init.producerId;
    const first = batchOf(['a', 'b'], { producerId: pid, producerEpoch: 0, baseSequence: 0 });
    expect((await produce('t', 0, first)).responses[0].partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0 });
    const retry = batchOf(['a', 'b'], { producerId: pid, producerEpoch: 0, baseSequence: 0 });
    expect((await produce('t', 0, retry)).responses[0].partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0 });
    const gap = batchOf(['z'], { producerId: pid, producerEpoch: 0, baseSequence: 5 });
    expect((await produce('t', 0, gap)).responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const next = batchOf(['c'], { producerId: pid, producerEpoch: 0, baseSequence: 2 });
    expect((await produce('t', 0, next)).responses[0].partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 2 });
    expect(values((await fetch('t', 0, 0)).responses[0].partitions[0].records)).toEqual(['a', 'b', 'c']);

    // Producer state is rebuilt from the log after a restart: the retry is still a duplicate.
    await restart();
    const afterRestart = batchOf(['c'], { producerId: pid, producerEpoch: 0, baseSequence: 2 });
    expect((await produce('t', 0, afterRestart)).responses[0].partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 2 });
    const init2 = await client.request(INIT_PRODUCER_ID, 4, { transactionalId: null, transactionTimeoutMs: 60000, producerId: -1, producerEpoch: -1 });
    expect(init2.producerId).not.toBe(pid);
  });
});

describe('ListOffsets', () => {
  it('finds earliest, latest, by timestamp and max timestamp', async () => {
    await createTopic('t', 1);
    const base = Date.now() - 10_000;
    for (let i = 0; i < 3; i++) {
      await produce('t', 0, buildBatch({ records: [{ key: null, value: Buffer.from(String(i)), headers: [], timestamp: base + i * 1000 }] }));
    }
    const ask = (timestamp: number) =>
      client.request(LIST_OFFSETS, 7, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }],
      });
    const part = async (ts: number) => (await ask(ts)).topics[0].partitions[0];
    expect(await part(-2)).toMatchObject({ errorCode: 0, offset: 0 });
    expect(await part(-1)).toMatchObject({ errorCode: 0, offset: 3 });
    expect(await part(base + 500)).toMatchObject({ errorCode: 0, offset: 1, timestamp: base + 1000 });
    expect(await part(base + 999_999)).toMatchObject({ errorCode: 0, offset: -1 });
    expect(await part(-3)).toMatchObject({ errorCode: 0, offset: 2, timestamp: base + 2000 });
  });
});

describe('ListOffsets inside compressed batches', () => {
  it('finds the first record at or after a timestamp within a gzip batch', async () => {
    await createTopic('z', 1);
    const base = Date.now() - 60_000;
    const records = [0, 1, 2, 3].map((i) => ({ key: null, value: Buffer.from(String(i)), headers: [], timestamp: base + i * 1000 }));
    await produce('z', 0, buildBatch({ records, compression: CompressionType.Gzip }));
    const res = await client.request(LIST_OFFSETS, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 'z', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: base + 1500 }] }],
    });
    expect(res.topics[0].partitions[0]).toMatchObject({ errorCode: 0, offset: 2, timestamp: base + 2000 });
  });
});

describe('DescribeConfigs and DescribeCluster', () => {
  it('reports topic configs with their sources and synonyms, and the cluster', async () => {
    await createTopic('t', 1, { 'cleanup.policy': 'compact' });
    const res = await client.request(DESCRIBE_CONFIGS, 4, {
      resources: [
        { resourceType: 2, resourceName: 't', configurationKeys: null },
        { resourceType: 2, resourceName: 'missing', configurationKeys: null },
        { resourceType: 4, resourceName: '1', configurationKeys: ['log.retention.ms', 'num.partitions'] },
      ],
      includeSynonyms: true,
      includeDocumentation: false,
    });
    const topic = res.results[0];
    expect(topic.errorCode).toBe(0);
    expect(topic.configs.find((c: any) => c.name === 'cleanup.policy')).toMatchObject({ value: 'compact', configSource: 1 });
    const retention = topic.configs.find((c: any) => c.name === 'retention.ms');
    expect(retention).toMatchObject({ value: '604800000', configSource: 5 });
    expect(retention.synonyms.map((s: any) => s.name)).toContain('log.retention.ms');
    expect(res.results[1].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(res.results[2].configs.map((c: any) => c.name).sort()).toEqual(['log.retention.ms', 'num.partitions']);

    const cluster = await client.request(DESCRIBE_CLUSTER, 1, { includeClusterAuthorizedOperations: false, endpointType: 1 });
    expect(cluster).toMatchObject({ errorCode: 0, controllerId: 1 });
    expect(cluster.brokers).toEqual([{ brokerId: 1, host: '127.0.0.1', port: engine.brokers[0].port, rack: null }]);
  });
});
