import { ErrorCode } from '../../protocol/errors.js';
import { INTERNAL_TOPICS } from '../../controller/topic-rules.js';
import { StorageError } from '../../storage/errors.js';
import { defineHandler, NO_RESPONSE, type RequestContext } from '../handler.js';
import { validateForAppend } from '../append-validation.js';
import { partitionKey } from '../replica-manager.js';

interface PartitionResponse {
  index: number;
  /** Records appended (internal; not on the wire). */
  appendedCount: number;
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
    const waits: Promise<void>[] = [];
    const responses = (req.topicData as any[]).map((topic) => ({
      name: topic.name,
      partitionResponses: (topic.partitionData as any[]).map((pd): PartitionResponse => {
        const r = produceToPartition(ctx, topic.name, pd.index, pd.records, acks, now);
        if (r.errorCode !== ErrorCode.NONE) anyError = true;
        else if (acks === -1) waits.push(awaitReplication(ctx, topic.name, r, req.timeoutMs));
        return r;
      }),
    }));
    if (acks === 0) {
      // A producer with acks=0 reads no answer; Kafka closes the connection so it notices the failure.
      if (anyError) throw new Error('acks=0 produce failed; closing the connection as Kafka does');
      return NO_RESPONSE;
    }
    const response = { responses, throttleTimeMs: 0, nodeEndpoints: [] };
    return waits.length === 0 ? response : Promise.all(waits).then(() => response);
  },
});

/**
 * acks=all: the answer waits until the high watermark passes the appended records, i.e. every ISR
 * member has them (Kafka's produce purgatory), or the request timeout runs out.
 */
async function awaitReplication(ctx: RequestContext, topic: string, r: PartitionResponse, timeoutMs: number): Promise<void> {
  const { broker } = ctx;
  const lastOffset = r.baseOffset + r.appendedCount - 1;
  const partition = broker.replicas.get(topic, r.index);
  const done = () => {
    const p = broker.replicas.get(topic, r.index);
    return !p || p !== partition || !p.isLeader || p.highWatermark > lastOffset;
  };
  if (!done()) await broker.fetchWaiters.wait([partitionKey(topic, r.index)], Math.max(0, timeoutMs), done);
  const p = broker.replicas.get(topic, r.index);
  if (!p || p !== partition || !p.isLeader) {
    Object.assign(r, { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: `Leadership of ${topic}-${r.index} moved before the write was replicated.` });
  } else if (p.highWatermark <= lastOffset) {
    Object.assign(r, { errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: `The in-sync replicas of ${topic}-${r.index} did not confirm the write within ${timeoutMs} ms.` });
  } else if (p.isr.length < p.minInsyncReplicas) {
    Object.assign(r, {
      errorCode: ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
      errorMessage: `The write to ${topic}-${r.index} is stored, but only ${p.isr.length} replicas are in sync (min.insync.replicas=${p.minInsyncReplicas}).`,
    });
  }
}

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
    appendedCount: 0,
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
  if (acks === -1 && partition.isr.length < partition.minInsyncReplicas) {
    return fail(
      ErrorCode.NOT_ENOUGH_REPLICAS,
      `Only ${partition.isr.length} of ${partition.replicas.length} replicas of ${topic}-${index} are in sync; min.insync.replicas is ${partition.minInsyncReplicas}.`,
    );
  }
  const validation = validateForAppend(records, partition.validationConfig, now, ctx.apiVersion);
  if (!validation.ok) {
    return fail(validation.errorCode, validation.message, validation.recordErrors);
  }
  try {
    const result = partition.appendAsLeader(records, validation.batches, now);
    if (result.errorCode === ErrorCode.NONE) {
      broker.traffic.produced(topic, records.length, validation.batches.reduce((n, b) => n + b.recordsCount, 0));
    }
    return {
      index,
      appendedCount: result.errorCode === ErrorCode.NONE ? result.lastOffset - result.baseOffset + 1 : 0,
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
