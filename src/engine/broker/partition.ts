import { EventEmitter } from 'node:events';
import { readBatchHeader, lastOffsetOf } from '../protocol/records/batch-header.js';
import { ErrorCode } from '../protocol/errors.js';
import type { PartitionLog } from '../storage/partition-log.js';
import type { PartitionState } from '../controller/metadata-image.js';
import { ProducerStateManager } from './producer-state.js';
import { appendValidationConfig, type AppendValidationConfig } from './append-validation.js';
import { LeaderEpochCache } from './leader-epoch-cache.js';

export interface ValidatedBatch {
  position: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
  maxTimestamp: number;
}

export interface AppendResult {
  errorCode: number;
  errorMessage: string | null;
  baseOffset: number;
  lastOffset: number;
  logAppendTime: number;
  logStartOffset: number;
}

/** What the leader knows of one follower, from its fetches. */
export interface FollowerState {
  brokerId: number;
  /** The follower's log end offset as of its last fetch (-1 before the first). */
  logEndOffset: number;
  /** Last time the follower had fetched everything the leader had (replica.lag.time.max.ms counts from it). */
  lastCaughtUpTimeMs: number;
  lastFetchTimeMs: number;
  /** The leader's log end offset when the follower last fetched (Kafka's catch-up rule). */
  leaderEndOffsetAtLastFetch: number;
  /** The follower's log start offset as its last fetch said (-1 before the first); DeleteRecords waits on it. */
  logStartOffset: number;
}

/** A request to the controller to change the ISR (AlterPartition). */
export interface IsrChangeRequest {
  partition: Partition;
  isr: number[];
  leaderEpoch: number;
  partitionEpoch: number;
}

/**
 * One partition replica on this broker: its log, its producer state and its place in the
 * replication protocol — leader epoch, ISR, high watermark, follower progress. State changes
 * happen only on the broker's event loop.
 *
 * Events: 'highWatermark' (the HW moved), 'append' (the log end moved), 'followerLogStart' (a
 * follower reported a new log start offset), 'removed'.
 */
export class Partition extends EventEmitter {
  readonly producerState = new ProducerStateManager();
  readonly epochCache = new LeaderEpochCache();
  leaderEpoch = -1;
  partitionEpoch = -1;
  leaderId = -1;
  isr: number[] = [];
  replicas: number[] = [];
  isLeader = false;
  validationConfig: AppendValidationConfig = appendValidationConfig({});
  minInsyncReplicas = 1;
  readonly followers = new Map<number, FollowerState>();
  /** An AlterPartition is in flight; no other ISR change is asked for until it settles. */
  isrChangePending = false;

  constructor(
    readonly topic: string,
    readonly topicId: string,
    readonly partition: number,
    readonly log: PartitionLog,
    readonly localBrokerId: number,
  ) {
    super();
    this.rebuildFromLog();
  }

  get logStartOffset(): number {
    return this.log.logStartOffset;
  }

  get logEndOffset(): number {
    return this.log.logEndOffset;
  }

  get highWatermark(): number {
    return this.log.highWatermark;
  }

  /**
   * Applies the controller's view of this partition. Returns 'leader' or 'follower' when this
   * replica's role or leader epoch changed (the caller starts or stops fetching), else null.
   */
  applyState(state: PartitionState, now: number): 'leader' | 'follower' | 'offline' | null {
    const epochChanged = state.leaderEpoch !== this.leaderEpoch || state.leader !== this.leaderId;
    this.replicas = [...state.replicas];
    this.isr = [...state.isr];
    this.partitionEpoch = state.partitionEpoch;
    this.isrChangePending = false;
    if (!epochChanged) {
      if (this.isLeader) {
        this.trackFollowers(state, now);
        this.maybeIncrementHighWatermark();
      }
      return null;
    }
    this.leaderEpoch = state.leaderEpoch;
    this.leaderId = state.leader;
    if (state.leader === this.localBrokerId) {
      this.isLeader = true;
      this.epochCache.assign(state.leaderEpoch, this.log.logEndOffset);
      this.followers.clear();
      this.trackFollowers(state, now);
      this.maybeIncrementHighWatermark();
      return 'leader';
    }
    this.isLeader = false;
    this.followers.clear();
    return state.leader === -1 ? 'offline' : 'follower';
  }

