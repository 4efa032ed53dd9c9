import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { buildBatch } from '../../../src/engine/protocol/records/index.js';
import { ErrorCode } from '../../../src/engine/protocol/errors.js';
import { RawClient } from '../../helpers/raw-client.js';
import { until } from '../../helpers/until.js';


let dataDir: string;
let engine: Engine;
let client: RawClient;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-admin-'));
  engine = await startEngine({
    dataDir,
    brokers: 3,
    host: '127.0.0.1',
    basePort: 0,
    overrides: { 'auto.leader.rebalance.enable': 'false' },
  });
  client = await RawClient.connect(engine.brokers[0].port);
});

afterEach(async () => {
  client.close();
  await engine.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const topicState = (name: string) => engine.controller.image.topic(name)!.partitions;

async function create(name: string, partitions: number, rf: number, assignments: { partitionIndex: number; brokerIds: number[] }[] = []) {
  const res = await client.request(19, 7, {
    topics: [{ name, numPartitions: assignments.length ? -1 : partitions, replicationFactor: assignments.length ? -1 : rf, assignments, configs: [] }],
    timeoutMs: 5000,
  });
  expect(res.topics[0].errorCode).toBe(0);
  await until(
    () => topicState(name).every((p) => p.replicas.every((id) => engine.broker(id)?.replicas.get(name, p.partition)?.leaderEpoch === p.leaderEpoch)),
    'replicas to know their roles',
  );
}

async function produce(name: string, partition: number, values: string[]) {
  const leader = topicState(name)[partition].leader;
  const c = await RawClient.connect(engine.broker(leader)!.port);
  const res = await c.request(0, 9, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topicData: [
      {
        name,
        partitionData: [{ index: partition, records: buildBatch({ records: values.map((v) => ({ key: null, value: v, headers: [], timestamp: Date.now() })) }) }],
      },
    ],
  });
  c.close();
  return res.responses[0].partitionResponses[0];
}

describe('cluster admin APIs', () => {
  it('OffsetForLeaderEpoch answers where each epoch ended, across a leader change', async () => {
    await create('e', 1, 3);
    expect((await produce('e', 0, ['a', 'b'])).errorCode).toBe(0);
    const first = { ...topicState('e')[0] }; // a copy: the image changes in place
    await engine.stopBroker(first.leader);
    const second = { ...topicState('e')[0] };
    await until(() => engine.broker(second.leader)!.replicas.get('e', 0)!.isLeader, 'the new leader');
    expect((await produce('e', 0, ['c'])).errorCode).toBe(0);
    const c = await RawClient.connect(engine.broker(second.leader)!.port);
    const res = await c.request(23, 4, {
      replicaId: -1,
      topics: [
        {
          topic: 'e',
          partitions: [
            { partition: 0, currentLeaderEpoch: second.leaderEpoch, leaderEpoch: first.leaderEpoch },
            { partition: 0, currentLeaderEpoch: second.leaderEpoch, leaderEpoch: second.leaderEpoch },
            { partition: 0, currentLeaderEpoch: first.leaderEpoch, leaderEpoch: 0 },
          ],
        },
      ],
    });
    c.close();
    const [old, current, fenced] = res.topics[0].partitions;
    expect(old).toMatchObject({ errorCode: 0, leaderEpoch: first.leaderEpoch, endOffset: 2 });
    expect(current).toMatchObject({ errorCode: 0, leaderEpoch: second.leaderEpoch, endOffset: 3 });
    expect(fenced.errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH);
  });

  it('ElectLeaders gives leadership back to the preferred replica', async () => {
    await create('p', 1, 3);
    const preferred = topicState('p')[0].replicas[0];
    await engine.stopBroker(preferred);
    await engine.startBroker(preferred);
    await until(() => topicState('p')[0].isr.includes(preferred), 'the preferred replica to rejoin the ISR');
    expect(topicState('p')[0].leader).not.toBe(preferred);
    const res = await RawClient.connect(engine.brokers[0].port).then(async (c) => {
      const r = await c.request(43, 2, { electionType: 0, topicPartitions: [{ topic: 'p', partitions: [0] }], timeoutMs: 5000 });
      c.close();
      return r;
    });
    expect(res.replicaElectionResults[0].partitionResult[0]).toMatchObject({ partitionId: 0, errorCode: 0 });
    expect(topicState('p')[0].leader).toBe(preferred);
    const fresh = await RawClient.connect(engine.broker(preferred)!.port);
    const again = await fresh.request(43, 2, { electionType: 0, topicPartitions: [{ topic: 'p', partitions: [0] }], timeoutMs: 5000 });
    fresh.close();
    expect(again.replicaElectionResults[0].partitionResult[0].errorCode).toBe(ErrorCode.ELECTION_NOT_NEEDED);
  });

  it('CreatePartitions grows a topic and refuses to shrink it', async () => {
    await create('g', 2, 2);
    const shrink = await client.request(37, 3, { topics: [{ name: 'g', count: 1, assignments: null }], timeoutMs: 5000, validateOnly: false });
    expect(shrink.results[0].errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    const grow = await client.request(37, 3, { topics: [{ name: 'g', count: 5, assignments: null }], timeoutMs: 5000, validateOnly: false });
    expect(grow.results[0].errorCode).toBe(0);
    expect(topicState('g')).toHaveLength(5);
    expect(topicState('g').every((p) => p.replicas.length === 2)).toBe(true);
    await until(() => topicState('g').every((p) => engine.broker(p.leader)?.replicas.get('g', p.partition)?.isLeader === true), 'new partitions to have leaders');
  });

  it('moves a partition to other brokers with AlterPartitionReassignments and lists it while it moves', async () => {
    await create('m', 1, 1, [{ partitionIndex: 0, brokerIds: [1, 2] }]);
    expect((await produce('m', 0, ['1', '2', '3'])).errorCode).toBe(0);
    const res = await client.request(45, 0, { timeoutMs: 5000, topics: [{ name: 'm', partitions: [{ partitionIndex: 0, replicas: [2, 3] }] }] });
    expect(res.responses[0].partitions[0].errorCode).toBe(0);
    await until(() => topicState('m')[0].replicas.join() === '2,3', 'the reassignment to complete');
    expect(topicState('m')[0].leader).toBe(2);
    expect(topicState('m')[0].isr.sort()).toEqual([2, 3]);
    await until(() => engine.broker(3)!.replicas.get('m', 0)?.logEndOffset === 3, 'broker 3 to hold the data');
    await until(() => engine.broker(1)!.replicas.get('m', 0) === undefined, 'broker 1 to drop its replica');
    const list = await client.request(46, 0, { timeoutMs: 5000, topics: null });
    expect(list.topics).toEqual([]);
    const cancel = await client.request(45, 0, { timeoutMs: 5000, topics: [{ name: 'm', partitions: [{ partitionIndex: 0, replicas: null }] }] });
    expect(cancel.responses[0].partitions[0].errorCode).toBe(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
  });

  it('DescribeLogDirs and DescribeProducers report what each broker holds', async () => {
    await create('l', 1, 3);
    const leader = topicState('l')[0].leader;
    const c = await RawClient.connect(engine.broker(leader)!.port);
    const init = await c.request(22, 4, { transactionalId: null, transactionTimeoutMs: 60000, producerId: -1, producerEpoch: -1 });
    const batch = buildBatch({ records: [{ key: null, value: 'x', headers: [], timestamp: Date.now() }], producerId: init.producerId, producerEpoch: 0, baseSequence: 0 });
    await c.request(0, 9, { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: 'l', partitionData: [{ index: 0, records: batch }] }] });
    const dirs = await c.request(35, 4, { topics: null });
    const part = dirs.results[0].topics.find((t: any) => t.name === 'l').partitions[0];
    expect(part.partitionSize).toBeGreaterThan(0);
    const producers = await c.request(61, 0, { topics: [{ name: 'l', partitionIndexes: [0] }] });
    expect(producers.topics[0].partitions[0].activeProducers[0]).toMatchObject({ producerId: init.producerId, producerEpoch: 0, lastSequence: 0 });
    c.close();
  });
});
