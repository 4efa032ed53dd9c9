/**
 * The one place windows are made. Every window is sandboxed and isolated, with no Node in the page;
 * the page may not navigate away or open windows, and links to the web open in the user's browser.
 */
import { BrowserWindow, shell, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';

/** `electron-vite dev` serves the renderer here; a built app loads the file next to out/main. */
const DEV_SERVER_URL = process.env['ELECTRON_RENDERER_URL'];
const INDEX_HTML = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

/** Is `url` the app's own page (and not some other file or site)? */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (DEV_SERVER_URL) return parsed.origin === new URL(DEV_SERVER_URL).origin;
  return parsed.protocol === 'file:' && fileURLToPath(parsed) === INDEX_HTML;
}

function openInBrowser(url: string): void {
  try {
    const { protocol } = new URL(url);
    if (protocol === 'https:' || protocol === 'http:' || protocol === 'mailto:') void shell.openExternal(url);
  } catch {
    // not a URL: ignore
  }
}

/** Navigation and pop-up rules for any web contents; main/index.ts applies them to all of them. */
export function lockDownContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return; // a reload of our own page
    event.preventDefault();
    openInBrowser(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function createSecureWindow(options: {
  title: string;
  width?: number;
  height?: number;
}): BrowserWindow {
  const win = new BrowserWindow({
    title: options.title,
    width: options.width ?? 1280,
    height: options.height ?? 800,
    minWidth: 800,
    minHeight: 500,
    show: false,
    autoHideMenuBar: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (DEV_SERVER_URL) void win.loadURL(DEV_SERVER_URL);
  else void win.loadFile(INDEX_HTML);
  return win;
}
