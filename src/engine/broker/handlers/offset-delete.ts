import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';
import { mergePartitionErrors, splitKnownPartitions } from './group-topics.js';

export const offsetDeleteHandler = defineHandler<any, any>({
  apiKey: 47,
  name: 'OffsetDelete',
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const topics = (req.topics as any[]).map((t) => ({
      name: t.name as string,
      partitions: (t.partitions as any[]).map((p) => ({ partitionIndex: p.partitionIndex as number })),
    }));
    const { known, unknown } = splitKnownPartitions(ctx.broker, topics);
    const result = await ctx.broker.groups.deleteOffsets(req.groupId, known);
    // A group-level error is the whole answer.
    if (result.errorCode !== ErrorCode.NONE)
      return { errorCode: result.errorCode, throttleTimeMs: 0, topics: [] };
    return {
      errorCode: ErrorCode.NONE,
      throttleTimeMs: 0,
      topics: mergePartitionErrors(topics, result.topics, unknown),
    };
  },
});
