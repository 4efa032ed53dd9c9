/**
 * The renderer's way to the engine: one typed client over whichever transport this page has —
 * Electron IPC when the preload bridge is there, else a WebSocket to the headless host. Nothing
 * else in the renderer knows which.
 */
import { inject, type InjectionKey } from 'vue';
import { eddyContract, type EddyClient } from '../../shared/contract/index.js';
import { createContractClient, RpcClient } from '../../shared/rpc/client.js';
import type { ClientTransport, ConnectionState } from '../../shared/rpc/protocol.js';
import { ipcClientTransport } from '../../shared/rpc/transports/ipc.js';
import { webSocketClientTransport } from '../../shared/rpc/transports/websocket.js';
import { takeAccessToken } from './access-token.js';

export interface EddyApi {
  readonly client: EddyClient;
  /** 'desktop' inside Electron, 'browser' when served by `eddy serve`. */
  readonly shell: 'desktop' | 'browser';
  /** The browser page was opened without the token `eddy serve` prints. */
  readonly missingToken: boolean;
  connectionState(): ConnectionState;
  onConnectionStateChange(listener: (state: ConnectionState) => void): () => void;
  dispose(): void;
}

export const EDDY_API: InjectionKey<EddyApi> = Symbol('eddy-api');

export function apiOverTransport(
  transport: ClientTransport,
  shell: EddyApi['shell'],
  missingToken = false,
): EddyApi {
  const rpc = new RpcClient(transport);
  return {
    client: createContractClient(eddyContract, rpc),
    shell,
    missingToken,
    connectionState: () => rpc.state,
    onConnectionStateChange: (listener) => rpc.onStateChange(listener),
    dispose: () => rpc.dispose(),
  };
}

/** A transport that never opens, for a page that cannot be allowed in. */
function closedTransport(): ClientTransport {
  return {
    state: 'closed',
    send() {},
    onMessage: () => () => undefined,
    onStateChange: () => () => undefined,
    close() {},
  };
}

export function connectToEngine(win: Window = window): EddyApi {
  if (win.eddy) return apiOverTransport(ipcClientTransport(win.eddy), 'desktop');
  const token = takeAccessToken(win);
  if (!token) return apiOverTransport(closedTransport(), 'browser', true);
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${win.location.host}/rpc?token=${encodeURIComponent(token)}`;
  return apiOverTransport(webSocketClientTransport({ url, connect: (u) => new WebSocket(u) }), 'browser');
}

export function useEddyApi(): EddyApi {
  const api = inject(EDDY_API, null);
  if (!api) throw new Error('The Eddy API is not provided; call app.provide(EDDY_API, connectToEngine()).');
  return api;
}
