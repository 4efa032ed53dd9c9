import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { ErrorCode } from '../../../src/engine/protocol/errors.js';
import { OFFSETS_TOPIC, partitionForGroup } from '../../../src/engine/groups/placement.js';
import { RawClient } from '../../helpers/raw-client.js';
import { subscription } from './helpers.js';

const OFFSET_COMMIT = 8;
const OFFSET_FETCH = 9;
const FIND_COORDINATOR = 10;
const JOIN_GROUP = 11;
const HEARTBEAT = 12;
const LEAVE_GROUP = 13;
const SYNC_GROUP = 14;
const DESCRIBE_GROUPS = 15;
const LIST_GROUPS = 16;
const CREATE_TOPICS = 19;
const DELETE_GROUPS = 42;
const OFFSET_DELETE = 47;
const API_VERSIONS = 18;

let dataDir: string;
let engine: Engine;
const clients: RawClient[] = [];

async function start(brokers = 1, overrides: Record<string, string> = {}) {
  engine = await startEngine({
    dataDir,
    brokers,
    host: '127.0.0.1',
    basePort: 0,
    // A few offsets partitions keep the many engines of this file quick; one test uses Kafka's 50.
    overrides: { 'offsets.topic.num.partitions': '4', ...overrides },
  });
}

async function connect(brokerId = engine.brokers[0].nodeId): Promise<RawClient> {
  const c = await RawClient.connect(engine.broker(brokerId)!.port);
  clients.push(c);
  return c;
}

/** FindCoordinator, then a connection to the coordinator. */
async function coordinatorClient(groupId: string): Promise<RawClient> {
  const any = await connect();
  const found = await any.request(FIND_COORDINATOR, 3, { key: groupId, keyType: 0 });
  expect(found.errorCode).toBe(0);
  return connect(found.nodeId);
}

async function restart(overrides: Record<string, string> = {}) {
  for (const c of clients.splice(0)) c.close();
  await engine.stop();
  await start(1, overrides);
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-groups-'));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await engine?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function createTopic(name: string, numPartitions: number, replicationFactor = 1) {
  const c = await connect();
  const res = await c.request(CREATE_TOPICS, 7, {
    topics: [{ name, numPartitions, replicationFactor, assignments: [], configs: [] }],
    timeoutMs: 5000,
    validateOnly: false,
  });
  expect(res.topics[0].errorCode).toBe(0);
}

const protocols = (topics = ['t']) => [{ name: 'range', metadata: subscription(topics) }];

function join(
  c: RawClient,
  memberId: string,
  o: {
    version?: number;
    groupId?: string;
    sessionTimeoutMs?: number;
    groupInstanceId?: string | null;
    topics?: string[];
  } = {},
) {
  return c.request(
    JOIN_GROUP,
    o.version ?? 9,
    {
      groupId: o.groupId ?? 'g',
      sessionTimeoutMs: o.sessionTimeoutMs ?? 10_000,
      rebalanceTimeoutMs: 20_000,
      memberId,
      groupInstanceId: o.groupInstanceId ?? null,
      protocolType: 'consumer',
      protocols: protocols(o.topics),
      reason: null,
    },
    'client-a',
  );
}

/** JoinGroup the v4+ way: MEMBER_ID_REQUIRED, then again with the given id. */
async function joinNew(c: RawClient, o: Parameters<typeof join>[2] = {}) {
  const first = await join(c, '', o);
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  expect(first.memberId).toMatch(/^client-a-/);
  return join(c, first.memberId, o);
}

function sync(
  c: RawClient,
  generationId: number,
  memberId: string,
  assignments: { memberId: string; assignment: Buffer }[] = [],
  groupId = 'g',
) {
  return c.request(SYNC_GROUP, 5, {
    groupId,
    generationId,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments,
  });
}

function heartbeat(
  c: RawClient,
  generationId: number,
  memberId: string,
  groupInstanceId: string | null = null,
  groupId = 'g',
) {
  return c.request(HEARTBEAT, 4, { groupId, generationId, memberId, groupInstanceId });
}

