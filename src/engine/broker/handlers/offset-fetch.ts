import { ErrorCode } from '../../protocol/errors.js';
import type { FetchedTopic } from '../../groups/shard.js';
import { defineHandler } from '../handler.js';

type TopicsRequest = { name: string; partitionIndexes: number[] }[] | null;

export const offsetFetchHandler = defineHandler<any, any>({
  apiKey: 9,
  name: 'OffsetFetch',
  // v0 read offsets from ZooKeeper; Kafka 4 serves 1-9.
  minVersion: 1,
  maxVersion: 9,
  handle(req, ctx) {
    const v = ctx.apiVersion;
    const groups = ctx.broker.groups;
    if (v >= 8) {
      // KIP-709: several groups in one request.
      return {
        throttleTimeMs: 0,
        groups: (req.groups as any[]).map((g) => {
          const result = groups.fetchOffsets(g.groupId, g.topics as TopicsRequest);
          return { groupId: g.groupId, errorCode: result.errorCode, topics: result.topics };
        }),
      };
    }
    // v1 has no "all topics" (null) and no top-level error: a group error goes on every partition.
    const requested = req.topics as TopicsRequest;
    const result = groups.fetchOffsets(req.groupId, requested);
    if (result.errorCode !== ErrorCode.NONE && v < 2) {
      return { throttleTimeMs: 0, topics: withErrorOnEveryPartition(requested ?? [], result.errorCode) };
    }
    return { throttleTimeMs: 0, errorCode: result.errorCode, topics: result.topics };
  },
});

function withErrorOnEveryPartition(
  topics: { name: string; partitionIndexes: number[] }[],
  errorCode: number,
): FetchedTopic[] {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => ({
      partitionIndex,
      committedOffset: -1,
      committedLeaderEpoch: -1,
      metadata: '',
      errorCode,
    })),
  }));
}