  /** Keeps one FollowerState per other replica (replicas come and go with reassignments). */
  private trackFollowers(state: PartitionState, now: number): void {
    for (const id of [...this.followers.keys()]) if (!state.replicas.includes(id)) this.followers.delete(id);
    for (const id of state.replicas) {
      if (id === this.localBrokerId || this.followers.has(id)) continue;
      this.followers.set(id, {
        brokerId: id,
        logEndOffset: -1,
        // Followers in the ISR get a full lag window to show up before they are dropped.
        lastCaughtUpTimeMs: state.isr.includes(id) ? now : 0,
        lastFetchTimeMs: 0,
        leaderEndOffsetAtLastFetch: -1,
        logStartOffset: -1,
      });
    }
  }

  /**
   * Appends already-validated batches as leader. Idempotent batches are checked against the
   * producer state first: a retried duplicate returns its original offsets without writing.
   */
  appendAsLeader(records: Buffer, batches: ValidatedBatch[], appendTime: number): AppendResult {
    const base = { logAppendTime: -1, logStartOffset: this.log.logStartOffset };
    // Kafka checks every batch of a request before writing any of it.
    for (const b of batches) {
      const check = this.producerState.check(b);
      if (check.kind === 'error') {
        return { ...base, errorCode: check.errorCode, errorMessage: check.message, baseOffset: -1, lastOffset: -1 };
      }
      if (check.kind === 'duplicate') {
        // Producers send one batch per partition per request, so a duplicate is the whole request.
        return {
          ...base,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          baseOffset: check.firstOffset,
          lastOffset: check.lastOffset,
        };
      }
    }
    const appended = this.log.appendAsLeader(records, this.leaderEpoch, appendTime);
    let offset = appended.baseOffset;
    for (const b of batches) {
      const first = offset;
      const last = first + b.recordsCount - 1;
      this.producerState.update(b, first, last, b.maxTimestamp);
      offset = last + 1;
    }
    this.emit('append');
    this.maybeIncrementHighWatermark();
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      baseOffset: appended.baseOffset,
      lastOffset: appended.lastOffset,
      logAppendTime: appended.logAppendTime,
      logStartOffset: this.log.logStartOffset,
    };
  }

  /** Appends batches fetched from the leader, keeping their offsets and epochs. */
  appendAsFollower(records: Buffer): void {
    if (records.length === 0) return;
    const start = this.log.logEndOffset;
    this.log.appendAsFollower(records);
    this.scanBatches(records, start);
    this.emit('append');
  }

  /** The follower's HW follows the leader's, never past its own log end. */
  updateFollowerHighWatermark(leaderHighWatermark: number): void {
    const hw = Math.min(leaderHighWatermark, this.log.logEndOffset);
    if (hw > this.log.highWatermark) {
      this.log.highWatermark = hw;
      this.emit('highWatermark');
    }
  }

  /**
   * Leader side of a follower's Fetch: its progress, and whether it has caught up. Emits
   * 'followerLogStart' when the follower's log start offset moved (DeleteRecords waits for it).
   */
  recordFollowerFetch(brokerId: number, fetchOffset: number, now: number, followerLogStartOffset = -1): void {
    const f = this.followers.get(brokerId);
    if (!f) return;
    if (followerLogStartOffset >= 0 && followerLogStartOffset !== f.logStartOffset) {
      f.logStartOffset = followerLogStartOffset;
      this.emit('followerLogStart');
    }
    const leo = this.log.logEndOffset;
    if (fetchOffset >= leo) f.lastCaughtUpTimeMs = now;
    else if (f.leaderEndOffsetAtLastFetch >= 0 && fetchOffset >= f.leaderEndOffsetAtLastFetch)
      f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, f.lastFetchTimeMs);
    f.logEndOffset = fetchOffset;
    f.lastFetchTimeMs = now;
    f.leaderEndOffsetAtLastFetch = leo;
    this.maybeIncrementHighWatermark();
  }

  /** A follower outside the ISR that reached the high watermark may rejoin it. */
  isrExpansion(): IsrChangeRequest | null {
    if (!this.isLeader || this.isrChangePending) return null;
    const joiners = [...this.followers.values()].filter(
      (f) => !this.isr.includes(f.brokerId) && f.logEndOffset >= this.log.highWatermark && f.logEndOffset >= 0,
    );
    if (joiners.length === 0) return null;
    return this.isrChange([...this.isr, ...joiners.map((f) => f.brokerId)]);
  }

  /** ISR followers that have not caught up within `maxLagMs` are dropped (replica.lag.time.max.ms). */
  isrShrink(now: number, maxLagMs: number): IsrChangeRequest | null {
    if (!this.isLeader || this.isrChangePending) return null;
    const lagging = this.isr.filter((id) => {
      if (id === this.localBrokerId) return false;
      const f = this.followers.get(id);
      return !f || now - f.lastCaughtUpTimeMs > maxLagMs;
    });
    if (lagging.length === 0) return null;
    return this.isrChange(this.isr.filter((id) => !lagging.includes(id)));
  }

  private isrChange(isr: number[]): IsrChangeRequest {
    this.isrChangePending = true;
    return { partition: this, isr, leaderEpoch: this.leaderEpoch, partitionEpoch: this.partitionEpoch };
  }

  /** HW = the smallest log end offset among the ISR (Kafka's rule). */
  maybeIncrementHighWatermark(): void {
    if (!this.isLeader) return;
    let hw = this.log.logEndOffset;
    for (const id of this.isr) {
      if (id === this.localBrokerId) continue;
      const f = this.followers.get(id);
      hw = Math.min(hw, f ? f.logEndOffset : -1);
    }
    if (hw > this.log.highWatermark) {
      this.log.highWatermark = hw;
      this.emit('highWatermark');
    }
  }

  /**
   * Where a follower's log diverges from this leader's (KIP-595 style, Fetch v12+): null when its
   * last fetched epoch agrees with ours up to its fetch offset.
   */
  divergingEpoch(lastFetchedEpoch: number, fetchOffset: number): { epoch: number; endOffset: number } | null {
    if (lastFetchedEpoch < 0) return null;
    const { epoch, endOffset } = this.epochCache.endOffsetFor(lastFetchedEpoch, this.log.logEndOffset);
    if (epoch < lastFetchedEpoch || endOffset < fetchOffset) return { epoch, endOffset };
    return null;
  }

  /** Truncates the log (a follower that diverged from its new leader). */
  truncateTo(offset: number): void {
    if (offset >= this.log.logEndOffset) {
      // An epoch may start at the log end: this replica led at it and wrote nothing. The new leader
      // never saw that epoch, so it must go, or every fetch would be told to truncate again.
      this.epochCache.truncateFromEnd(this.log.logEndOffset);
      return;
    }
    this.log.truncateTo(offset);
    this.epochCache.truncateFromEnd(offset);
    this.producerState.truncateTo(offset);
  }

  /** The follower is behind the leader's log start: start over there. */
  truncateFullyAndStartAt(offset: number): void {
    this.log.truncateFullyAndStartAt(offset);
    this.epochCache.clear();
    this.producerState.clear();
  }

  /** Rebuilds idempotence state and the leader epoch cache from batch headers (no record decoding). */
  private rebuildFromLog(): void {
    let offset = this.log.logStartOffset;
    const end = this.log.logEndOffset;
    while (offset < end) {
      const { records } = this.log.read(offset, 1024 * 1024, { minOneMessage: true });
      if (records.length === 0) break;
      const next = this.scanBatches(records, offset);
      if (next <= offset) break;
      offset = next;
    }
  }

  /** Feeds batch headers at or past `from` into the producer state and epoch cache; returns the next offset. */
  private scanBatches(records: Buffer, from: number): number {
    let offset = from;
    let pos = 0;
    for (let h = readBatchHeader(records, pos); h; h = readBatchHeader(records, pos)) {
      const last = lastOffsetOf(h);
      if (last >= offset) {
        this.epochCache.assign(h.partitionLeaderEpoch, h.baseOffset);
        this.producerState.update(
          {
            producerId: h.producerId,
            producerEpoch: h.producerEpoch,
            baseSequence: h.baseSequence,
            recordsCount: h.lastOffsetDelta + 1,
          },
          h.baseOffset,
          last,
          h.maxTimestamp,
        );
        offset = last + 1;
      }
      pos += h.size;
    }
    return offset;
  }
}
