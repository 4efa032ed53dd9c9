/**
 * The RPC messages, the same over every transport. Everything is plain JSON data, so a message
 * survives both Electron's structured clone and a WebSocket text frame.
 *
 * Client → host: call, cancel, subscribe, unsubscribe. Host → client: result, error, event, end.
 * `id` is chosen by the client, unique per connection; a subscription reuses the id space of calls.
 */
import type { WireError } from '../errors.js';
import { array, discriminated, integer, literal, object, string, unknownValue } from '../contract/schema.js';

export type ClientMessage =
  | { type: 'call'; id: number; path: string; args: unknown[] }
  | { type: 'cancel'; id: number }
  | { type: 'subscribe'; id: number; path: string; args: unknown[] }
  | { type: 'unsubscribe'; id: number };

export type ServerMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: WireError }
  | { type: 'event'; id: number; value: unknown }
  | { type: 'end'; id: number; error?: WireError };

const id = integer({ min: 1 });
const path = string({
  minLength: 3,
  maxLength: 200,
  pattern: /^[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9]*$/,
});
const args = array(unknownValue(), { maxItems: 64 });

/** Checks what a client sent before anything else looks at it. */
export const clientMessageSchema = discriminated('type', {
  call: object({ type: literal('call'), id, path, args }),
  cancel: object({ type: literal('cancel'), id }),
  subscribe: object({ type: literal('subscribe'), id, path, args }),
  unsubscribe: object({ type: literal('unsubscribe'), id }),
});

/** A connection's state as the client sees it. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The client end of a transport (WebSocket, Electron IPC, in-memory). */
export interface ClientTransport {
  readonly state: ConnectionState;
  /** Only called while `state` is 'open'. */
  send(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** The host end of one connection (one renderer, one WebSocket peer). */
export interface ServerConnection {
  send(message: ServerMessage): void;
  /** Raw, untrusted data: the server validates it. */
  onMessage(listener: (message: unknown) => void): () => void;
  onClose(listener: () => void): () => void;
  /** Drops the peer, e.g. after it sent garbage. */
  close(reason: string): void;
}
