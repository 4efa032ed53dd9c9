import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

/**
 * OffsetForLeaderEpoch: where a leader epoch ended on this leader. Java consumers use it (v3+) to
 * validate their position after a leader change; followers may use it to find a divergence.
 */
export const offsetForLeaderEpochHandler = defineHandler<any, any>({
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  minVersion: 2,
  maxVersion: 4,
  handle(req, ctx) {
    const { broker } = ctx;
    return {
      throttleTimeMs: 0,
      topics: (req.topics as any[]).map((t) => ({
        topic: t.topic,
        partitions: (t.partitions as any[]).map((p) => {
          const answer = (errorCode: number, leaderEpoch = -1, endOffset = -1) => ({
            errorCode,
            partition: p.partition,
            leaderEpoch,
            endOffset,
          });
          if (!broker.image.topic(t.topic)?.partitions[p.partition]) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          const partition = broker.replicas.get(t.topic, p.partition);
          if (!partition || !partition.isLeader) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
          const current: number = p.currentLeaderEpoch ?? -1;
          if (current >= 0 && current < partition.leaderEpoch) return answer(ErrorCode.FENCED_LEADER_EPOCH);
          if (current > partition.leaderEpoch) return answer(ErrorCode.UNKNOWN_LEADER_EPOCH);
          const { epoch, endOffset } = partition.epochCache.endOffsetFor(p.leaderEpoch, partition.logEndOffset);
          return answer(ErrorCode.NONE, epoch, endOffset);
        }),
      })),
    };
  },
});
