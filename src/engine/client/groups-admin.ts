/**
 * Consumer-group administration against any Kafka cluster: list groups (with their states),
 * describe them (members, and their assignments decoded from the consumer protocol), fetch, alter
 * and delete committed offsets, delete groups. Group requests go to the group's coordinator, found
 * with FindCoordinator and re-found when it moves (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, a
 * lost connection); COORDINATOR_LOAD_IN_PROGRESS is waited out. Per-item failures come back as
 * `error` in the results; failures of the whole call throw a KafkaClientError.
 */
import { Cluster, type ClusterOptions } from './cluster.js';
import type { Connection } from './connection.js';
import { API, ErrorCode } from './protocol.js';
import { KafkaClientError, brokerError, isRetriable } from './errors.js';
import { ownCluster } from './util.js';

export interface GroupAdminOptions {
  /** How long a call keeps retrying while the coordinator moves or loads (default 30 s). */
  timeoutMs?: number;
}

export interface CoordinatorInfo {
  nodeId: number;
  host: string;
  port: number;
}

export interface ListGroupsOptions {
  /** Only groups in these states (Empty, Stable, PreparingRebalance, CompletingRebalance …; any case). */
  states?: string[];
  /** Only groups of these types (classic, consumer, share …), where brokers report types (ListGroups v5+). */
  types?: string[];
  /** Only groups with these protocol types; kafka-consumer-groups lists 'consumer' and '' (offsets only). */
  protocolTypes?: string[];
}

export interface GroupListing {
  groupId: string;
  protocolType: string;
  /** null when the broker does not report states (ListGroups below v4). */
  state: string | null;
  /** null when the broker does not report types (ListGroups below v5). */
  type: string | null;
  /** The broker that listed it (its coordinator). */
  coordinator: number;
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** A ConsumerProtocolSubscription (a consumer's JoinGroup metadata). */
export interface ConsumerSubscription {
  version: number;
  topics: string[];
  userData: Buffer | null;
  /** v1+: what the member owned before the rebalance (cooperative assignors). */
  ownedPartitions: TopicPartitions[];
  /** v2+, else -1. */
  generationId: number;
  /** v3+, else null. */
  rackId: string | null;
}

/** A ConsumerProtocolAssignment (what SyncGroup handed a consumer). */
export interface ConsumerAssignment {
  version: number;
  partitions: TopicPartitions[];
  userData: Buffer | null;
}

export interface GroupMemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Decoded when the group uses the consumer protocol and the bytes parse; else null. */
  subscription: ConsumerSubscription | null;
  assignment: ConsumerAssignment | null;
  metadata: Buffer;
  assignmentBytes: Buffer;
}

export interface GroupDescription {
  groupId: string;
  /** Empty, PreparingRebalance, CompletingRebalance, Stable, or Dead (the group does not exist). */
  state: string;
  protocolType: string;
  /** The chosen protocol (for consumers: the assignor, e.g. range) while Stable, else ''. */
  protocol: string;
  members: GroupMemberDescription[];
  coordinator: CoordinatorInfo | null;
  error: KafkaClientError | null;
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string;
}

export interface OffsetToCommit {
  topic: string;
  partition: number;
  offset: number;
  metadata?: string;
  leaderEpoch?: number;
}

export interface PartitionResult {
  topic: string;
  partition: number;
  error: KafkaClientError | null;
}

export interface GroupResult {
  groupId: string;
  error: KafkaClientError | null;
}

/** The group's coordinator moved or is not ready: find it again and retry. */
const COORDINATOR_MOVED: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
]);
const RETRY_ON_COORDINATOR: ReadonlySet<number> = new Set([
  ...COORDINATOR_MOVED,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
]);
const GROUP_KEY_TYPE = 0;

export class GroupAdmin {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;
  private readonly timeoutMs: number;
  private readonly coordinators = new Map<string, number>();

