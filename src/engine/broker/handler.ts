import type { ConnectionInfo } from '../net/kafka-listener.js';
import type { Broker } from './broker.js';

export interface RequestHeaderInfo {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export interface RequestContext {
  broker: Broker;
  header: RequestHeaderInfo;
  apiVersion: number;
  connection: ConnectionInfo;
}

/** Returned by a handler when Kafka sends no response (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('no response');

export type HandlerResult<Res> = Res | typeof NO_RESPONSE;

/**
 * One Kafka API: its key, the version range Eddy serves, and the handler. ApiVersions is derived
 * from the registered handlers, never written by hand.
 */
export interface ApiHandler<Req = any, Res = any> {
  apiKey: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  handle(request: Req, ctx: RequestContext): HandlerResult<Res> | Promise<HandlerResult<Res>>;
}

export function defineHandler<Req, Res>(h: ApiHandler<Req, Res>): ApiHandler<Req, Res> {
  return h;
}
