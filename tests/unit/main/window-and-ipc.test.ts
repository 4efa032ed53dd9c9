// The Electron main process's IPC binding and window rules, with `electron` mocked (its binary is
// not needed, and importing it under vitest would try to fetch one).
import { EventEmitter } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EddyServices } from '../../../src/shared/contract/index.js';

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const opened: string[] = [];
  const windows: { options: unknown; loaded: string | null }[] = [];
  class BrowserWindow {
    loaded: string | null = null;
    constructor(readonly options: unknown) {
      windows.push(this);
    }
    once() {}
    loadFile(file: string) {
      this.loaded = file;
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
  }
  return {
    ipcMain: new Emitter(),
    shell: { openExternal: (url: string) => opened.push(url) },
    BrowserWindow,
    opened,
    windows,
  };
});
const electron = (await import('electron')) as unknown as {
  ipcMain: EventEmitter;
  opened: string[];
  windows: { options: { webPreferences: Record<string, unknown> }; loaded: string | null }[];
};

const { bindRpc } = await import('../../../src/main/ipc.js');
const { createSecureWindow, isAppUrl, lockDownContents } = await import('../../../src/main/window.js');

// window.ts resolves the page next to the bundle: ../renderer/index.html from src/main here.
const APP_URL = pathToFileURL(
  fileURLToPath(new URL('../../../src/renderer/index.html', import.meta.url)),
).href;

class FakeContents extends EventEmitter {
  static nextId = 1;
  id = FakeContents.nextId++;
  sent: unknown[] = [];
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  isDestroyed = () => false;
  send(_channel: string, message: unknown) {
    this.sent.push(message);
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
}

// Only the cluster service matters to these tests.
const services = {
  cluster: {
    describe: () => ({ clusterId: 'c', controllerId: 1, brokers: [], topics: [] }),
    onChange: () => undefined,
  },
} as unknown as EddyServices;

function ipc(
  contents: FakeContents,
  frameUrl: string | null,
  message: unknown,
  parent: object | null = null,
) {
  const senderFrame = frameUrl === null ? null : { url: frameUrl, parent };
  electron.ipcMain.emit('eddy:rpc', { sender: contents, senderFrame }, message);
}

describe('IPC binding', () => {
  let contents: FakeContents;
  beforeEach(() => {
    contents = new FakeContents();
    bindRpc(contents as never, services, () => undefined);
  });

  it('answers calls from the app page in the main frame', async () => {
    expect(isAppUrl(APP_URL)).toBe(true);
    ipc(contents, APP_URL, { type: 'call', id: 1, path: 'cluster.describe', args: [] });
    await vi.waitFor(() =>
      expect(contents.sent).toEqual([
        { type: 'result', id: 1, value: expect.objectContaining({ clusterId: 'c' }) },
      ]),
    );
  });

  it('validates arguments', async () => {
    ipc(contents, APP_URL, { type: 'call', id: 1, path: 'cluster.describe', args: ['x'] });
    await vi.waitFor(() =>
      expect(contents.sent).toMatchObject([{ type: 'error', id: 1, error: { code: 'INVALID_ARGUMENT' } }]),
    );
  });

  it('ignores other pages, subframes and destroyed frames', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    ipc(contents, 'https://evil.example/', { type: 'call', id: 1, path: 'cluster.describe', args: [] });
    ipc(contents, `${APP_URL.replace('index.html', 'other.html')}`, {
      type: 'call',
      id: 2,
      path: 'cluster.describe',
      args: [],
    });
    ipc(contents, APP_URL, { type: 'call', id: 3, path: 'cluster.describe', args: [] }, { url: APP_URL });
    ipc(contents, null, { type: 'call', id: 4, path: 'cluster.describe', args: [] });
    await new Promise((r) => setTimeout(r, 20));
    expect(contents.sent).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(4);
    warn.mockRestore();
  });

  it('ignores a window that was never bound', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const stranger = new FakeContents();
    ipc(stranger, APP_URL, { type: 'call', id: 1, path: 'cluster.describe', args: [] });
    await new Promise((r) => setTimeout(r, 20));
    expect(stranger.sent).toEqual([]);
    warn.mockRestore();
  });
});

describe('window lock-down', () => {
  it('makes sandboxed, isolated windows without Node that load the built page', () => {
    createSecureWindow({ title: 'Eddy' });
    const win = electron.windows.at(-1)!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(String(win.options.webPreferences.preload)).toMatch(
      /out\/preload\/index\.cjs$|src\/preload\/index\.cjs$/,
    );
    expect(pathToFileURL(win.loaded!).href).toBe(APP_URL);
  });

  it('denies navigation and pop-ups, sending web links to the browser', () => {
    const contents = new FakeContents();
    lockDownContents(contents as never);
    const navigation = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    contents.emit('will-navigate', navigation, 'https://example.com/');
    expect(navigation.defaultPrevented).toBe(true);
    const reload = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    contents.emit('will-navigate', reload, APP_URL);
    expect(reload.defaultPrevented).toBe(false);
    expect(contents.openHandler!({ url: 'https://kafka.apache.org/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(electron.opened).toEqual(['https://example.com/', 'https://kafka.apache.org/']);
    const webview = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
  });
});
