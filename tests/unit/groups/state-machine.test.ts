import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/engine/protocol/errors.js';
import { decodeBatches } from '../../../src/engine/protocol/records/index.js';
import { decodeRecord } from '../../../src/engine/groups/records.js';
import type { JoinGroupResult } from '../../../src/engine/groups/group.js';
import type { GroupCoordinator } from '../../../src/engine/groups/coordinator.js';
import { ManualClock, MemoryHost, joinInput, newCoordinator, settle, subscription } from './helpers.js';

/** Joins a new dynamic member the v4+ way: MEMBER_ID_REQUIRED, then again with the id. */
async function joinDynamic(
  c: GroupCoordinator,
  clock: ManualClock,
  overrides: Parameters<typeof joinInput>[0] = {},
) {
  const first = await c.joinGroup(joinInput(overrides));
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  expect(first.memberId).toMatch(/^client-[0-9a-f-]{36}$/);
  return c.joinGroup(joinInput({ ...overrides, memberId: first.memberId }));
}

/** Resolves the parked promise's value or 'pending'. */
async function peek<T>(p: Promise<T>): Promise<T | 'pending'> {
  await settle();
  return Promise.race([p, Promise.resolve('pending' as const)]);
}

function groupState(c: GroupCoordinator, groupId = 'g'): string {
  return c.describeGroups([groupId])[0].groupState;
}

/** A one-member stable group: returns the member's JoinGroup answer. */
async function stableSingle(c: GroupCoordinator, clock: ManualClock): Promise<JoinGroupResult> {
  const joining = joinDynamic(c, clock);
  await clock.advance(0);
  const joined = await joining;
  const sync = await c.syncGroup({
    groupId: 'g',
    generationId: joined.generationId,
    memberId: joined.memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [{ memberId: joined.memberId, assignment: Buffer.from('a1') }],
  });
  expect(sync.errorCode).toBe(ErrorCode.NONE);
  return joined;
}

