/**
 * One TCP connection to one broker: int32-size framing, correlation ids, pipelined requests
 * resolved by correlation id, a timeout per request, and ApiVersions negotiation on connect.
 * Optionally over TLS (node:tls) and authenticated with SASL (SaslHandshake v1 + SaslAuthenticate)
 * right after ApiVersions: `connect` resolves only once authenticated, so no other request can be
 * sent on an unauthenticated connection.
 *
 * Events: 'close' (err?: KafkaClientError) once the socket is gone; 'error' (err) when the socket
 * fails and someone listens. Requests in flight at that moment are rejected with a retriable
 * KafkaClientError of kind 'connection' that names the broker.
 */
import net from 'node:net';
import tls from 'node:tls';
import { EventEmitter } from 'node:events';
import {
  API,
  ErrorCode,
  decodeResponse,
  encodeRequest,
  type RequestBodyInput,
  type ResponseBody,
} from './protocol.js';
import { KafkaClientError } from './errors.js';
import { FrameReader } from './protocol.js';
import { SaslError, createSaslSession, type SaslOptions, type SaslSession } from './sasl.js';
import { CLIENT_VERSIONS, apiName, pickVersion, type BrokerVersions, type VersionRange } from './versions.js';

export const CLIENT_SOFTWARE_NAME = 'eddy';
export const CLIENT_SOFTWARE_VERSION = '0.1.0';

/** Largest response frame accepted; a Fetch answer is bounded by the request's maxBytes anyway. */
const MAX_RESPONSE_BYTES = 1024 * 1024 * 1024;

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId?: string;
  /** How long a request may wait for its response (default 30 s). */
  requestTimeoutMs?: number;
  /** How long the TCP connect plus ApiVersions may take (default 10 s). */
  connectTimeoutMs?: number;
  /** First ApiVersions version to try (default 4; a broker that lacks it answers error 35). */
  apiVersionsVersion?: number;
  /** Versions the client speaks (default CLIENT_VERSIONS); tests narrow it. */
  clientVersions?: ReadonlyMap<number, VersionRange>;
  /** Authenticate with SASL after ApiVersions (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512). */
  sasl?: SaslOptions;
  /** Speak TLS (SSL and SASL_SSL listeners). */
  tls?: TlsOptions;
}

export interface TlsOptions {
  /** PEM of the CA(s) to trust instead of Node's default roots (a self-signed broker certificate works too). */
  ca?: string;
  /** Check the broker's certificate chain and host name (default true). */
  rejectUnauthorized?: boolean;
  /** The name sent as SNI and checked against the certificate (default: the host, unless it is an IP). */
  servername?: string;
}

export interface SendOptions {
  /** Use this version instead of the negotiated one; it must lie inside the broker's range. */
  version?: number;
  /** Overrides the connection's request timeout for this request (e.g. a long-polling Fetch). */
  timeoutMs?: number;
}

interface PendingRequest {
  apiKey: number;
  version: number;
  resolve: (body: any) => void;
  reject: (err: KafkaClientError) => void;
  timer: NodeJS.Timeout;
}

/** What an acks=0 Produce resolves with: the broker sends no response, so there is nothing to report. */
export const NO_RESPONSE = Object.freeze({ responses: [], throttleTimeMs: 0 });

export class Connection extends EventEmitter {
  readonly host: string;
  readonly port: number;
  /** host:port, used in messages. */
  readonly address: string;
  readonly clientId: string;
  /** The broker's ranges from ApiVersions, valid for this connection only. */
  brokerVersions: BrokerVersions = new Map();

  private readonly socket: net.Socket;
  private readonly requestTimeoutMs: number;
  private readonly clientVersions: ReadonlyMap<number, VersionRange>;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly picked = new Map<number, number>();
  private nextCorrelationId = 0;
  private readonly frames = new FrameReader(MAX_RESPONSE_BYTES);
  private closedWith: KafkaClientError | null = null;
  private lastSocketError: Error | null = null;
  private readonly sasl: SaslOptions | undefined;
  /** Responses received so far (ApiVersions included); used to word a hint when a listener hangs up. */
  private answered = 0;
  /** Set when the SASL session is about to expire: the pool opens a new connection, this one closes when idle. */
  private expiring = false;
  private expiryTimer: NodeJS.Timeout | null = null;

