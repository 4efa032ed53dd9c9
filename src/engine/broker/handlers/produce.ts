import { ErrorCode } from '../../protocol/errors.js';
import { INTERNAL_TOPICS } from '../../controller/topic-rules.js';
import { StorageError } from '../../storage/errors.js';
import { defineHandler, NO_RESPONSE, type RequestContext } from '../handler.js';
import { validateForAppend } from '../append-validation.js';
import { partitionKey } from '../replica-manager.js';

interface PartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
  recordErrors: { batchIndex: number; batchIndexErrorMessage: string | null }[];
  errorMessage: string | null;
  currentLeader?: { leaderId: number; leaderEpoch: number };
}

export const produceHandler = defineHandler<any, any>({
  apiKey: 0,
  name: 'Produce',
  // Kafka 4 advertises v0 for old librdkafka builds but refuses v0-2; Eddy advertises the same range.
  minVersion: 0,
  maxVersion: 11,
  handle(req, ctx) {
    if (ctx.apiVersion < 3) throw new Error('Produce v0-2 (message format v0/v1) is not supported by Kafka 4');
    const acks: number = req.acks;
    const now = Date.now();
    let anyError = false;
    const responses = (req.topicData as any[]).map((topic) => ({
      name: topic.name,
      partitionResponses: (topic.partitionData as any[]).map((pd): PartitionResponse => {
        const r = produceToPartition(ctx, topic.name, pd.index, pd.records, acks, now);
        if (r.errorCode !== ErrorCode.NONE) anyError = true;
        return r;
      }),
    }));
    if (acks === 0) {
      // A producer with acks=0 reads no answer; Kafka closes the connection so it notices the failure.
      if (anyError) throw new Error('acks=0 produce failed; closing the connection as Kafka does');
      return NO_RESPONSE;
    }
    return { responses, throttleTimeMs: 0, nodeEndpoints: [] };
  },
});

function produceToPartition(
  ctx: RequestContext,
  topic: string,
  index: number,
  records: Buffer | null,
  acks: number,
  now: number,
): PartitionResponse {
  const fail = (errorCode: number, errorMessage: string | null, recordErrors: PartitionResponse['recordErrors'] = []) => ({
    index,
    errorCode,
    baseOffset: -1,
    logAppendTimeMs: -1,
    logStartOffset: -1,
    recordErrors,
    errorMessage,
  });
  if (acks !== 0 && acks !== 1 && acks !== -1) {
    return fail(ErrorCode.INVALID_REQUIRED_ACKS, `acks must be -1, 0 or 1 (got ${acks}).`);
  }
  const { broker } = ctx;
  const topicImage = broker.image.topic(topic);
  if (!topicImage || !topicImage.partitions[index]) {
    return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `This server does not host ${topic}-${index}.`);
  }
  if (INTERNAL_TOPICS.has(topic)) {
    return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${topic}.`);
  }
  const partition = broker.replicas.get(topic, index);
  if (!partition || !partition.isLeader) {
    const p = topicImage.partitions[index];
    return {
      ...fail(ErrorCode.NOT_LEADER_OR_FOLLOWER, `Broker ${broker.nodeId} is not the leader of ${topic}-${index}.`),
      currentLeader: { leaderId: p.leader, leaderEpoch: p.leaderEpoch },
    };
  }
  if (!records || records.length === 0) {
    return fail(ErrorCode.INVALID_RECORD, 'The produce request carried no record batches.');
  }
  const validation = validateForAppend(records, partition.validationConfig, now, ctx.apiVersion);
  if (!validation.ok) {
    return fail(validation.errorCode, validation.message, validation.recordErrors);
  }
  try {
    const result = partition.appendAsLeader(records, validation.batches, now);
    if (result.errorCode === ErrorCode.NONE) broker.fetchWaiters.notify(partitionKey(topic, index));
    return {
      index,
      errorCode: result.errorCode,
      baseOffset: result.baseOffset,
      logAppendTimeMs: partition.validationConfig.timestampType === 'LogAppendTime' ? result.logAppendTime : -1,
      logStartOffset: result.logStartOffset,
      recordErrors: [],
      errorMessage: result.errorMessage,
    };
  } catch (err) {
    if (err instanceof StorageError) {
      broker.logger.error(`append to ${topic}-${index} failed: ${err.message}`);
      return fail(ErrorCode.KAFKA_STORAGE_ERROR, `The broker could not write to disk: ${err.message}`);
    }
    throw err;
  }
}
