import { ErrorCode } from '../protocol/errors.js';
import { CONSUMER_PROTOCOL_TYPE, subscribedTopicsOf } from './consumer-protocol.js';
import type { GroupMetadataValue } from './records.js';

/** The classic group states, spelled as Kafka reports them (DescribeGroups, ListGroups). */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

const VALID_PREVIOUS_STATES: Record<GroupState, readonly GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

export const EMPTY_BYTES = Buffer.alloc(0);

export interface Protocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupResultMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

/** A JoinGroup answer in wire terms; the handler maps it onto the request's version. */
export interface JoinGroupResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  members: JoinGroupResultMember[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export function joinError(errorCode: number, memberId: string): JoinGroupResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY_BYTES };
}

/** A committed offset as the coordinator keeps it. */
export interface OffsetAndMetadata {
  committedOffset: number;
  /** -1 when the client sent none. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Explicit expiry (OffsetCommit v2-4 retention time), or -1. */
  expireTimestamp: number;
}

/** One member of a classic group (Kafka's ClassicGroupMember). */
export class GroupMember {
  assignment: Buffer = EMPTY_BYTES;
  /** The parked JoinGroup of this member, answered when the join phase completes. */
  awaitingJoin: ((result: JoinGroupResult) => void) | null = null;
  /** The parked SyncGroup of this member, answered when the leader's assignment is stored. */
  awaitingSync: ((result: SyncGroupResult) => void) | null = null;
  /** Joined but not yet through a completed join phase: its session timer is the join timeout. */
  isNew = false;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public protocols: Protocol[],
  ) {}

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  /** The member's metadata for a protocol (empty when it does not support it). */
  metadata(protocolName: string | null): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY_BYTES;
  }

  /** Same protocols, same order, same metadata: a rejoin that changes nothing. */
  matches(protocols: Protocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every(
        (p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata),
      )
    );
  }

  /** The member's most preferred protocol among the group's candidates. */
  vote(candidates: Set<string>): string {
    const choice = this.protocols.find((p) => candidates.has(p.name));
    if (!choice) throw new Error(`member ${this.memberId} supports none of the candidate protocols`);
    return choice.name;
  }

  /**
   * Whether a session timer firing now should spare the member: a member with a parked JoinGroup or
   * SyncGroup is alive (its timer is rescheduled when the request is answered), except a new member,
   * whose timer is the join timeout.
   */
  hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return false;
    return this.awaitingJoin !== null || this.awaitingSync !== null;
  }
}

/**
 * One classic group (Kafka's ClassicGroup): membership, generation, selected protocol, leader and
 * its committed offsets. Pure state and the rules that only look at that state; the rebalance
 * protocol that also needs timers and the log lives in GroupShard.
 */
export class ClassicGroup {
  state: GroupState = 'Empty';
  previousState: GroupState | null = null;
  /** When the group entered its current state (GroupMetadataValue.currentStateTimestamp), or -1. */
  currentStateTimestamp = -1;
  generationId = 0;
  /** Fixed by the first member to join an empty group, kept after the group empties again. */
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Members in join order (a Map iterates in insertion order). */
  readonly members = new Map<string, GroupMember>();
  /** group.instance.id → member id. */
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED and not yet used to join. */
  readonly pendingJoinMembers = new Set<string>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  /** A new member joined during the delayed initial rebalance, so the delay may be extended. */
  newMemberAdded = false;
  /** Topics the members subscribe to (consumer protocol only); null when unknown. */
  subscribedTopics: Set<string> | null = null;
  /** topic → partition → committed offset. */
  readonly offsets = new Map<string, Map<number, OffsetAndMetadata>>();

