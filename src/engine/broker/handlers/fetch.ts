import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler, type RequestContext } from '../handler.js';
import { partitionKey } from '../replica-manager.js';
import { topicIdFromBuffer } from '../topic-id.js';
import type { Partition } from '../partition.js';

const NO_RECORDS = Buffer.alloc(0);

interface FetchTarget {
  topicName: string | null;
  partitionIndex: number;
  fetchOffset: number;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
  lastFetchedEpoch: number;
  /** The fetching follower's log start offset (Fetch v5+; -1 from consumers). */
  logStartOffset: number;
}

interface PartitionResult {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  divergingEpoch?: { epoch: number; endOffset: number };
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  preferredReadReplica: number;
  records: Buffer;
  currentLeader?: { leaderId: number; leaderEpoch: number };
}

/**
 * Fetch for consumers (reads up to the high watermark) and for follower replicas (reads up to the
 * log end, reports their progress to the partition, and tells them where their log diverges).
 * Every fetch is answered as a full fetch: Eddy never hands out a fetch session id (KIP-227 allows it).
 */
export const fetchHandler = defineHandler<any, any>({
  apiKey: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 17,
  async handle(req, ctx) {
    if (req.sessionId !== 0) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] };
    }
    const replicaId: number = ctx.apiVersion >= 15 ? (req.replicaState?.replicaId ?? -1) : (req.replicaId ?? -1);
    const useTopicIds = ctx.apiVersion >= 13;
    const targets: FetchTarget[] = [];
    for (const t of req.topics as any[]) {
      const topicName = useTopicIds ? (ctx.broker.image.topicsById.get(topicIdFromBuffer(t.topicId))?.name ?? null) : t.topic;
      for (const p of t.partitions as any[]) {
        targets.push({
          topicName,
          partitionIndex: p.partition,
          fetchOffset: p.fetchOffset,
          partitionMaxBytes: p.partitionMaxBytes,
          currentLeaderEpoch: p.currentLeaderEpoch ?? -1,
          lastFetchedEpoch: p.lastFetchedEpoch ?? -1,
          logStartOffset: p.logStartOffset ?? -1,
        });
      }
    }
    const maxBytes: number = req.maxBytes ?? 0x7fffffff;
    const minBytes: number = req.minBytes;
    const maxWaitMs: number = req.maxWaitMs;
    const isFollower = replicaId >= 0;

    let results = readAll(ctx, targets, maxBytes, replicaId);
    const bytesOf = (rs: PartitionResult[]) => rs.reduce((n, r) => n + r.records.length, 0);
    const settled = results.some((r) => r.errorCode !== ErrorCode.NONE || r.divergingEpoch);
    if (!settled && maxWaitMs > 0 && bytesOf(results) < Math.max(1, minBytes)) {
      const keys = targets.filter((t) => t.topicName !== null).map((t) => partitionKey(t.topicName!, t.partitionIndex));
      const available = () =>
        targets.some((t) => {
          const p = t.topicName !== null ? ctx.broker.replicas.get(t.topicName, t.partitionIndex) : undefined;
          if (!p || !p.isLeader) return true; // answer at once with the error
          return (isFollower ? p.logEndOffset : p.highWatermark) > t.fetchOffset;
        });
      // Wake when there is something new for this fetcher; the timer bounds the wait either way.
      await ctx.broker.fetchWaiters.wait(keys, maxWaitMs, available);
      results = readAll(ctx, targets, maxBytes, replicaId);
    }

    // Group results back by topic, in request order.
    const responses: any[] = [];
    let i = 0;
    for (const t of req.topics as any[]) {
      const partitions: PartitionResult[] = [];
      for (let j = 0; j < t.partitions.length; j++) partitions.push(results[i++]);
      responses.push(useTopicIds ? { topicId: t.topicId, partitions } : { topic: t.topic, partitions });
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses, nodeEndpoints: [] };
  },
});

function readAll(ctx: RequestContext, targets: FetchTarget[], maxBytes: number, replicaId: number): PartitionResult[] {
  let remaining = maxBytes;
  let first = true;
  return targets.map((t) => {
    const r = readOne(ctx, t, remaining, first, replicaId);
    const n = r.records.length;
    if (n > 0) first = false;
    remaining = Math.max(0, remaining - n);
    return r;
  });
}

function readOne(
  ctx: RequestContext,
  t: FetchTarget,
  responseBytesLeft: number,
  minOneMessage: boolean,
  replicaId: number,
): PartitionResult {
  const empty = (errorCode: number, p?: Partition): PartitionResult => ({
    partitionIndex: t.partitionIndex,
    errorCode,
    highWatermark: p ? p.highWatermark : -1,
    lastStableOffset: p ? p.highWatermark : -1,
    logStartOffset: p ? p.logStartOffset : -1,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: NO_RECORDS,
  });
  const { broker } = ctx;
  if (t.topicName === null) return empty(ErrorCode.UNKNOWN_TOPIC_ID);
  const topic = broker.image.topic(t.topicName);
  const state = topic?.partitions[t.partitionIndex];
  if (!topic || !state) return empty(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const partition = broker.replicas.get(t.topicName, t.partitionIndex);
  if (!partition || !partition.isLeader) {
    return { ...empty(ErrorCode.NOT_LEADER_OR_FOLLOWER), currentLeader: { leaderId: state.leader, leaderEpoch: state.leaderEpoch } };
  }
  if (t.currentLeaderEpoch >= 0) {
    if (t.currentLeaderEpoch < partition.leaderEpoch) return empty(ErrorCode.FENCED_LEADER_EPOCH, partition);
    if (t.currentLeaderEpoch > partition.leaderEpoch) return empty(ErrorCode.UNKNOWN_LEADER_EPOCH, partition);
  }
  const isFollower = replicaId >= 0;
  if (isFollower) {
    if (!partition.replicas.includes(replicaId)) return empty(ErrorCode.NOT_LEADER_OR_FOLLOWER, partition);
    const diverging = partition.divergingEpoch(t.lastFetchedEpoch, t.fetchOffset);
    if (diverging) return { ...empty(ErrorCode.NONE, partition), divergingEpoch: diverging };
  }
  if (t.fetchOffset < partition.logStartOffset || t.fetchOffset > partition.logEndOffset) {
    return empty(ErrorCode.OFFSET_OUT_OF_RANGE, partition);
  }
  if (isFollower) {
    partition.recordFollowerFetch(replicaId, t.fetchOffset, Date.now(), t.logStartOffset);
    broker.requestIsrChange(partition.isrExpansion());
  }
  // Consumers see only what the ISR holds (the high watermark); followers copy up to the log end.
  const upTo = isFollower ? partition.logEndOffset : partition.highWatermark;
  const limit = Math.min(t.partitionMaxBytes, responseBytesLeft);
  let records: Buffer = NO_RECORDS;
  if (t.fetchOffset < upTo && (limit > 0 || minOneMessage)) {
    records = partition.log.read(t.fetchOffset, limit, { maxOffset: upTo, minOneMessage }).records;
    broker.traffic.fetched(partition.topic, records.length, isFollower);
  }
  return {
    partitionIndex: t.partitionIndex,
    errorCode: ErrorCode.NONE,
    highWatermark: partition.highWatermark,
    lastStableOffset: partition.highWatermark,
    logStartOffset: partition.logStartOffset,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records,
  };
}
