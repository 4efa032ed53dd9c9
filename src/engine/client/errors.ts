/**
 * The client's one error type. Every failure a caller sees is a KafkaClientError: either a Kafka
 * error code from a broker (code > 0 or -1), or a client-side condition (connection lost, request
 * timed out, no versions in common, bad arguments) with code 0 and a `kind`.
 */
import { ErrorCode, errorFor } from './protocol.js';

export type ClientErrorKind =
  | 'broker' // a Kafka error code in a response
  | 'connection' // the TCP connection failed or closed
  | 'timeout' // no response within the request timeout
  | 'version' // no API version both sides support
  | 'protocol' // bytes we could not decode
  | 'config' // bad client options or arguments
  | 'closed' // the client was closed by its owner
  | 'authentication' // SASL refused (code SASL_AUTHENTICATION_FAILED, UNSUPPORTED_SASL_MECHANISM, …) or failed
  | 'tls'; // the TLS handshake failed (untrusted certificate, wrong host name, not a TLS listener)

export interface KafkaClientErrorOptions {
  code?: number;
  kind?: ClientErrorKind;
  retriable?: boolean;
  cause?: unknown;
  topic?: string;
  partition?: number;
  broker?: string;
}

export class KafkaClientError extends Error {
  /** Kafka error code (0 when the failure is client-side). */
  readonly code: number;
  /** Kafka's name for the code, e.g. NOT_LEADER_OR_FOLLOWER; for client-side failures the kind in capitals. */
  readonly type: string;
  readonly kind: ClientErrorKind;
  /** True when retrying the same request (after a metadata refresh where relevant) can succeed. */
  readonly retriable: boolean;
  readonly topic?: string;
  readonly partition?: number;
  /** host:port of the broker involved, when known. */
  readonly broker?: string;

  constructor(message: string, options: KafkaClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KafkaClientError';
    this.code = options.code ?? 0;
    this.kind = options.kind ?? (this.code !== 0 ? 'broker' : 'protocol');
    this.type = this.code !== 0 ? errorFor(this.code).name : this.kind.toUpperCase();
    this.retriable = options.retriable ?? (this.code !== 0 ? errorFor(this.code).retriable : false);
    this.topic = options.topic;
    this.partition = options.partition;
    this.broker = options.broker;
  }
}

export interface ErrorContext {
  topic?: string;
  partition?: number;
  broker?: string;
  /** What the client was doing, e.g. "creating topic 'orders'". */
  action?: string;
}

/** Builds the error for a non-zero Kafka error code found in a response. */
export function brokerError(
  code: number,
  context: ErrorContext = {},
  serverMessage?: string | null,
): KafkaClientError {
  const info = errorFor(code);
  const where =
    context.topic === undefined
      ? ''
      : context.partition === undefined
        ? ` (topic '${context.topic}')`
        : ` (${context.topic}-${context.partition})`;
  const detail = serverMessage ? `: ${serverMessage}` : info.message ? `: ${info.message}` : '';
  const action = context.action ? `${context.action} failed` : 'request failed';
  return new KafkaClientError(`${action} with ${info.name}${where}${detail}`, {
    code,
    topic: context.topic,
    partition: context.partition,
    broker: context.broker,
  });
}

/** Error codes after which the cached metadata is stale and must be refreshed before a retry. */
export const METADATA_REFRESH_CODES: ReadonlySet<number> = new Set<number>([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.NOT_CONTROLLER,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.UNKNOWN_TOPIC_ID,
]);

export function needsMetadataRefresh(err: unknown): boolean {
  if (!(err instanceof KafkaClientError)) return false;
  return METADATA_REFRESH_CODES.has(err.code) || err.kind === 'connection' || err.kind === 'timeout';
}

/** Kafka codes that mean "these credentials / this SASL setup will not work": never retried. */
export const AUTHENTICATION_CODES: ReadonlySet<number> = new Set<number>([
  ErrorCode.SASL_AUTHENTICATION_FAILED,
  ErrorCode.UNSUPPORTED_SASL_MECHANISM,
  ErrorCode.ILLEGAL_SASL_STATE,
]);

/** Authentication and TLS failures repeat on every attempt: they are never retriable. */
export function isRetriable(err: unknown): boolean {
  return (
    err instanceof KafkaClientError &&
    err.retriable &&
    err.kind !== 'authentication' &&
    err.kind !== 'tls' &&
    !AUTHENTICATION_CODES.has(err.code)
  );
}
