/**
 * The Kafka protocol codec: frames in, typed bodies out, and back. Pure functions, no I/O.
 * See README.md in this folder and docs/design/engine-core.md for the contract.
 */
import { Reader } from './codec/reader.js';
import { Writer } from './codec/writer.js';
import {
  bodyPlan,
  requestHeaderPlan,
  requestHeaderVersion,
  responseHeaderPlan,
  responseHeaderVersion,
  schemaFor,
} from './codec/plans.js';
import { ProtocolError } from './protocol-error.js';
import type { ApiKey, ApiRequestMap, ApiResponseMap } from './schemas.generated.js';

export { ProtocolError } from './protocol-error.js';
export { FrameReader, FrameTooLargeError, InvalidFrameSizeError } from './frame-reader.js';
export type { ProtocolErrorReason } from './protocol-error.js';
export { ErrorCode, errorInfo } from './errors.js';
export type { ErrorInfo, ErrorName } from './errors.js';
export { apiSchemas, ApiKey } from './schemas.generated.js';
export type * from './schemas.generated.js';
export type { ApiSchema, FieldDecl, MessageSchema, VersionRange } from './schema.js';

export interface RequestHeaderPrefix {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
}

export interface DecodedRequestHeader<K extends ApiKey = ApiKey> {
  apiKey: K;
  apiVersion: number;
  correlationId: number;
  /** A null client id on the wire reads as "" (as in Kafka). */
  clientId: string;
}

export interface DecodedRequest<K extends ApiKey = ApiKey> {
  header: DecodedRequestHeader<K>;
  body: ApiRequestMap[K];
}

export interface DecodedResponse<K extends number = ApiKey> {
  correlationId: number;
  body: ResponseBody<K>;
}

/**
 * What the encoders accept: the body type with every property optional, all the way down. A
 * missing property is written as the field's default; properties of other versions are ignored.
 */
export type BodyInput<T> = T extends Buffer
  ? T
  : T extends ReadonlyArray<infer E>
    ? ReadonlyArray<BodyInput<E>>
    : T extends object
      ? { [P in keyof T]?: BodyInput<T[P]> }
      : T;

/**
 * The body type an encoder expects for API key `K`: typed when `K` is one literal key
 * (`ApiKey.Produce`), any object when the key is only known at run time (`number`, `ApiKey`).
 */
export type RequestBodyInput<K extends number> = number extends K
  ? object
  : ApiKey extends K
    ? object
    : K extends ApiKey
      ? BodyInput<ApiRequestMap[K]>
      : object;
export type ResponseBodyInput<K extends number> = number extends K
  ? object
  : ApiKey extends K
    ? object
    : K extends ApiKey
      ? BodyInput<ApiResponseMap[K]>
      : object;
/** The decoded response body for `K`; `unknown` when the key is only known at run time. */
export type ResponseBody<K extends number> = number extends K ? unknown : K extends ApiKey ? ApiResponseMap[K] : unknown;

/** Reads api key, api version and correlation id without touching the rest of the frame. */
export function readRequestHeaderPrefix(frame: Buffer): RequestHeaderPrefix {
  if (frame.length < 8) {
    throw new ProtocolError(`request of ${frame.length} bytes is shorter than a request header`, { reason: 'truncated' });
  }
  return { apiKey: frame.readInt16BE(0), apiVersion: frame.readInt16BE(2), correlationId: frame.readInt32BE(4) };
}

/**
 * Decodes one request. `frame` is the bytes after the int32 size prefix. Throws ProtocolError for
 * an unknown API key, an unsupported version, or bytes that do not parse. Bytes left over after the
 * body are ignored, as Kafka's broker does. `records` fields are views of `frame` (no copy).
 */
export function decodeRequest(frame: Buffer): DecodedRequest {
  const { apiKey, apiVersion, correlationId } = readRequestHeaderPrefix(frame);
  const plan = bodyPlan('request', apiKey, apiVersion, correlationId);
  const r = new Reader(frame);
  const header = requestHeaderPlan(requestHeaderVersion(apiKey, apiVersion)).decode(r);
  const body = plan.decode(r);
  if (!r.ok) {
    throw new ProtocolError(`${schemaFor(apiKey, apiVersion).name} v${apiVersion} request: ${r.detail}`, {
      reason: r.problem ?? 'malformed',
      apiKey,
      apiVersion,
      correlationId,
    });
  }
  return {
    header: { apiKey: apiKey as ApiKey, apiVersion, correlationId, clientId: (header.clientId as string | null) ?? '' },
    body: body as unknown as ApiRequestMap[ApiKey],
  };
}

/**
 * Encodes a whole response frame: int32 size, response header (v1 for flexible versions, v0
 * otherwise, always v0 for ApiVersions), body.
 */
export function encodeResponse<K extends number>(
  apiKey: K,
  apiVersion: number,
  correlationId: number,
  body: ResponseBodyInput<K>,
): Buffer {
  const plan = bodyPlan('response', apiKey, apiVersion, correlationId);
  const header = responseHeaderPlan(responseHeaderVersion(apiKey, apiVersion));
  return encodeFrame(apiKey, apiVersion, correlationId, (w) => {
    header.encode(w, { correlationId });
    plan.encode(w, body as Record<string, unknown>);
  });
}

/**
 * Encodes a whole request frame: int32 size, request header (v2 for flexible versions, v1
 * otherwise; client id is always an int16-length string), body.
 */
export function encodeRequest<K extends number>(
  apiKey: K,
  apiVersion: number,
  correlationId: number,
  clientId: string | null,
  body: RequestBodyInput<K>,
): Buffer {
  const plan = bodyPlan('request', apiKey, apiVersion, correlationId);
  const header = requestHeaderPlan(requestHeaderVersion(apiKey, apiVersion));
  return encodeFrame(apiKey, apiVersion, correlationId, (w) => {
    header.encode(w, { requestApiKey: apiKey, requestApiVersion: apiVersion, correlationId, clientId });
    plan.encode(w, body as Record<string, unknown>);
  });
}

/** Decodes a response; `frame` is the bytes after the int32 size prefix. */
export function decodeResponse<K extends number>(apiKey: K, apiVersion: number, frame: Buffer): DecodedResponse<K> {
  const plan = bodyPlan('response', apiKey, apiVersion);
  const r = new Reader(frame);
  const header = responseHeaderPlan(responseHeaderVersion(apiKey, apiVersion)).decode(r);
  const body = plan.decode(r);
  if (!r.ok) {
    throw new ProtocolError(`${schemaFor(apiKey, apiVersion).name} v${apiVersion} response: ${r.detail}`, {
      reason: r.problem ?? 'malformed',
      apiKey,
      apiVersion,
      correlationId: header.correlationId as number,
    });
  }
  return { correlationId: header.correlationId as number, body: body as ResponseBody<K> };
}

function encodeFrame(apiKey: number, apiVersion: number, correlationId: number, write: (w: Writer) => void): Buffer {
  const w = new Writer(512);
  w.int32(0); // size, patched below
  try {
    write(w);
  } catch (err) {
    const name = schemaFor(apiKey, apiVersion).name;
    const reason = err instanceof ProtocolError ? err.reason : 'invalid-value';
    throw new ProtocolError(`${name} v${apiVersion}: ${(err as Error).message}`, { reason, apiKey, apiVersion, correlationId, cause: err });
  }
  const frame = w.finish();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}