  private constructor(socket: net.Socket, options: ConnectionOptions) {
    super();
    this.socket = socket;
    this.host = options.host;
    this.port = options.port;
    this.address = `${options.host}:${options.port}`;
    this.clientId = options.clientId ?? 'eddy';
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.clientVersions = options.clientVersions ?? CLIENT_VERSIONS;
    this.sasl = options.sasl;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.lastSocketError = err;
      if (this.listenerCount('error') > 0) this.emit('error', this.connectionError(err.message, err));
    });
    socket.on('close', () => this.onClose());
  }

  /**
   * Opens the TCP (or TLS) connection, negotiates API versions and, with `sasl`, authenticates.
   * Authentication failures reject with a non-retriable error of kind 'authentication'; TLS
   * certificate failures with kind 'tls'.
   */
  static async connect(options: ConnectionOptions): Promise<Connection> {
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const address = `${options.host}:${options.port}`;
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const tlsOptions = options.tls;
      const s = tlsOptions
        ? tls.connect({
            host: options.host,
            port: options.port,
            servername: tlsOptions.servername ?? (net.isIP(options.host) ? undefined : options.host),
            ca: tlsOptions.ca,
            rejectUnauthorized: tlsOptions.rejectUnauthorized ?? true,
          })
        : net.connect({ host: options.host, port: options.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(
          new KafkaClientError(`could not connect to ${address} within ${connectTimeoutMs} ms`, {
            kind: 'connection',
            retriable: true,
            broker: address,
          }),
        );
      }, connectTimeoutMs);
      s.once(tlsOptions ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        s.destroy();
        if (tlsOptions) {
          const failure = tlsFailure(err, address, options.host, tlsOptions);
          if (failure) {
            reject(failure);
            return;
          }
        }
        const why =
          err.code === 'ECONNREFUSED' ? 'connection refused (is a broker listening there?)' : err.message;
        reject(
          new KafkaClientError(`could not connect to ${address}: ${why}`, {
            kind: 'connection',
            retriable: true,
            broker: address,
            cause: err,
          }),
        );
      });
    });
    const conn = new Connection(socket, options);
    try {
      try {
        await conn.negotiate(options.apiVersionsVersion ?? 4, connectTimeoutMs);
      } catch (err) {
        // A TLS listener hangs up on the plaintext ApiVersions request.
        if (!options.tls && err instanceof KafkaClientError && err.kind === 'connection')
          throw new KafkaClientError(
            `${err.message} (if this listener expects TLS — SSL or SASL_SSL — turn on TLS in the connection settings)`,
            { kind: 'connection', retriable: true, broker: address, cause: err },
          );
        throw err;
      }
      if (options.sasl) await conn.authenticate(options.sasl, connectTimeoutMs);
    } catch (err) {
      conn.close();
      throw err;
    }
    return conn;
  }

  /**
   * True once the socket is gone, or when the SASL session is about to expire (the connection
   * then finishes what is in flight and closes; the owner should open a new one).
   */
  get closed(): boolean {
    return this.closedWith !== null || this.expiring;
  }

  /** Number of requests waiting for a response. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** True when both sides have a version of this API in common. */
  supports(apiKey: number): boolean {
    try {
      this.versionFor(apiKey);
      return true;
    } catch {
      return false;
    }
  }

  /** The negotiated version of an API on this connection; throws kind 'version' when there is none. */
  versionFor(apiKey: number): number {
    let v = this.picked.get(apiKey);
    if (v === undefined) {
      v = pickVersion(apiKey, this.brokerVersions, this.clientVersions, `broker ${this.address}`);
      this.picked.set(apiKey, v);
    }
    return v;
  }

  /**
   * Sends one request and resolves with the decoded response body. Requests are pipelined: many
   * may be in flight, each resolved by its correlation id. A Produce with acks=0 resolves with
   * NO_RESPONSE once it is written, because the broker never answers it.
   */
  send<K extends number>(
    apiKey: K,
    body: RequestBodyInput<K>,
    options: SendOptions = {},
  ): Promise<ResponseBody<K>> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    let version: number;
    try {
      version = options.version ?? this.versionFor(apiKey);
      if (options.version !== undefined) this.checkVersion(apiKey, version);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.write(
      apiKey,
      version,
      body as Record<string, unknown>,
      options.timeoutMs ?? this.requestTimeoutMs,
    ) as Promise<ResponseBody<K>>;
  }

  /** Closes the socket; requests still in flight are rejected with kind 'closed'. */
  close(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (this.closedWith) return;
    this.failAll(
      new KafkaClientError(`connection to ${this.address} was closed by the client`, {
        kind: 'closed',
        broker: this.address,
      }),
    );
    this.socket.destroy();
  }

  private checkVersion(apiKey: number, version: number): void {
    if (apiKey === API.ApiVersions) return;
    const range = this.brokerVersions.get(apiKey);
    if (!range || version < range.min || version > range.max) {
      const has = range ? `v${range.min}-${range.max}` : 'none';
      throw new KafkaClientError(
        `broker ${this.address} does not support ${apiName(apiKey)} v${version} (it supports ${has})`,
        {
          kind: 'version',
          broker: this.address,
        },
      );
    }
  }

  private write(
    apiKey: number,
    version: number,
    body: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<unknown> {
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = this.nextCorrelationId === 0x7fffffff ? 0 : this.nextCorrelationId + 1;
    let frame: Buffer;
    try {
      frame = encodeRequest(apiKey, version, correlationId, this.clientId, body);
    } catch (err) {
      return Promise.reject(
        new KafkaClientError(`could not encode ${apiName(apiKey)} v${version}: ${(err as Error).message}`, {
          kind: 'protocol',
          cause: err,
        }),
      );
    }
    if (apiKey === API.Produce && body.acks === 0) {
      return new Promise((resolve, reject) => {
        this.socket.write(frame, (err) =>
          err ? reject(this.connectionError(`write failed: ${err.message}`, err)) : resolve(NO_RESPONSE),
        );
      });
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // The connection stays usable: responses arrive in order, so the late answer is simply
        // dropped when it comes (its correlation id is no longer pending).
        this.pending.delete(correlationId);
        if (this.expiring && this.pending.size === 0) queueMicrotask(() => this.close());
        reject(
          new KafkaClientError(
            `${apiName(apiKey)} request to ${this.address} timed out after ${timeoutMs} ms`,
            {
              kind: 'timeout',
              retriable: true,
              broker: this.address,
            },
          ),
        );
      }, timeoutMs);
      this.pending.set(correlationId, { apiKey, version, resolve, reject, timer });
      this.socket.write(frame);
    });
  }

  private async negotiate(firstVersion: number, timeoutMs: number): Promise<void> {
    const body = { clientSoftwareName: CLIENT_SOFTWARE_NAME, clientSoftwareVersion: CLIENT_SOFTWARE_VERSION };
    const ours = this.clientVersions.get(API.ApiVersions) ?? { min: 0, max: 0 };
    let version = Math.min(firstVersion, ours.max);
    let response = (await this.write(API.ApiVersions, version, body, timeoutMs)) as ApiVersionsBody;
    if (
      response.errorCode === ErrorCode.UNSUPPORTED_VERSION ||
      (response.errorCode === ErrorCode.INVALID_REQUEST && version >= 3)
    ) {
      // The error reply is encoded as v0 and lists the broker's ApiVersions range; retry with the
      // highest version both sides have (v0 when the reply does not say).
      const theirs = response.apiKeys.find((k) => k.apiKey === API.ApiVersions);
      const retry =
        response.errorCode === ErrorCode.UNSUPPORTED_VERSION && theirs
          ? Math.min(theirs.maxVersion, version - 1)
          : 0;
      version = retry >= 0 ? retry : 0;
      response = (await this.write(API.ApiVersions, version, body, timeoutMs)) as ApiVersionsBody;
    }
    if (response.errorCode !== 0) {
      throw new KafkaClientError(
        `broker ${this.address} rejected ApiVersions v${version} with error ${response.errorCode}`,
        {
          code: response.errorCode,
          broker: this.address,
        },
      );
    }
    this.brokerVersions = new Map(
      response.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]),
    );
  }

  /**
   * SaslHandshake v1 names the mechanism; SaslAuthenticate requests then carry the mechanism's
   * messages until the session says it is done (for SCRAM: after the server signature checked out).
   */
  private async authenticate(sasl: SaslOptions, timeoutMs: number): Promise<void> {
    const who = `user '${sasl.username}' (SASL ${sasl.mechanism})`;
    const authError = (message: string, code: number, cause?: unknown): KafkaClientError =>
      new KafkaClientError(message, {
        code,
        kind: 'authentication',
        retriable: false,
        broker: this.address,
        cause,
      });
    let session: SaslSession;
    try {
      session = createSaslSession(sasl);
    } catch (err) {
      throw new KafkaClientError(`SASL settings are not usable: ${(err as Error).message}`, {
        kind: 'config',
      });
    }
    let handshakeVersion: number;
    let authenticateVersion: number;
    try {
      handshakeVersion = this.versionFor(API.SaslHandshake);
      authenticateVersion = this.versionFor(API.SaslAuthenticate);
    } catch (err) {
      throw authError(
        `Broker ${this.address} cannot authenticate ${who}: ${(err as Error).message}.`,
        ErrorCode.UNSUPPORTED_SASL_MECHANISM,
        err,
      );
    }
    const handshake = (await this.write(
      API.SaslHandshake,
      handshakeVersion,
      { mechanism: sasl.mechanism },
      timeoutMs,
    )) as { errorCode: number; mechanisms: string[] };
    if (handshake.errorCode === ErrorCode.UNSUPPORTED_SASL_MECHANISM) {
      const offered = handshake.mechanisms.length ? handshake.mechanisms.join(', ') : 'none';
      throw authError(
        `The cluster does not accept SASL ${sasl.mechanism} at ${this.address} (it offers: ${offered}): choose one of those mechanisms.`,
        handshake.errorCode,
      );
    }
    if (handshake.errorCode === ErrorCode.ILLEGAL_SASL_STATE) {
      throw authError(
        `Broker ${this.address} does not expect SASL on this listener: turn off SASL in the connection settings, or connect to the broker's SASL port.`,
        handshake.errorCode,
      );
    }
    if (handshake.errorCode !== 0) {
      throw authError(
        `Broker ${this.address} refused the SASL handshake for ${who} with error ${handshake.errorCode}.`,
        handshake.errorCode,
      );
    }
    let challenge: Buffer | null = null;
    let lifetimeMs = 0;
    for (;;) {
      let next: Buffer | null;
      try {
        next = await session.respond(challenge);
      } catch (err) {
        if (!(err instanceof SaslError)) throw err;
        throw authError(
          `Authentication of ${who} at ${this.address} failed: ${err.message}.`,
          ErrorCode.SASL_AUTHENTICATION_FAILED,
          err,
        );
      }
      if (next === null) break;
      const reply = (await this.write(
        API.SaslAuthenticate,
        authenticateVersion,
        { authBytes: next },
        timeoutMs,
      )) as {
        errorCode: number;
        errorMessage: string | null;
        authBytes: Buffer;
        sessionLifetimeMs?: number;
      };
      if (reply.errorCode === ErrorCode.SASL_AUTHENTICATION_FAILED) {
        throw authError(
          `The cluster refused ${who}: check the user name and password.`,
          reply.errorCode,
          reply.errorMessage ? new Error(reply.errorMessage) : undefined,
        );
      }
      if (reply.errorCode !== 0) {
        const detail = reply.errorMessage ? `: ${reply.errorMessage}` : '';
        throw authError(
          `Broker ${this.address} could not authenticate ${who} (error ${reply.errorCode})${detail}.`,
          reply.errorCode,
        );
      }
      challenge = reply.authBytes;
      lifetimeMs = Number(reply.sessionLifetimeMs ?? 0);
    }
    if (lifetimeMs > 0) {
      // KIP-368: the broker drops the connection at the first request after the session expires.
      // Hand over to a fresh connection a little before that.
      this.expiryTimer = setTimeout(() => this.expire(), Math.max(0, Math.floor(lifetimeMs * 0.85)));
      this.expiryTimer.unref();
    }
  }

  private expire(): void {
    this.expiryTimer = null;
    this.expiring = true;
    if (this.pending.size === 0) this.close();
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (err) {
      this.fatal(`broker ${this.address} sent a response frame of invalid size: ${(err as Error).message}`);
      return;
    }
    for (const frame of frames) {
      if (frame.length < 4) {
        this.fatal(
          `broker ${this.address} sent a response frame of ${frame.length} bytes, too short for a header`,
        );
        return;
      }
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0);
    const req = this.pending.get(correlationId);
    if (!req) return; // the request timed out earlier; its late answer is dropped
    this.pending.delete(correlationId);
    clearTimeout(req.timer);
    this.answered++;
    if (this.expiring && this.pending.size === 0) queueMicrotask(() => this.close());
    // An ApiVersions error reply is always encoded as v0 (KIP-511), whatever version was asked.
    // The response header is v0 for every ApiVersions version, so the error code sits right after it.
    const version =
      req.apiKey === API.ApiVersions && frame.length >= 6 && frame.readInt16BE(4) !== 0 ? 0 : req.version;
    try {
      const { body } = decodeResponse(req.apiKey, version, frame);
      req.resolve(body);
    } catch (err) {
      req.reject(
        new KafkaClientError(
          `could not decode ${apiName(req.apiKey)} v${version} response from ${this.address}: ${(err as Error).message}`,
          {
            kind: 'protocol',
            broker: this.address,
            cause: err,
          },
        ),
      );
    }
  }

  private fatal(message: string): void {
    this.failAll(new KafkaClientError(message, { kind: 'protocol', broker: this.address }));
    this.socket.destroy();
  }

  private onClose(): void {
    const cause = this.lastSocketError;
    const inFlight = this.pending.size;
    const why = cause ? `: ${cause.message}` : '';
    // A SASL listener hangs up on the first request that is not ApiVersions from an unauthenticated client.
    const hint =
      !this.sasl && inFlight > 0 && this.answered === 1
        ? ' (if this listener requires SASL, set the mechanism, user name and password in the connection settings)'
        : '';
    const err = this.connectionError(
      inFlight > 0
        ? `connection to broker ${this.address} closed with ${inFlight} request(s) in flight${why}${hint}`
        : `connection to broker ${this.address} closed${why}`,
      cause ?? undefined,
    );
    this.failAll(err);
    this.emit('close', this.closedWith);
  }

  private failAll(err: KafkaClientError): void {
    if (!this.closedWith) this.closedWith = err;
    for (const req of this.pending.values()) {
      clearTimeout(req.timer);
      req.reject(err);
    }
    this.pending.clear();
  }

  private connectionError(message: string, cause?: Error): KafkaClientError {
    return new KafkaClientError(message, {
      kind: 'connection',
      retriable: true,
      broker: this.address,
      cause,
    });
  }
}

