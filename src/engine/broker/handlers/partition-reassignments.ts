import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

export const alterPartitionReassignmentsHandler = defineHandler<any, any>({
  apiKey: 45,
  name: 'AlterPartitionReassignments',
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const responses = [];
    for (const t of req.topics as any[]) {
      const partitions = [];
      for (const p of t.partitions as any[]) {
        const r = await ctx.broker.controller.reassignPartition(t.name, p.partitionIndex, p.replicas);
        partitions.push({ partitionIndex: p.partitionIndex, errorCode: r.errorCode, errorMessage: r.errorMessage });
      }
      responses.push({ name: t.name, partitions });
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, responses };
  },
});

export const listPartitionReassignmentsHandler = defineHandler<any, any>({
  apiKey: 46,
  name: 'ListPartitionReassignments',
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const ongoing = await ctx.broker.controller.ongoingReassignments();
    const wanted: Map<string, Set<number>> | null =
      req.topics === null ? null : new Map((req.topics as any[]).map((t) => [t.name, new Set<number>(t.partitionIndexes)]));
    const byTopic = new Map<string, any[]>();
    for (const r of ongoing) {
      if (wanted && !wanted.get(r.topic)?.has(r.partition)) continue;
      const list = byTopic.get(r.topic) ?? [];
      list.push({ partitionIndex: r.partition, replicas: r.replicas, addingReplicas: r.adding, removingReplicas: r.removing });
      byTopic.set(r.topic, list);
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      topics: [...byTopic.entries()].map(([name, partitions]) => ({ name, partitions })),
    };
  },
});