describe('JoinGroup validation and routing', () => {
  it('refuses empty group ids, out-of-range session timeouts, and groups of partitions it does not lead', async () => {
    const host = new MemoryHost(2);
    host.epochs.delete(1);
    const { coordinator: c } = newCoordinator({}, host);
    expect((await c.joinGroup(joinInput({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await c.joinGroup(joinInput({ sessionTimeoutMs: 5_999 }))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect((await c.joinGroup(joinInput({ sessionTimeoutMs: 1_800_001 }))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    const notOurs = ['a', 'b', 'c', 'd', 'e', 'f'].find((g) => c.partitionFor(g) === 1)!;
    const ours = ['a', 'b', 'c', 'd', 'e', 'f'].find((g) => c.partitionFor(g) === 0)!;
    expect((await c.joinGroup(joinInput({ groupId: notOurs }))).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(c.heartbeat({ groupId: notOurs, generationId: 1, memberId: 'm', groupInstanceId: null })).toBe(
      ErrorCode.NOT_COORDINATOR,
    );
    expect((await c.joinGroup(joinInput({ groupId: ours }))).errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  });

  it('rejects a member id for a group that does not exist, and protocol mismatches', async () => {
    const { coordinator: c, clock } = newCoordinator();
    expect((await c.joinGroup(joinInput({ memberId: 'ghost' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await c.joinGroup(joinInput({ protocolType: '' }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    // A refused first join leaves no group behind.
    expect(c.listGroups().groups).toEqual([]);
    await stableSingle(c, clock);
    const otherType = await c.joinGroup(joinInput({ protocolType: 'connect', requireKnownMemberId: false }));
    expect(otherType.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const noCommon = await c.joinGroup(
      joinInput({
        protocols: [{ name: 'roundrobin', metadata: subscription(['t']) }],
        requireKnownMemberId: false,
      }),
    );
    expect(noCommon.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });
});

describe('rebalance protocol', () => {
  it('takes a first member through MEMBER_ID_REQUIRED, join, sync to Stable', async () => {
    const { coordinator: c, clock, host } = newCoordinator();
    const joining = joinDynamic(c, clock);
    expect(await peek(joining)).toBe('pending'); // the (zero) initial rebalance delay is a timer
    expect(groupState(c)).toBe('PreparingRebalance');
    await clock.advance(0);
    const joined = await joining;
    expect(joined).toMatchObject({
      errorCode: 0,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: joined.memberId,
    });
    expect(joined.members).toEqual([
      { memberId: joined.memberId, groupInstanceId: null, metadata: subscription(['t']) },
    ]);
    expect(groupState(c)).toBe('CompletingRebalance');
    // Commits are refused until the assignment arrives.
    const early = await c.commitOffsets({
      groupId: 'g',
      generationIdOrMemberEpoch: 1,
      memberId: joined.memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      apiVersion: 8,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    expect(early[0].partitions[0].errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const sync = await c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: joined.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: joined.memberId, assignment: Buffer.from('a1') }],
    });
    expect(sync).toEqual({
      errorCode: 0,
      protocolType: 'consumer',
      protocolName: 'range',
      assignment: Buffer.from('a1'),
    });
    expect(groupState(c)).toBe('Stable');
    // The assignment was written as a GroupMetadataValue before the answer.
    const records = decodeBatches(host.read(0, 0, 1 << 20).records).flatMap((b) =>
      b.records.map((r) => decodeRecord(r.key, r.value)),
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      type: 'group',
      group: 'g',
      value: {
        protocolType: 'consumer',
        generation: 1,
        protocol: 'range',
        leader: joined.memberId,
        members: [{ memberId: joined.memberId, assignment: Buffer.from('a1') }],
      },
    });
  });

  it('rebalances when a second member joins: the first learns it from its heartbeat and rejoins', async () => {
    const { coordinator: c, clock } = newCoordinator();
    const m1 = await stableSingle(c, clock);
    const m2Joining = joinDynamic(c, clock);
    expect(await peek(m2Joining)).toBe('pending');
    expect(groupState(c)).toBe('PreparingRebalance');
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: m1.memberId, groupInstanceId: null })).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    // SyncGroup of the old generation during the join phase is refused too.
    const staleSync = await c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: m1.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(staleSync.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const m1Rejoin = await c.joinGroup(joinInput({ memberId: m1.memberId }));
    const m2 = await m2Joining;
    expect(m1Rejoin.generationId).toBe(2);
    expect(m2.generationId).toBe(2);
    expect(m1Rejoin.leader).toBe(m1.memberId);
    expect(m1Rejoin.members.map((m) => m.memberId)).toEqual([m1.memberId, m2.memberId]);
    expect(m2.members).toEqual([]);
    // The follower's SyncGroup waits for the leader's.
    const followerSync = c.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: m2.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(await peek(followerSync)).toBe('pending');
    const leaderSync = await c.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: m1.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [
        { memberId: m1.memberId, assignment: Buffer.from('p0') },
        { memberId: m2.memberId, assignment: Buffer.from('p1') },
      ],
    });
    expect(leaderSync.assignment).toEqual(Buffer.from('p0'));
    expect((await followerSync).assignment).toEqual(Buffer.from('p1'));
    expect(groupState(c)).toBe('Stable');
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: m2.memberId, groupInstanceId: null })).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    expect(c.heartbeat({ groupId: 'g', generationId: 2, memberId: 'nobody', groupInstanceId: null })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(c.heartbeat({ groupId: 'g', generationId: 2, memberId: m2.memberId, groupInstanceId: null })).toBe(
      ErrorCode.NONE,
    );
  });

  it('completes the join phase at the rebalance timeout without members that did not rejoin', async () => {
    const { coordinator: c, clock } = newCoordinator();
    const m1 = await stableSingle(c, clock);
    const m2Joining = joinDynamic(c, clock, { rebalanceTimeoutMs: 20_000 });
    // m1 keeps heartbeating but never rejoins.
    for (let t = 0; t < 19_000; t += 3_000) {
      await clock.advance(3_000);
      expect(
        c.heartbeat({ groupId: 'g', generationId: 1, memberId: m1.memberId, groupInstanceId: null }),
      ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    expect(await peek(m2Joining)).toBe('pending');
    await clock.advance(30_000); // max rebalance timeout among members is m1's 30 s
    const m2 = await m2Joining;
    expect(m2).toMatchObject({ errorCode: 0, generationId: 2, leader: m2.memberId });
    expect(m2.members.map((m) => m.memberId)).toEqual([m2.memberId]);
    expect(c.heartbeat({ groupId: 'g', generationId: 2, memberId: m1.memberId, groupInstanceId: null })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  it('removes a member whose session expires and rebalances the rest', async () => {
    const { coordinator: c, clock } = newCoordinator();
    const m1 = await stableSingle(c, clock);
    const m2Joining = joinDynamic(c, clock, { sessionTimeoutMs: 6_000 });
    const m1Rejoin = await c.joinGroup(joinInput({ memberId: m1.memberId }));
    const m2 = await m2Joining;
    await c.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: m1.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    await c.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: m2.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(groupState(c)).toBe('Stable');
    expect(m1Rejoin.generationId).toBe(2);
    // m1 heartbeats every 3 s, m2 goes silent: after 6 s it is gone and a rebalance starts.
    for (let i = 0; i < 2; i++) {
      await clock.advance(3_000);
      c.heartbeat({ groupId: 'g', generationId: 2, memberId: m1.memberId, groupInstanceId: null });
    }
    await clock.advance(1);
    expect(groupState(c)).toBe('PreparingRebalance');
    expect(c.heartbeat({ groupId: 'g', generationId: 2, memberId: m1.memberId, groupInstanceId: null })).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    const again = await c.joinGroup(joinInput({ memberId: m1.memberId }));
    expect(again.generationId).toBe(3);
    expect(again.members.map((m) => m.memberId)).toEqual([m1.memberId]);
  });

  it('forgets a member id handed out with MEMBER_ID_REQUIRED that is never used', async () => {
    const { coordinator: c, clock } = newCoordinator();
    const m1 = await stableSingle(c, clock);
    const first = await c.joinGroup(joinInput());
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    // The pending member does not disturb the stable group, and disappears after its session timeout.
    expect(groupState(c)).toBe('Stable');
    for (let t = 0; t < 10_001; t += 5_000) {
      await clock.advance(5_000);
      expect(
        c.heartbeat({ groupId: 'g', generationId: 1, memberId: m1.memberId, groupInstanceId: null }),
      ).toBe(ErrorCode.NONE);
    }
    expect((await c.joinGroup(joinInput({ memberId: first.memberId }))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: m1.memberId, groupInstanceId: null })).toBe(
      ErrorCode.NONE,
    );
  });

  it('delays the first rebalance by group.initial.rebalance.delay.ms, longer while members keep coming', async () => {
    const { coordinator: c, clock } = newCoordinator({ initialRebalanceDelayMs: 3_000 });
    const a = joinDynamic(c, clock);
    await clock.advance(1_000);
    const b = joinDynamic(c, clock);
    await clock.advance(2_000); // t = 3 s: a member came during the delay, so it is extended
    expect(await peek(a)).toBe('pending');
    await clock.advance(3_000); // t = 6 s
    const [ja, jb] = await Promise.all([a, b]);
    expect(ja.generationId).toBe(1);
    expect(jb.generationId).toBe(1);
    expect(ja.members.length + jb.members.length).toBe(2);
  });

  it('answers a JoinGroup v0-3 member without MEMBER_ID_REQUIRED', async () => {
    const { coordinator: c, clock } = newCoordinator();
    const joining = c.joinGroup(joinInput({ requireKnownMemberId: false }));
    await clock.advance(0);
    expect(await joining).toMatchObject({ errorCode: 0, generationId: 1 });
  });

  it('times out members that never send SyncGroup', async () => {
    const { coordinator: c, clock } = newCoordinator();
    const m1 = await stableSingle(c, clock);
    const m2Joining = joinDynamic(c, clock, { rebalanceTimeoutMs: 10_000 });
    await c.joinGroup(joinInput({ memberId: m1.memberId, rebalanceTimeoutMs: 10_000 }));
    const m2 = await m2Joining;
    // Only the leader syncs; the group waits for m2's SyncGroup until the rebalance timeout.
    const leaderSync = c.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: m1.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect((await leaderSync).errorCode).toBe(ErrorCode.NONE);
    await clock.advance(5_000);
    expect(c.heartbeat({ groupId: 'g', generationId: 2, memberId: m1.memberId, groupInstanceId: null })).toBe(
      ErrorCode.NONE,
    );
    await clock.advance(5_001);
    expect(c.heartbeat({ groupId: 'g', generationId: 2, memberId: m2.memberId, groupInstanceId: null })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(groupState(c)).toBe('PreparingRebalance');
  });
});

describe('static membership', () => {
  it('replaces a restarted static member without a rebalance and fences the old id', async () => {
    const { coordinator: c, clock } = newCoordinator();
    // Static members skip MEMBER_ID_REQUIRED.
    const joining = c.joinGroup(joinInput({ groupInstanceId: 'pod-1' }));
    await clock.advance(0);
    const first = await joining;
    expect(first.memberId).toMatch(/^pod-1-/);
    expect(first.members).toEqual([
      { memberId: first.memberId, groupInstanceId: 'pod-1', metadata: subscription(['t']) },
    ]);
    await c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'pod-1',
      protocolType: null,
      protocolName: null,
      assignments: [{ memberId: first.memberId, assignment: Buffer.from('mine') }],
    });
    // The same instance comes back without its member id (a restart).
    const again = await c.joinGroup(joinInput({ groupInstanceId: 'pod-1' }));
    expect(again.errorCode).toBe(0);
    expect(again.memberId).not.toBe(first.memberId);
    expect(again.generationId).toBe(1); // no rebalance
    // It led the group: v9+ tells it to skip the assignment and gives it the members.
    expect(again).toMatchObject({ leader: again.memberId, skipAssignment: true });
    expect(groupState(c)).toBe('Stable');
    const sync = await c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: again.memberId,
      groupInstanceId: 'pod-1',
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(sync.assignment).toEqual(Buffer.from('mine'));
    expect(
      c.heartbeat({ groupId: 'g', generationId: 1, memberId: first.memberId, groupInstanceId: 'pod-1' }),
    ).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(
      c.heartbeat({ groupId: 'g', generationId: 1, memberId: again.memberId, groupInstanceId: 'pod-1' }),
    ).toBe(ErrorCode.NONE);
    expect(
      (await c.joinGroup(joinInput({ memberId: first.memberId, groupInstanceId: 'pod-1' }))).errorCode,
    ).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });

  it('rebalances when a replacing static member changes the selected protocol', async () => {
    const { coordinator: c, clock } = newCoordinator();
    const joining = c.joinGroup(
      joinInput({
        groupInstanceId: 'pod-1',
        protocols: [
          { name: 'range', metadata: subscription(['t']) },
          { name: 'sticky', metadata: subscription(['t']) },
        ],
      }),
    );
    await clock.advance(0);
    const first = await joining;
    await c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'pod-1',
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    const rejoin = c.joinGroup(
      joinInput({ groupInstanceId: 'pod-1', protocols: [{ name: 'sticky', metadata: subscription(['t']) }] }),
    );
    await clock.advance(0);
    const again = await rejoin;
    expect(again).toMatchObject({ errorCode: 0, generationId: 2, protocolName: 'sticky' });
  });

  it('lets an admin remove static members by instance id in one LeaveGroup', async () => {
    const { coordinator: c, clock } = newCoordinator();
    const a = c.joinGroup(joinInput({ groupInstanceId: 'a' }));
    const b = c.joinGroup(joinInput({ groupInstanceId: 'b' }));
    await clock.advance(0);
    await Promise.all([a, b]);
    const result = c.leaveGroup('g', [
      { memberId: '', groupInstanceId: 'a', reason: null },
      { memberId: '', groupInstanceId: 'b', reason: 'scale down' },
      { memberId: '', groupInstanceId: 'zzz', reason: null },
      { memberId: 'unknown-member', groupInstanceId: null, reason: null },
    ]);
    expect(result.errorCode).toBe(0);
    expect(result.members.map((m) => m.errorCode)).toEqual([
      0,
      0,
      ErrorCode.UNKNOWN_MEMBER_ID,
      ErrorCode.UNKNOWN_MEMBER_ID,
    ]);
    await clock.advance(0);
    expect(groupState(c)).toBe('Empty');
  });
});

describe('LeaveGroup', () => {
  it('answers a parked JoinGroup of a leaving member and rebalances the rest', async () => {
    const { coordinator: c, clock, host } = newCoordinator();
    const m1 = await stableSingle(c, clock);
    expect(
      c.leaveGroup('nope', [{ memberId: m1.memberId, groupInstanceId: null, reason: null }]).errorCode,
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const left = c.leaveGroup('g', [{ memberId: m1.memberId, groupInstanceId: null, reason: null }]);
    expect(left.members).toEqual([{ memberId: m1.memberId, groupInstanceId: null, errorCode: 0 }]);
    await settle();
    // Last member out: the group is Empty in the next generation, stored as such.
    expect(groupState(c)).toBe('Empty');
    const records = decodeBatches(host.read(0, 0, 1 << 20).records).flatMap((b) =>
      b.records.map((r) => decodeRecord(r.key, r.value)),
    );
    expect(records.at(-1)).toMatchObject({
      type: 'group',
      value: { generation: 2, protocol: null, leader: null, members: [] },
    });
  });
});

describe('offsets', () => {
  const commit = (
    c: GroupCoordinator,
    o: Partial<Parameters<GroupCoordinator['commitOffsets']>[0]> & {
      offset?: number;
      metadata?: string | null;
    } = {},
  ) =>
    c.commitOffsets({
      groupId: 'g',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      apiVersion: 8,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: o.offset ?? 42,
              committedLeaderEpoch: 3,
              committedMetadata: o.metadata ?? 'm',
            },
          ],
        },
      ],
      ...o,
    });

  it('accepts simple commits for an unknown or empty group, and checks members and generations otherwise', async () => {
    const { coordinator: c, clock } = newCoordinator();
    expect(
      (await commit(c, { generationIdOrMemberEpoch: 1, memberId: 'x' }))[0].partitions[0].errorCode,
    ).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(
      (await commit(c, { generationIdOrMemberEpoch: 1, memberId: 'x', apiVersion: 9 }))[0].partitions[0]
        .errorCode,
    ).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect((await commit(c))[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    expect(c.listGroups().groups).toEqual([
      { groupId: 'g', protocolType: '', groupState: 'Empty', groupType: 'classic' },
    ]);
    expect(c.fetchOffsets('g', null)).toEqual({
      errorCode: 0,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 3, metadata: 'm', errorCode: 0 },
          ],
        },
      ],
    });
    const m1 = await stableSingle(c, clock);
    expect((await commit(c))[0].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(
      (await commit(c, { generationIdOrMemberEpoch: 7, memberId: m1.memberId }))[0].partitions[0].errorCode,
    ).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(
      (await commit(c, { generationIdOrMemberEpoch: 1, memberId: 'other' }))[0].partitions[0].errorCode,
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(
      (await commit(c, { generationIdOrMemberEpoch: 1, memberId: m1.memberId, offset: 50 }))[0].partitions[0]
        .errorCode,
    ).toBe(ErrorCode.NONE);
    expect(c.fetchOffsets('g', [{ name: 't', partitionIndexes: [0, 1] }]).topics[0].partitions).toEqual([
      { partitionIndex: 0, committedOffset: 50, committedLeaderEpoch: 3, metadata: 'm', errorCode: 0 },
      { partitionIndex: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
    ]);
    expect(
      c.fetchOffsets('unknown', [{ name: 't', partitionIndexes: [0] }]).topics[0].partitions[0]
        .committedOffset,
    ).toBe(-1);
  });

  it('refuses metadata above offset.metadata.max.bytes per partition and maps write failures', async () => {
    const { coordinator: c, host } = newCoordinator({ offsetMetadataMaxBytes: 4 });
    const tooLong = await c.commitOffsets({
      groupId: 'g',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      apiVersion: 8,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: 'short' },
            { partitionIndex: 1, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: 'ok' },
          ],
        },
      ],
    });
    expect(tooLong[0].partitions.map((p) => p.errorCode)).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE, 0]);
    host.appendError = ErrorCode.NOT_LEADER_OR_FOLLOWER;
    expect((await commit(c, { metadata: null }))[0].partitions[0].errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    host.appendError = ErrorCode.REQUEST_TIMED_OUT;
    expect((await commit(c, { metadata: null }))[0].partitions[0].errorCode).toBe(
      ErrorCode.COORDINATOR_NOT_AVAILABLE,
    );
    host.appendError = ErrorCode.MESSAGE_TOO_LARGE;
    expect((await commit(c, { metadata: null }))[0].partitions[0].errorCode).toBe(
      ErrorCode.INVALID_COMMIT_OFFSET_SIZE,
    );
    // Failed writes changed nothing.
    expect(c.fetchOffsets('g', null).topics[0].partitions.map((p) => p.partitionIndex)).toEqual([1]);
  });

  it('answers a commit only after the write is replicated', async () => {
    const { coordinator: c, host } = newCoordinator();
    let release!: () => void;
    host.appendGate = new Promise((r) => (release = r));
    const pending = commit(c);
    expect(await peek(pending)).toBe('pending');
    expect(
      c.fetchOffsets('g', [{ name: 't', partitionIndexes: [0] }]).topics[0].partitions[0].committedOffset,
    ).toBe(-1);
    release();
    expect((await pending)[0].partitions[0].errorCode).toBe(0);
    expect(
      c.fetchOffsets('g', [{ name: 't', partitionIndexes: [0] }]).topics[0].partitions[0].committedOffset,
    ).toBe(42);
  });

  it('expires offsets of empty groups after offsets.retention.minutes, then the group', async () => {
    const { coordinator: c, clock } = newCoordinator({
      offsetsRetentionMs: 60_000,
      offsetsRetentionCheckIntervalMs: 10_000,
    });
    await commit(c);
    await c.commitOffsets({
      groupId: 'explicit',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: 5_000,
      apiVersion: 2,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    await clock.advance(10_000);
    expect(c.committedOffsets().map((o) => o.groupId)).toEqual(['g']); // the v2 retention time (5 s) passed
    await clock.advance(50_000);
    expect(c.committedOffsets()).toEqual([]);
    expect(c.listGroups().groups).toEqual([]);
  });

  it('deletes offsets, refusing topics a consumer group still subscribes to', async () => {
    const { coordinator: c, clock } = newCoordinator();
    expect((await c.deleteOffsets('g', [{ name: 't', partitions: [{ partitionIndex: 0 }] }])).errorCode).toBe(
      ErrorCode.GROUP_ID_NOT_FOUND,
    );
    await commit(c);
    await c.commitOffsets({
      groupId: 'g',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      apiVersion: 8,
      topics: [
        {
          name: 'other',
          partitions: [
            { partitionIndex: 0, committedOffset: 9, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    await stableSingle(c, clock); // subscribes to 't'
    const result = await c.deleteOffsets('g', [
      { name: 't', partitions: [{ partitionIndex: 0 }] },
      { name: 'other', partitions: [{ partitionIndex: 0 }, { partitionIndex: 5 }] },
    ]);
    expect(result).toEqual({
      errorCode: 0,
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
        {
          name: 'other',
          partitions: [
            { partitionIndex: 0, errorCode: 0 },
            { partitionIndex: 5, errorCode: 0 },
          ],
        },
      ],
    });
    expect(c.committedOffsets().map((o) => o.topic)).toEqual(['t']);
  });

  it('tombstones the offsets of deleted topics', async () => {
    const { coordinator: c, host } = newCoordinator();
    await commit(c);
    host.metadataChanged(['t']);
    await settle();
    expect(c.committedOffsets()).toEqual([]);
  });
});

describe('DeleteGroups, DescribeGroups, ListGroups', () => {
  it('deletes empty groups with their offsets and refuses live or unknown ones', async () => {
    const { coordinator: c, clock, host } = newCoordinator();
    await c.commitOffsets({
      groupId: 'simple',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      apiVersion: 8,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    await stableSingle(c, clock);
    expect(await c.deleteGroups(['simple', 'g', 'missing', ''])).toEqual([
      { groupId: 'simple', errorCode: 0 },
      { groupId: 'g', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'missing', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
      { groupId: '', errorCode: ErrorCode.INVALID_GROUP_ID },
    ]);
    expect(c.committedOffsets()).toEqual([]);
    // A coordinator loading the same log agrees: the tombstones won.
    const reloaded = newCoordinator({}, host).coordinator;
    expect(reloaded.listGroups().groups.map((g) => g.groupId)).toEqual(['g']);
    expect(reloaded.committedOffsets()).toEqual([]);
  });

  it('describes groups as Kafka does and filters lists by state and type', async () => {
    const { coordinator: c, clock } = newCoordinator();
    const m1 = await stableSingle(c, clock);
    await c.commitOffsets({
      groupId: 'simple',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      apiVersion: 8,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    const [g, unknown] = c.describeGroups(['g', 'nobody']);
    expect(g).toEqual({
      errorCode: 0,
      groupId: 'g',
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      members: [
        {
          memberId: m1.memberId,
          groupInstanceId: null,
          clientId: 'client',
          clientHost: '/127.0.0.1',
          memberMetadata: subscription(['t']),
          memberAssignment: Buffer.from('a1'),
        },
      ],
    });
    expect(unknown).toEqual({
      errorCode: 0,
      groupId: 'nobody',
      groupState: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [],
    });
    expect(c.listGroups().groups.map((x) => x.groupId)).toEqual(['g', 'simple']);
    expect(c.listGroups(['STABLE']).groups.map((x) => x.groupId)).toEqual(['g']);
    expect(c.listGroups(['empty', 'dead']).groups.map((x) => x.groupId)).toEqual(['simple']);
    expect(c.listGroups([], ['Classic']).groups).toHaveLength(2);
    expect(c.listGroups([], ['consumer']).groups).toEqual([]);
  });
});

describe('loading and leadership', () => {
  it('rebuilds offsets and groups from the log; restored members keep their session, then expire', async () => {
    const host = new MemoryHost();
    const first = newCoordinator({}, host);
    const m1 = await stableSingle(first.coordinator, first.clock);
    await first.coordinator.commitOffsets({
      groupId: 'g',
      generationIdOrMemberEpoch: 1,
      memberId: m1.memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      apiVersion: 8,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 7, committedLeaderEpoch: 2, committedMetadata: 'meta' },
          ],
        },
      ],
    });
    first.coordinator.stop();

    const clock = new ManualClock();
    const { coordinator: c } = newCoordinator({}, host, clock);
    expect(c.committedOffsets()).toEqual([
      {
        groupId: 'g',
        topic: 't',
        partition: 0,
        offset: 7,
        leaderEpoch: 2,
        metadata: 'meta',
        commitTimestamp: first.clock.time,
      },
    ]);
    expect(c.describeGroups(['g'])[0]).toMatchObject({
      groupState: 'Stable',
      members: [{ memberId: m1.memberId, memberAssignment: Buffer.from('a1') }],
    });
    // The member carries on against the new coordinator without a rebalance...
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: m1.memberId, groupInstanceId: null })).toBe(
      ErrorCode.NONE,
    );
    // ...or, silent, is removed after its session timeout, leaving an empty group with its offsets.
    await clock.advance(10_001);
    await clock.advance(0);
    expect(groupState(c)).toBe('Empty');
    expect(c.committedOffsets()).toHaveLength(1);
  });

  it('answers COORDINATOR_LOAD_IN_PROGRESS while a big partition loads', async () => {
    const host = new MemoryHost();
    const first = newCoordinator({}, host);
    const metadata = 'x'.repeat(3000);
    for (let batch = 0; batch < 6; batch++) {
      await first.coordinator.commitOffsets({
        groupId: 'g',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1,
        apiVersion: 8,
        topics: [
          {
            name: 't',
            partitions: Array.from({ length: 400 }, (_, i) => ({
              partitionIndex: i,
              committedOffset: batch,
              committedLeaderEpoch: -1,
              committedMetadata: metadata.slice(0, 3000 - batch),
            })),
          },
        ],
      });
    }
    first.coordinator.stop();
    const { coordinator: c } = newCoordinator({ offsetMetadataMaxBytes: 4096 }, host);
    expect(c.heartbeat({ groupId: 'g', generationId: 0, memberId: 'm', groupInstanceId: null })).toBe(
      ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
    );
    expect(c.fetchOffsets('g', null).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect(c.listGroups().errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    await settle();
    expect(
      c.fetchOffsets('g', [{ name: 't', partitionIndexes: [399] }]).topics[0].partitions[0].committedOffset,
    ).toBe(5);
  });

  it('unloads a partition whose leadership moves: parked requests and later ones get NOT_COORDINATOR', async () => {
    const { coordinator: c, host, clock } = newCoordinator();
    const m1 = await stableSingle(c, clock);
    const m2Joining = joinDynamic(c, clock);
    await settle();
    host.epochs.delete(0);
    host.metadataChanged();
    expect((await m2Joining).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: m1.memberId, groupInstanceId: null })).toBe(
      ErrorCode.NOT_COORDINATOR,
    );
    // Leadership comes back in a new epoch: the partition is replayed.
    host.epochs.set(0, 1);
    host.metadataChanged();
    expect(c.ownedPartitions()).toEqual([0]);
    expect(c.describeGroups(['g'])[0].groupState).toBe('Stable');
  });
});

describe('FindCoordinator', () => {
  it('answers group keys with the partition leader and refuses other key types', async () => {
    const { coordinator: c } = newCoordinator();
    expect(await c.findCoordinator(0, 'g')).toEqual({
      errorCode: 0,
      errorMessage: null,
      nodeId: 1,
      host: 'localhost',
      port: 9092,
    });
    expect((await c.findCoordinator(1, 'txn')).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await c.findCoordinator(2, 'share')).errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });
});
