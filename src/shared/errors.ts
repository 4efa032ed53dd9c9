/**
 * The error catalog for everything that crosses the UI↔engine boundary. Codes are stable: the
 * renderer translates them (i18n key `errors.<CODE>`), tests match them, logs grep for them. The
 * sentence here is the English fallback and says what to do, not what went wrong inside.
 *
 * Add a code here before throwing it; never rename one.
 *
 * KAFKA_ERROR carries the host's sentence as `message` and Kafka's error name (TOPIC_ALREADY_EXISTS
 * …) as `detail`; the renderer translates by that name (`kafkaErrors.<NAME>`) when it can.
 */
export const ERROR_CATALOG = {
  ENGINE_UNREACHABLE: {
    retriable: true,
    message: 'Cannot reach the Eddy engine — is it running?',
  },
  ENGINE_NOT_RUNNING: {
    retriable: true,
    message: 'The Eddy engine did not start. Check the log for the reason, then restart Eddy.',
  },
  INVALID_ARGUMENT: {
    retriable: false,
    message: 'The request was not understood: one of its values has the wrong type or range.',
  },
  UNKNOWN_METHOD: {
    retriable: false,
    message: 'This version of the engine does not offer that operation. Update Eddy so both sides match.',
  },
  CANCELLED: {
    retriable: false,
    message: 'The operation was cancelled.',
  },
  UNAUTHORIZED: {
    retriable: false,
    message: 'This page is not allowed to talk to the engine. Open the link that `eddy serve` printed.',
  },
  TOO_MANY_REQUESTS: {
    retriable: true,
    message: 'Too many operations are in flight at once. Wait for some to finish, then try again.',
  },
  KAFKA_ERROR: {
    retriable: false,
    message: 'The cluster refused the request.',
  },
  CLUSTER_UNREACHABLE: {
    retriable: true,
    message: 'Cannot reach the Kafka cluster. Check the bootstrap servers and that the brokers are running.',
  },
  AUTHENTICATION_FAILED: {
    retriable: false,
    message: 'The cluster refused the user name or password. Check the connection profile.',
  },
  EMBEDDED_ONLY: {
    retriable: false,
    message: 'This works only on the embedded cluster. Switch to it in the cluster switcher.',
  },
  NOT_FOUND: {
    retriable: false,
    message: 'That topic, group or profile does not exist (any more).',
  },
  INTERNAL: {
    retriable: false,
    message: 'Something went wrong inside Eddy. The log has the details.',
  },
} as const satisfies Record<string, { retriable: boolean; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOG, value);
}

/** How an error travels over the wire: plain data, no stack. */
export interface WireError {
  code: ErrorCode;
  message: string;
  /** Extra facts for the developer (which argument was wrong …); never shown as the main sentence. */
  detail?: string;
}

/** The one error class of the UI↔engine boundary. */
export class EddyError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, options: { detail?: string; message?: string; cause?: unknown } = {}) {
    super(
      options.message ?? ERROR_CATALOG[code].message,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.name = 'EddyError';
    this.code = code;
    this.retriable = ERROR_CATALOG[code].retriable;
    this.detail = options.detail;
  }

  toWire(): WireError {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }

  static fromWire(wire: WireError): EddyError {
    const code = isErrorCode(wire.code) ? wire.code : 'INTERNAL';
    return new EddyError(code, {
      message: typeof wire.message === 'string' ? wire.message : undefined,
      detail: typeof wire.detail === 'string' ? wire.detail : undefined,
    });
  }
}

export function isEddyError(err: unknown): err is EddyError {
  return err instanceof EddyError;
}
