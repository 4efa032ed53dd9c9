/**
 * One TCP connection to one broker: int32-size framing, correlation ids, pipelined requests
 * resolved by correlation id, a timeout per request, and ApiVersions negotiation on connect.
 *
 * Events: 'close' (err?: KafkaClientError) once the socket is gone; 'error' (err) when the socket
 * fails and someone listens. Requests in flight at that moment are rejected with a retriable
 * KafkaClientError of kind 'connection' that names the broker.
 */
import net from 'node:net';
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

  private constructor(socket: net.Socket, options: ConnectionOptions) {
    super();
    this.socket = socket;
    this.host = options.host;
    this.port = options.port;
    this.address = `${options.host}:${options.port}`;
    this.clientId = options.clientId ?? 'eddy';
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.clientVersions = options.clientVersions ?? CLIENT_VERSIONS;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.lastSocketError = err;
      if (this.listenerCount('error') > 0) this.emit('error', this.connectionError(err.message, err));
    });
    socket.on('close', () => this.onClose());
  }

  /** Opens the TCP connection and negotiates API versions. */
  static async connect(options: ConnectionOptions): Promise<Connection> {
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const address = `${options.host}:${options.port}`;
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: options.host, port: options.port });
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
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
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
      await conn.negotiate(options.apiVersionsVersion ?? 4, connectTimeoutMs);
    } catch (err) {
      conn.close();
      throw err;
    }
    return conn;
  }

  get closed(): boolean {
    return this.closedWith !== null;
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
        this.fatal(`broker ${this.address} sent a response frame of ${frame.length} bytes, too short for a header`);
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
    const err = this.connectionError(
      inFlight > 0
        ? `connection to broker ${this.address} closed with ${inFlight} request(s) in flight${why}`
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