interface ApiVersionsBody {
  errorCode: number;
  apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[];
}

/** OpenSSL verification codes meaning "this chain does not end at a CA we trust". */
const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
]);

/**
 * A sentence for a failed TLS connect, or null when the failure is not about TLS (connection
 * refused, host not found: worded by the caller). Certificate problems are not retriable.
 */
export function tlsFailure(
  err: NodeJS.ErrnoException & { reason?: string },
  address: string,
  host: string,
  options: TlsOptions,
): KafkaClientError | null {
  const code = err.code ?? '';
  const tlsError = (message: string, retriable = false) =>
    new KafkaClientError(message, { kind: 'tls', retriable, broker: address, cause: err });
  if (UNTRUSTED_CODES.has(code))
    return tlsError(
      `The broker's certificate is not trusted: ${err.message}. Add its CA in the profile or turn off verification.`,
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const name = options.servername ?? host;
    const reason = err.reason ?? err.message;
    return tlsError(
      `The broker's certificate is not valid for the host name '${name}': ${reason}. Connect by a name the certificate lists, set the TLS server name in the profile, or turn off verification.`,
    );
  }
  if (code === 'CERT_HAS_EXPIRED')
    return tlsError(
      `The broker's certificate has expired: renew it on the broker, or turn off verification in the profile.`,
    );
  if (code === 'CERT_NOT_YET_VALID')
    return tlsError(
      `The broker's certificate is not valid yet: check the clocks of this computer and of the broker, or turn off verification.`,
    );
  if (
    code === 'ERR_TLS_HANDSHAKE_TIMEOUT' ||
    code === 'ECONNRESET' ||
    /before secure TLS connection/.test(err.message)
  )
    return new KafkaClientError(
      `Broker ${address} closed the connection during the TLS handshake: check that this port is a TLS listener (SSL or SASL_SSL).`,
      { kind: 'connection', retriable: true, broker: address, cause: err },
    );
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO' || /SSL routines/.test(err.message))
    return tlsError(
      `The TLS handshake with broker ${address} failed: ${err.message}. Check that this port is a TLS listener (SSL or SASL_SSL) and the TLS settings.`,
    );
  return null;
}
