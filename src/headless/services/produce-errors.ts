/**
 * Client failures (KafkaClientError from src/engine/client) as sentences a person can act on, for
 * the producer and message-browser services. Kafka's own error name travels along as `detail`
 * (KAFKA_ERROR) so the renderer can translate by it.
 */
import { KafkaClientError } from '../../engine/client/index.js';
import { EddyError, type ErrorCode } from '../../shared/errors.js';

export interface KafkaFailure {
  /** The boundary code: KAFKA_ERROR, CLUSTER_UNREACHABLE, INVALID_ARGUMENT … */
  code: ErrorCode;
  /** Kafka's error name (UNKNOWN_TOPIC_OR_PARTITION …), or the client-side kind in capitals. */
  name: string;
  message: string;
}

function topicOf(err: KafkaClientError, fallback?: string): string {
  return err.topic ?? fallback ?? 'the topic';
}

/** What went wrong, for `err` thrown while working on `topic`. */
export function describeFailure(err: unknown, topic?: string): KafkaFailure {
  if (err instanceof EddyError) return { code: err.code, name: err.detail ?? err.code, message: err.message };
  if (!(err instanceof KafkaClientError)) {
    const message = err instanceof Error ? err.message : String(err);
    return { code: 'INTERNAL', name: 'INTERNAL', message: `Something went wrong inside Eddy: ${message}` };
  }
  const name = err.type;
  const t = topicOf(err, topic);
  if (err.code === 0) {
    switch (err.kind) {
      case 'connection':
      case 'timeout':
        return {
          code: 'CLUSTER_UNREACHABLE',
          name,
          message: `Cannot reach the Kafka cluster (${err.message}). Check that the brokers are running.`,
        };
      case 'config':
        return { code: 'INVALID_ARGUMENT', name, message: sentence(err.message) };
      case 'closed':
        return {
          code: 'CANCELLED',
          name,
          message: 'The operation was cancelled: the connection to the cluster was closed.',
        };
      default:
        return { code: 'KAFKA_ERROR', name, message: sentence(err.message) };
    }
  }
  const sentences: Record<string, string> = {
    UNKNOWN_TOPIC_OR_PARTITION:
      err.partition !== undefined && /has no partition/.test(err.message)
        ? `Topic '${t}' has no partition ${err.partition}. Pick an existing partition, or leave it to the partitioner.`
        : `Topic '${t}' does not exist. Create it first, or enable auto-creation.`,
    UNKNOWN_TOPIC_ID: `Topic '${t}' does not exist (any more). Create it first, or enable auto-creation.`,
    INVALID_TOPIC_EXCEPTION: `'${t}' is not a valid topic name: use 1–249 letters, digits, '.', '_' or '-'.`,
    MESSAGE_TOO_LARGE: `The record is larger than topic '${t}' accepts. Send a smaller record, or raise the topic's max.message.bytes.`,
    RECORD_LIST_TOO_LARGE: `The records are larger than topic '${t}' accepts. Send smaller records, or raise the topic's max.message.bytes.`,
    NOT_ENOUGH_REPLICAS: `Fewer in-sync replicas of '${t}' are up than its min.insync.replicas, so acks=all cannot be met. Start the stopped brokers, or send with acks=1.`,
    NOT_ENOUGH_REPLICAS_AFTER_APPEND: `The record was written, but fewer in-sync replicas of '${t}' than its min.insync.replicas confirmed it. Start the stopped brokers, or send with acks=1.`,
    LEADER_NOT_AVAILABLE: `A partition of '${t}' has no leader right now (its brokers may be down). Start the brokers, then try again.`,
    NOT_LEADER_OR_FOLLOWER: `The leader of a partition of '${t}' moved and did not settle. Try again in a moment.`,
    INVALID_TIMESTAMP: `The record's timestamp is outside what topic '${t}' accepts (message.timestamp.before/after.max.ms). Leave the timestamp empty, or pick one closer to now.`,
    INVALID_RECORD: `The broker refused the record for '${t}': ${err.message}`,
    CORRUPT_MESSAGE: `The records of '${t}' could not be read: ${err.message}`,
    UNSUPPORTED_COMPRESSION_TYPE: `The cluster does not accept this compression codec for '${t}'. Pick another codec.`,
    TOPIC_AUTHORIZATION_FAILED: `This connection may not use topic '${t}'. Ask the cluster's administrator for access.`,
    CLUSTER_AUTHORIZATION_FAILED: `This connection is not allowed to do that on the cluster. Ask the cluster's administrator for access.`,
    POLICY_VIOLATION: `The cluster's policy refused the request: ${err.message}`,
    REQUEST_TIMED_OUT: `The brokers did not answer in time for '${t}'. Check that enough brokers are up, then try again.`,
    OFFSET_OUT_OF_RANGE: `That offset is no longer (or not yet) in the log of '${t}'. Start from the beginning or the end instead.`,
  };
  return {
    code: 'KAFKA_ERROR',
    name,
    message: sentences[name] ?? `The cluster refused the request with ${name}: ${err.message}`,
  };
}

/** The failure as the error thrown across the boundary (Kafka's name as `detail`). */
export function toEddyError(err: unknown, topic?: string): EddyError {
  if (err instanceof EddyError) return err;
  const f = describeFailure(err, topic);
  return new EddyError(f.code, { message: f.message, detail: f.name, cause: err });
}

function sentence(text: string): string {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