  constructor(clusterOrOptions: Cluster | ClusterOptions, options: GroupAdminOptions = {}) {
    ({ cluster: this.cluster, owned: this.ownsCluster } = ownCluster(clusterOrOptions));
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The broker coordinating a group (FindCoordinator), retried while none is available yet. */
  async findCoordinator(groupId: string): Promise<CoordinatorInfo> {
    return this.withRetries(groupId, `finding the coordinator of group '${groupId}'`, async () => {
      const nodeId = await this.coordinatorOf(groupId, true);
      return this.coordinatorInfo(nodeId);
    });
  }

  /** Groups of every broker, sorted by id. */
  async listGroups(options: ListGroupsOptions = {}): Promise<GroupListing[]> {
    const states = (options.states ?? []).map((s) => s.trim().toLowerCase()).filter((s) => s);
    const types = (options.types ?? []).map((s) => s.trim().toLowerCase()).filter((s) => s);
    const snapshot = await this.cluster.retry('listing groups', () => this.cluster.refreshMetadata([]), {
      refreshMetadata: false,
    });
    const found = new Map<string, GroupListing>();
    await Promise.all(
      snapshot.brokers.map(async (b) => {
        const listed = await this.withRetries(null, `listing the groups of broker ${b.nodeId}`, async () => {
          // A broker that left the cluster meanwhile coordinates nothing any more: its groups moved.
          if (!this.cluster.brokers.has(b.nodeId)) return [];
          const conn = await this.cluster.brokerConnection(b.nodeId);
          const v = conn.versionFor(API.ListGroups);
          const body = await conn.send(API.ListGroups, { statesFilter: states, typesFilter: types });
          if (body.errorCode !== 0) {
            throw brokerError(body.errorCode, { action: 'listing groups', broker: conn.address });
          }
          return body.groups.map((g) => ({
            groupId: g.groupId,
            protocolType: g.protocolType,
            state: v >= 4 ? g.groupState : null,
            type: v >= 5 ? g.groupType : null,
            coordinator: b.nodeId,
          }));
        });
        for (const g of listed) found.set(g.groupId, g);
      }),
    );
    const protocolTypes = options.protocolTypes ? new Set(options.protocolTypes) : null;
    return [...found.values()]
      .filter((g) => !protocolTypes || protocolTypes.has(g.protocolType))
      .filter((g) => states.length === 0 || g.state === null || states.includes(g.state.toLowerCase()))
      .filter((g) => types.length === 0 || g.type === null || types.includes(g.type.toLowerCase()))
      .sort((a, b) => cmp(a.groupId, b.groupId));
  }

  /** Groups with their members; a group that does not exist comes back in state Dead. */
  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    type Described = Omit<GroupDescription, 'coordinator' | 'error'>;
    const results = await this.routeGroups<Described>(groupIds, 'describing group', async (conn, ids) => {
      const body = await conn.send(API.DescribeGroups, { groups: ids, includeAuthorizedOperations: false });
      return new Map(
        body.groups.map((g) => {
          const consumer = g.protocolType === 'consumer';
          return [
            g.groupId,
            {
              errorCode: g.errorCode,
              value: {
                groupId: g.groupId,
                state: g.groupState,
                protocolType: g.protocolType,
                protocol: g.protocolData,
                members: g.members.map((m) => ({
                  memberId: m.memberId,
                  groupInstanceId: m.groupInstanceId ?? null,
                  clientId: m.clientId,
                  clientHost: m.clientHost,
                  subscription: consumer ? decodeSubscription(m.memberMetadata) : null,
                  assignment: consumer ? decodeAssignment(m.memberAssignment) : null,
                  metadata: m.memberMetadata,
                  assignmentBytes: m.memberAssignment,
                })),
              },
            },
          ];
        }),
      );
    });
    return Promise.all(
      groupIds.map(async (groupId) => {
        const r = results.get(groupId)!;
        const coordinator =
          r.coordinator >= 0 ? await this.coordinatorInfo(r.coordinator).catch(() => null) : null;
        // Brokers say "no such group" either as state Dead or (newer ones) as GROUP_ID_NOT_FOUND.
        const missing = r.error?.code === ErrorCode.GROUP_ID_NOT_FOUND;
        return {
          groupId,
          state: missing ? 'Dead' : (r.value?.state ?? ''),
          protocolType: r.value?.protocolType ?? '',
          protocol: r.value?.protocol ?? '',
          members: r.value?.members ?? [],
          coordinator,
          error: missing ? null : r.error,
        };
      }),
    );
  }

