import { ErrorCode } from '../../protocol/errors.js';
import { INTERNAL_TOPICS } from '../../controller/topic-rules.js';
import { LogError } from '../../storage/errors.js';
import { defineHandler } from '../handler.js';
import type { Broker } from '../broker.js';
import type { Partition } from '../partition.js';

/** DeleteRecords offset -1: delete everything below the high watermark. */
export const DELETE_TO_HIGH_WATERMARK = -1;
const INVALID_LOW_WATERMARK = -1;

interface PartitionResult {
  partitionIndex: number;
  lowWatermark: number;
  errorCode: number;
}

/** A deletion done on the leader, waiting for the other replicas to move their log start too. */
interface Pending {
  topic: string;
  partition: Partition;
  requiredOffset: number;
  result: PartitionResult;
  done: boolean;
}

/**
 * DeleteRecords (v0-2), answered by each partition's leader: moves the log start offset up to the
 * requested offset (-1: the high watermark; beyond it: OFFSET_OUT_OF_RANGE), which persists it and
 * drops the segments wholly below it. Followers learn the new log start from their next fetch and
 * move theirs; like Kafka's DelayedDeleteRecords the answer waits until every live replica has (the
 * low watermark reaches the offset), or answers REQUEST_TIMED_OUT after `timeoutMs`.
 */
export const deleteRecordsHandler = defineHandler<any, any>({
  apiKey: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const { broker } = ctx;
    const pending: Pending[] = [];
    const topics = new Map<string, Map<number, PartitionResult>>();
    for (const t of req.topics as any[]) {
      // Kafka reads the request into a map: a partition named twice is answered once.
      const byIndex = topics.get(t.name) ?? new Map<number, PartitionResult>();
      topics.set(t.name, byIndex);
      for (const p of t.partitions as any[]) {
        const { result, wait } = deleteOne(broker, t.name, p.partitionIndex, p.offset);
        const earlier = pending.findIndex((w) => w.topic === t.name && w.result.partitionIndex === p.partitionIndex);
        if (earlier >= 0) pending.splice(earlier, 1);
        byIndex.set(p.partitionIndex, result);
        if (wait) pending.push({ topic: t.name, partition: wait.partition, requiredOffset: wait.requiredOffset, result, done: false });
      }
    }
    if (pending.length > 0) await waitForReplicas(broker, pending, Math.max(0, req.timeoutMs));
    return {
      throttleTimeMs: 0,
      topics: [...topics].map(([name, byIndex]) => ({ name, partitions: [...byIndex.values()] })),
    };
  },
});

function deleteOne(
  broker: Broker,
  topic: string,
  partitionIndex: number,
  offset: number,
): { result: PartitionResult; wait?: { partition: Partition; requiredOffset: number } } {
  const failed = (errorCode: number) => ({ result: { partitionIndex, lowWatermark: INVALID_LOW_WATERMARK, errorCode } });
  if (!broker.image.topic(topic)?.partitions[partitionIndex]) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (INTERNAL_TOPICS.has(topic)) return failed(ErrorCode.INVALID_TOPIC_EXCEPTION);
  const partition = broker.replicas.get(topic, partitionIndex);
  if (!partition || !partition.isLeader) return failed(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  const log = partition.log;
  if (log.offline) return failed(ErrorCode.KAFKA_STORAGE_ERROR);
  // Compacted-only topics keep the latest value of every key; Kafka refuses to cut them.
  if (!log.config.cleanupPolicy.includes('delete')) return failed(ErrorCode.POLICY_VIOLATION);
  const requiredOffset = offset === DELETE_TO_HIGH_WATERMARK ? partition.highWatermark : offset;
  if (requiredOffset < 0 || requiredOffset > partition.highWatermark) return failed(ErrorCode.OFFSET_OUT_OF_RANGE);
  try {
    log.deleteRecordsBefore(requiredOffset);
  } catch (err) {
    if (err instanceof LogError) {
      if (err.errorCode === ErrorCode.KAFKA_STORAGE_ERROR) {
        broker.logger.error(`DeleteRecords on ${topic}-${partitionIndex} failed: ${err.message}`);
      }
      return failed(err.errorCode);
    }
    throw err;
  }
  const lowWatermark = lowWatermarkOf(broker, partition);
  const result = { partitionIndex, lowWatermark, errorCode: ErrorCode.NONE };
  return lowWatermark >= requiredOffset ? { result } : { result, wait: { partition, requiredOffset } };
}

/** The smallest log start offset among the leader and its followers on live brokers (Kafka's low watermark). */
export function lowWatermarkOf(broker: Broker, partition: Partition): number {
  let low = partition.logStartOffset;
  for (const f of partition.followers.values()) {
    const b = broker.image.brokers.get(f.brokerId);
    if (b && !b.fenced && f.logStartOffset < low) low = f.logStartOffset;
  }
  return low;
}

/**
 * Resolves once every pending deletion has reached its low watermark or lost its leadership, or at
 * `timeoutMs` (those still waiting answer REQUEST_TIMED_OUT with the low watermark they had).
 */
function waitForReplicas(broker: Broker, pending: Pending[], timeoutMs: number): Promise<void> {
  for (const w of pending) w.result.errorCode = ErrorCode.REQUEST_TIMED_OUT;
  const partitions = [...new Set(pending.map((w) => w.partition))];
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      for (const p of partitions) {
        p.off('followerLogStart', check);
        p.off('removed', check);
      }
      broker.off('metadata', check);
      resolve();
    };
    function check(): void {
      for (const w of pending) {
        if (w.done) continue;
        const current = broker.replicas.get(w.topic, w.result.partitionIndex);
        if (current !== w.partition || !current.isLeader) {
          Object.assign(w.result, { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, lowWatermark: INVALID_LOW_WATERMARK });
          w.done = true;
          continue;
        }
        const low = lowWatermarkOf(broker, current);
        if (low >= w.requiredOffset) {
          Object.assign(w.result, { errorCode: ErrorCode.NONE, lowWatermark: low });
          w.done = true;
        }
      }
      if (pending.every((w) => w.done)) finish();
    }
    for (const p of partitions) {
      p.on('followerLogStart', check);
      p.on('removed', check);
    }
    // Leadership changes and brokers going away (a dead follower no longer holds the watermark back).
    broker.on('metadata', check);
    const timer = setTimeout(finish, timeoutMs);
    check();
  });
}
