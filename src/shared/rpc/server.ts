/**
 * The host end of the RPC for one connection. Every message from the peer is untrusted: the
 * envelope is checked, the member is looked up in the contract (never on an object's prototype),
 * and the arguments are checked against the member's schema before the implementation runs.
 */
import { EddyError, type WireError } from '../errors.js';
import type { ContractImpl, ContractSpec, StreamContext, Teardown } from '../contract/define.js';
import { lookupMember } from '../contract/define.js';
import { describeIssues, validate } from '../contract/schema.js';
import { clientMessageSchema, type ClientMessage, type ServerConnection } from './protocol.js';

export interface RpcServerOptions {
  /** Hears errors that are not the caller's fault (a bug in an implementation). */
  onInternalError?: (error: unknown, path: string) => void;
  /** Calls plus subscriptions one connection may have open at once. */
  maxInFlight?: number;
}

export interface RpcServerHandle {
  /** Aborts every call and ends every stream of this connection. */
  close(): void;
}

type Impl = Record<string, Record<string, (...args: any[]) => unknown>>;

export function serveRpc<C extends ContractSpec>(
  contract: C,
  services: ContractImpl<C>,
  connection: ServerConnection,
  options: RpcServerOptions = {},
): RpcServerHandle {
  const impl = services as unknown as Impl;
  const maxInFlight = options.maxInFlight ?? 256;
  /** Open calls and subscriptions by id; aborting one cancels it. */
  const inFlight = new Map<number, { controller: AbortController; teardown?: Teardown }>();
  let closed = false;

  const toWire = (error: unknown, path: string): WireError => {
    if (error instanceof EddyError) return error.toWire();
    options.onInternalError?.(error, path);
    return new EddyError('INTERNAL').toWire();
  };

  const finish = (id: number) => {
    const entry = inFlight.get(id);
    if (!entry) return;
    inFlight.delete(id);
    entry.controller.abort();
    try {
      entry.teardown?.();
    } catch (error) {
      options.onInternalError?.(error, `teardown of ${id}`);
    }
  };

  /** A call fails with `error`; a subscription that never started ends with it. */
  const reject = (message: ClientMessage, error: EddyError) =>
    connection.send(
      message.type === 'subscribe'
        ? { type: 'end', id: message.id, error: error.toWire() }
        : { type: 'error', id: message.id, error: error.toWire() },
    );

  const handle = (message: ClientMessage) => {
    if (message.type === 'cancel' || message.type === 'unsubscribe') {
      finish(message.id);
      return;
    }
    const { id, path } = message;
    if (inFlight.has(id))
      return reject(message, new EddyError('INVALID_ARGUMENT', { detail: `id ${id} is in use` }));
    if (inFlight.size >= maxInFlight) return reject(message, new EddyError('TOO_MANY_REQUESTS'));
    const spec = lookupMember(contract, path);
    const expected = message.type === 'call' ? 'method' : 'stream';
    const fn = spec && spec.kind === expected ? impl[path.split('.')[0]]?.[path.split('.')[1]] : undefined;
    if (!spec || typeof fn !== 'function')
      return reject(message, new EddyError('UNKNOWN_METHOD', { detail: `no ${expected} named ${path}` }));
    const checked = validate(spec.args, message.args, 'args');
    if (!checked.ok)
      return reject(
        message,
        new EddyError('INVALID_ARGUMENT', { detail: `${path}: ${describeIssues(checked.issues)}` }),
      );
    const controller = new AbortController();
    const entry: { controller: AbortController; teardown?: Teardown } = { controller };
    inFlight.set(id, entry);
    const args = checked.value as unknown[];

    if (message.type === 'call') {
      Promise.resolve()
        .then(() => fn({ signal: controller.signal }, ...args))
        .then(
          (value) => {
            if (inFlight.get(id) !== entry) return; // cancelled: the caller has stopped listening
            inFlight.delete(id);
            connection.send({ type: 'result', id, value });
          },
          (error: unknown) => {
            if (inFlight.get(id) !== entry) return;
            inFlight.delete(id);
            connection.send({ type: 'error', id, error: toWire(error, path) });
          },
        );
      return;
    }

    const ctx: StreamContext<unknown> = {
      signal: controller.signal,
      emit: (value) => {
        if (inFlight.get(id) === entry && !closed) connection.send({ type: 'event', id, value });
      },
      end: (error) => {
        if (inFlight.get(id) !== entry) return;
        finish(id);
        connection.send(error ? { type: 'end', id, error: toWire(error, path) } : { type: 'end', id });
      },
    };
    Promise.resolve()
      .then(() => fn(ctx, ...args) as Teardown | void)
      .then(
        (teardown) => {
          if (typeof teardown !== 'function') return;
          if (inFlight.get(id) === entry) entry.teardown = teardown;
          else teardown(); // unsubscribed while starting
        },
        (error: unknown) => ctx.end(error instanceof Error ? error : new Error(String(error))),
      );
  };

  const close = () => {
    if (closed) return;
    closed = true;
    stopListening();
    stopClose();
    for (const id of [...inFlight.keys()]) finish(id);
  };

  const stopListening = connection.onMessage((raw) => {
    if (closed) return;
    const checked = validate(clientMessageSchema, raw, 'message');
    if (!checked.ok) {
      // A peer that sends malformed envelopes is not our renderer: drop it.
      connection.close(`malformed message: ${describeIssues(checked.issues)}`);
      close();
      return;
    }
    handle(checked.value as ClientMessage);
  });
  const stopClose = connection.onClose(close);

  return { close };
}