function commit(
  c: RawClient,
  groupId: string,
  offsets: [topic: string, partition: number, offset: number][],
  generationId = -1,
  memberId = '',
  version = 8,
) {
  const byTopic = new Map<
    string,
    {
      partitionIndex: number;
      committedOffset: number;
      committedLeaderEpoch: number;
      committedMetadata: string;
    }[]
  >();
  for (const [t, p, o] of offsets) {
    const list = byTopic.get(t) ?? [];
    list.push({
      partitionIndex: p,
      committedOffset: o,
      committedLeaderEpoch: -1,
      committedMetadata: `meta-${o}`,
    });
    byTopic.set(t, list);
  }
  return c.request(OFFSET_COMMIT, version, {
    groupId,
    generationIdOrMemberEpoch: generationId,
    memberId,
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
  });
}

/** Resolves the promise's value, or 'pending' if it has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);
}

describe('FindCoordinator', () => {
  it('creates __consumer_offsets as Kafka does and answers batched keys with the partition leaders', async () => {
    await start(3, { 'offsets.topic.num.partitions': '50' });
    const c = await connect();
    const res = await c.request(FIND_COORDINATOR, 6, {
      keyType: 0,
      coordinatorKeys: ['g1', 'my-group', 'polygenelubricants'],
    });
    const topic = engine.brokers[0].image.topic(OFFSETS_TOPIC)!;
    expect(topic.partitions).toHaveLength(50);
    expect(topic.partitions[0].replicas).toHaveLength(3); // min(offsets.topic.replication.factor 3, live brokers)
    expect(Object.fromEntries(topic.configs)).toEqual({
      'cleanup.policy': 'compact',
      'compression.type': 'producer',
      'segment.bytes': '104857600',
    });
    expect(res.coordinators.map((x: any) => x.key)).toEqual(['g1', 'my-group', 'polygenelubricants']);
    for (const found of res.coordinators) {
      const leader = topic.partitions[partitionForGroup(found.key, 50)].leader;
      expect(found).toMatchObject({
        errorCode: 0,
        nodeId: leader,
        host: '127.0.0.1',
        port: engine.broker(leader)!.port,
      });
    }
    const txn = await c.request(FIND_COORDINATOR, 4, { keyType: 1, coordinatorKeys: ['my-txn'] });
    expect(txn.coordinators[0]).toMatchObject({
      key: 'my-txn',
      errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
      nodeId: -1,
    });
    const v0 = await c.request(FIND_COORDINATOR, 0, { key: 'my-group' });
    expect(v0).toMatchObject({ errorCode: 0, nodeId: res.coordinators[1].nodeId });
    expect((await c.request(FIND_COORDINATOR, 2, { key: 'my-group', keyType: 0 })).errorMessage).toBe('NONE');

    // Group requests sent elsewhere are refused.
    const other = [1, 2, 3].find((id) => id !== res.coordinators[1].nodeId)!;
    const wrong = await connect(other);
    expect((await join(wrong, '', { groupId: 'my-group' })).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(
      (
        await wrong.request(OFFSET_FETCH, 8, {
          groups: [{ groupId: 'my-group', topics: null }],
          requireStable: false,
        })
      ).groups[0].errorCode,
    ).toBe(ErrorCode.NOT_COORDINATOR);
  });

  it('advertises the group APIs with Kafka 4 version ranges', async () => {
    await start();
    const c = await connect();
    const res = await c.request(API_VERSIONS, 3, {
      clientSoftwareName: 'eddy-test',
      clientSoftwareVersion: '1',
    });
    const range = (k: number) => res.apiKeys.find((a: any) => a.apiKey === k);
    expect(
      [8, 9, 10, 11, 12, 13, 14, 15, 16, 42, 47].map((k) => [k, range(k)?.minVersion, range(k)?.maxVersion]),
    ).toEqual([
      [8, 2, 9],
      [9, 1, 9],
      [10, 0, 6],
      [11, 0, 9],
      [12, 0, 4],
      [13, 0, 5],
      [14, 0, 5],
      [15, 0, 5],
      [16, 0, 5],
      [42, 0, 2],
      [47, 0, 0],
    ]);
  });
});

describe('membership over the wire', () => {
  it('runs two members through join, sync, heartbeat, a rebalance and a leave', async () => {
    await start();
    const a = await coordinatorClient('g');
    const b = await connect(engine.brokers[0].nodeId);

    const aJoin = await joinNew(a);
    expect(aJoin).toMatchObject({
      errorCode: 0,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: aJoin.memberId,
      skipAssignment: false,
    });
    expect(aJoin.members).toEqual([
      { memberId: aJoin.memberId, groupInstanceId: null, metadata: subscription(['t']) },
    ]);
    expect(
      (await sync(a, 1, aJoin.memberId, [{ memberId: aJoin.memberId, assignment: Buffer.from('all') }]))
        .assignment,
    ).toEqual(Buffer.from('all'));
    expect((await heartbeat(a, 1, aJoin.memberId)).errorCode).toBe(0);

    // B joins: the group prepares a rebalance; A hears of it on its next heartbeat and rejoins.
    const bJoining = joinNew(b);
    expect(await within(bJoining, 200)).toBe('pending');
    expect((await heartbeat(a, 1, aJoin.memberId)).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const aRejoin = await join(a, aJoin.memberId);
    const bJoin = await bJoining;
    expect([aRejoin.generationId, bJoin.generationId]).toEqual([2, 2]);
    expect(aRejoin.members.map((m: any) => m.memberId)).toEqual([aJoin.memberId, bJoin.memberId]);
    expect(bJoin.members).toEqual([]);

    const bSync = sync(b, 2, bJoin.memberId);
    expect(await within(bSync, 100)).toBe('pending'); // waits for the leader's assignment
    const aSync = await sync(a, 2, aJoin.memberId, [
      { memberId: aJoin.memberId, assignment: Buffer.from('p0') },
      { memberId: bJoin.memberId, assignment: Buffer.from('p1') },
    ]);
    expect(aSync).toMatchObject({
      errorCode: 0,
      protocolType: 'consumer',
      protocolName: 'range',
      assignment: Buffer.from('p0'),
    });
    expect((await bSync).assignment).toEqual(Buffer.from('p1'));

    const described = await a.request(DESCRIBE_GROUPS, 5, {
      groups: ['g'],
      includeAuthorizedOperations: true,
    });
    expect(described.groups[0]).toMatchObject({
      errorCode: 0,
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
    });
    expect(
      described.groups[0].members.map((m: any) => [m.clientId, m.clientHost, m.memberAssignment.toString()]),
    ).toEqual([
      ['client-a', '/127.0.0.1', 'p0'],
      ['client-a', '/127.0.0.1', 'p1'],
    ]);
    expect(described.groups[0].authorizedOperations).toBeGreaterThan(0);

    // Old generations and strangers are told so.
    expect((await heartbeat(b, 1, bJoin.memberId)).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await heartbeat(b, 2, 'stranger')).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await sync(b, 2, 'stranger')).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    // B leaves (LeaveGroup v3+ batch); A rebalances alone into generation 3.
    const left = await b.request(LEAVE_GROUP, 5, {
      groupId: 'g',
      members: [{ memberId: bJoin.memberId, groupInstanceId: null, reason: 'shutdown' }],
    });
    expect(left).toMatchObject({ errorCode: 0, members: [{ memberId: bJoin.memberId, errorCode: 0 }] });
    expect((await heartbeat(a, 2, aJoin.memberId)).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const alone = await join(a, aJoin.memberId);
    expect(alone).toMatchObject({ generationId: 3, leader: aJoin.memberId });
    // LeaveGroup v0 (one member, error at the top).
    expect((await a.request(LEAVE_GROUP, 0, { groupId: 'g', memberId: 'stranger' })).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect((await a.request(LEAVE_GROUP, 0, { groupId: 'g', memberId: aJoin.memberId })).errorCode).toBe(0);
    const empty = await a.request(DESCRIBE_GROUPS, 0, { groups: ['g'] });
    expect(empty.groups[0]).toMatchObject({ groupState: 'Empty', members: [] });
  });

  it('asks JoinGroup v4+ members for a member id, but not v0-3', async () => {
    await start();
    const c = await coordinatorClient('g');
    const v4 = await join(c, '', { version: 4 });
    expect(v4).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, protocolName: '' });
    expect(v4.memberId).not.toBe('');
    const v3 = await join(c, '', { version: 3, groupId: 'old-client' });
    expect(v3).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(v3.memberId).not.toBe('');
    // Session timeouts outside group.min/max.session.timeout.ms are refused.
    expect((await join(c, '', { sessionTimeoutMs: 1000 })).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
  });

  it('expires a silent member after its session timeout and rebalances the group', async () => {
    await start(1, { 'group.min.session.timeout.ms': '100' });
    const a = await coordinatorClient('g');
    const b = await connect();
    const aJoin = await joinNew(a, { sessionTimeoutMs: 3000 });
    await sync(a, 1, aJoin.memberId);
    const bJoining = joinNew(b, { sessionTimeoutMs: 500 });
    await within(bJoining, 50);
    await join(a, aJoin.memberId, { sessionTimeoutMs: 3000 });
    const bJoin = await bJoining;
    await sync(a, 2, aJoin.memberId);
    await sync(b, 2, bJoin.memberId);
    // A keeps heartbeating; B goes quiet.
    let error = 0;
    for (let i = 0; i < 20 && error === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      error = (await heartbeat(a, 2, aJoin.memberId)).errorCode;
    }
    expect(error).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const again = await join(a, aJoin.memberId, { sessionTimeoutMs: 3000 });
    expect(again.members.map((m: any) => m.memberId)).toEqual([aJoin.memberId]);
    expect((await heartbeat(b, 2, bJoin.memberId)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('replaces a static member that comes back with a new member id, without a rebalance', async () => {
    await start();
    const c = await coordinatorClient('g');
    const first = await join(c, '', { groupInstanceId: 'instance-1' });
    expect(first).toMatchObject({ errorCode: 0, generationId: 1 });
    await sync(c, 1, first.memberId, [{ memberId: first.memberId, assignment: Buffer.from('mine') }]);
    const restarted = await join(c, '', { groupInstanceId: 'instance-1' });
    expect(restarted).toMatchObject({
      errorCode: 0,
      generationId: 1,
      leader: restarted.memberId,
      skipAssignment: true,
    });
    expect(restarted.memberId).not.toBe(first.memberId);
    expect((await heartbeat(c, 1, first.memberId, 'instance-1')).errorCode).toBe(
      ErrorCode.FENCED_INSTANCE_ID,
    );
    expect((await heartbeat(c, 1, restarted.memberId, 'instance-1')).errorCode).toBe(0);
    const s = await c.request(SYNC_GROUP, 5, {
      groupId: 'g',
      generationId: 1,
      memberId: restarted.memberId,
      groupInstanceId: 'instance-1',
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [],
    });
    expect(s.assignment).toEqual(Buffer.from('mine'));
    // A v5 client (kafkajs' version) gets no skipAssignment and the old leader id.
    const v5 = await join(c, '', { groupInstanceId: 'instance-1', version: 5 });
    expect(v5).toMatchObject({ errorCode: 0, generationId: 1, leader: restarted.memberId });
  });
});

describe('offsets over the wire', () => {
  it('keeps committed offsets across an engine restart (replayed from __consumer_offsets)', async () => {
    await start();
    await createTopic('t', 2);
    const c = await coordinatorClient('app');
    const committed = await commit(c, 'app', [
      ['t', 0, 10],
      ['t', 1, 20],
    ]);
    expect(committed.topics[0].partitions).toEqual([
      { partitionIndex: 0, errorCode: 0 },
      { partitionIndex: 1, errorCode: 0 },
    ]);
    // Unknown topics and partitions are refused by the request layer, as in Kafka.
    const unknown = await commit(c, 'app', [
      ['t', 5, 1],
      ['nope', 0, 1],
    ]);
    expect(unknown.topics.map((t: any) => t.partitions[0].errorCode)).toEqual([
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    await commit(c, 'app', [['t', 0, 11]]);

    await restart();
    const after = await coordinatorClient('app');
    const v8 = await after.request(OFFSET_FETCH, 8, {
      groups: [
        { groupId: 'app', topics: null },
        { groupId: 'nobody', topics: [{ name: 't', partitionIndexes: [0] }] },
      ],
      requireStable: true,
    });
    expect(v8.groups[0]).toEqual({
      groupId: 'app',
      errorCode: 0,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 11,
              committedLeaderEpoch: -1,
              metadata: 'meta-11',
              errorCode: 0,
            },
            {
              partitionIndex: 1,
              committedOffset: 20,
              committedLeaderEpoch: -1,
              metadata: 'meta-20',
              errorCode: 0,
            },
          ],
        },
      ],
    });
    expect(v8.groups[1].topics[0].partitions[0]).toMatchObject({
      committedOffset: -1,
      metadata: '',
      errorCode: 0,
    });
    const v1 = await after.request(OFFSET_FETCH, 1, {
      groupId: 'app',
      topics: [{ name: 't', partitionIndexes: [1] }],
    });
    expect(v1.topics[0].partitions[0]).toMatchObject({ committedOffset: 20, errorCode: 0 });
    const v5 = await after.request(OFFSET_FETCH, 5, { groupId: 'app', topics: null });
    expect(v5.topics[0].partitions.map((p: any) => p.committedOffset)).toEqual([11, 20]);
    expect(
      engine.brokers[0].groups.committedOffsets('app').map((o) => [o.topic, o.partition, o.offset]),
    ).toEqual([
      ['t', 0, 11],
      ['t', 1, 20],
    ]);
  });

  it('checks generation and member of a consumer group commit', async () => {
    await start();
    await createTopic('t', 1);
    const c = await coordinatorClient('g');
    const m = await joinNew(c);
    expect((await commit(c, 'g', [['t', 0, 1]], 1, m.memberId)).topics[0].partitions[0].errorCode).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    await sync(c, 1, m.memberId);
    expect((await commit(c, 'g', [['t', 0, 1]], 1, m.memberId)).topics[0].partitions[0].errorCode).toBe(0);
    expect((await commit(c, 'g', [['t', 0, 1]], 0, m.memberId)).topics[0].partitions[0].errorCode).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    expect((await commit(c, 'g', [['t', 0, 1]])).topics[0].partitions[0].errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect((await commit(c, 'nogroup', [['t', 0, 1]], 3, 'x', 9)).topics[0].partitions[0].errorCode).toBe(
      ErrorCode.GROUP_ID_NOT_FOUND,
    );
    expect((await commit(c, 'nogroup', [['t', 0, 1]], 3, 'x', 8)).topics[0].partitions[0].errorCode).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    // OffsetCommit v2 (retention time) still works.
    const v2 = await c.request(OFFSET_COMMIT, 2, {
      groupId: 'simple',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      retentionTimeMs: 60_000,
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0, committedOffset: 3, committedMetadata: null }] },
      ],
    });
    expect(v2.topics[0].partitions[0].errorCode).toBe(0);
  });
});

describe('DeleteGroups, OffsetDelete, ListGroups', () => {
  it('answers NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND and GROUP_SUBSCRIBED_TO_TOPIC', async () => {
    await start();
    await createTopic('t', 1);
    await createTopic('u', 1);
    const c = await coordinatorClient('g');
    await commit(c, 'g', [
      ['t', 0, 5],
      ['u', 0, 6],
    ]);
    const m = await joinNew(c, { topics: ['t'] });
    await sync(c, 1, m.memberId);

    const od = await c.request(OFFSET_DELETE, 0, {
      groupId: 'g',
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0 }] },
        { name: 'u', partitions: [{ partitionIndex: 0 }] },
        { name: 'missing', partitions: [{ partitionIndex: 0 }] },
      ],
    });
    expect(od).toEqual({
      errorCode: 0,
      throttleTimeMs: 0,
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
        { name: 'u', partitions: [{ partitionIndex: 0, errorCode: 0 }] },
        {
          name: 'missing',
          partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }],
        },
      ],
    });
    const unknownGroup = await c.request(OFFSET_DELETE, 0, {
      groupId: 'other',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0 }] }],
    });
    expect(unknownGroup).toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] });

    const busy = await c.request(DELETE_GROUPS, 2, { groupsNames: ['g', 'nope'] });
    expect(busy.results).toEqual([
      { groupId: 'g', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'nope', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    await c.request(LEAVE_GROUP, 3, {
      groupId: 'g',
      members: [{ memberId: m.memberId, groupInstanceId: null }],
    });
    const deleted = await c.request(DELETE_GROUPS, 0, { groupsNames: ['g'] });
    expect(deleted.results).toEqual([{ groupId: 'g', errorCode: 0 }]);
    const fetched = await c.request(OFFSET_FETCH, 8, {
      groups: [{ groupId: 'g', topics: null }],
      requireStable: false,
    });
    expect(fetched.groups[0].topics).toEqual([]);
    // Gone for good: a restart replays the tombstones.
    await restart();
    const again = await coordinatorClient('g');
    expect((await again.request(LIST_GROUPS, 0, {})).groups).toEqual([]);
  });

  it('lists groups with state (v4+) and type (v5) filters', async () => {
    await start();
    await createTopic('t', 1);
    // With one broker every offsets partition has the same coordinator.
    const c = await coordinatorClient('stable-group');
    const m = await joinNew(c, { groupId: 'stable-group' });
    await sync(c, 1, m.memberId, [], 'stable-group');
    await commit(c, 'simple-group', [['t', 0, 1]]);
    const all = await c.request(LIST_GROUPS, 5, { statesFilter: [], typesFilter: [] });
    expect(all).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      groups: [
        { groupId: 'simple-group', protocolType: '', groupState: 'Empty', groupType: 'classic' },
        { groupId: 'stable-group', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
      ],
    });
    expect(
      (await c.request(LIST_GROUPS, 4, { statesFilter: ['stable'] })).groups.map((g: any) => g.groupId),
    ).toEqual(['stable-group']);
    expect(
      (await c.request(LIST_GROUPS, 5, { statesFilter: ['Empty'], typesFilter: ['CLASSIC'] })).groups.map(
        (g: any) => g.groupId,
      ),
    ).toEqual(['simple-group']);
    expect((await c.request(LIST_GROUPS, 5, { statesFilter: [], typesFilter: ['consumer'] })).groups).toEqual(
      [],
    );
    expect((await c.request(LIST_GROUPS, 0, {})).groups.map((g: any) => [g.groupId, g.protocolType])).toEqual(
      [
        ['simple-group', ''],
        ['stable-group', 'consumer'],
      ],
    );
  });
});

describe('failover', () => {
  it('moves a group to the new leader of its offsets partition, with its replicated offsets', async () => {
    await start(3, { 'replica.lag.time.max.ms': '2000' });
    await createTopic('t', 1, 3);
    const c = await coordinatorClient('g');
    expect((await commit(c, 'g', [['t', 0, 42]])).topics[0].partitions[0].errorCode).toBe(0);
    const partition = partitionForGroup('g', 4);
    const oldLeader = engine.brokers[0].image.topic(OFFSETS_TOPIC)!.partitions[partition].leader;
    await engine.stopBroker(oldLeader);

    const survivor = engine.brokers.find((b) => b.nodeId !== oldLeader)!;
    const s = await connect(survivor.nodeId);
    let found: any;
    for (let i = 0; i < 50; i++) {
      found = await s.request(FIND_COORDINATOR, 3, { key: 'g', keyType: 0 });
      if (found.errorCode === 0 && found.nodeId !== oldLeader) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(found.nodeId).not.toBe(oldLeader);
    const newCoordinator = await connect(found.nodeId);
    const fetched = await newCoordinator.request(OFFSET_FETCH, 8, {
      groups: [{ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }] }],
      requireStable: false,
    });
    expect(fetched.groups[0].topics[0].partitions[0]).toMatchObject({ committedOffset: 42, errorCode: 0 });
  });
});
