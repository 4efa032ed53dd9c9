import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { buildBatch, decodeBatches } from '../../../src/engine/protocol/records/index.js';
import { ErrorCode } from '../../../src/engine/protocol/errors.js';
import { RawClient } from '../../helpers/raw-client.js';
import { until } from '../../helpers/until.js';


let dataDir: string;
let engine: Engine;
const clients: RawClient[] = [];

async function connect(brokerId: number): Promise<RawClient> {
  const c = await RawClient.connect(engine.broker(brokerId)!.port);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-cluster-'));
  engine = await startEngine({
    dataDir,
    brokers: 3,
    host: '127.0.0.1',
    basePort: 0,
    overrides: { 'replica.lag.time.max.ms': '2000', 'leader.imbalance.check.interval.ms': '200' },
  });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await engine.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function createReplicatedTopic(name: string, partitions = 1, minIsr = '2') {
  const c = await connect(engine.brokers[0].nodeId);
  const res = await c.request(19, 7, {
    topics: [
      {
        name,
        numPartitions: partitions,
        replicationFactor: 3,
        assignments: [],
        configs: [{ name: 'min.insync.replicas', value: minIsr }],
      },
    ],
    timeoutMs: 5000,
  });
  expect(res.topics[0].errorCode).toBe(0);
  const state = () => engine.controller.image.topic(name)!.partitions;
  // Every replica has opened its log and knows its role.
  await until(
    () => state().every((p) => p.replicas.every((id) => engine.broker(id)?.replicas.get(name, p.partition)?.leaderEpoch === p.leaderEpoch)),
    'replicas to learn their roles',
  );
  return state;
}

async function produceTo(topic: string, partition: number, values: string[], acks = -1) {
  const leaderId = engine.controller.image.topic(topic)!.partitions[partition].leader;
  const c = await connect(leaderId);
  const res = await c.request(0, 9, {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [
      {
        name: topic,
        partitionData: [
          {
            index: partition,
            records: buildBatch({ records: values.map((v) => ({ key: null, value: Buffer.from(v), headers: [], timestamp: Date.now() })) }),
          },
        ],
      },
    ],
  });
  return res.responses[0].partitionResponses[0];
}

function logValues(brokerId: number, topic: string, partition: number): string[] {
  const p = engine.broker(brokerId)!.replicas.get(topic, partition)!;
  const { records } = p.log.read(p.logStartOffset, 64 * 1024 * 1024, { maxOffset: p.logEndOffset });
  return decodeBatches(records).flatMap((b) => b.records.map((r) => r.value!.toString()));
}

describe('replication', () => {
  it('copies acks=all writes to every ISR member before answering, and advances the high watermark', async () => {
    const state = await createReplicatedTopic('r');
    const [p] = state();
    expect(p.replicas).toHaveLength(3);
    expect(p.isr).toHaveLength(3);
    const r = await produceTo('r', 0, ['a', 'b', 'c']);
    expect(r).toMatchObject({ errorCode: 0, baseOffset: 0 });
    const leader = engine.broker(p.leader)!.replicas.get('r', 0)!;
    expect(leader.highWatermark).toBe(3);
    for (const id of p.replicas) expect(logValues(id, 'r', 0)).toEqual(['a', 'b', 'c']);
    // Followers learn the high watermark on their next fetch.
    await until(() => p.replicas.every((id) => engine.broker(id)!.replicas.get('r', 0)!.highWatermark === 3), 'followers to learn the HW');
  });

  it('fails over when the leader is killed, keeps every acknowledged record, and refuses acks=all below min.insync.replicas', async () => {
    const state = await createReplicatedTopic('f');
    const first = state()[0].leader;
    expect((await produceTo('f', 0, ['1', '2'])).errorCode).toBe(0);

    await engine.killBroker(first);
    const second = state()[0].leader;
    expect(second).not.toBe(first);
    expect(second).not.toBe(-1);
    expect(state()[0].isr).not.toContain(first);
    await until(() => engine.broker(second)!.replicas.get('f', 0)!.isLeader, 'the new leader to take over');
    expect((await produceTo('f', 0, ['3'])).errorCode).toBe(0);
    expect(logValues(second, 'f', 0)).toEqual(['1', '2', '3']);

    await engine.killBroker(second);
    const third = state()[0].leader;
    expect(state()[0].isr).toEqual([third]);
    await until(() => engine.broker(third)!.replicas.get('f', 0)!.isLeader, 'the last replica to lead');
    const refused = await produceTo('f', 0, ['4']);
    expect(refused.errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
    expect((await produceTo('f', 0, ['4'], 1)).errorCode).toBe(0); // acks=1 still works

    // A killed broker comes back, catches up from the leader and rejoins the ISR: acks=all works again.
    await engine.startBroker(first);
    await until(() => state()[0].isr.includes(first), 'the restarted broker to rejoin the ISR');
    expect((await produceTo('f', 0, ['5'])).errorCode).toBe(0);
    expect(logValues(first, 'f', 0)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('moves leadership away on a controlled shutdown and gives it back to the preferred replica on return', async () => {
    const state = await createReplicatedTopic('s', 3);
    const preferred = state().map((p) => p.replicas[0]);
    expect(state().map((p) => p.leader)).toEqual(preferred);
    const victim = preferred[0];
    await engine.stopBroker(victim);
    expect(state().every((p) => p.leader !== victim && p.leader !== -1)).toBe(true);
    await engine.startBroker(victim);
    await until(() => state().every((p, i) => p.leader === preferred[i]), 'preferred leaders to be restored');
    await until(() => state().every((p) => p.isr.length === 3), 'the ISR to be whole again');
  });

  it('truncates a replica whose unacknowledged tail diverged from a new (unclean) leader', async () => {
    const c = await connect(engine.brokers[0].nodeId);
    await c.request(19, 7, {
      topics: [
        {
          name: 'd',
          numPartitions: 1,
          replicationFactor: 3,
          assignments: [],
          configs: [{ name: 'unclean.leader.election.enable', value: 'true' }],
        },
      ],
      timeoutMs: 5000,
    });
    const state = () => engine.controller.image.topic('d')!.partitions;
    await until(() => state()[0].replicas.every((id) => engine.broker(id)?.replicas.get('d', 0)?.leaderEpoch === state()[0].leaderEpoch), 'roles');
    const old = state()[0].leader;
    expect((await produceTo('d', 0, ['x', 'y'])).errorCode).toBe(0);
    const [a, b] = state()[0].replicas.filter((id) => id !== old);
    await engine.killBroker(a);
    await engine.killBroker(b);
    // Written to the old leader alone (acks=1): never acknowledged by an ISR of more than one.
    expect((await produceTo('d', 0, ['lost-1', 'lost-2'], 1)).errorCode).toBe(0);
    await engine.killBroker(old);
    // An out-of-sync replica may lead because the topic allows unclean election; it writes its own tail.
    await engine.startBroker(a);
    await until(() => state()[0].leader === a, 'the unclean leader');
    await until(() => engine.broker(a)!.replicas.get('d', 0)!.isLeader, 'the unclean leader to take over');
    expect((await produceTo('d', 0, ['new'], 1)).errorCode).toBe(0);
    // The old leader returns as a follower: its diverged tail is cut and replaced by the leader's.
    await engine.startBroker(old);
    await until(() => logValues(old, 'd', 0).join() === 'x,y,new', 'the old leader to truncate and catch up');
    expect(logValues(a, 'd', 0)).toEqual(['x', 'y', 'new']);
  });
});

describe('ISR changes after a kill', () => {
  it('writes no metadata records while a killed follower stays down', async () => {
    const c = await connect(engine.brokers[0].nodeId);
    await c.request(19, 7, {
      topics: [{ name: 'quiet', numPartitions: 6, replicationFactor: 3, assignments: [], configs: [] }],
      timeoutMs: 5000,
    });
    const state = () => engine.controller.image.topic('quiet')!.partitions;
    await until(() => state().every((p) => p.replicas.every((id) => engine.broker(id)?.replicas.get('quiet', p.partition)?.leaderEpoch === p.leaderEpoch)), 'roles');
    const victim = state()[0].replicas.find((id) => id !== state()[0].leader)!;
    await engine.killBroker(victim);
    await until(() => state().every((p) => !p.isr.includes(victim)), 'the victim to leave every ISR');
    let records = 0;
    const count = (rs: unknown[]) => (records += rs.length);
    engine.controller.on('records', count);
    // Followers keep fetching; leaders must not keep proposing the dead broker back.
    const started = engine.controller.image.offset;
    await new Promise((r) => setTimeout(r, 1500));
    engine.controller.off('records', count);
    expect(records, `records written meanwhile (image offset ${started} → ${engine.controller.image.offset})`).toBe(0);
  });
});

describe('a leader that wrote nothing at its epoch', () => {
  it('follows the next leader again instead of being told to truncate forever', async () => {
    const c = await connect(engine.brokers[0].nodeId);
    await c.request(19, 7, {
      topics: [{ name: 'idle', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }],
      timeoutMs: 5000,
    });
    const state = () => engine.controller.image.topic('idle')!.partitions[0];
    await until(() => state().replicas.every((id) => engine.broker(id)?.replicas.get('idle', 0)?.leaderEpoch === state().leaderEpoch), 'roles');
    expect((await produceTo('idle', 0, ['a', 'b'])).errorCode).toBe(0);
    const [preferred, second, third] = state().replicas;
    // The second replica leads alone for a while and writes nothing at its epoch.
    await engine.killBroker(preferred);
    await engine.killBroker(third);
    await until(() => state().leader === second && engine.broker(second)!.replicas.get('idle', 0)!.isLeader, 'the second replica to lead');
    await engine.startBroker(preferred);
    await engine.startBroker(third);
    await until(() => state().leader === preferred && state().isr.length === 3, 'the preferred leader back with a full ISR');
    // Every replica keeps following: an acks=all write completes at once and reaches all three.
    const started = Date.now();
    expect((await produceTo('idle', 0, ['c'])).errorCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    for (const id of [preferred, second, third]) {
      await until(() => logValues(id, 'idle', 0).join() === 'a,b,c', `broker ${id} to hold every record`);
    }
  });
});
