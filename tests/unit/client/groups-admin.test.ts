// Eddy's group admin client (GroupAdmin, describeGroupOffsets, resetGroupOffsets) against an
// in-process 3-broker engine, the engine's 'reset-offsets' control command, and the observer's lag
// agreeing with what the client computes (the numbers `eddy groups describe` prints).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { startControlServer, sendControlCommand } from '../../../src/engine/runtime/control-server.js';
import {
  Admin,
  ErrorCode,
  GroupAdmin,
  Producer,
  decodeAssignment,
  decodeSubscription,
  describeGroupOffsets,
  resetGroupOffsets,
} from '../../../src/engine/client/index.js';
import type { GroupLag } from '../../../src/engine/observe/events.js';

let dataDir: string;
let engine: Engine;
let groups: GroupAdmin;
let control: { close(): Promise<void> };
const TOPIC = 'orders';

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-groups-admin-'));
  engine = await startEngine({
    dataDir,
    brokers: 3,
    host: '127.0.0.1',
    basePort: 0,
    overrides: { 'offsets.topic.num.partitions': '6' },
  });
  control = await startControlServer(engine, dataDir);
  const admin = new Admin({ bootstrap: engine.bootstrap });
  const [created] = await admin.createTopics([{ name: TOPIC, numPartitions: 3, replicationFactor: 3 }]);
  expect(created.error).toBeNull();
  await admin.close();
  const producer = new Producer({ bootstrap: engine.bootstrap }, { acks: -1 });
  // 10, 20 and 30 records in partitions 0, 1, 2; timestamps 1000 ms apart per partition.
  for (let p = 0; p < 3; p++) {
    for (let i = 0; i < 10 * (p + 1); i++) {
      await producer.send({ topic: TOPIC, partition: p, value: `v${i}`, timestamp: 1_000_000 + i * 1000 });
    }
  }
  await producer.close();
  groups = new GroupAdmin({ bootstrap: engine.bootstrap });
});

