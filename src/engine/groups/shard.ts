import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/errors.js';
import type { Clock } from './clock.js';
import { KeyedTimers } from './clock.js';
import type { GroupCoordinatorConfig } from './config.js';
import {
  ClassicGroup,
  completeJoin,
  completeSync,
  EMPTY_BYTES,
  GroupMember,
  joinError,
  syncError,
  type GroupState,
  type JoinGroupResult,
  type OffsetAndMetadata,
  type Protocol,
  type SyncGroupResult,
} from './group.js';
import type { CoordinatorRecord } from './records.js';

export interface CoordinatorLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a shard needs from the coordinator around it. */
export interface ShardContext {
  config: GroupCoordinatorConfig;
  clock: Clock;
  logger: CoordinatorLogger;
  /**
   * Writes records to the shard's `__consumer_offsets` partition and resolves when the in-sync
   * replicas have them, with NONE or the append's error code (never rejects).
   */
  append(partition: number, records: CoordinatorRecord[]): Promise<number>;
}

export interface JoinGroupInput {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Protocol[];
  clientId: string;
  clientHost: string;
  /** JoinGroup v4+: a dynamic member without an id is sent away with MEMBER_ID_REQUIRED and a new id. */
  requireKnownMemberId: boolean;
  /** JoinGroup v9+: a static leader that replaced itself in a stable group skips the assignment. */
  supportsSkipAssignment: boolean;
  reason: string | null;
}

export interface SyncGroupInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string | null;
  protocolName: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface HeartbeatInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveMemberInput {
  memberId: string;
  groupInstanceId: string | null;
  reason: string | null;
}

