import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { buildBatch } from '../../../src/engine/protocol/records/index.js';
import { ErrorCode } from '../../../src/engine/protocol/errors.js';
import type { ReplicaFetcher } from '../../../src/engine/broker/replica-fetcher.js';
import { RawClient } from '../../helpers/raw-client.js';

const PRODUCE = 0;
const FETCH = 1;
const LIST_OFFSETS = 2;
const CREATE_TOPICS = 19;
const DELETE_RECORDS = 21;
const INCREMENTAL_ALTER_CONFIGS = 44;

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let dataDir: string;
let engine: Engine;
const clients: RawClient[] = [];
const startOptions = (overrides: Record<string, string> = {}) => ({
  dataDir,
  brokers: 3,
  host: '127.0.0.1',
  basePort: 0,
  overrides: { 'auto.leader.rebalance.enable': 'false', ...overrides },
});

async function connect(brokerId: number): Promise<RawClient> {
  const c = await RawClient.connect(engine.broker(brokerId)!.port);
  clients.push(c);
  return c;
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-delete-records-'));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await engine?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const state = (topic: string) => engine.controller.image.topic(topic)!.partitions[0];
const replica = (brokerId: number, topic: string) => engine.broker(brokerId)!.replicas.get(topic, 0)!;

async function createTopic(name: string, configs: Record<string, string> = {}) {
  const c = await connect(1);
  const res = await c.request(CREATE_TOPICS, 7, {
    topics: [{ name, numPartitions: 1, replicationFactor: 3, assignments: [], configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })) }],
    timeoutMs: 5000,
  });
  expect(res.topics[0].errorCode).toBe(0);
  const p = state(name);
  await until(() => p.replicas.every((id) => engine.broker(id)?.replicas.get(name, 0)?.leaderEpoch === p.leaderEpoch), 'replicas to know their roles');
  return p;
}

async function produce(topic: string, records: { value: Buffer | string; timestamp?: number }[]) {
  const c = await connect(state(topic).leader);
  const res = await c.request(PRODUCE, 9, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topicData: [
      {
        name: topic,
        partitionData: [{ index: 0, records: buildBatch({ records: records.map((r) => ({ key: null, value: r.value, headers: [], timestamp: r.timestamp ?? Date.now() })) }) }],
      },
    ],
  });
  const r = res.responses[0].partitionResponses[0];
  expect(r.errorCode).toBe(0);
  return r;
}

async function deleteRecords(brokerId: number, topics: { name: string; partitions: [number, number][] }[], timeoutMs = 5000, version = 2) {
  const c = await connect(brokerId);
  const res = await c.request(DELETE_RECORDS, version, {
    topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map(([partitionIndex, offset]) => ({ partitionIndex, offset })) })),
    timeoutMs,
  });
  return res.topics as { name: string; partitions: { partitionIndex: number; lowWatermark: number; errorCode: number }[] }[];
}

async function deleteOne(brokerId: number, topic: string, partition: number, offset: number, timeoutMs = 5000, version = 2) {
  return (await deleteRecords(brokerId, [{ name: topic, partitions: [[partition, offset]] }], timeoutMs, version))[0].partitions[0];
}

