import { ErrorCode } from '../protocol/errors.js';
import { decodeBatches } from '../protocol/records/index.js';
import { systemClock, type Clock } from './clock.js';
import type { GroupCoordinatorConfig } from './config.js';
import type { JoinGroupResult, SyncGroupResult } from './group.js';
import { joinError, syncError } from './group.js';
import { partitionForGroup } from './placement.js';
import { buildCoordinatorBatch, decodeRecord, type CoordinatorRecord } from './records.js';
import {
  GroupShard,
  type CoordinatorLogger,
  type DescribedGroup,
  type FetchedTopic,
  type HeartbeatInput,
  type JoinGroupInput,
  type LeaveGroupResult,
  type LeaveMemberInput,
  type ListedGroup,
  type OffsetCommitInput,
  type ShardContext,
  type SyncGroupInput,
  type TopicPartitionErrors,
} from './shard.js';

/**
 * What the coordinator needs from its broker: the `__consumer_offsets` partitions it leads, their
 * logs, and the cluster metadata. `broker-host.ts` implements it over a Broker; unit tests use an
 * in-memory one.
 */
export interface CoordinatorHost {
  /** Partitions of `__consumer_offsets`: the topic's count once it exists, else the configured one. */
  offsetsPartitionCount(): number;
  /** The leader epoch while this broker leads `__consumer_offsets-<partition>`, else null. */
  leaderEpoch(partition: number): number | null;
  logStartOffset(partition: number): number;
  /** Whole batches from `offset` on (up to the log end); `nextOffset` is where the next read starts. */
  read(partition: number, offset: number, maxBytes: number): { records: Buffer; nextOffset: number };
  /** Appends one batch as leader and resolves once the in-sync replicas have it: NONE or an error code. */
  append(partition: number, batch: Buffer): Promise<number>;
  /** Calls `listener` after every metadata change, with the names of topics that were deleted. */
  onMetadataChange(listener: (removedTopics: string[]) => void): () => void;
  /** Creates `__consumer_offsets` when it does not exist yet; resolves when the attempt is over. */
  ensureOffsetsTopic(): Promise<void>;
  /** The live leader of `__consumer_offsets-<partition>`, or null. */
  partitionLeader(partition: number): { nodeId: number; host: string; port: number } | null;
}

export interface FindCoordinatorResult {
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

/** One committed offset, for the GUI's lag view (which adds the partition's log end offset). */
export interface CommittedOffset {
  groupId: string;
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
}

/** Coordinator key types of FindCoordinator. */
export const COORDINATOR_TYPE_GROUP = 0;
export const COORDINATOR_TYPE_TRANSACTION = 1;

/** Bytes of log replayed per event-loop turn while loading, so a big partition does not stall requests. */
const LOAD_BYTES_PER_TURN = 4 * 1024 * 1024;
const LOAD_READ_BYTES = 1024 * 1024;

interface ShardEntry {
  shard: GroupShard;
  loading: boolean;
}

type Routed = { shard: GroupShard; errorCode?: undefined } | { shard?: undefined; errorCode: number };

/**
 * The group coordinator of one broker (Kafka's GroupCoordinatorService for classic groups). A group
 * belongs to partition `abs(hash(groupId)) % partitions` of `__consumer_offsets`; the leader of that
 * partition coordinates it. This broker runs one GroupShard per partition it leads, loads it by
 * replaying the partition when it becomes leader and drops it when leadership moves away. Requests
 * for other groups get NOT_COORDINATOR, and COORDINATOR_LOAD_IN_PROGRESS while their shard loads.
 */
export class GroupCoordinator {
  private readonly shards = new Map<number, ShardEntry>();
  private unsubscribe: (() => void) | null = null;
  private expirationTimer: unknown = null;
  private active = false;
  private readonly shardContext: ShardContext;

