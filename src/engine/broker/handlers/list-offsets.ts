import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler, type RequestContext } from '../handler.js';

/** Special timestamps of ListOffsets (KIP-734, KIP-405, KIP-1005). */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;
export const MAX_TIMESTAMP = -3;
export const EARLIEST_LOCAL_TIMESTAMP = -4;
export const LATEST_TIERED_TIMESTAMP = -5;

export const listOffsetsHandler = defineHandler<any, any>({
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 10,
  handle(req, ctx) {
    return {
      throttleTimeMs: 0,
      topics: (req.topics as any[]).map((t) => ({
        name: t.name,
        partitions: (t.partitions as any[]).map((p) => listOne(ctx, t.name, p)),
      })),
    };
  },
});

function listOne(ctx: RequestContext, topic: string, p: any) {
  const answer = (errorCode: number, offset = -1, timestamp = -1, leaderEpoch = -1) => ({
    partitionIndex: p.partitionIndex,
    errorCode,
    oldStyleOffsets: [],
    timestamp,
    offset,
    leaderEpoch,
  });
  const image = ctx.broker.image.topic(topic);
  if (!image || !image.partitions[p.partitionIndex]) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const partition = ctx.broker.replicas.get(topic, p.partitionIndex);
  if (!partition || !partition.isLeader) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  const current: number = p.currentLeaderEpoch ?? -1;
  if (current >= 0 && current < partition.leaderEpoch) return answer(ErrorCode.FENCED_LEADER_EPOCH);
  if (current > partition.leaderEpoch) return answer(ErrorCode.UNKNOWN_LEADER_EPOCH);
  const epoch = partition.leaderEpoch;
  const ts: number = p.timestamp;
  switch (ts) {
    case LATEST_TIMESTAMP:
      return answer(ErrorCode.NONE, partition.highWatermark, -1, epoch);
    case EARLIEST_TIMESTAMP:
    case EARLIEST_LOCAL_TIMESTAMP:
      return answer(ErrorCode.NONE, partition.logStartOffset, -1, epoch);
    case LATEST_TIERED_TIMESTAMP:
      // No tiered storage: nothing has been tiered.
      return answer(ErrorCode.NONE, -1, -1, -1);
    case MAX_TIMESTAMP: {
      const latest = partition.log.latestTimestamp();
      if (!latest || latest.offset >= partition.highWatermark) return answer(ErrorCode.NONE, -1, -1, -1);
      return answer(ErrorCode.NONE, latest.offset, latest.timestamp, epoch);
    }
    default: {
      if (ts < 0) return answer(ErrorCode.INVALID_REQUEST);
      const found = partition.log.offsetForTimestamp(ts);
      if (!found || found.offset >= partition.highWatermark) return answer(ErrorCode.NONE, -1, -1, -1);
      return answer(ErrorCode.NONE, found.offset, found.timestamp, epoch);
    }
  }
}
