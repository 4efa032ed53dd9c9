import { defineHandler } from '../handler.js';
import { mergePartitionErrors, splitKnownPartitions } from './group-topics.js';

export const offsetCommitHandler = defineHandler<any, any>({
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 9,
  async handle(req, ctx) {
    const v = ctx.apiVersion;
    const topics = (req.topics as any[]).map((t) => ({
      name: t.name as string,
      partitions: (t.partitions as any[]).map((p) => ({
        partitionIndex: p.partitionIndex as number,
        committedOffset: p.committedOffset as number,
        committedLeaderEpoch: v >= 6 ? (p.committedLeaderEpoch as number) : -1,
        committedMetadata: p.committedMetadata as string | null,
      })),
    }));
    const { known, unknown } = splitKnownPartitions(ctx.broker, topics);
    const answered = await ctx.broker.groups.commitOffsets({
      groupId: req.groupId,
      generationIdOrMemberEpoch: req.generationIdOrMemberEpoch,
      memberId: req.memberId,
      groupInstanceId: v >= 7 ? req.groupInstanceId : null,
      retentionTimeMs: v <= 4 ? req.retentionTimeMs : -1,
      topics: known,
      apiVersion: v,
    });
    return { throttleTimeMs: 0, topics: mergePartitionErrors(topics, answered, unknown) };
  },
});
