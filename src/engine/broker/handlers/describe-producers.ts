import { ErrorCode } from '../../protocol/errors.js';
import { defineHandler } from '../handler.js';

/** DescribeProducers: the idempotent producers a partition leader remembers. */
export const describeProducersHandler = defineHandler<any, any>({
  apiKey: 61,
  name: 'DescribeProducers',
  minVersion: 0,
  maxVersion: 0,
  handle(req, ctx) {
    const { broker } = ctx;
    return {
      throttleTimeMs: 0,
      topics: (req.topics as any[]).map((t) => ({
        name: t.name,
        partitions: (t.partitionIndexes as number[]).map((index) => {
          const base = { partitionIndex: index, errorMessage: null, activeProducers: [] as any[] };
          if (!broker.image.topic(t.name)?.partitions[index]) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          const p = broker.replicas.get(t.name, index);
          if (!p || !p.isLeader) return { ...base, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
          return {
            ...base,
            errorCode: ErrorCode.NONE,
            activeProducers: p.producerState.entries().map((e) => ({
              producerId: e.producerId,
              producerEpoch: e.producerEpoch,
              lastSequence: e.batches.length > 0 ? e.batches[e.batches.length - 1].lastSeq : -1,
              lastTimestamp: e.lastTimestamp,
              coordinatorEpoch: -1,
              currentTxnStartOffset: -1,
            })),
          };
        }),
      })),
    };
  },
});
