import { ErrorCode } from '../../protocol/errors.js';
import type { CreateTopicSpec } from '../../controller/controller.js';
import { defineHandler } from '../handler.js';
import { topicConfigEntries } from '../config-describe.js';
import { topicIdToBuffer } from '../topic-id.js';

export const createTopicsHandler = defineHandler<any, any>({
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 2,
  maxVersion: 7,
  async handle(req, ctx) {
    const { broker } = ctx;
    const validateOnly = !!req.validateOnly;
    const early = new Map<number, { errorCode: number; errorMessage: string }>();
    const specs: { index: number; spec: CreateTopicSpec }[] = [];
    (req.topics as any[]).forEach((t, index) => {
      const configs: Record<string, string> = {};
      for (const c of t.configs as { name: string; value: string | null }[]) {
        if (c.value === null) {
          early.set(index, { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: `Null value not supported for topic config ${c.name}.` });
          return;
        }
        configs[c.name] = c.value;
      }
      specs.push({
        index,
        spec: {
          name: t.name,
          numPartitions: t.numPartitions,
          replicationFactor: t.replicationFactor,
          assignments: t.assignments,
          configs,
        },
      });
    });
    const results = await broker.controller.createTopics(
      specs.map((s) => s.spec),
      validateOnly,
    );
    const byIndex = new Map(specs.map((s, i) => [s.index, results[i]]));
    return {
      throttleTimeMs: 0,
      topics: (req.topics as any[]).map((t, index) => {
        const problem = early.get(index);
        const r = byIndex.get(index);
        if (problem || !r || r.errorCode !== ErrorCode.NONE) {
          return {
            name: t.name,
            topicId: Buffer.alloc(16),
            errorCode: problem?.errorCode ?? r?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR,
            errorMessage: problem?.errorMessage ?? r?.errorMessage ?? null,
            numPartitions: -1,
            replicationFactor: -1,
            configs: null,
          };
        }
        const requested = new Map(Object.entries(specs.find((s) => s.index === index)!.spec.configs));
        return {
          name: t.name,
          topicId: validateOnly || !r.topicId ? Buffer.alloc(16) : topicIdToBuffer(r.topicId),
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          numPartitions: r.numPartitions,
          replicationFactor: r.replicationFactor,
          configs: topicConfigEntries(broker, requested).map((e) => ({
            name: e.name,
            value: e.value,
            readOnly: e.readOnly,
            configSource: e.configSource,
            isSensitive: e.isSensitive,
          })),
        };
      }),
    };
  },
});