  constructor(
    private readonly host: CoordinatorHost,
    readonly config: GroupCoordinatorConfig,
    private readonly logger: CoordinatorLogger,
    private readonly clock: Clock = systemClock,
  ) {
    this.shardContext = {
      config,
      clock,
      logger,
      append: (partition: number, records: CoordinatorRecord[]) => this.append(partition, records),
    };
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.unsubscribe = this.host.onMetadataChange((removedTopics) => this.onMetadataChange(removedTopics));
    this.syncLeadership();
    this.scheduleExpiration();
  }

  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.expirationTimer !== null) this.clock.clearTimer(this.expirationTimer);
    this.expirationTimer = null;
    for (const entry of this.shards.values()) entry.shard.unload();
    this.shards.clear();
  }

  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.host.offsetsPartitionCount());
  }

  /** Partitions whose groups this broker serves now (loaded), for tests and the GUI. */
  ownedPartitions(): number[] {
    return [...this.shards.entries()]
      .filter(([, e]) => !e.loading)
      .map(([p]) => p)
      .sort((a, b) => a - b);
  }

  // ---------------------------------------------------------------- Requests

  async findCoordinator(keyType: number, key: string): Promise<FindCoordinatorResult> {
    const none = (errorCode: number, errorMessage: string): FindCoordinatorResult => ({
      errorCode,
      errorMessage,
      nodeId: -1,
      host: '',
      port: -1,
    });
    if (keyType === COORDINATOR_TYPE_TRANSACTION) {
      return none(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'Eddy has no transaction coordinator yet.');
    }
    if (keyType !== COORDINATOR_TYPE_GROUP)
      return none(ErrorCode.INVALID_REQUEST, `Unknown coordinator key type ${keyType}.`);
    await this.host.ensureOffsetsTopic();
    const leader = this.host.partitionLeader(this.partitionFor(key));
    if (!leader) return none(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The group coordinator is not available.');
    return { errorCode: ErrorCode.NONE, errorMessage: null, ...leader };
  }

  joinGroup(req: JoinGroupInput): Promise<JoinGroupResult> {
    if (!req.groupId) return Promise.resolve(joinError(ErrorCode.INVALID_GROUP_ID, req.memberId));
    if (
      req.sessionTimeoutMs < this.config.minSessionTimeoutMs ||
      req.sessionTimeoutMs > this.config.maxSessionTimeoutMs
    ) {
      return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
    }
    const routed = this.route(req.groupId);
    if (routed.errorCode !== undefined) return Promise.resolve(joinError(routed.errorCode, req.memberId));
    return routed.shard.join(req);
  }

  syncGroup(req: SyncGroupInput): Promise<SyncGroupResult> {
    if (!req.groupId) return Promise.resolve(syncError(ErrorCode.INVALID_GROUP_ID));
    const routed = this.route(req.groupId);
    if (routed.errorCode !== undefined) return Promise.resolve(syncError(routed.errorCode));
    return routed.shard.sync(req);
  }

  heartbeat(req: HeartbeatInput): number {
    if (!req.groupId) return ErrorCode.INVALID_GROUP_ID;
    const routed = this.route(req.groupId);
    return routed.errorCode ?? routed.shard.heartbeat(req);
  }

  leaveGroup(groupId: string, members: LeaveMemberInput[]): LeaveGroupResult {
    if (!groupId) return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    const routed = this.route(groupId);
    if (routed.errorCode !== undefined) return { errorCode: routed.errorCode, members: [] };
    return routed.shard.leave(groupId, members);
  }

  async commitOffsets(req: OffsetCommitInput): Promise<TopicPartitionErrors[]> {
    const all = (errorCode: number) =>
      req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      }));
    if (!req.groupId) return all(ErrorCode.INVALID_GROUP_ID);
    const routed = this.route(req.groupId);
    if (routed.errorCode !== undefined) return all(routed.errorCode);
    return routed.shard.commitOffsets(req);
  }

  /**
   * OffsetFetch for one group. Eddy has no transactional offset commits yet, so `requireStable`
   * never finds a pending one (UNSTABLE_OFFSET_COMMIT cannot happen).
   */
  fetchOffsets(
    groupId: string,
    topics: { name: string; partitionIndexes: number[] }[] | null,
  ): { errorCode: number; topics: FetchedTopic[] } {
    if (!groupId) return { errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
    const routed = this.route(groupId);
    if (routed.errorCode !== undefined) return { errorCode: routed.errorCode, topics: [] };
    return { errorCode: ErrorCode.NONE, topics: routed.shard.fetchOffsets(groupId, topics) };
  }

  describeGroups(groupIds: string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      const routed = groupId ? this.route(groupId) : { errorCode: ErrorCode.INVALID_GROUP_ID };
      if (routed.errorCode !== undefined) {
        return {
          errorCode: routed.errorCode,
          groupId,
          groupState: '',
          protocolType: '',
          protocolData: '',
          members: [],
        };
      }
      return routed.shard.describe(groupId);
    });
  }

  /**
   * The groups this broker coordinates, filtered by state and type (case-insensitive, as Kafka).
   * While a partition loads the answer says COORDINATOR_LOAD_IN_PROGRESS and lists the rest.
   */
  listGroups(
    statesFilter: string[] = [],
    typesFilter: string[] = [],
  ): { errorCode: number; groups: ListedGroup[] } {
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const states = new Set(statesFilter.map((s) => s.trim().toLowerCase()));
    const types = new Set(typesFilter.map((s) => s.trim().toLowerCase()));
    let errorCode: number = ErrorCode.NONE;
    const groups: ListedGroup[] = [];
    for (const entry of this.shards.values()) {
      if (entry.loading) {
        errorCode = ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
        continue;
      }
      for (const g of entry.shard.list()) {
        if (states.size > 0 && !states.has(g.groupState.toLowerCase())) continue;
        if (types.size > 0 && !types.has(g.groupType)) continue;
        groups.push(g);
      }
    }
    groups.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
    return { errorCode, groups };
  }

  async deleteGroups(groupIds: string[]): Promise<{ groupId: string; errorCode: number }[]> {
    const results = new Map<string, number>();
    const byShard = new Map<GroupShard, string[]>();
    for (const groupId of groupIds) {
      const routed = groupId ? this.route(groupId) : { errorCode: ErrorCode.INVALID_GROUP_ID };
      if (routed.errorCode !== undefined) {
        results.set(groupId, routed.errorCode);
        continue;
      }
      const ids = byShard.get(routed.shard) ?? [];
      ids.push(groupId);
      byShard.set(routed.shard, ids);
    }
    await Promise.all(
      [...byShard].map(async ([shard, ids]) => {
        for (const [id, code] of await shard.deleteGroups(ids)) results.set(id, code);
      }),
    );
    return groupIds.map((groupId) => ({
      groupId,
      errorCode: results.get(groupId) ?? ErrorCode.UNKNOWN_SERVER_ERROR,
    }));
  }

  async deleteOffsets(
    groupId: string,
    topics: { name: string; partitions: { partitionIndex: number }[] }[],
  ): Promise<{ errorCode: number; topics: TopicPartitionErrors[] }> {
    if (!groupId) return { errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
    const routed = this.route(groupId);
    if (routed.errorCode !== undefined) return { errorCode: routed.errorCode, topics: [] };
    return routed.shard.deleteOffsets(groupId, topics);
  }

  /**
   * Committed offsets of the groups this broker coordinates (all of them, or one group's), for lag:
   * the GUI asks every broker and pairs each entry with the partition's log end offset.
   */
  committedOffsets(groupId?: string): CommittedOffset[] {
    const out: CommittedOffset[] = [];
    for (const entry of this.shards.values()) {
      if (entry.loading) continue;
      for (const group of entry.shard.groups.values()) {
        if (groupId !== undefined && group.groupId !== groupId) continue;
        for (const [topic, byPartition] of group.offsets) {
          for (const [partition, o] of byPartition) {
            out.push({
              groupId: group.groupId,
              topic,
              partition,
              offset: o.committedOffset,
              leaderEpoch: o.leaderEpoch,
              metadata: o.metadata,
              commitTimestamp: o.commitTimestamp,
            });
          }
        }
      }
    }
    return out.sort(
      (a, b) => cmp(a.groupId, b.groupId) || cmp(a.topic, b.topic) || a.partition - b.partition,
    );
  }

  /** Runs offset retention now (it also runs every offsets.retention.check.interval.ms). */
  async expireOffsets(): Promise<void> {
    await Promise.all(
      [...this.shards.values()].filter((e) => !e.loading).map((e) => e.shard.expireOffsets()),
    );
  }

  // ---------------------------------------------------------------- Internals

  private route(groupId: string): Routed {
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    const entry = this.shards.get(this.partitionFor(groupId));
    if (!entry) return { errorCode: ErrorCode.NOT_COORDINATOR };
    if (entry.loading) return { errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS };
    return { shard: entry.shard };
  }

  private append(partition: number, records: CoordinatorRecord[]): Promise<number> {
    const entry = this.shards.get(partition);
    if (!entry) return Promise.resolve(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    return this.host
      .append(partition, buildCoordinatorBatch(records, this.clock.now()))
      .catch((err: Error) => {
        this.logger.error(`writing to partition ${partition} of the offsets topic failed: ${err.message}`);
        return ErrorCode.UNKNOWN_SERVER_ERROR;
      });
  }

  private onMetadataChange(removedTopics: string[]): void {
    if (!this.active) return;
    this.syncLeadership();
    if (removedTopics.length === 0) return;
    const gone = new Set(removedTopics);
    for (const entry of this.shards.values()) {
      if (!entry.loading) void entry.shard.deleteOffsetsOfTopics(gone);
    }
  }

  /** Loads the partitions this broker now leads (or leads in a new epoch) and drops the others. */
  private syncLeadership(): void {
    const count = this.host.offsetsPartitionCount();
    for (const [partition, entry] of this.shards) {
      const epoch = partition < count ? this.host.leaderEpoch(partition) : null;
      if (epoch === entry.shard.leaderEpoch) continue;
      entry.shard.unload();
      this.shards.delete(partition);
      this.logger.info(`group coordinator: no longer leads partition ${partition} of the offsets topic`);
    }
    for (let partition = 0; partition < count; partition++) {
      if (this.shards.has(partition)) continue;
      const epoch = this.host.leaderEpoch(partition);
      if (epoch !== null) this.load(partition, epoch);
    }
  }

  /**
   * Replays the partition into a new shard. Small logs load in this turn; bigger ones continue on
   * later turns, answering COORDINATOR_LOAD_IN_PROGRESS meanwhile. Undecodable records are skipped
   * with a warning rather than making the partition's groups unavailable.
   */
  private load(partition: number, leaderEpoch: number): void {
    const shard = new GroupShard(partition, leaderEpoch, this.shardContext);
    const entry: ShardEntry = { shard, loading: true };
    this.shards.set(partition, entry);
    let offset = this.host.logStartOffset(partition);
    let records = 0;
    const step = (): void => {
      if (this.shards.get(partition) !== entry) return;
      try {
        for (let budget = LOAD_BYTES_PER_TURN; budget > 0;) {
          const read = this.host.read(partition, offset, LOAD_READ_BYTES);
          if (read.records.length === 0 || read.nextOffset <= offset) {
            entry.loading = false;
            shard.onLoaded();
            this.logger.info(
              `group coordinator: loaded partition ${partition} of the offsets topic (epoch ${leaderEpoch}, ${records} records, ${shard.groups.size} groups)`,
            );
            return;
          }
          for (const batch of decodeBatches(read.records)) {
            if (batch.isControl) continue;
            for (const r of batch.records) {
              if (r.offset < offset) continue;
              records++;
              let decoded: CoordinatorRecord | null;
              try {
                decoded = decodeRecord(r.key, r.value);
              } catch (err) {
                this.logger.warn(
                  `offsets topic partition ${partition}, offset ${r.offset}: skipped a record (${(err as Error).message})`,
                );
                continue;
              }
              if (decoded) shard.replay(decoded);
            }
          }
          offset = read.nextOffset;
          budget -= read.records.length;
        }
      } catch (err) {
        this.logger.error(
          `group coordinator: loading partition ${partition} of the offsets topic failed: ${(err as Error).message}`,
        );
        // Leave the entry loading: clients retry, and a leadership change or restart loads again.
        return;
      }
      setImmediate(step);
    };
    step();
  }

  private scheduleExpiration(): void {
    this.expirationTimer = this.clock.setTimer(this.config.offsetsRetentionCheckIntervalMs, () => {
      if (!this.active) return;
      void this.expireOffsets().finally(() => {
        if (this.active) this.scheduleExpiration();
      });
    });
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