describe('DeleteRecords', () => {
  it('moves the log start offset on the leader and, before answering, on every follower; persisted', async () => {
    engine = await startEngine(startOptions());
    const p = await createTopic('d', { 'min.insync.replicas': '2' });
    await produce('d', Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })));
    await until(() => p.replicas.every((id) => replica(id, 'd').highWatermark === 10), 'followers to learn the high watermark');

    expect(await deleteOne(p.leader, 'd', 0, 4)).toEqual({ partitionIndex: 0, lowWatermark: 4, errorCode: 0 });
    // The answer came after every replica had moved (Kafka's DelayedDeleteRecords).
    for (const id of p.replicas) expect(replica(id, 'd').logStartOffset, `broker ${id}`).toBe(4);
    // An offset below the log start changes nothing and answers the current low watermark.
    expect(await deleteOne(p.leader, 'd', 0, 2, 5000, 0)).toEqual({ partitionIndex: 0, lowWatermark: 4, errorCode: 0 });
    // -1: up to the high watermark.
    expect(await deleteOne(p.leader, 'd', 0, -1, 5000, 1)).toEqual({ partitionIndex: 0, lowWatermark: 10, errorCode: 0 });
    for (const id of p.replicas) expect(replica(id, 'd').logStartOffset).toBe(10);

    // Consumers see it: ListOffsets earliest, and a fetch below it is out of range.
    const c = await connect(p.leader);
    const earliest = await c.request(LIST_OFFSETS, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 'd', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2 }] }],
    });
    expect(earliest.topics[0].partitions[0]).toMatchObject({ errorCode: 0, offset: 10 });
    const fetched = await c.request(FETCH, 12, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic: 'd', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 3, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [],
      rackId: '',
    });
    expect(fetched.responses[0].partitions[0].errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);

    // New records go on from the log end; the log start survives a restart of the whole cluster.
    expect((await produce('d', [{ value: 'after' }])).baseOffset).toBe(10);
    for (const cl of clients.splice(0)) cl.close();
    await engine.stop();
    engine = await startEngine(startOptions());
    await until(() => p.replicas.every((id) => engine.broker(id)?.replicas.get('d', 0) !== undefined), 'replicas to reopen');
    for (const id of p.replicas) expect(replica(id, 'd').logStartOffset).toBe(10);
  });

  it("answers Kafka's errors per partition", async () => {
    engine = await startEngine(startOptions());
    const p = await createTopic('e');
    await createTopic('compacted', { 'cleanup.policy': 'compact' });
    await produce('e', [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    const follower = p.replicas.find((id) => id !== p.leader)!;
    const none = { lowWatermark: -1 };
    expect(await deleteOne(p.leader, 'e', 0, 4)).toMatchObject({ ...none, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE });
    expect(await deleteOne(p.leader, 'e', 0, -2)).toMatchObject({ ...none, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE });
    expect(await deleteOne(follower, 'e', 0, 1)).toMatchObject({ ...none, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
    expect(await deleteOne(state('compacted').leader, 'compacted', 0, 0)).toMatchObject({ ...none, errorCode: ErrorCode.POLICY_VIOLATION });
    const mixed = await deleteRecords(p.leader, [
      { name: 'missing', partitions: [[0, 1]] },
      { name: 'e', partitions: [[7, 1], [0, 2], [0, 2]] },
    ]);
    expect(mixed).toEqual([
      { name: 'missing', partitions: [{ partitionIndex: 0, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
      {
        name: 'e',
        partitions: [
          { partitionIndex: 7, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
          { partitionIndex: 0, lowWatermark: 2, errorCode: 0 },
        ],
      },
    ]);
  });

  it('answers REQUEST_TIMED_OUT when a live follower does not move its log start in time; the leader has moved', async () => {
    engine = await startEngine(startOptions());
    const p = await createTopic('t');
    await produce('t', [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    await until(() => p.replicas.every((id) => replica(id, 't').highWatermark === 3), 'followers to learn the high watermark');
    // One follower stops fetching (it stays registered and in the ISR for replica.lag.time.max.ms).
    const stalled = p.replicas.find((id) => id !== p.leader)!;
    const fetchers = (engine.broker(stalled) as unknown as { fetchers: Map<number, ReplicaFetcher> }).fetchers;
    for (const f of fetchers.values()) await f.stop();
    expect(await deleteOne(p.leader, 't', 0, 2, 300)).toEqual({ partitionIndex: 0, lowWatermark: 0, errorCode: ErrorCode.REQUEST_TIMED_OUT });
    expect(replica(p.leader, 't').logStartOffset).toBe(2);
    expect(replica(stalled, 't').logStartOffset).toBe(0);
    // Once that broker is gone, it no longer holds the low watermark back.
    await engine.killBroker(stalled);
    expect(await deleteOne(p.leader, 't', 0, 3)).toMatchObject({ errorCode: 0, lowWatermark: 3 });
  });
});

describe('retention in the background', () => {
  it('every log.retention.check.interval.ms, on leaders and followers: old segments go and the log start moves', async () => {
    engine = await startEngine(startOptions({ 'log.retention.check.interval.ms': '100' }));
    const p = await createTopic('r', { 'segment.bytes': String(1024 * 1024) });
    // ~3.2 MiB an hour old, then one fresh record: with retention.ms = 10 min only the old segments expire.
    const old = Date.now() - 3_600_000;
    const filler = Buffer.alloc(100 * 1024, 1);
    for (let i = 0; i < 32; i++) await produce('r', [{ value: filler, timestamp: old }]);
    const last = await produce('r', [{ value: 'fresh' }]);
    await until(() => p.replicas.every((id) => replica(id, 'r').highWatermark === last.baseOffset + 1), 'followers to catch up');
    for (const id of p.replicas) {
      expect(replica(id, 'r').log.segments.length, `segments on broker ${id}`).toBeGreaterThan(2);
      expect(replica(id, 'r').logStartOffset).toBe(0);
    }

    const c = await connect(1);
    const res = await c.request(INCREMENTAL_ALTER_CONFIGS, 1, {
      resources: [{ resourceType: 2, resourceName: 'r', configs: [{ name: 'retention.ms', configOperation: 0, value: '600000' }] }],
      validateOnly: false,
    });
    expect(res.responses[0].errorCode).toBe(0);
    await until(() => p.replicas.every((id) => replica(id, 'r').logStartOffset > 0), 'retention to run on every replica');
    for (const id of p.replicas) {
      const r = replica(id, 'r');
      // The fresh record is kept; everything the first segments held is gone from disk.
      expect(r.logStartOffset, `broker ${id}`).toBeLessThanOrEqual(last.baseOffset);
      expect(r.logStartOffset).toBe(r.log.segments[0].baseOffset);
      expect(r.log.size).toBeLessThan(2 * 1024 * 1024);
    }
  });
});
