/**
 * Binds the UI contract to a window over Electron IPC. Only messages from the window's own main
 * frame showing the app's page are heard; the RPC server then checks each message and its
 * arguments against the contract. A reload starts a fresh connection, so the old page's streams end.
 */
import { ipcMain, type IpcMainEvent, type WebContents, type WebFrameMain } from 'electron';
import { eddyContract, type EddyServices } from '../shared/contract/index.js';
import type { ServerConnection, ServerMessage } from '../shared/rpc/protocol.js';
import { serveRpc, type RpcServerHandle } from '../shared/rpc/server.js';
import { RPC_CHANNEL } from '../shared/rpc/transports/ipc.js';
import { isAppUrl } from './window.js';

interface Binding {
  contents: WebContents;
  deliver(message: unknown): void;
}

const bindings = new Map<number, Binding>();
let listening = false;

function trustedSender(event: IpcMainEvent): boolean {
  const frame: WebFrameMain | null = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

function onRpcMessage(event: IpcMainEvent, message: unknown): void {
  const binding = bindings.get(event.sender.id);
  if (!binding || binding.contents !== event.sender || !trustedSender(event)) {
    console.warn(
      `[eddy] ignored an IPC message from an untrusted frame (${event.senderFrame?.url ?? 'gone'})`,
    );
    return;
  }
  binding.deliver(message);
}

export function bindRpc(contents: WebContents, services: EddyServices, log: (m: string) => void): void {
  if (!listening) {
    ipcMain.on(RPC_CHANNEL, onRpcMessage);
    listening = true;
  }
  let listeners = new Set<(m: unknown) => void>();
  let closeListeners = new Set<() => void>();
  let handle: RpcServerHandle | null = null;

  const connect = () => {
    for (const l of [...closeListeners]) l();
    handle = null;
    listeners = new Set();
    closeListeners = new Set();
    const connection: ServerConnection = {
      send(message: ServerMessage) {
        if (!contents.isDestroyed()) contents.send(RPC_CHANNEL, message);
      },
      onMessage(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      onClose(listener) {
        closeListeners.add(listener);
        return () => closeListeners.delete(listener);
      },
      close(reason) {
        // Our own page never sends a malformed envelope; stop listening to it until it reloads.
        log(`dropped the renderer's RPC connection: ${reason}`);
      },
    };
    handle = serveRpc(eddyContract, services, connection, {
      onInternalError: (err, path) => log(`${path} failed: ${(err as Error)?.stack ?? String(err)}`),
    });
  };

  bindings.set(contents.id, {
    contents,
    deliver: (message) => {
      for (const l of [...listeners]) l(message);
    },
  });
  connect();
  // A new document (a reload) gets a new connection; the old page's streams end.
  contents.on('did-navigate', () => connect());
  contents.once('destroyed', () => {
    bindings.delete(contents.id);
    handle?.close();
    handle = null;
  });
}
