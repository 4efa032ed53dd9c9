import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler, type RequestContext } from '../handler.js';
import { partitionKey } from '../replica-manager.js';
import { topicIdFromBuffer } from '../topic-id.js';
import type { Partition } from '../partition.js';

const ZERO_UUID = Buffer.alloc(16);
const NO_RECORDS = Buffer.alloc(0);

interface FetchTarget {
  topicName: string | null;
  topicIdHex: string | null;
  topicIdWire: Buffer;
  partitionIndex: number;
  fetchOffset: number;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
}

interface PartitionResult {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  preferredReadReplica: number;
  records: Buffer;
  currentLeader?: { leaderId: number; leaderEpoch: number };
}

export const fetchHandler = defineHandler<any, any>({
  apiKey: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 17,
  async handle(req, ctx) {
    if (req.sessionId !== 0) {
      // Eddy answers every fetch as a full fetch and never hands out a session id (KIP-227 allows it).
      return { throttleTimeMs: 0, errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] };
    }
    const useTopicIds = ctx.apiVersion >= 13;
    const targets: FetchTarget[] = [];
    for (const t of req.topics as any[]) {
      const topicIdHex = useTopicIds ? topicIdFromBuffer(t.topicId) : null;
      const topicName = useTopicIds ? (ctx.broker.image.topicsById.get(topicIdHex!)?.name ?? null) : t.topic;
      for (const p of t.partitions as any[]) {
        targets.push({
          topicName,
          topicIdHex,
          topicIdWire: useTopicIds ? t.topicId : ZERO_UUID,
          partitionIndex: p.partition,
          fetchOffset: p.fetchOffset,
          partitionMaxBytes: p.partitionMaxBytes,
          currentLeaderEpoch: p.currentLeaderEpoch ?? -1,
        });
      }
    }
    const maxBytes: number = req.maxBytes ?? 0x7fffffff;
    const minBytes: number = req.minBytes;
    const maxWaitMs: number = req.maxWaitMs;

    let results = readAll(ctx, targets, maxBytes);
    const bytesOf = (rs: PartitionResult[]) => rs.reduce((n, r) => n + (r.records?.length ?? 0), 0);
    const hasError = results.some((r) => r.errorCode !== ErrorCode.NONE);
    if (!hasError && maxWaitMs > 0 && bytesOf(results) < Math.max(1, minBytes)) {
      const keys = targets.filter((t) => t.topicName !== null).map((t) => partitionKey(t.topicName!, t.partitionIndex));
      const watermarkSum = () =>
        targets.reduce((n, t) => {
          const p = t.topicName !== null ? ctx.broker.replicas.get(t.topicName, t.partitionIndex) : undefined;
          return n + (p ? Math.max(0, p.highWatermark - t.fetchOffset) : 0);
        }, 0);
      // Wake when new data is committed past our offsets; the timer bounds the wait either way.
      await ctx.broker.fetchWaiters.wait(keys, maxWaitMs, () => watermarkSum() > 0);
      results = readAll(ctx, targets, maxBytes);
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

function readAll(ctx: RequestContext, targets: FetchTarget[], maxBytes: number): PartitionResult[] {
  let remaining = maxBytes;
  let first = true;
  return targets.map((t) => {
    const r = readOne(ctx, t, remaining, first);
    const n = r.records?.length ?? 0;
    if (n > 0) first = false;
    remaining = Math.max(0, remaining - n);
    return r;
  });
}

function readOne(ctx: RequestContext, t: FetchTarget, responseBytesLeft: number, minOneMessage: boolean): PartitionResult {
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
  if (t.fetchOffset < partition.logStartOffset || t.fetchOffset > partition.logEndOffset) {
    return empty(ErrorCode.OFFSET_OUT_OF_RANGE, partition);
  }
  const limit = Math.min(t.partitionMaxBytes, responseBytesLeft);
  let records: Buffer = NO_RECORDS;
  if (t.fetchOffset < partition.highWatermark && (limit > 0 || minOneMessage)) {
    const read = partition.log.read(t.fetchOffset, limit, { maxOffset: partition.highWatermark, minOneMessage });
    records = read.records;
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

