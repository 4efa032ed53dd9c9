/**
 * RPC over Electron IPC, seen from the renderer: the preload script exposes a narrow bridge
 * (`window.eddy`) and this transport speaks through it. Electron IPC does not drop while the window
 * lives, so the transport is open from the start.
 */
import type { ClientMessage, ClientTransport, ConnectionState, ServerMessage } from '../protocol.js';

/** Every IPC channel of the app starts with this; the preload refuses any other. */
export const IPC_CHANNEL_PREFIX = 'eddy:';
/** The one channel RPC messages travel on, both ways. */
export const RPC_CHANNEL = `${IPC_CHANNEL_PREFIX}rpc`;

/** What the preload exposes as `window.eddy`. */
export interface EddyBridge {
  /** Which shell the page runs in. */
  readonly host: 'electron';
  send(channel: string, message: unknown): void;
  /** Returns a function that removes the listener. */
  on(channel: string, listener: (message: unknown) => void): () => void;
}

export function ipcClientTransport(bridge: EddyBridge): ClientTransport {
  let state: ConnectionState = 'open';
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const removers: (() => void)[] = [];
  return {
    get state() {
      return state;
    },
    send(message: ClientMessage) {
      if (state === 'open') bridge.send(RPC_CHANNEL, message);
    },
    onMessage(listener) {
      const remove = bridge.on(RPC_CHANNEL, (m) => listener(m as ServerMessage));
      removers.push(remove);
      return remove;
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      if (state === 'closed') return;
      state = 'closed';
      for (const r of removers.splice(0)) r();
      for (const l of [...stateListeners]) l('closed');
    },
  };
}