  /**
   * The group's committed offsets (OffsetFetch): of every partition it committed (no `topics`), or of
   * the partitions asked for. Partitions without a committed offset are left out.
   */
  async fetchOffsets(
    groupId: string,
    topics?: { topic: string; partitions?: number[] }[],
  ): Promise<CommittedOffset[]> {
    let requested: { name: string; partitionIndexes: number[] }[] | null = null;
    if (topics) {
      requested = [];
      for (const t of topics) {
        const partitions =
          t.partitions ?? (await this.cluster.topic(t.topic)).partitions.map((p) => p.partition);
        requested.push({ name: t.topic, partitionIndexes: partitions });
      }
    }
    return this.onCoordinator(groupId, `fetching the offsets of group '${groupId}'`, async (conn) => {
      const v = conn.versionFor(API.OffsetFetch);
      if (!requested && v < 2) {
        throw new KafkaClientError(
          `broker ${conn.address} cannot list all offsets of a group (OffsetFetch v${v})`,
          {
            kind: 'version',
          },
        );
      }
      const body = await conn.send(
        API.OffsetFetch,
        v >= 8
          ? {
              groups: [{ groupId, memberId: null, memberEpoch: -1, topics: requested }],
              requireStable: false,
            }
          : { groupId, topics: requested, requireStable: false },
      );
      const group = v >= 8 ? body.groups.find((g) => g.groupId === groupId) : undefined;
      const errorCode = v >= 8 ? (group?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR) : (body.errorCode ?? 0);
      if (errorCode !== 0) {
        throw brokerError(errorCode, {
          action: `fetching the offsets of group '${groupId}'`,
          broker: conn.address,
        });
      }
      const answered = v >= 8 ? (group?.topics ?? []) : body.topics;
      const out: CommittedOffset[] = [];
      for (const t of answered) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) {
            throw brokerError(p.errorCode, {
              topic: t.name,
              partition: p.partitionIndex,
              action: `fetching the offsets of group '${groupId}'`,
              broker: conn.address,
            });
          }
          if (p.committedOffset < 0) continue;
          out.push({
            topic: t.name,
            partition: p.partitionIndex,
            offset: Number(p.committedOffset),
            leaderEpoch: p.committedLeaderEpoch ?? -1,
            metadata: p.metadata ?? '',
          });
        }
      }
      return out.sort((a, b) => cmp(a.topic, b.topic) || a.partition - b.partition);
    });
  }

  /**
   * Commits offsets for a group as an administrator does (OffsetCommit with generation -1 and no
   * member id): brokers accept it for an Empty group (or a new one) and refuse it while members are
   * in the group.
   */
  async alterOffsets(groupId: string, offsets: OffsetToCommit[]): Promise<PartitionResult[]> {
    const byTopic = new Map<string, OffsetToCommit[]>();
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
    return this.onCoordinator(groupId, `committing offsets for group '${groupId}'`, async (conn) => {
      const body = await conn.send(API.OffsetCommit, {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1,
        topics: [...byTopic].map(([name, list]) => ({
          name,
          partitions: list.map((o) => ({
            partitionIndex: o.partition,
            committedOffset: o.offset,
            committedLeaderEpoch: o.leaderEpoch ?? -1,
            committedMetadata: o.metadata ?? '',
          })),
        })),
      });
      const results: PartitionResult[] = [];
      for (const t of body.topics) {
        for (const p of t.partitions) {
          const context = {
            topic: t.name,
            partition: p.partitionIndex,
            action: `committing offsets for group '${groupId}'`,
            broker: conn.address,
          };
          // A coordinator error is the group's, not the partition's: find the coordinator again.
          if (RETRY_ON_COORDINATOR.has(p.errorCode)) throw brokerError(p.errorCode, context);
          results.push({
            topic: t.name,
            partition: p.partitionIndex,
            error: p.errorCode === 0 ? null : brokerError(p.errorCode, context),
          });
        }
      }
      return results;
    });
  }

  /** Deletes groups (and their offsets); brokers refuse groups that still have members (NON_EMPTY_GROUP). */
  async deleteGroups(groupIds: string[]): Promise<GroupResult[]> {
    const results = await this.routeGroups<null>(groupIds, 'deleting group', async (conn, ids) => {
      const body = await conn.send(API.DeleteGroups, { groupsNames: ids });
      return new Map(body.results.map((r) => [r.groupId, { errorCode: r.errorCode, value: null }]));
    });
    for (const id of groupIds) if (!results.get(id)?.error) this.coordinators.delete(id);
    return groupIds.map((groupId) => ({ groupId, error: results.get(groupId)!.error }));
  }

  /**
   * Deletes the group's committed offsets of some partitions (OffsetDelete). A group-level refusal
   * (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP …) throws; partition-level ones (GROUP_SUBSCRIBED_TO_TOPIC)
   * come back per partition.
   */
  async deleteOffsets(
    groupId: string,
    partitions: { topic: string; partition: number }[],
  ): Promise<PartitionResult[]> {
    const byTopic = new Map<string, number[]>();
    for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
    return this.onCoordinator(groupId, `deleting offsets of group '${groupId}'`, async (conn) => {
      const body = await conn.send(API.OffsetDelete, {
        groupId,
        topics: [...byTopic].map(([name, list]) => ({
          name,
          partitions: list.map((partitionIndex) => ({ partitionIndex })),
        })),
      });
      const action = `deleting offsets of group '${groupId}'`;
      const results: PartitionResult[] = [];
      for (const t of body.topics) {
        for (const p of t.partitions) {
          const context = { topic: t.name, partition: p.partitionIndex, action, broker: conn.address };
          results.push({
            topic: t.name,
            partition: p.partitionIndex,
            error: p.errorCode === 0 ? null : brokerError(p.errorCode, context),
          });
        }
      }
      // Kafka reports a partition-level refusal at the top as well; only a group-level one throws.
      if (body.errorCode !== 0 && !results.some((r) => r.error?.code === body.errorCode)) {
        throw brokerError(body.errorCode, { action, broker: conn.address });
      }
      return results;
    });
  }

  async close(): Promise<void> {
    if (this.ownsCluster) await this.cluster.close();
  }

  // ---------------------------------------------------------------- Routing

  /** One FindCoordinator for one group (cached unless `refresh`). */
  private async coordinatorOf(groupId: string, refresh = false): Promise<number> {
    const cached = this.coordinators.get(groupId);
    if (cached !== undefined && !refresh) return cached;
    const conn = await this.cluster.anyConnection();
    const v = conn.versionFor(API.FindCoordinator);
    const body = await conn.send(
      API.FindCoordinator,
      v >= 4
        ? { keyType: GROUP_KEY_TYPE, coordinatorKeys: [groupId] }
        : { key: groupId, keyType: GROUP_KEY_TYPE },
    );
    const answer = v >= 4 ? body.coordinators.find((c) => c.key === groupId) : body;
    if (!answer) {
      throw new KafkaClientError(
        `broker ${conn.address} left group '${groupId}' out of its FindCoordinator answer`,
      );
    }
    if (answer.errorCode !== 0) {
      throw brokerError(
        answer.errorCode,
        { action: `finding the coordinator of group '${groupId}'`, broker: conn.address },
        answer.errorMessage,
      );
    }
    this.coordinators.set(groupId, answer.nodeId);
    return answer.nodeId;
  }

  private async coordinatorInfo(nodeId: number): Promise<CoordinatorInfo> {
    let b = this.cluster.brokers.get(nodeId);
    if (!b) {
      await this.cluster.refreshMetadata([]);
      b = this.cluster.brokers.get(nodeId);
    }
    if (!b) {
      throw new KafkaClientError(`the group coordinator, broker ${nodeId}, is not in the cluster metadata`, {
        kind: 'connection',
        retriable: true,
      });
    }
    return { nodeId, host: b.host, port: b.port };
  }

  /** Runs `fn` against the group's coordinator, finding it again whenever it moved. */
  private onCoordinator<T>(
    groupId: string,
    action: string,
    fn: (conn: Connection) => Promise<T>,
  ): Promise<T> {
    return this.withRetries(groupId, action, async () => {
      const nodeId = await this.coordinatorOf(groupId);
      return fn(await this.cluster.brokerConnection(nodeId));
    });
  }

  /**
   * Retries retriable failures with backoff until the call's deadline. A failure that says the
   * coordinator moved, or a lost connection, forgets the cached coordinator (and refreshes the
   * broker list) first.
   */
  private async withRetries<T>(groupId: string | null, action: string, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (this.cluster.isClosed) {
          throw new KafkaClientError(`${action} stopped: the client was closed`, {
            kind: 'closed',
            cause: err,
          });
        }
        if (!isRetriable(err) || Date.now() >= deadline) throw err;
        const e = err as KafkaClientError;
        if (COORDINATOR_MOVED.has(e.code) || e.kind === 'connection' || e.kind === 'timeout') {
          if (groupId !== null) this.coordinators.delete(groupId);
          if (e.kind !== 'broker') await this.cluster.refreshMetadata([]).catch(() => undefined);
        }
        await this.cluster.backoff(Math.min(attempt, 4));
      }
    }
  }

  /**
   * Sends a per-group request to each group's coordinator (one request per coordinator), and again
   * for the groups whose answer says the coordinator moved or is loading, until the deadline.
   */
  private async routeGroups<R>(
    groupIds: string[],
    what: string,
    request: (conn: Connection, ids: string[]) => Promise<Map<string, { errorCode: number; value: R }>>,
  ): Promise<Map<string, { value: R | null; error: KafkaClientError | null; coordinator: number }>> {
    const results = new Map<
      string,
      { value: R | null; error: KafkaClientError | null; coordinator: number }
    >();
    const lastError = new Map<string, KafkaClientError>();
    let pending = [...new Set(groupIds)];
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const retry = new Set<string>();
      const fail = (id: string, err: unknown, coordinator = -1) => {
        const e =
          err instanceof KafkaClientError
            ? err
            : new KafkaClientError(`${what} '${id}' failed: ${(err as Error).message}`, { cause: err });
        if (isRetriable(e) && Date.now() < deadline) {
          retry.add(id);
          lastError.set(id, e);
          if (COORDINATOR_MOVED.has(e.code) || e.kind === 'connection' || e.kind === 'timeout') {
            this.coordinators.delete(id);
          }
        } else {
          results.set(id, { value: null, error: e, coordinator });
        }
      };
      const byNode = new Map<number, string[]>();
      await Promise.all(
        pending.map(async (id) => {
          try {
            const node = await this.coordinatorOf(id);
            byNode.set(node, [...(byNode.get(node) ?? []), id]);
          } catch (err) {
            fail(id, err);
          }
        }),
      );
      await Promise.all(
        [...byNode].map(async ([node, ids]) => {
          let answers: Map<string, { errorCode: number; value: R }>;
          let address = `broker ${node}`;
          try {
            const conn = await this.cluster.brokerConnection(node);
            address = conn.address;
            answers = await request(conn, ids);
          } catch (err) {
            for (const id of ids) fail(id, err, node);
            return;
          }
          for (const id of ids) {
            const a = answers.get(id);
            if (!a) {
              fail(id, new KafkaClientError(`broker ${address} left group '${id}' out of its answer`), node);
            } else if (a.errorCode !== 0) {
              fail(id, brokerError(a.errorCode, { action: `${what} '${id}'`, broker: address }), node);
            } else {
              results.set(id, { value: a.value, error: null, coordinator: node });
            }
          }
        }),
      );
      pending = [...retry];
      if (pending.length > 0) {
        if ([...lastError.values()].some((e) => e.kind !== 'broker')) {
          await this.cluster.refreshMetadata([]).catch(() => undefined);
        }
        await this.cluster.backoff(Math.min(attempt, 4));
      }
    }
    for (const id of groupIds) {
      if (!results.has(id)) {
        results.set(id, {
          value: null,
          error: lastError.get(id) ?? new KafkaClientError(`${what} '${id}' got no answer`),
          coordinator: -1,
        });
      }
    }
    return results;
  }
}

