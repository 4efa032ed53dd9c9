// Interop: kafkajs 2.2.4 consumer groups against an in-process Eddy cluster (3 brokers): three
// consumers share a 6-partition topic, every record is read exactly once, and the committed offsets
// are still there, read with kafkajs' admin, after the whole cluster restarts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, Partitioners, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { startEngine, type Engine } from '../../src/engine/runtime/engine.js';

const TOPIC = 'orders';
const GROUP = 'order-processors';
const PARTITIONS = 6;
const RECORDS = 600;

let dataDir: string;
let engine: Engine | undefined;
const consumers: Consumer[] = [];

function kafka(e: Engine): Kafka {
  return new Kafka({
    clientId: 'eddy-groups-interop',
    brokers: e.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 8 },
  });
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function start(): Promise<Engine> {
  engine = await startEngine({ dataDir, brokers: 3, host: '127.0.0.1', basePort: 0 });
  return engine;
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-groups-kafkajs-'));
});

afterEach(async () => {
  for (const c of consumers.splice(0)) await c.disconnect().catch(() => undefined);
  await engine?.stop();
  engine = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('kafkajs consumer groups ↔ eddy', () => {
  it('shares a topic among three consumers and keeps their offsets across a restart', async () => {
    let e = await start();
    const client = kafka(e);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }],
      waitForLeaders: true,
    });

    // Three members; each remembers its latest assignment and what it read.
    const assignments: number[][] = [[], [], []];
    const seen: { member: number; partition: number; offset: string; value: string }[] = [];
    for (let i = 0; i < 3; i++) {
      // kafkajs heartbeats between fetches: short long-polls keep rebalances and shutdown quick.
      const consumer = client.consumer({
        groupId: GROUP,
        sessionTimeout: 10_000,
        heartbeatInterval: 500,
        rebalanceTimeout: 20_000,
        maxWaitTimeInMs: 500,
      });
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        assignments[i] = [...(event.payload.memberAssignment[TOPIC] ?? [])];
      });
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }: EachMessagePayload) => {
          seen.push({ member: i, partition, offset: message.offset, value: message.value!.toString() });
        },
      });
    }
    // Produce only once the group has settled with every partition owned by exactly one member.
    await until(() => {
      const all = assignments.flat().sort((a, b) => a - b);
      return (
        assignments.every((a) => a.length > 0) && all.length === PARTITIONS && all.every((p, i) => p === i)
      );
    }, 'three members to share the six partitions');

    const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const values = Array.from({ length: RECORDS }, (_, i) => `order-${i}`);
    for (let i = 0; i < RECORDS; i += 100) {
      await producer.send({
        topic: TOPIC,
        messages: values.slice(i, i + 100).map((value, j) => ({ key: `customer-${(i + j) % 37}`, value })),
      });
    }
    await producer.disconnect();

    await until(() => seen.length >= RECORDS, `${RECORDS} records to be consumed`);
    await new Promise((r) => setTimeout(r, 1000)); // room for duplicates to show up
    expect(seen).toHaveLength(RECORDS);
    expect(new Set(seen.map((s) => s.value))).toEqual(new Set(values));
    // Each partition was read by one member only: the one it was assigned to.
    for (const s of seen) expect(assignments[s.member]).toContain(s.partition);

    const endOffsets = new Map((await admin.fetchTopicOffsets(TOPIC)).map((p) => [p.partition, p.high]));
    const committed = async () =>
      new Map(
        (await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))[0].partitions.map(
          (p) => [p.partition, p.offset] as [number, string],
        ),
      );
    await until(
      async () => [...(await committed())].every(([p, o]) => o === endOffsets.get(p)),
      'the consumers to commit everything',
    );

    // Clean shutdown: the members leave, the group is empty; then the whole cluster restarts.
    await Promise.all(consumers.splice(0).map((c) => c.disconnect()));
    const described = await admin.describeGroups([GROUP]);
    expect(described.groups[0]).toMatchObject({ groupId: GROUP, state: 'Empty', protocolType: 'consumer' });
    await admin.disconnect();
    await e.stop();

    e = await start();
    const after = kafka(e).admin();
    await after.connect();
    try {
      const offsets = (await after.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))[0].partitions;
      expect(offsets.map((p) => [p.partition, p.offset]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(
        [...endOffsets].sort((a, b) => a[0] - b[0]),
      );
      expect((await after.listGroups()).groups).toContainEqual({ groupId: GROUP, protocolType: 'consumer' });
      await after.deleteGroups([GROUP]);
      const gone = (await after.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))[0].partitions;
      expect(gone.every((p) => p.offset === '-1')).toBe(true);
    } finally {
      await after.disconnect();
    }
  });
});
