/**
 * RPC over a WebSocket: JSON text frames. Works with the browser's WebSocket and with the `ws`
 * package in Node, through the few members both have.
 */
import type {
  ClientMessage,
  ClientTransport,
  ConnectionState,
  ServerConnection,
  ServerMessage,
} from '../protocol.js';

/** The part of a WebSocket this module uses (browser `WebSocket` and `ws` both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => unknown) | null;
  onmessage: ((event: any) => unknown) | null;
  onclose: ((event: any) => unknown) | null;
  onerror: ((event: any) => unknown) | null;
}

const OPEN = 1;

/** Close codes this protocol uses (4000–4999 are for applications). */
export const CLOSE_PROTOCOL_ERROR = 4400;

export interface WebSocketClientOptions {
  url: string;
  /** Opens a socket; the renderer passes `(url) => new WebSocket(url)`. */
  connect: (url: string) => WebSocketLike;
  /** Waits before reconnecting after a drop, the last one repeating; default 250 ms … 5 s. */
  retryDelaysMs?: readonly number[];
  /** Timer functions (tests pass fakes); default the global ones. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** A client transport that reconnects on its own until `close()`. */
export function webSocketClientTransport(options: WebSocketClientOptions): ClientTransport {
  const retryDelays = options.retryDelaysMs ?? [250, 500, 1000, 2000, 5000];
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const messageListeners = new Set<(m: ServerMessage) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocketLike | null = null;
  let attempt = 0;
  let timer: unknown = null;
  let stopped = false;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    for (const l of [...stateListeners]) l(next);
  };

  const open = () => {
    timer = null;
    if (stopped) return;
    setState('connecting');
    let ws: WebSocketLike;
    try {
      ws = options.connect(options.url);
    } catch {
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('open');
    };
    ws.onmessage = (event: { data: unknown }) => {
      if (typeof event.data !== 'string') return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      for (const l of [...messageListeners]) l(message);
    };
    ws.onerror = () => undefined; // a close event follows
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      scheduleRetry();
    };
  };

  const scheduleRetry = () => {
    setState('closed');
    if (stopped) return;
    const delay = retryDelays[Math.min(attempt, retryDelays.length - 1)];
    attempt++;
    timer = setTimer(open, delay);
  };

  // Connect on the next tick, so listeners attached right after creation hear the first state change.
  timer = setTimer(open, 0);

  return {
    get state() {
      return state;
    },
    send(message: ClientMessage) {
      if (!socket || socket.readyState !== OPEN) return;
      socket.send(JSON.stringify(message));
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      const ws = socket;
      socket = null;
      ws?.close(1000, 'client closed');
      setState('closed');
    },
  };
}

/** The host end over an accepted socket. Frames that are not JSON text drop the peer. */
export function webSocketServerConnection(ws: WebSocketLike): ServerConnection {
  const messageListeners = new Set<(m: unknown) => void>();
  const closeListeners = new Set<() => void>();
  let closed = false;
  const onClosed = () => {
    if (closed) return;
    closed = true;
    for (const l of [...closeListeners]) l();
  };
  ws.onmessage = (event: { data: unknown }) => {
    if (typeof event.data !== 'string') {
      ws.close(CLOSE_PROTOCOL_ERROR, 'text frames only');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(event.data);
    } catch {
      ws.close(CLOSE_PROTOCOL_ERROR, 'not JSON');
      return;
    }
    for (const l of [...messageListeners]) l(message);
  };
  ws.onclose = onClosed;
  ws.onerror = () => undefined;
  return {
    send(message) {
      if (ws.readyState === OPEN) ws.send(JSON.stringify(message));
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close(reason) {
      ws.close(CLOSE_PROTOCOL_ERROR, reason.slice(0, 120));
      onClosed();
    },
  };
}