export interface LeaveGroupResult {
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface CommitPartitionInput {
  partitionIndex: number;
  committedOffset: number;
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export interface OffsetCommitInput {
  groupId: string;
  generationIdOrMemberEpoch: number;
  memberId: string;
  groupInstanceId: string | null;
  /** OffsetCommit v2-4; -1 = the broker's retention. */
  retentionTimeMs: number;
  topics: { name: string; partitions: CommitPartitionInput[] }[];
  apiVersion: number;
}

export interface TopicPartitionErrors {
  name: string;
  partitions: { partitionIndex: number; errorCode: number }[];
}

export interface FetchedOffset {
  partitionIndex: number;
  committedOffset: number;
  committedLeaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface FetchedTopic {
  name: string;
  partitions: FetchedOffset[];
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    memberMetadata: Buffer;
    memberAssignment: Buffer;
  }[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: GroupState;
  groupType: 'classic';
}

const joinKey = (groupId: string) => JSON.stringify(['join', groupId]);
const syncKey = (groupId: string) => JSON.stringify(['sync', groupId]);
const heartbeatKey = (groupId: string, memberId: string) => JSON.stringify(['heartbeat', groupId, memberId]);

/** Kafka's appendGroupMetadataErrorToResponseError: what a failed coordinator write tells the client. */
export function coordinatorWriteError(appendError: number): number {
  switch (appendError) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return appendError;
  }
}

/** The same for offset commits, where a too-large write has its own code (Kafka's OffsetCommit rule). */
function commitWriteError(appendError: number): number {
  switch (appendError) {
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
    default:
      return coordinatorWriteError(appendError);
  }
}

/**
 * The groups of one `__consumer_offsets` partition that this broker leads (Kafka's
 * GroupCoordinatorShard for classic groups): the rebalance protocol, committed offsets, and the
 * records that make them durable. Everything runs on the broker's event loop; a request either
 * answers at once or parks a resolver on its member (JoinGroup, SyncGroup) or on a log write.
 */
export class GroupShard {
  readonly groups = new Map<string, ClassicGroup>();
  private readonly timers: KeyedTimers;
  private closed = false;

  constructor(
    readonly partition: number,
    readonly leaderEpoch: number,
    private readonly ctx: ShardContext,
  ) {
    this.timers = new KeyedTimers(ctx.clock);
  }

  private get now(): number {
    return this.ctx.clock.now();
  }

  private get config(): GroupCoordinatorConfig {
    return this.ctx.config;
  }

  private append(records: CoordinatorRecord[]): Promise<number> {
    if (this.closed) return Promise.resolve(ErrorCode.NOT_COORDINATOR);
    return this.ctx.append(this.partition, records);
  }

  private groupRecord(group: ClassicGroup, assignment: Map<string, Buffer>): CoordinatorRecord {
    return { type: 'group', group: group.groupId, value: group.toRecordValue(assignment) };
  }

  // ---------------------------------------------------------------- JoinGroup

  join(req: JoinGroupInput): Promise<JoinGroupResult> {
    return new Promise((resolve) => {
      const isUnknownMember = req.memberId === '';
      let group = this.groups.get(req.groupId);
      let created = false;
      if (!group) {
        // A group is created by a member without an id; a member that claims an id needs its group.
        if (!isUnknownMember) return resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
        group = new ClassicGroup(req.groupId, this.now);
        this.groups.set(req.groupId, group);
        created = true;
      }
      if (!this.acceptJoiningMember(group, req.memberId)) {
        group.remove(req.memberId);
        resolve(joinError(ErrorCode.GROUP_MAX_SIZE_REACHED, ''));
      } else if (isUnknownMember) {
        this.joinNewMember(group, req, resolve);
      } else {
        this.joinExistingMember(group, req, resolve);
      }
      // A join refused before anything was added leaves no trace of a group that did not exist.
      if (created && group.members.size === 0 && group.pendingJoinMembers.size === 0 && !group.hasOffsets) {
        this.groups.delete(req.groupId);
      }
    });
  }

  private acceptJoiningMember(group: ClassicGroup, memberId: string): boolean {
    const max = this.config.maxGroupSize;
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        return (
          (group.hasMember(memberId) && group.member(memberId).awaitingJoin !== null) ||
          group.numAwaitingJoin < max
        );
      default:
        return group.hasMember(memberId) || group.members.size < max;
    }
  }

  private joinNewMember(
    group: ClassicGroup,
    req: JoinGroupInput,
    resolve: (r: JoinGroupResult) => void,
  ): void {
    if (group.is('Dead')) return resolve(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, ''));
    if (!group.supportsProtocols(req.protocolType, protocolNames(req))) {
      return resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, ''));
    }
    const newMemberId = `${req.groupInstanceId ?? req.clientId}-${randomUUID()}`;
    if (req.groupInstanceId !== null) {
      const existing = group.staticMembers.get(req.groupInstanceId);
      if (existing !== undefined) {
        this.ctx.logger.info(
          `group ${group.groupId}: static member ${req.groupInstanceId} rejoined without a member id; ${newMemberId} replaces ${existing}`,
        );
        this.replaceStaticMemberThenRebalanceOrCompleteJoin(group, req, existing, newMemberId, resolve);
      } else {
        this.addMemberThenRebalanceOrCompleteJoin(group, req, newMemberId, resolve);
      }
      return;
    }
    if (req.requireKnownMemberId) {
      // KIP-394: the member must come back with this id, so a retried JoinGroup cannot leave a
      // stray member behind. Until then it holds up the join phase, at most one session timeout.
      group.pendingJoinMembers.add(newMemberId);
      this.timers.schedule(heartbeatKey(group.groupId, newMemberId), req.sessionTimeoutMs, () =>
        this.expireHeartbeat(group.groupId, newMemberId),
      );
      return resolve(joinError(ErrorCode.MEMBER_ID_REQUIRED, newMemberId));
    }
    this.addMemberThenRebalanceOrCompleteJoin(group, req, newMemberId, resolve);
  }

  private joinExistingMember(
    group: ClassicGroup,
    req: JoinGroupInput,
    resolve: (r: JoinGroupResult) => void,
  ): void {
    const { memberId } = req;
    if (group.is('Dead')) return resolve(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId));
    if (!group.supportsProtocols(req.protocolType, protocolNames(req))) {
      return resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
    }
    if (group.pendingJoinMembers.has(memberId)) {
      return this.addMemberThenRebalanceOrCompleteJoin(group, req, memberId, resolve);
    }
    const error = group.validateMember(memberId, req.groupInstanceId);
    if (error !== ErrorCode.NONE) return resolve(joinError(error, memberId));
    const member = group.member(memberId);
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberThenRebalanceOrCompleteJoin(group, member, req, resolve);
      case 'CompletingRebalance':
        if (member.matches(req.protocols)) {
          // The member lost our JoinGroup answer: send it again.
          return resolve(this.joinAnswer(group, member.memberId, group.isLeader(memberId)));
        }
        return this.updateMemberThenRebalanceOrCompleteJoin(group, member, req, resolve);
      case 'Stable':
        // A rejoining leader forces a rebalance: it may know of changes the metadata does not show
        // (new partitions of a subscribed topic); so does a member whose subscription changed.
        if (group.isLeader(memberId) || !member.matches(req.protocols)) {
          return this.updateMemberThenRebalanceOrCompleteJoin(group, member, req, resolve);
        }
        return resolve(this.joinAnswer(group, member.memberId, false));
      default:
        return resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    }
  }

  private joinAnswer(group: ClassicGroup, memberId: string, withMembers: boolean): JoinGroupResult {
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId,
      members: withMembers ? group.currentMembers() : [],
    };
  }

  private addMemberThenRebalanceOrCompleteJoin(
    group: ClassicGroup,
    req: JoinGroupInput,
    memberId: string,
    resolve: (r: JoinGroupResult) => void,
  ): void {
    const member = new GroupMember(
      memberId,
      req.groupInstanceId,
      req.clientId,
      req.clientHost,
      req.rebalanceTimeoutMs,
      req.sessionTimeoutMs,
      req.protocolType,
      req.protocols,
    );
    member.isNew = true;
    if (group.is('PreparingRebalance') && group.previousState === 'Empty') group.newMemberAdded = true;
    group.add(member, resolve);
    // A parked JoinGroup cannot heartbeat, and a client that gave up on it would leave a defunct
    // member in every rebalance; new members are dropped if they do not complete a join in time.
    this.rescheduleHeartbeat(group, member, this.config.newMemberJoinTimeoutMs);
    this.maybePrepareRebalanceOrCompleteJoin(
      group,
      `adding new member ${memberId}${reasonSuffix(req.reason)}`,
    );
  }

  private updateMemberThenRebalanceOrCompleteJoin(
    group: ClassicGroup,
    member: GroupMember,
    req: JoinGroupInput,
    resolve: (r: JoinGroupResult) => void,
  ): void {
    member.protocols = req.protocols;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    // A JoinGroup that supersedes a parked one (a client retry on another connection) must not leave
    // the first unanswered: its connection would wait for it forever.
    completeJoin(member, joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
    member.awaitingJoin = resolve;
    this.maybePrepareRebalanceOrCompleteJoin(
      group,
      `member ${member.memberId} rejoined in ${group.state}${reasonSuffix(req.reason)}`,
    );
  }

  private replaceStaticMemberThenRebalanceOrCompleteJoin(
    group: ClassicGroup,
    req: JoinGroupInput,
    oldMemberId: string,
    newMemberId: string,
    resolve: (r: JoinGroupResult) => void,
  ): void {
    const instanceId = req.groupInstanceId!;
    const currentLeader = group.leaderId ?? '';
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId);
    this.timers.cancel(heartbeatKey(group.groupId, oldMemberId));
    this.rescheduleHeartbeat(group, member);
    const old = {
      protocols: member.protocols,
      rebalanceTimeoutMs: member.rebalanceTimeoutMs,
      sessionTimeoutMs: member.sessionTimeoutMs,
    };
    member.protocols = req.protocols;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.awaitingJoin = resolve;

    if (group.is('Stable')) {
      if (group.protocolName !== group.selectProtocol()) {
        return this.maybePrepareRebalanceOrCompleteJoin(
          group,
          `static member ${instanceId} rejoined with other protocols`,
        );
      }
      // The same member came back (a restart with the same group.instance.id): it takes over the old
      // id's assignment without a rebalance; only the new member id needs to be stored.
      const assignment = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment]));
      void this.append([this.groupRecord(group, assignment)]).then((error) => {
        if (error !== ErrorCode.NONE) {
          if (group.members.get(newMemberId) === member) {
            member.awaitingJoin = null;
            Object.assign(member, old);
            const restored = group.replaceStaticMember(instanceId, newMemberId, oldMemberId);
            this.timers.cancel(heartbeatKey(group.groupId, newMemberId));
            this.rescheduleHeartbeat(group, restored);
          }
          resolve({
            ...joinError(coordinatorWriteError(error), ''),
            generationId: group.generationId,
            protocolType: group.protocolType,
            protocolName: group.protocolName,
            leader: currentLeader,
          });
          return;
        }
        const isLeader = group.isLeader(newMemberId);
        completeJoin(
          member,
          req.supportsSkipAssignment
            ? { ...this.joinAnswer(group, newMemberId, isLeader), skipAssignment: isLeader }
            : // Older clients would run the assignment again; telling them the old leader id keeps them
              // from thinking they lead.
              { ...this.joinAnswer(group, newMemberId, false), leader: currentLeader },
        );
      });
      return;
    }
    if (group.is('CompletingRebalance')) {
      // The leader may already be assigning to the old member id; the new id would get nothing.
      return this.prepareRebalance(group, `static member ${instanceId} rejoined during CompletingRebalance`);
    }
    this.maybeCompleteJoinPhase(group);
  }

  private maybePrepareRebalanceOrCompleteJoin(group: ClassicGroup, reason: string): void {
    if (group.canRebalance()) this.prepareRebalance(group, reason);
    else this.maybeCompleteJoinPhase(group);
  }

  /** Completes the join phase if everyone is in, except during the delayed initial rebalance. */
  private maybeCompleteJoinPhase(group: ClassicGroup): void {
    if (!group.is('PreparingRebalance')) return;
    if (group.previousState === 'Empty') return;
    if (!group.hasAllMembersJoined()) return;
    this.completeJoinPhase(group);
  }

  prepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.is('CompletingRebalance'))
      this.resetAndPropagateAssignmentWithError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    this.removeSyncExpiration(group);
    const isInitialRebalance = group.is('Empty');
    if (isInitialRebalance) {
      // group.initial.rebalance.delay.ms: more members of a starting application may still join.
      const delay = this.config.initialRebalanceDelayMs;
      const remaining = Math.max(group.rebalanceTimeoutMs() - delay, 0);
      this.timers.schedule(joinKey(group.groupId), delay, () =>
        this.tryCompleteInitialRebalanceElseSchedule(group.groupId, delay, remaining),
      );
    }
    group.transitionTo('PreparingRebalance', this.now);
    this.ctx.logger.info(
      `group ${group.groupId}: preparing to rebalance generation ${group.generationId} (${reason})`,
    );
    if (isInitialRebalance) return;
    if (group.hasAllMembersJoined()) {
      this.completeJoinPhase(group);
    } else {
      this.timers.schedule(joinKey(group.groupId), group.rebalanceTimeoutMs(), () =>
        this.completeJoinPhaseOf(group.groupId),
      );
    }
  }

  private tryCompleteInitialRebalanceElseSchedule(groupId: string, delay: number, remaining: number): void {
    const group = this.groups.get(groupId);
    if (!group) return;
    if (group.newMemberAdded && remaining !== 0) {
      group.newMemberAdded = false;
      const nextDelay = Math.min(this.config.initialRebalanceDelayMs, remaining);
      const nextRemaining = Math.max(remaining - delay, 0);
      this.timers.schedule(joinKey(groupId), nextDelay, () =>
        this.tryCompleteInitialRebalanceElseSchedule(groupId, nextDelay, nextRemaining),
      );
      return;
    }
    this.completeJoinPhase(group);
  }

  private completeJoinPhaseOf(groupId: string): void {
    const group = this.groups.get(groupId);
    if (group) this.completeJoinPhase(group);
  }

  /**
   * Ends the join phase (Kafka's completeClassicGroupJoin): dynamic members that did not rejoin are
   * dropped, a leader is elected among those who did, and everyone gets the new generation — the
   * leader with the member list it must assign.
   */
  private completeJoinPhase(group: ClassicGroup): void {
    this.timers.cancel(joinKey(group.groupId));
    const gone = group.notYetRejoinedMembers().filter((m) => !m.isStatic);
    for (const m of gone) {
      group.remove(m.memberId);
      this.timers.cancel(heartbeatKey(group.groupId, m.memberId));
    }
    if (gone.length > 0) {
      this.ctx.logger.info(
        `group ${group.groupId}: removed members that did not rejoin: ${gone.map((m) => m.memberId).join(', ')}`,
      );
    }
    if (group.is('Dead')) return;
    if (!this.maybeElectNewJoinedLeader(group) && group.members.size > 0) {
      // Only static members that have not rejoined are left: wait for them, or for their sessions to end.
      this.timers.schedule(joinKey(group.groupId), group.rebalanceTimeoutMs(), () =>
        this.completeJoinPhaseOf(group.groupId),
      );
      return;
    }
    group.initNextGeneration(this.now);
    if (group.is('Empty')) {
      this.ctx.logger.info(`group ${group.groupId} is empty at generation ${group.generationId}`);
      void this.append([this.groupRecord(group, new Map())]).then((error) => {
        // Nobody waits on it: an unstored empty generation only means the previous one comes back
        // after a failover, and its members time out.
        if (error !== ErrorCode.NONE)
          this.ctx.logger.warn(
            `group ${group.groupId}: storing the empty generation failed (error ${error})`,
          );
      });
      return;
    }
    this.ctx.logger.info(
      `group ${group.groupId}: generation ${group.generationId} with ${group.members.size} members`,
    );
    for (const member of group.members.values()) {
      completeJoin(member, this.joinAnswer(group, member.memberId, group.isLeader(member.memberId)));
      this.rescheduleHeartbeat(group, member);
      member.isNew = false;
      group.pendingSyncMembers.add(member.memberId);
    }
    // Members that never send SyncGroup are dropped after the rebalance timeout.
    const generation = group.generationId;
    this.timers.schedule(syncKey(group.groupId), group.rebalanceTimeoutMs(), () =>
      this.expirePendingSync(group.groupId, generation),
    );
  }

  private maybeElectNewJoinedLeader(group: ClassicGroup): boolean {
    if (group.leaderId === null) return false;
    const leader = group.members.get(group.leaderId);
    if (leader && leader.awaitingJoin) return true;
    for (const m of group.members.values()) {
      if (m.awaitingJoin) {
        group.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  private expirePendingSync(groupId: string, generationId: number): void {
    const group = this.groups.get(groupId);
    if (!group || group.generationId !== generationId) return;
    if (!group.is('CompletingRebalance') && !group.is('Stable')) return;
    if (group.pendingSyncMembers.size === 0) return;
    const late = [...group.pendingSyncMembers];
    for (const memberId of late) {
      const m = group.members.get(memberId);
      if (m) completeJoin(m, joinError(ErrorCode.UNKNOWN_MEMBER_ID, ''));
      group.remove(memberId);
      this.timers.cancel(heartbeatKey(groupId, memberId));
    }
    this.prepareRebalance(group, `members ${late.join(', ')} did not send SyncGroup in time`);
  }

  private removeSyncExpiration(group: ClassicGroup): void {
    group.pendingSyncMembers.clear();
    this.timers.cancel(syncKey(group.groupId));
  }

  private removePendingSyncMember(group: ClassicGroup, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    const stillWaiting =
      (group.is('CompletingRebalance') || group.is('Stable')) && group.pendingSyncMembers.size > 0;
    if (!stillWaiting) this.timers.cancel(syncKey(group.groupId));
  }

  private resetAndPropagateAssignmentWithError(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) m.assignment = EMPTY_BYTES;
    this.propagateAssignment(group, errorCode);
  }

  private setAndPropagateAssignment(group: ClassicGroup, assignment: Map<string, Buffer>): void {
    for (const m of group.members.values()) m.assignment = assignment.get(m.memberId) ?? EMPTY_BYTES;
    this.propagateAssignment(group, ErrorCode.NONE);
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    const ok = errorCode === ErrorCode.NONE;
    for (const member of group.members.values()) {
      const answered = completeSync(member, {
        errorCode,
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: member.assignment,
      });
      // A member whose session ran out while it waited for the assignment gets a fresh timer now.
      if (answered) this.rescheduleHeartbeat(group, member);
    }
  }

  private rescheduleHeartbeat(
    group: ClassicGroup,
    member: GroupMember,
    timeoutMs = member.sessionTimeoutMs,
  ): void {
    const { groupId } = group;
    const { memberId } = member;
    this.timers.schedule(heartbeatKey(groupId, memberId), timeoutMs, () =>
      this.expireHeartbeat(groupId, memberId),
    );
  }

  private expireHeartbeat(groupId: string, memberId: string): void {
    const group = this.groups.get(groupId);
    if (!group || group.is('Dead')) return;
    if (group.pendingJoinMembers.has(memberId)) {
      this.ctx.logger.info(
        `group ${groupId}: pending member ${memberId} did not rejoin within its session timeout`,
      );
      group.remove(memberId);
      if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) this.completeJoinPhase(group);
      return;
    }
    const member = group.members.get(memberId);
    if (!member || member.hasSatisfiedHeartbeat()) return;
    this.ctx.logger.info(`group ${groupId}: member ${memberId} failed its session timeout; removing it`);
    this.removeMemberAndUpdateGroup(group, member, `member ${memberId} expired`);
  }

  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember, reason: string): void {
    // A member may time out with a JoinGroup parked; UNKNOWN_MEMBER_ID makes a live client rejoin.
    completeJoin(member, joinError(ErrorCode.UNKNOWN_MEMBER_ID, ''));
    completeSync(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    group.remove(member.memberId);
    this.timers.cancel(heartbeatKey(group.groupId, member.memberId));
    if (group.is('Stable') || group.is('CompletingRebalance'))
      this.maybePrepareRebalanceOrCompleteJoin(group, reason);
    else if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) this.completeJoinPhase(group);
  }

  // ---------------------------------------------------------------- SyncGroup

  sync(req: SyncGroupInput): Promise<SyncGroupResult> {
    return new Promise((resolve) => {
      const group = this.groups.get(req.groupId);
      if (!group || group.is('Empty')) return resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      const error = this.validateSync(group, req);
      if (error !== ErrorCode.NONE) return resolve(syncError(error));
      if (group.is('PreparingRebalance')) return resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      const member = group.member(req.memberId);
      if (group.is('Stable')) {
        this.removePendingSyncMember(group, req.memberId);
        return resolve({
          errorCode: ErrorCode.NONE,
          protocolType: group.protocolType,
          protocolName: group.protocolName,
          assignment: member.assignment,
        });
      }
      // CompletingRebalance: park until the leader's assignment is stored.
      completeSync(member, syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      member.awaitingSync = resolve;
      this.removePendingSyncMember(group, req.memberId);
      if (!group.isLeader(req.memberId)) return;
      const assignment = new Map<string, Buffer>();
      for (const a of req.assignments) assignment.set(a.memberId, a.assignment ?? EMPTY_BYTES);
      for (const m of group.members.values())
        if (!assignment.has(m.memberId)) assignment.set(m.memberId, EMPTY_BYTES);
      const generation = group.generationId;
      void this.append([this.groupRecord(group, assignment)]).then((appendError) => {
        // Another member may have joined meanwhile: only the same generation, still waiting, moves on.
        if (
          this.groups.get(group.groupId) !== group ||
          !group.is('CompletingRebalance') ||
          group.generationId !== generation
        )
          return;
        if (appendError !== ErrorCode.NONE) {
          const mapped = coordinatorWriteError(appendError);
          this.resetAndPropagateAssignmentWithError(group, mapped);
          this.maybePrepareRebalanceOrCompleteJoin(
            group,
            `storing the assignment failed with error ${mapped}`,
          );
          return;
        }
        this.setAndPropagateAssignment(group, assignment);
        group.transitionTo('Stable', this.now);
        this.ctx.logger.info(`group ${group.groupId}: generation ${generation} is stable`);
      });
    });
  }

  private validateSync(group: ClassicGroup, req: SyncGroupInput): number {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const error = group.validateMember(req.memberId, req.groupInstanceId);
    if (error !== ErrorCode.NONE) return error;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    const inconsistent = (requested: string | null, actual: string | null) =>
      requested !== null && actual !== null && requested !== actual;
    if (
      inconsistent(req.protocolType, group.protocolType) ||
      inconsistent(req.protocolName, group.protocolName)
    ) {
      return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
    }
    return ErrorCode.NONE;
  }

  // ---------------------------------------------------------------- Heartbeat, LeaveGroup

  heartbeat(req: HeartbeatInput): number {
    const group = this.groups.get(req.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const error = group.validateMember(req.memberId, req.groupInstanceId);
    if (error !== ErrorCode.NONE) return error;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    switch (group.state) {
      case 'Empty':
        return ErrorCode.UNKNOWN_MEMBER_ID;
      case 'PreparingRebalance':
        this.rescheduleHeartbeat(group, group.member(req.memberId));
        return ErrorCode.REBALANCE_IN_PROGRESS;
      default:
        // Consumers heartbeat from their JoinGroup answer on, while the group still completes.
        this.rescheduleHeartbeat(group, group.member(req.memberId));
        return ErrorCode.NONE;
    }
  }

  leave(groupId: string, members: LeaveMemberInput[]): LeaveGroupResult {
    const group = this.groups.get(groupId);
    if (!group) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members: [] };
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const results: LeaveGroupResult['members'] = [];
    let anyLeft = false;
    for (const m of members) {
      const result = (errorCode: number) =>
        results.push({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode });
      if (m.memberId === '') {
        // An admin removes static members by group.instance.id alone (kafka-consumer-groups --delete-members).
        const staticId = m.groupInstanceId !== null ? group.staticMembers.get(m.groupInstanceId) : undefined;
        if (staticId === undefined) {
          result(ErrorCode.UNKNOWN_MEMBER_ID);
          continue;
        }
        this.removeLeavingMember(group, staticId, m.reason);
      } else if (group.pendingJoinMembers.has(m.memberId)) {
        group.remove(m.memberId);
        this.timers.cancel(heartbeatKey(groupId, m.memberId));
      } else {
        const error = group.validateMember(m.memberId, m.groupInstanceId);
        if (error !== ErrorCode.NONE) {
          result(error);
          continue;
        }
        this.removeLeavingMember(group, m.memberId, m.reason);
      }
      anyLeft = true;
      result(ErrorCode.NONE);
    }
    if (anyLeft) {
      if (group.is('Stable') || group.is('CompletingRebalance'))
        this.maybePrepareRebalanceOrCompleteJoin(group, 'members left the group');
      else if (group.is('PreparingRebalance')) this.maybeCompleteJoinPhase(group);
    }
    return { errorCode: ErrorCode.NONE, members: results };
  }

  private removeLeavingMember(group: ClassicGroup, memberId: string, reason: string | null): void {
    const member = group.member(memberId);
    this.timers.cancel(heartbeatKey(group.groupId, memberId));
    this.ctx.logger.info(`group ${group.groupId}: member ${memberId} left${reasonSuffix(reason)}`);
    completeJoin(member, joinError(ErrorCode.UNKNOWN_MEMBER_ID, ''));
    completeSync(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    group.remove(memberId);
  }

  // ---------------------------------------------------------------- Offsets

  /** Kafka's ClassicGroup.validateOffsetCommit; NONE when the commit may proceed. */
  private validateOffsetCommit(group: ClassicGroup, req: OffsetCommitInput): number {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const generation = req.generationIdOrMemberEpoch;
    // Generation -1: an admin or a consumer that assigns partitions itself; allowed while nobody is in the group.
    if (generation < 0 && group.is('Empty')) return ErrorCode.NONE;
    if (generation >= 0 || req.memberId !== '' || req.groupInstanceId !== null) {
      const error = group.validateMember(req.memberId, req.groupInstanceId);
      if (error !== ErrorCode.NONE) return error;
      if (generation !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    } else if (!group.is('Empty')) {
      return ErrorCode.UNKNOWN_MEMBER_ID;
    }
    // The member has the new generation but not its assignment yet.
    if (group.is('CompletingRebalance')) return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  async commitOffsets(req: OffsetCommitInput): Promise<TopicPartitionErrors[]> {
    const respond = (errorOf: (p: CommitPartitionInput) => number): TopicPartitionErrors[] =>
      req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: errorOf(p) })),
      }));
    const group = this.groups.get(req.groupId);
    let groupError: number = ErrorCode.NONE;
    if (!group) {
      // A group that does not exist is created by a simple (generation -1) commit; OffsetCommit v9
      // tells the others GROUP_ID_NOT_FOUND, older versions ILLEGAL_GENERATION.
      if (req.generationIdOrMemberEpoch >= 0)
        groupError = req.apiVersion >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION;
    } else {
      groupError = this.validateOffsetCommit(group, req);
    }
    if (groupError !== ErrorCode.NONE) return respond(() => groupError);
    if (group && (group.is('Stable') || group.is('PreparingRebalance'))) {
      // Classic consumers' commits keep their session alive.
      const member = group.members.get(req.memberId);
      if (member) this.rescheduleHeartbeat(group, member);
    }
    const now = this.now;
    const expireTimestamp = req.retentionTimeMs === -1 ? -1 : now + req.retentionTimeMs;
    const records: CoordinatorRecord[] = [];
    const tooLarge = (p: CommitPartitionInput) =>
      p.committedMetadata !== null && p.committedMetadata.length > this.config.offsetMetadataMaxBytes;
    for (const t of req.topics) {
      for (const p of t.partitions) {
        if (tooLarge(p)) continue;
        records.push({
          type: 'offset',
          group: req.groupId,
          topic: t.name,
          partition: p.partitionIndex,
          value: {
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch,
            metadata: p.committedMetadata ?? '',
            commitTimestamp: now,
            expireTimestamp,
          },
        });
      }
    }
    if (records.length === 0)
      return respond((p) => (tooLarge(p) ? ErrorCode.OFFSET_METADATA_TOO_LARGE : ErrorCode.NONE));
    const appendError = await this.append(records);
    if (appendError !== ErrorCode.NONE) {
      const mapped = commitWriteError(appendError);
      return respond((p) => (tooLarge(p) ? ErrorCode.OFFSET_METADATA_TOO_LARGE : mapped));
    }
    if (!this.closed) for (const r of records) this.replay(r);
    return respond((p) => (tooLarge(p) ? ErrorCode.OFFSET_METADATA_TOO_LARGE : ErrorCode.NONE));
  }

  /**
   * Committed offsets of a group: the asked-for partitions (-1 where nothing is committed), or all of
   * them when `topics` is null. An unknown group simply has none.
   */
  fetchOffsets(
    groupId: string,
    topics: { name: string; partitionIndexes: number[] }[] | null,
  ): FetchedTopic[] {
    const group = this.groups.get(groupId);
    const live = group && !group.is('Dead') ? group : undefined;
    const entry = (partitionIndex: number, o: OffsetAndMetadata | undefined): FetchedOffset => ({
      partitionIndex,
      committedOffset: o ? o.committedOffset : -1,
      committedLeaderEpoch: o ? o.leaderEpoch : -1,
      metadata: o ? o.metadata : '',
      errorCode: ErrorCode.NONE,
    });
    if (topics === null) {
      if (!live) return [];
      return [...live.offsets].map(([name, byPartition]) => ({
        name,
        partitions: [...byPartition].sort((a, b) => a[0] - b[0]).map(([p, o]) => entry(p, o)),
      }));
    }
    return topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => entry(p, live?.offset(t.name, p))),
    }));
  }

  async deleteOffsets(
    groupId: string,
    topics: { name: string; partitions: { partitionIndex: number }[] }[],
  ): Promise<{ errorCode: number; topics: TopicPartitionErrors[] }> {
    const group = this.groups.get(groupId);
    if (!group || group.is('Dead')) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
    if (!group.is('Empty') && !group.usesConsumerProtocol)
      return { errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] };
    const records: CoordinatorRecord[] = [];
    const result: TopicPartitionErrors[] = topics.map((t) => {
      if (group.isSubscribedToTopic(t.name)) {
        return {
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC,
          })),
        };
      }
      for (const p of t.partitions) {
        if (group.offset(t.name, p.partitionIndex)) {
          records.push({
            type: 'offset',
            group: groupId,
            topic: t.name,
            partition: p.partitionIndex,
            value: null,
          });
        }
      }
      return {
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: ErrorCode.NONE,
        })),
      };
    });
    if (records.length > 0) {
      const appendError = await this.append(records);
      if (appendError !== ErrorCode.NONE)
        return { errorCode: coordinatorWriteError(appendError), topics: [] };
      if (!this.closed) for (const r of records) this.replay(r);
    }
    return { errorCode: ErrorCode.NONE, topics: result };
  }

  /**
   * DeleteGroups for the groups of this shard. A deletable group is gone from memory at once (so a
   * join arriving during the write starts a new group, ordered after the tombstones), and comes back
   * if the write fails.
   */
  async deleteGroups(groupIds: string[]): Promise<Map<string, number>> {
    const results = new Map<string, number>();
    const deleted: ClassicGroup[] = [];
    const records: CoordinatorRecord[] = [];
    for (const groupId of groupIds) {
      const group = this.groups.get(groupId);
      if (!group || group.is('Dead')) {
        results.set(groupId, ErrorCode.GROUP_ID_NOT_FOUND);
        continue;
      }
      if (!group.is('Empty')) {
        results.set(groupId, ErrorCode.NON_EMPTY_GROUP);
        continue;
      }
      records.push(...this.tombstonesFor(group));
      this.removeGroup(group);
      deleted.push(group);
    }
    if (deleted.length === 0) return results;
    const appendError = await this.append(records);
    for (const group of deleted) {
      if (appendError === ErrorCode.NONE) {
        results.set(group.groupId, ErrorCode.NONE);
        this.ctx.logger.info(`group ${group.groupId} deleted`);
      } else {
        results.set(group.groupId, coordinatorWriteError(appendError));
        if (!this.closed && !this.groups.has(group.groupId)) {
          group.state = 'Empty';
          this.groups.set(group.groupId, group);
        }
      }
    }
    return results;
  }

  private tombstonesFor(group: ClassicGroup): CoordinatorRecord[] {
    const records: CoordinatorRecord[] = [];
    for (const [topic, byPartition] of group.offsets) {
      for (const partition of byPartition.keys())
        records.push({ type: 'offset', group: group.groupId, topic, partition, value: null });
    }
    records.push({ type: 'group', group: group.groupId, value: null });
    return records;
  }

  private removeGroup(group: ClassicGroup): void {
    group.transitionTo('Dead', this.now);
    this.timers.cancel(joinKey(group.groupId));
    this.timers.cancel(syncKey(group.groupId));
    this.groups.delete(group.groupId);
  }

  /**
   * Offset retention (Kafka's cleanupExpiredOffsets): offsets of empty groups expire
   * offsets.retention.minutes after the group emptied; a stable consumer group's offsets for topics
   * it no longer subscribes to, that long after their commit; a simple group's, after their commit;
   * an explicit expire timestamp wins. An empty group left without offsets is deleted.
   */
  async expireOffsets(): Promise<void> {
    const now = this.now;
    const retention = this.config.offsetsRetentionMs;
    const records: CoordinatorRecord[] = [];
    const emptied: ClassicGroup[] = [];
    for (const group of this.groups.values()) {
      const base = this.expirationBase(group);
      if (base === null) continue;
      let allExpired = true;
      for (const [topic, byPartition] of group.offsets) {
        if (group.isSubscribedToTopic(topic)) {
          allExpired = false;
          continue;
        }
        for (const [partition, o] of byPartition) {
          const expired = o.expireTimestamp >= 0 ? now >= o.expireTimestamp : now - base(o) >= retention;
          if (expired) records.push({ type: 'offset', group: group.groupId, topic, partition, value: null });
          else allExpired = false;
        }
      }
      if (allExpired && group.is('Empty')) {
        records.push({ type: 'group', group: group.groupId, value: null });
        emptied.push(group);
      }
    }
    if (records.length === 0) return;
    const appendError = await this.append(records);
    if (appendError !== ErrorCode.NONE || this.closed) return;
    for (const r of records) if (r.type === 'offset') this.replay(r);
    for (const group of emptied) {
      if (this.groups.get(group.groupId) === group && group.is('Empty') && !group.hasOffsets) {
        this.removeGroup(group);
        this.ctx.logger.info(`group ${group.groupId} expired: empty, and all its offsets expired`);
      }
    }
  }

  /** Kafka's offsetExpirationCondition: from when an offset's retention counts, or null if it does not. */
  private expirationBase(group: ClassicGroup): ((o: OffsetAndMetadata) => number) | null {
    if (group.protocolType === null) return (o) => o.commitTimestamp;
    if (group.is('Empty')) {
      const emptiedAt = group.currentStateTimestamp;
      return (o) => (emptiedAt >= 0 ? emptiedAt : o.commitTimestamp);
    }
    if (group.usesConsumerProtocol && group.subscribedTopics !== null && group.is('Stable'))
      return (o) => o.commitTimestamp;
    return null;
  }

  /** Tombstones the offsets of deleted topics (Kafka's onPartitionsDeleted). */
  async deleteOffsetsOfTopics(topics: Set<string>): Promise<void> {
    const records: CoordinatorRecord[] = [];
    for (const group of this.groups.values()) {
      for (const [topic, byPartition] of group.offsets) {
        if (!topics.has(topic)) continue;
        for (const partition of byPartition.keys())
          records.push({ type: 'offset', group: group.groupId, topic, partition, value: null });
      }
    }
    if (records.length === 0) return;
    const appendError = await this.append(records);
    if (appendError === ErrorCode.NONE && !this.closed) for (const r of records) this.replay(r);
  }

  // ---------------------------------------------------------------- Describe, list

  describe(groupId: string): DescribedGroup {
    const group = this.groups.get(groupId);
    if (!group || group.is('Dead')) {
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        groupState: 'Dead',
        protocolType: '',
        protocolData: '',
        members: [],
      };
    }
    const stable = group.is('Stable');
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: stable ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadata(group.protocolName) : EMPTY_BYTES,
        memberAssignment: stable ? m.assignment : EMPTY_BYTES,
      })),
    };
  }

  list(): ListedGroup[] {
    return [...this.groups.values()]
      .filter((g) => !g.is('Dead'))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType ?? '',
        groupState: g.state,
        groupType: 'classic' as const,
      }));
  }

  // ---------------------------------------------------------------- Load, unload

  /** Applies one record read back from the log (loading) or just written (offsets, tombstones). */
  replay(record: CoordinatorRecord): void {
    const existing = this.groups.get(record.group);
    if (record.type === 'offset') {
      if (record.value === null) {
        existing?.setOffset(record.topic, record.partition, null);
        return;
      }
      // Offsets without group metadata belong to a simple group (an admin's or a manual consumer's).
      const group = existing ?? this.createGroup(record.group);
      const v = record.value;
      group.setOffset(record.topic, record.partition, {
        committedOffset: v.offset,
        leaderEpoch: v.leaderEpoch,
        metadata: v.metadata,
        commitTimestamp: v.commitTimestamp,
        expireTimestamp: v.expireTimestamp,
      });
      return;
    }
    if (record.value === null) {
      if (!existing) return;
      if (existing.hasOffsets) existing.resetMembership(this.now);
      else this.groups.delete(record.group);
      return;
    }
    (existing ?? this.createGroup(record.group)).loadFromRecord(record.value);
  }

  private createGroup(groupId: string): ClassicGroup {
    const group = new ClassicGroup(groupId, this.now);
    this.groups.set(groupId, group);
    return group;
  }

  /** After a load: restored members get a session timer, as if they had just heartbeated. */
  onLoaded(): void {
    for (const group of this.groups.values()) {
      for (const member of group.members.values()) this.rescheduleHeartbeat(group, member);
      if (group.members.size > this.config.maxGroupSize) {
        this.prepareRebalance(group, `loaded with ${group.members.size} members, more than group.max.size`);
      }
    }
  }

  /** Leadership moved away: parked requests learn NOT_COORDINATOR and find the new coordinator. */
  unload(): void {
    this.closed = true;
    this.timers.cancelAll();
    for (const group of this.groups.values()) {
      group.state = 'Dead';
      for (const member of group.members.values()) {
        completeJoin(member, joinError(ErrorCode.NOT_COORDINATOR, member.memberId));
        completeSync(member, syncError(ErrorCode.NOT_COORDINATOR));
      }
    }
    this.groups.clear();
  }
}

function protocolNames(req: JoinGroupInput): string[] {
  return req.protocols.map((p) => p.name);
}

function reasonSuffix(reason: string | null): string {
  return reason ? `; client reason: ${reason}` : '';
}
