/**
 * Turns what Eddy's client throws into the EddyErrors the UI shows: Kafka errors as KAFKA_ERROR
 * with a sentence a person can act on (Kafka's name as `detail`), lost brokers as
 * CLUSTER_UNREACHABLE. Shared by the topics and groups services.
 */
import { KafkaClientError } from '../../engine/client/index.js';
import { EddyError } from '../../shared/errors.js';
import { toEddyError as linkError } from './link.js';

/** What the sentence may mention. */
export interface ErrorFacts {
  topic?: string;
  groupId?: string;
  partitions?: number;
  replicationFactor?: number;
  liveBrokers?: number;
  members?: number;
  /** What was being done, for sentences like "… stop them before <action>." */
  action?: string;
}

/** The broker's own explanation, when it sent one (CreateTopics, CreatePartitions, configs …). */
function serverMessage(err: KafkaClientError): string | null {
  const own = (err as KafkaClientError & { serverMessage?: string | null }).serverMessage;
  if (own) return own;
  // brokerError's text: "<action> failed with NAME (where): <server message or Kafka's text>".
  const m = /failed with [A-Z_]+(?: \([^)]*\))?: (.*)$/s.exec(err.message);
  return m ? m[1] : null;
}

function sentence(name: string, err: KafkaClientError, f: ErrorFacts): string {
  const topic = f.topic ?? err.topic ?? '';
  const why = serverMessage(err);
  switch (name) {
    case 'TOPIC_ALREADY_EXISTS':
      return `A topic named '${topic}' already exists.`;
    case 'UNKNOWN_TOPIC_OR_PARTITION':
    case 'UNKNOWN_TOPIC_ID':
      return topic
        ? `There is no topic named '${topic}' (any more).`
        : 'That topic or partition does not exist (any more).';
    case 'INVALID_REPLICATION_FACTOR':
      return f.replicationFactor !== undefined && f.liveBrokers !== undefined
        ? `Replication factor ${f.replicationFactor} is larger than the ${f.liveBrokers} broker${f.liveBrokers === 1 ? '' : 's'} available.`
        : `The replication factor is not possible on this cluster${why ? `: ${why}` : '.'}`;
    case 'INVALID_PARTITIONS':
      return why ? `The partition count is not possible: ${why}` : 'The partition count is not possible.';
    case 'INVALID_CONFIG':
      return why ? `A config value was refused: ${why}` : 'A config value was refused.';
    case 'POLICY_VIOLATION':
      return why
        ? `The cluster's policy refused the request: ${why}`
        : "The cluster's policy refused the request.";
    case 'INVALID_TOPIC_EXCEPTION':
      return why ? `The topic name is not allowed: ${why}` : 'The topic name is not allowed.';
    case 'TOPIC_DELETION_DISABLED':
      return 'The cluster does not allow deleting topics (delete.topic.enable is false).';
    case 'TOPIC_AUTHORIZATION_FAILED':
    case 'GROUP_AUTHORIZATION_FAILED':
    case 'CLUSTER_AUTHORIZATION_FAILED':
      return 'This connection is not allowed to do that. Ask the cluster administrator for the ACL.';
    case 'NON_EMPTY_GROUP':
      return nonEmptyGroup(f.groupId ?? '', f.members ?? 0, f.action ?? 'trying again');
    case 'GROUP_ID_NOT_FOUND':
      return `There is no group '${f.groupId}' (any more).`;
    case 'GROUP_SUBSCRIBED_TO_TOPIC':
      return `Group '${f.groupId}' still consumes '${topic}'; stop its members before deleting those offsets.`;
    case 'OFFSET_OUT_OF_RANGE':
      return 'That offset lies outside the log.';
    case 'LEADER_NOT_AVAILABLE':
      return `Some partitions${topic ? ` of '${topic}'` : ''} have no leader right now; start the brokers that hold them and try again.`;
    case 'REQUEST_TIMED_OUT':
      return 'The cluster did not finish in time; the change may still happen. Check again in a moment.';
    default:
      return why
        ? `The cluster refused the request (${name}): ${why}`
        : `The cluster refused the request (${name}).`;
  }
}

/** Kafka's NON_EMPTY_GROUP as a sentence: "Group 'x' has 2 active members; stop them before …". */
export function nonEmptyGroup(groupId: string, members: number, action: string): string {
  return members > 0
    ? `Group '${groupId}' has ${members} active member${members === 1 ? '' : 's'}; stop ${members === 1 ? 'it' : 'them'} before ${action}.`
    : `Group '${groupId}' still has active members; stop them before ${action}.`;
}

/**
 * The EddyError for anything the client threw; EddyErrors pass through. Kafka refusals get our
 * sentences; lost connections, TLS and login failures take link.ts's mapping (CLUSTER_UNREACHABLE,
 * AUTHENTICATION_FAILED).
 */
export function toEddyError(err: unknown, facts: ErrorFacts = {}): EddyError {
  if (err instanceof EddyError) return err;
  if (err instanceof KafkaClientError) {
    if (err.code !== 0 && err.kind !== 'authentication' && !AUTH_ERRORS.has(err.type)) {
      return new EddyError('KAFKA_ERROR', {
        message: sentence(err.type, err, facts),
        detail: err.type,
        cause: err,
      });
    }
    if (err.kind === 'version') {
      return new EddyError('KAFKA_ERROR', {
        message: `The cluster does not support this operation: ${err.message}.`,
        detail: 'UNSUPPORTED_VERSION',
        cause: err,
      });
    }
  }
  return linkError(err);
}

const AUTH_ERRORS = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
]);

/** A KAFKA_ERROR made here (not from a broker answer), e.g. a check Kafka would make anyway. */
export function kafkaError(name: string, message: string): EddyError {
  return new EddyError('KAFKA_ERROR', { message, detail: name });
}

/** Runs `fn`, translating what it throws. */
export async function translated<T>(fn: () => Promise<T>, facts: ErrorFacts = {}): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toEddyError(err, facts);
  }
}