afterAll(async () => {
  await groups?.close();
  await control?.close();
  await engine?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('GroupAdmin ↔ eddy', () => {
  it('commits, lists, describes and fetches the offsets of an offsets-only group', async () => {
    const results = await groups.alterOffsets('billing', [
      { topic: TOPIC, partition: 0, offset: 3 },
      { topic: TOPIC, partition: 1, offset: 20 },
      { topic: TOPIC, partition: 2, offset: 0, metadata: 'm' },
    ]);
    expect(results.map((r) => r.error)).toEqual([null, null, null]);

    const coordinator = await groups.findCoordinator('billing');
    expect(engine.brokerStates().map((b) => b.id)).toContain(coordinator.nodeId);

    expect(await groups.listGroups({ states: ['empty'] })).toContainEqual({
      groupId: 'billing',
      protocolType: '',
      state: 'Empty',
      type: 'classic',
      coordinator: coordinator.nodeId,
    });
    expect((await groups.listGroups({ states: ['Stable'] })).map((g) => g.groupId)).not.toContain('billing');

    const [billing, nope] = await groups.describeGroups(['billing', 'nope']);
    expect(billing).toMatchObject({ groupId: 'billing', state: 'Empty', members: [], error: null });
    expect(billing.coordinator).toEqual(coordinator);
    expect(nope).toMatchObject({ groupId: 'nope', state: 'Dead', error: null });

    expect(await groups.fetchOffsets('billing')).toEqual([
      { topic: TOPIC, partition: 0, offset: 3, leaderEpoch: -1, metadata: '' },
      { topic: TOPIC, partition: 1, offset: 20, leaderEpoch: -1, metadata: '' },
      { topic: TOPIC, partition: 2, offset: 0, leaderEpoch: -1, metadata: 'm' },
    ]);
    expect(await groups.fetchOffsets('billing', [{ topic: TOPIC, partitions: [1] }])).toHaveLength(1);
  });

  it('describes lag as kafka-consumer-groups does, and the observer reports the same lag', async () => {
    const view = await describeGroupOffsets(groups, 'billing');
    expect(view.exists).toBe(true);
    expect(view.rows.map((r) => [r.partition, r.currentOffset, r.logEndOffset, r.lag, r.consumerId])).toEqual(
      [
        [0, 3, 10, 7, null],
        [1, 20, 20, 0, null],
        [2, 0, 30, 30, null],
      ],
    );
    const matches = (lag: GroupLag[]) => {
      const g = lag.find((x) => x.groupId === 'billing');
      return (
        g !== undefined &&
        JSON.stringify(g.partitions.map((p) => [p.partition, p.committedOffset, p.logEndOffset, p.lag])) ===
          JSON.stringify(view.rows.map((r) => [r.partition, r.currentOffset, r.logEndOffset, r.lag]))
      );
    };
    // Statistics arrive about once a second; 'lag' fires when they change the answer.
    if (!matches(engine.observer.groupLag())) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching lag: ${JSON.stringify(engine.observer.groupLag())}`)),
          10_000,
        );
        const onLag = (lag: GroupLag[]) => {
          if (!matches(lag)) return;
          clearTimeout(timer);
          engine.observer.off('lag', onLag);
          resolve();
        };
        engine.observer.on('lag', onLag);
      });
    }
    const [g] = engine.observer.groupLag('billing');
    expect(g).toMatchObject({ state: 'Empty', protocolType: '', members: 0, totalLag: 37 });
    expect(g.coordinator).toBe((await groups.findCoordinator('billing')).nodeId);
  });

  it('resets offsets: previews by default, clamps into the log, finds offsets by time', async () => {
    const preview = await resetGroupOffsets(groups, 'billing', { to: 'earliest' }, { allTopics: true });
    expect(preview.executed).toBe(false);
    expect(preview.offsets.map((o) => o.offset)).toEqual([0, 0, 0]);
    expect((await groups.fetchOffsets('billing')).map((o) => o.offset)).toEqual([3, 20, 0]);

    const shifted = await resetGroupOffsets(
      groups,
      'billing',
      { to: 'shift-by', shift: 5 },
      { topics: [{ topic: TOPIC }] },
      { execute: true },
    );
    expect(shifted.offsets.map((o) => o.offset)).toEqual([8, 20, 5]);
    expect(shifted.notes).toHaveLength(1); // partition 1: 25 is past the log end, 20
    expect((await groups.fetchOffsets('billing')).map((o) => o.offset)).toEqual([8, 20, 5]);

    const byTime = await resetGroupOffsets(
      groups,
      'billing',
      { to: 'datetime', timestamp: 1_000_000 + 14_500 },
      { topics: [{ topic: TOPIC, partitions: [0, 2] }] },
    );
    // Partition 0 has timestamps up to +9 s: nothing at/after +14.5 s, so its log end.
    expect(byTime.offsets).toEqual([
      { topic: TOPIC, partition: 0, offset: 10 },
      { topic: TOPIC, partition: 2, offset: 15 },
    ]);

    await expect(
      resetGroupOffsets(groups, 'billing', { to: 'latest' }, { topics: [{ topic: TOPIC, partitions: [7] }] }),
    ).rejects.toThrow(/orders-7" do not exist/);
    await expect(
      resetGroupOffsets(groups, 'fresh', { to: 'shift-by', shift: 1 }, { topics: [{ topic: TOPIC }] }),
    ).rejects.toThrow(/no current committed offset/);
    // A group that does not exist yet can be reset (Kafka allows it): it then exists, Empty.
    await resetGroupOffsets(
      groups,
      'fresh',
      { to: 'offset', offset: 4 },
      { topics: [{ topic: TOPIC, partitions: [1] }] },
      { execute: true },
    );
    expect(await groups.fetchOffsets('fresh')).toMatchObject([{ partition: 1, offset: 4 }]);
  });

  it("resets through the engine's control socket", async () => {
    const answer = await sendControlCommand(dataDir, {
      command: 'reset-offsets',
      group: 'billing',
      spec: { to: 'latest' },
      topics: [{ topic: TOPIC }],
      execute: true,
    });
    expect(answer).toMatchObject({
      ok: true,
      executed: true,
      offsets: [
        { topic: TOPIC, partition: 0, offset: 10 },
        { topic: TOPIC, partition: 1, offset: 20 },
        { topic: TOPIC, partition: 2, offset: 30 },
      ],
    });
    expect((await groups.fetchOffsets('billing')).map((o) => o.offset)).toEqual([10, 20, 30]);
    const bad = await sendControlCommand(dataDir, {
      command: 'reset-offsets',
      group: 'billing',
      spec: { to: 'somewhere' },
    } as never);
    expect(bad).toMatchObject({ ok: false });
    expect(bad.error).toMatch(/spec\.to must be one of/);
  });

  it('deletes offsets and groups', async () => {
    const deleted = await groups.deleteOffsets('billing', [{ topic: TOPIC, partition: 2 }]);
    expect(deleted).toEqual([{ topic: TOPIC, partition: 2, error: null }]);
    expect((await groups.fetchOffsets('billing')).map((o) => o.partition)).toEqual([0, 1]);
    await expect(groups.deleteOffsets('nope', [{ topic: TOPIC, partition: 0 }])).rejects.toMatchObject({
      code: ErrorCode.GROUP_ID_NOT_FOUND,
    });

    const results = await groups.deleteGroups(['billing', 'fresh', 'nope']);
    expect(results.map((r) => [r.groupId, r.error?.code ?? 0])).toEqual([
      ['billing', 0],
      ['fresh', 0],
      ['nope', ErrorCode.GROUP_ID_NOT_FOUND],
    ]);
    const [billing] = await groups.describeGroups(['billing']);
    expect(billing.state).toBe('Dead');
    expect(await groups.fetchOffsets('billing')).toEqual([]);
  });
});

describe('consumer protocol decoding', () => {
  const str = (s: string) => {
    const b = Buffer.alloc(2 + Buffer.byteLength(s));
    b.writeInt16BE(Buffer.byteLength(s));
    b.write(s, 2);
    return b;
  };
  const i16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
  const i32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };

  it('reads subscriptions v0 and v3 and assignments', () => {
    const v0 = Buffer.concat([i16(0), i32(2), str('a'), str('b'), i32(-1)]);
    expect(decodeSubscription(v0)).toEqual({
      version: 0,
      topics: ['a', 'b'],
      userData: null,
      ownedPartitions: [],
      generationId: -1,
      rackId: null,
    });
    const v3 = Buffer.concat([
      i16(3),
      i32(1),
      str('a'),
      i32(1),
      Buffer.from([7]),
      i32(1),
      str('a'),
      i32(2),
      i32(0),
      i32(4),
      i32(12),
      str('r1'),
    ]);
    expect(decodeSubscription(v3)).toEqual({
      version: 3,
      topics: ['a'],
      userData: Buffer.from([7]),
      ownedPartitions: [{ topic: 'a', partitions: [0, 4] }],
      generationId: 12,
      rackId: 'r1',
    });
    const assignment = Buffer.concat([i16(1), i32(1), str('a'), i32(2), i32(1), i32(3), i32(-1)]);
    expect(decodeAssignment(assignment)).toEqual({
      version: 1,
      partitions: [{ topic: 'a', partitions: [1, 3] }],
      userData: null,
    });
    expect(decodeAssignment(Buffer.alloc(0))).toBeNull();
    expect(decodeSubscription(Buffer.from([0, 0, 0, 0, 0, 9]))).toBeNull();
  });
});
