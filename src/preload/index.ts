/**
 * The preload: one narrow bridge, `window.eddy`, for the RPC channel. No ipcRenderer, no Node, no
 * arbitrary channels reach the page. Built as one CommonJS file so it runs with `sandbox: true`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNEL_PREFIX, type EddyBridge } from '../shared/rpc/transports/ipc.js';

function checkChannel(channel: unknown): string {
  if (typeof channel !== 'string' || !channel.startsWith(IPC_CHANNEL_PREFIX))
    throw new Error(`channel ${String(channel)} is not an Eddy channel`);
  return channel;
}

const bridge: EddyBridge = {
  host: 'electron',
  send(channel, message) {
    ipcRenderer.send(checkChannel(channel), message);
  },
  on(channel, listener) {
    const name = checkChannel(channel);
    // Never hand the event object (and its `sender`) to the page.
    const wrapped = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(name, wrapped);
    return () => {
      ipcRenderer.removeListener(name, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('eddy', bridge);