// ---------------------------------------------------------------- The consumer protocol

/**
 * Reads a ConsumerProtocolSubscription: int16 version, topics, nullable user data, then (v1+) owned
 * partitions, (v2+) generation id, (v3+) rack id. Later versions start with the same fields, so they
 * decode as far as these go. Null when the bytes are not a subscription.
 */
export function decodeSubscription(bytes: Buffer): ConsumerSubscription | null {
  const r = new ByteReader(bytes);
  try {
    const version = r.int16();
    if (version < 0) return null;
    const topics = r.array(() => r.string());
    const userData = r.nullableBytes();
    const out: ConsumerSubscription = {
      version,
      topics,
      userData,
      ownedPartitions: [],
      generationId: -1,
      rackId: null,
    };
    if (version >= 1 && r.remaining > 0) out.ownedPartitions = r.array(() => topicPartitions(r));
    if (version >= 2 && r.remaining > 0) out.generationId = r.int32();
    if (version >= 3 && r.remaining > 0) out.rackId = r.nullableString();
    return out;
  } catch {
    return null;
  }
}

/** Reads a ConsumerProtocolAssignment: int16 version, partitions per topic, nullable user data. */
export function decodeAssignment(bytes: Buffer): ConsumerAssignment | null {
  if (bytes.length === 0) return null;
  const r = new ByteReader(bytes);
  try {
    const version = r.int16();
    if (version < 0) return null;
    const partitions = r.array(() => topicPartitions(r));
    const userData = r.remaining > 0 ? r.nullableBytes() : null;
    return { version, partitions, userData };
  } catch {
    return null;
  }
}

function topicPartitions(r: ByteReader): TopicPartitions {
  const topic = r.string();
  return { topic, partitions: r.array(() => r.int32()) };
}

class ByteReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new RangeError('truncated');
  }
  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new RangeError('null string');
    return s;
  }
  nullableString(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  nullableBytes(): Buffer | null {
    const n = this.int32();
    if (n < 0) return null;
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  array<T>(item: () => T): T[] {
    const n = this.int32();
    if (n < 0) return [];
    if (n > this.remaining) throw new RangeError('array too long');
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item());
    return out;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
