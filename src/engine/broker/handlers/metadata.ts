import { ErrorCode } from '../../protocol/errors.js';
import { topicNameProblem, INTERNAL_TOPICS } from '../../controller/topic-rules.js';
import type { TopicImage } from '../../controller/metadata-image.js';
import { defineHandler, type RequestContext } from '../handler.js';
import { autoCreateTopics } from '../auto-create.js';
import { topicIdToBuffer, topicIdFromBuffer, isZeroUuid } from '../topic-id.js';

const UNKNOWN_AUTHORIZED_OPERATIONS = -2147483648;

export const metadataHandler = defineHandler<any, any>({
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 12,
  async handle(req, ctx) {
    const { broker, apiVersion } = ctx;
    const image = broker.image;
    const requested: { name: string | null; topicId: Buffer | null }[] | null =
      req.topics === null || (apiVersion === 0 && req.topics.length === 0) ? null : req.topics;
    const allowAutoCreate = apiVersion < 4 ? true : req.allowAutoTopicCreation !== false;

    let topics: any[];
    if (requested === null) {
      topics = [...image.topicsByName.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((t) => describeTopic(t, ctx));
    } else {
      const toCreate: string[] = [];
      for (const r of requested) {
        if (r.name && !image.topicsByName.has(r.name) && !topicNameProblem(r.name) && !INTERNAL_TOPICS.has(r.name)) {
          toCreate.push(r.name);
        }
      }
      if (toCreate.length > 0 && allowAutoCreate && broker.config.autoCreateTopicsEnable) {
        await autoCreateTopics(broker, toCreate);
      }
      topics = requested.map((r) => {
        if (r.name === null || r.name === undefined || r.name === '') {
          const id = r.topicId && !isZeroUuid(r.topicId) ? topicIdFromBuffer(r.topicId) : null;
          const t = id ? image.topicsById.get(id) : undefined;
          if (t) return describeTopic(t, ctx);
          return topicError(ErrorCode.UNKNOWN_TOPIC_ID, null, r.topicId);
        }
        const problem = topicNameProblem(r.name);
        if (problem) return topicError(ErrorCode.INVALID_TOPIC_EXCEPTION, r.name, null);
        const t = image.topicsByName.get(r.name);
        if (t) return describeTopic(t, ctx);
        return topicError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, r.name, null);
      });
    }
    const live = image.liveBrokers();
    return {
      throttleTimeMs: 0,
      brokers: live.map((b) => ({ nodeId: b.brokerId, host: b.host, port: b.port, rack: b.rack })),
      clusterId: image.clusterId,
      // KRaft brokers report a live broker as the "controller" clients may send admin requests to.
      controllerId: live.length > 0 ? live[0].brokerId : -1,
      topics,
      clusterAuthorizedOperations: UNKNOWN_AUTHORIZED_OPERATIONS,
    };
  },
});

function topicError(errorCode: number, name: string | null, topicId: Buffer | null) {
  return {
    errorCode,
    name,
    topicId: topicId ?? Buffer.alloc(16),
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: UNKNOWN_AUTHORIZED_OPERATIONS,
  };
}

function describeTopic(t: TopicImage, ctx: RequestContext) {
  const live = new Set(ctx.broker.image.liveBrokers().map((b) => b.brokerId));
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: topicIdToBuffer(t.topicId),
    isInternal: INTERNAL_TOPICS.has(t.name),
    partitions: t.partitions.map((p) => ({
      errorCode: p.leader === -1 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
      partitionIndex: p.partition,
      leaderId: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: p.replicas.filter((id) => !live.has(id)),
    })),
    topicAuthorizedOperations: UNKNOWN_AUTHORIZED_OPERATIONS,
  };
}
