/// <reference types="vite/client" />
import type { EddyBridge } from '../shared/rpc/transports/ipc.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser (the headless host). */
    readonly eddy?: EddyBridge;
  }
}

// Stable hooks for tests (`[data-test=…]`), allowed on every element under strict template checks.
declare module '@vue/runtime-dom' {
  interface HTMLAttributes {
    'data-test'?: string;
  }
}
