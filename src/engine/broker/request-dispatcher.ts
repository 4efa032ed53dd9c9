import { decodeRequest, encodeResponse, readRequestHeaderPrefix, ProtocolError } from '../protocol/index.js';
import { ErrorCode } from '../protocol/errors.js';
import type { ConnectionInfo } from '../net/kafka-listener.js';
import type { Broker } from './broker.js';
import { NO_RESPONSE, type ApiHandler, type RequestContext } from './handler.js';

const API_VERSIONS_KEY = 18;

/**
 * Turns one request frame into one response frame: checks the API and version against the
 * registered handlers, decodes, runs the handler and encodes its answer with the request's
 * correlation id. An unknown API or version closes the connection (Kafka's behaviour), except
 * ApiVersions, which answers UNSUPPORTED_VERSION in v0 so the client can retry lower.
 */
export class RequestDispatcher {
  private readonly byKey = new Map<number, ApiHandler>();

  constructor(
    private readonly broker: Broker,
    handlers: ApiHandler[],
  ) {
    for (const h of handlers) {
      if (this.byKey.has(h.apiKey)) throw new Error(`two handlers for API key ${h.apiKey}`);
      this.byKey.set(h.apiKey, h);
    }
  }

  /** The ranges ApiVersions advertises: exactly the registered handlers. */
  supportedApis(): { apiKey: number; minVersion: number; maxVersion: number }[] {
    return [...this.byKey.values()]
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  dispatch(frame: Buffer, connection: ConnectionInfo): Buffer | null | Promise<Buffer | null> {
    const prefix = readRequestHeaderPrefix(frame);
    const handler = this.byKey.get(prefix.apiKey);
    if (!handler || prefix.apiVersion < handler.minVersion || prefix.apiVersion > handler.maxVersion) {
      if (prefix.apiKey === API_VERSIONS_KEY && handler && prefix.apiVersion > handler.maxVersion) {
        return encodeResponse(API_VERSIONS_KEY, 0, prefix.correlationId, {
          errorCode: ErrorCode.UNSUPPORTED_VERSION,
          apiKeys: [{ apiKey: API_VERSIONS_KEY, minVersion: handler.minVersion, maxVersion: handler.maxVersion }],
        });
      }
      throw new ProtocolError(
        handler
          ? `unsupported version ${prefix.apiVersion} of ${handler.name} (supported ${handler.minVersion}-${handler.maxVersion})`
          : `unknown API key ${prefix.apiKey}`,
      );
    }
    const { header, body } = decodeRequest(frame);
    const ctx: RequestContext = { broker: this.broker, header, apiVersion: header.apiVersion, connection };
    const result = handler.handle(body, ctx);
    const encode = (res: unknown): Buffer | null =>
      res === NO_RESPONSE ? null : encodeResponse(header.apiKey, header.apiVersion, header.correlationId, res as object);
    return result instanceof Promise ? result.then(encode) : encode(result);
  }
}
