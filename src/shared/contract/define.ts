/**
 * How a contract is declared: services made of methods (request → one result) and streams
 * (subscribe → many events). Both ends take their types from the same declaration — the client
 * proxy in the renderer and the implementation in the host — so renaming a member or changing an
 * argument is a compile error on both sides. Members whose name starts with `on` are streams.
 */
import type { TupleSchema } from './schema.js';

export interface MethodSpec<A extends unknown[], R> {
  readonly kind: 'method';
  readonly args: TupleSchema<A>;
  /** Type carrier only. */
  readonly __result?: R;
}

export interface StreamSpec<A extends unknown[], E> {
  readonly kind: 'stream';
  readonly args: TupleSchema<A>;
  /** Type carrier only. */
  readonly __event?: E;
}

export type MemberSpec = MethodSpec<any, any> | StreamSpec<any, any>;
export type ServiceSpec = Record<string, MemberSpec>;
export type ContractSpec = Record<string, ServiceSpec>;

/** `method(args).returns<Result>()`: the arguments are checked at run time, the result is typed. */
export function method<A extends unknown[]>(args: TupleSchema<A>): { returns<R>(): MethodSpec<A, R> } {
  return { returns: () => ({ kind: 'method', args }) };
}

/** `stream(args).emits<Event>()`. */
export function stream<A extends unknown[]>(args: TupleSchema<A>): { emits<E>(): StreamSpec<A, E> } {
  return { emits: () => ({ kind: 'stream', args }) };
}

// ---- the caller's view -------------------------------------------------------------------------

export interface CallOptions {
  /** Aborting sends a cancel to the host and rejects the call with CANCELLED. */
  signal?: AbortSignal;
}

export interface StreamObserver<E> {
  next(event: E): void;
  /** The host ended the stream with an error (it is not resubscribed). */
  error?(error: Error): void;
}

export type Unsubscribe = () => void;

export type MethodClient<M> =
  M extends MethodSpec<infer A, infer R> ? (...args: A | [...A, CallOptions]) => Promise<R> : never;

export type StreamClient<M> =
  M extends StreamSpec<infer A, infer E>
    ? (observer: StreamObserver<E> | ((event: E) => void), ...args: A) => Unsubscribe
    : never;

export type ServiceClient<S extends ServiceSpec> = {
  readonly [K in keyof S]: S[K] extends MethodSpec<any, any>
    ? MethodClient<S[K]>
    : S[K] extends StreamSpec<any, any>
      ? StreamClient<S[K]>
      : never;
};

export type ContractClient<C extends ContractSpec> = { readonly [K in keyof C]: ServiceClient<C[K]> };

// ---- the host's view ---------------------------------------------------------------------------

export interface CallContext {
  /** Aborted when the caller cancels or goes away. */
  readonly signal: AbortSignal;
}

export interface StreamContext<E> extends CallContext {
  emit(event: E): void;
  /** Ends the stream from the host side; with an error the caller's observer hears it. */
  end(error?: Error): void;
}

/** Called when the subscriber leaves. */
export type Teardown = () => void;

export type MethodImpl<M> =
  M extends MethodSpec<infer A, infer R> ? (ctx: CallContext, ...args: A) => R | Promise<R> : never;

export type StreamImpl<M> =
  M extends StreamSpec<infer A, infer E>
    ? (ctx: StreamContext<E>, ...args: A) => Teardown | void | Promise<Teardown | void>
    : never;

export type ServiceImpl<S extends ServiceSpec> = {
  [K in keyof S]: S[K] extends MethodSpec<any, any>
    ? MethodImpl<S[K]>
    : S[K] extends StreamSpec<any, any>
      ? StreamImpl<S[K]>
      : never;
};

export type ContractImpl<C extends ContractSpec> = { [K in keyof C]: ServiceImpl<C[K]> };

/** Finds `service.member` in a contract without ever walking into a prototype. */
export function lookupMember(contract: ContractSpec, path: string): MemberSpec | undefined {
  const dot = path.indexOf('.');
  if (dot <= 0) return undefined;
  const serviceName = path.slice(0, dot);
  const memberName = path.slice(dot + 1);
  if (!Object.prototype.hasOwnProperty.call(contract, serviceName)) return undefined;
  const service = contract[serviceName];
  if (!Object.prototype.hasOwnProperty.call(service, memberName)) return undefined;
  return service[memberName];
}
