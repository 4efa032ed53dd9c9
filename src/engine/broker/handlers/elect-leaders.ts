import { ErrorCode, errorInfo } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

const PREFERRED = 0;

export const electLeadersHandler = defineHandler<any, any>({
  apiKey: 43,
  name: 'ElectLeaders',
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const { controller } = ctx.broker;
    const electionType: number = ctx.apiVersion >= 1 ? req.electionType : PREFERRED;
    const only: { topic: string; partition: number }[] | null =
      req.topicPartitions === null
        ? null
        : (req.topicPartitions as any[]).flatMap((t) => (t.partitions as number[]).map((partition) => ({ topic: t.topic, partition })));
    const results =
      electionType === PREFERRED
        ? await controller.electPreferredLeaders(only ?? undefined)
        : await controller.electUncleanLeaders(only);
    const byTopic = new Map<string, { partitionId: number; errorCode: number; errorMessage: string | null }[]>();
    for (const r of results) {
      // With no partitions named, only the elections that happened are reported (as Kafka does).
      if (only === null && r.errorCode !== ErrorCode.NONE) continue;
      const list = byTopic.get(r.topic) ?? [];
      list.push({
        partitionId: r.partition,
        errorCode: r.errorCode,
        errorMessage: r.errorCode === ErrorCode.NONE ? null : errorInfo(r.errorCode).message,
      });
      byTopic.set(r.topic, list);
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      replicaElectionResults: [...byTopic.entries()].map(([topic, partitionResult]) => ({ topic, partitionResult })),
    };
  },
});
