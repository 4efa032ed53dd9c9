/**
 * An in-memory transport pair for tests and for hosting the UI in the same process. Messages are
 * JSON round-tripped so that what passes here would also pass a WebSocket.
 */
import type { ClientTransport, ConnectionState, ServerConnection, ServerMessage } from '../protocol.js';

export interface MemoryPipe {
  client: ClientTransport;
  server: ServerConnection;
  /** Simulates the link dropping (state 'closed') and coming back ('open'). */
  setState(state: ConnectionState): void;
}

const wire = <T>(message: T): T => JSON.parse(JSON.stringify(message)) as T;

export function memoryPipe(initial: ConnectionState = 'open'): MemoryPipe {
  let state: ConnectionState = initial;
  const toClient = new Set<(m: ServerMessage) => void>();
  const toServer = new Set<(m: unknown) => void>();
  const clientState = new Set<(s: ConnectionState) => void>();
  const serverClose = new Set<() => void>();
  // Deliver asynchronously, as every real transport does.
  const deliver = <T>(listeners: Set<(m: T) => void>, message: T) =>
    queueMicrotask(() => {
      for (const l of [...listeners]) l(wire(message));
    });

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    if (next === 'closed') for (const l of [...serverClose]) l();
    for (const l of [...clientState]) l(next);
  };

  const client: ClientTransport = {
    get state() {
      return state;
    },
    send(message) {
      if (state === 'open') deliver(toServer, message as unknown);
    },
    onMessage(listener) {
      toClient.add(listener);
      return () => toClient.delete(listener);
    },
    onStateChange(listener) {
      clientState.add(listener);
      return () => clientState.delete(listener);
    },
    close() {
      setState('closed');
    },
  };

  const server: ServerConnection = {
    send(message) {
      if (state === 'open') deliver(toClient, message);
    },
    onMessage(listener) {
      toServer.add(listener);
      return () => toServer.delete(listener);
    },
    onClose(listener) {
      serverClose.add(listener);
      return () => serverClose.delete(listener);
    },
    close() {
      setState('closed');
    },
  };

  return { client, server, setState };
}