  constructor(
    readonly groupId: string,
    now: number,
  ) {
    this.currentStateTimestamp = now;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  transitionTo(state: GroupState, now: number): void {
    if (!VALID_PREVIOUS_STATES[state].includes(this.state)) {
      throw new Error(`group ${this.groupId} cannot go from ${this.state} to ${state}`);
    }
    this.previousState = this.state;
    this.state = state;
    this.currentStateTimestamp = now;
  }

  /** Stable, CompletingRebalance and Empty groups may start a rebalance. */
  canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this.state);
  }

  get usesConsumerProtocol(): boolean {
    return this.protocolType === CONSUMER_PROTOCOL_TYPE;
  }

  hasMember(memberId: string): boolean {
    return this.members.has(memberId);
  }

  member(memberId: string): GroupMember {
    const m = this.members.get(memberId);
    if (!m) throw new Error(`member ${memberId} is not in group ${this.groupId}`);
    return m;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  get numAwaitingJoin(): number {
    let n = 0;
    for (const m of this.members.values()) if (m.awaitingJoin) n++;
    return n;
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.numAwaitingJoin && this.pendingJoinMembers.size === 0;
  }

  notYetRejoinedMembers(): GroupMember[] {
    return [...this.members.values()].filter((m) => !m.awaitingJoin);
  }

  /** The largest rebalance timeout among the members: how long a join phase may last. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  add(member: GroupMember, awaitingJoin: ((r: JoinGroupResult) => void) | null): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    member.awaitingJoin = awaitingJoin;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.pendingJoinMembers.delete(member.memberId);
  }

  remove(memberId: string): void {
    const removed = this.members.get(memberId);
    if (removed) {
      this.members.delete(memberId);
      if (removed.groupInstanceId !== null) this.staticMembers.delete(removed.groupInstanceId);
    }
    if (this.isLeader(memberId)) {
      const next = this.members.keys().next();
      this.leaderId = next.done ? null : next.value;
    }
    this.pendingJoinMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
  }

  /**
   * A static member rejoined with a new member id: the old member is fenced (its parked requests get
   * FENCED_INSTANCE_ID) and the new id takes its place, assignment and leadership.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const old = this.member(oldMemberId);
    this.members.delete(oldMemberId);
    completeJoin(old, joinError(ErrorCode.FENCED_INSTANCE_ID, oldMemberId));
    completeSync(old, syncError(ErrorCode.FENCED_INSTANCE_ID));
    const replacement = new GroupMember(
      newMemberId,
      old.groupInstanceId,
      old.clientId,
      old.clientHost,
      old.rebalanceTimeoutMs,
      old.sessionTimeoutMs,
      old.protocolType,
      old.protocols,
    );
    replacement.assignment = old.assignment;
    this.members.set(newMemberId, replacement);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    return replacement;
  }

  /**
   * Checks a member's identity (Kafka's validateMember): a known group.instance.id must map to this
   * member id (else FENCED_INSTANCE_ID), and the member must exist. Returns an error code or NONE.
   */
  validateMember(memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const existing = this.staticMembers.get(groupInstanceId);
      if (existing === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (existing !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    }
    return this.members.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  /** Protocols every member supports. */
  private candidateProtocols(): Set<string> {
    const members = [...this.members.values()];
    if (members.length === 0) return new Set();
    const common = members[0].protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    return new Set(common);
  }

  /**
   * Whether a member with this protocol type and these protocols may join: an empty group takes any
   * non-empty type and list; otherwise the type must match and one protocol be supported by all.
   */
  supportsProtocols(protocolType: string, protocols: string[]): boolean {
    if (this.is('Empty')) return protocolType !== '' && protocols.length > 0;
    if (this.protocolType !== protocolType) return false;
    return protocols.some((name) =>
      [...this.members.values()].every((m) => m.protocols.some((p) => p.name === name)),
    );
  }

  /** Each member votes for its most preferred common protocol; the most votes win (ties: first voted). */
  selectProtocol(): string {
    if (this.members.size === 0) throw new Error(`cannot select a protocol for empty group ${this.groupId}`);
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.vote(candidates);
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    for (const [name, n] of votes) {
      if (n > bestVotes) {
        best = name;
        bestVotes = n;
      }
    }
    return best;
  }

  /**
   * Starts the next generation when a join phase completes: the selected protocol is fixed and the
   * group waits for the leader's assignment, or it is Empty when nobody joined.
   */
  initNextGeneration(now: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('CompletingRebalance', now);
    } else {
      this.protocolName = null;
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('Empty', now);
    }
    this.pendingSyncMembers.clear();
  }

  /** The union of the members' subscriptions for consumer groups; null when it cannot be known. */
  computeSubscribedTopics(): Set<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.members.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const m of this.members.values()) {
      const subscribed = subscribedTopicsOf(m.metadata(this.protocolName));
      if (subscribed === null) return null;
      for (const t of subscribed) topics.add(t);
    }
    return topics;
  }

  /** Consumer groups with unknown subscriptions are treated as subscribed to everything (Kafka's rule). */
  isSubscribedToTopic(topic: string): boolean {
    if (this.subscribedTopics !== null) return this.subscribedTopics.has(topic);
    return this.usesConsumerProtocol;
  }

  /** The member list the leader receives in its JoinGroup answer. */
  currentMembers(): JoinGroupResultMember[] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(this.protocolName),
    }));
  }

  /** The group as a GroupMetadataValue record, with each member's assignment from `assignment`. */
  toRecordValue(assignment: Map<string, Buffer>): GroupMetadataValue {
    return {
      protocolType: this.protocolType ?? '',
      generation: this.generationId,
      protocol: this.protocolName,
      leader: this.leaderId,
      currentStateTimestamp: this.currentStateTimestamp,
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeout: m.rebalanceTimeoutMs,
        sessionTimeout: m.sessionTimeoutMs,
        subscription: m.metadata(this.protocolName),
        assignment: assignment.get(m.memberId) ?? EMPTY_BYTES,
      })),
    };
  }

  /**
   * Loads the group's membership from a GroupMetadataValue while replaying the log (Kafka's
   * loadGroup): a group with members comes back Stable in its generation, and the members keep their
   * session timeouts from now — they stay if they heartbeat, and leave the usual way if not.
   */
  loadFromRecord(value: GroupMetadataValue): void {
    this.members.clear();
    this.staticMembers.clear();
    this.pendingJoinMembers.clear();
    this.pendingSyncMembers.clear();
    this.protocolType = value.protocolType === '' ? null : value.protocolType;
    this.generationId = value.generation;
    this.protocolName = value.protocol;
    this.leaderId = value.leader;
    this.currentStateTimestamp = value.currentStateTimestamp;
    for (const m of value.members) {
      const member = new GroupMember(
        m.memberId,
        m.groupInstanceId,
        m.clientId,
        m.clientHost,
        m.rebalanceTimeout,
        m.sessionTimeout,
        value.protocolType,
        [{ name: value.protocol ?? '', metadata: m.subscription }],
      );
      member.assignment = m.assignment;
      this.members.set(member.memberId, member);
      if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    this.state = this.members.size > 0 ? 'Stable' : 'Empty';
    this.previousState = null;
    this.subscribedTopics = this.computeSubscribedTopics();
  }

  /** Forgets membership and protocol (a group tombstone) but keeps the committed offsets. */
  resetMembership(now: number): void {
    this.members.clear();
    this.staticMembers.clear();
    this.pendingJoinMembers.clear();
    this.pendingSyncMembers.clear();
    this.protocolType = null;
    this.protocolName = null;
    this.leaderId = null;
    this.generationId = 0;
    this.state = 'Empty';
    this.previousState = null;
    this.currentStateTimestamp = now;
    this.subscribedTopics = null;
  }

  offset(topic: string, partition: number): OffsetAndMetadata | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  setOffset(topic: string, partition: number, offset: OffsetAndMetadata | null): void {
    let byPartition = this.offsets.get(topic);
    if (offset === null) {
      byPartition?.delete(partition);
      if (byPartition && byPartition.size === 0) this.offsets.delete(topic);
      return;
    }
    if (!byPartition) {
      byPartition = new Map();
      this.offsets.set(topic, byPartition);
    }
    byPartition.set(partition, offset);
  }

  get hasOffsets(): boolean {
    return this.offsets.size > 0;
  }
}

/** Answers a member's parked JoinGroup, if any. */
export function completeJoin(member: GroupMember, result: JoinGroupResult): boolean {
  const resolve = member.awaitingJoin;
  if (!resolve) return false;
  member.awaitingJoin = null;
  resolve(result);
  return true;
}

/** Answers a member's parked SyncGroup, if any. */
export function completeSync(member: GroupMember, result: SyncGroupResult): boolean {
  const resolve = member.awaitingSync;
  if (!resolve) return false;
  member.awaitingSync = null;
  resolve(result);
  return true;
}
