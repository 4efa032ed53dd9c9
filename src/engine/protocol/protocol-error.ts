/**
 * Why a frame could not be decoded or a body could not be encoded.
 * - unknown-api-key / unsupported-version: the header names an API or version this codec does not
 *   accept (the net layer closes the connection; ApiVersions is answered with UNSUPPORTED_VERSION).
 * - truncated: the bytes end before the message does.
 * - malformed: the bytes are there but make no sense (null in a non-nullable field, bad varint, ...).
 * - invalid-value: a body passed to an encoder does not fit the schema (null where not nullable,
 *   string too long, integer out of range, ...).
 */
export type ProtocolErrorReason = 'unknown-api-key' | 'unsupported-version' | 'truncated' | 'malformed' | 'invalid-value';

export interface ProtocolErrorOptions {
  /** Defaults to 'malformed'. */
  reason?: ProtocolErrorReason;
  apiKey?: number;
  apiVersion?: number;
  correlationId?: number;
  cause?: unknown;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly reason: ProtocolErrorReason;
  readonly apiKey: number | undefined;
  readonly apiVersion: number | undefined;
  /** Known when the request header could be read; lets the caller answer or log the request. */
  readonly correlationId: number | undefined;
  /** The same bytes never decode on a second try. */
  readonly retriable = false;

  constructor(message: string, options: ProtocolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = options.reason ?? 'malformed';
    this.apiKey = options.apiKey;
    this.apiVersion = options.apiVersion;
    this.correlationId = options.correlationId;
  }
}
