/**
 * The headless host: serves the built renderer (out/renderer) over HTTP and the UI contract over a
 * WebSocket, both on loopback. A random token made per run guards the WebSocket; the page gets it
 * in the URL fragment (never sent over HTTP, never in a Referer) and sends it when it connects.
 * Upgrades without the token, from another Origin, or for another Host are refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import type { Engine } from '../engine/runtime/engine.js';
import { eddyContract } from '../shared/contract/index.js';
import { serveRpc } from '../shared/rpc/server.js';
import { webSocketServerConnection } from '../shared/rpc/transports/websocket.js';
import { engineServices, type EngineServicesOptions } from './engine-services.js';

export interface UiServerOptions {
  engine: Engine | Promise<Engine>;
  /** A loopback address; default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** The renderer build; default `out/renderer` of this checkout. */
  rendererDir?: string;
  log?: (message: string) => void;
  /** Profiles file, settings shown by the settings view, … (see engineServices). */
  services?: EngineServicesOptions;
}

export interface UiServer {
  /** Open this in a browser; the fragment carries the token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Where the page connects for RPC. */
export const RPC_PATH = '/rpc';
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * The page's policy: only its own scripts, styles, images and fonts; only its own origin to connect
 * to (which covers the WebSocket); no frames, plugins, forms or base-URL tricks.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The checkout's out/renderer, found from this file whether it runs as source or bundled in out/cli. */
export function defaultRendererDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'eddy')
          return path.join(dir, 'out', 'renderer');
      } catch {
        // not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('out', 'renderer');
    dir = parent;
  }
}

/** The version in this checkout's package.json ('0.0.0' when it cannot be found). */
export function eddyVersion(): string {
  try {
    const pkg = path.join(path.dirname(defaultRendererDir()), '..', 'package.json');
    const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function sameToken(expected: Buffer, given: string | null): boolean {
  if (!given) return false;
  const g = Buffer.from(given);
  return g.length === expected.length && timingSafeEqual(g, expected);
}

function refuseUpgrade(socket: Socket, status: 401 | 403 | 404, text: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
  );
  socket.destroy();
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Eddy</title></head>
<body><h1>The Eddy UI is not built yet</h1>
<p>Run <code>npm run build:ui</code> in the checkout, then reload this page. The cluster itself is running.</p>
</body></html>
`;

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host))
    throw new Error(`the UI listens on loopback only (127.0.0.1, ::1 or localhost), not on ${host}`);
  const rendererDir = path.resolve(options.rendererDir ?? defaultRendererDir());
  const log = options.log ?? (() => undefined);
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const services = engineServices(options.engine, { version: eddyVersion(), ...options.services });
  let allowedHosts = new Set<string>();

  const baseHeaders = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  };

  const sendText = (res: http.ServerResponse, status: number, text: string) => {
    res.writeHead(status, {
      ...baseHeaders,
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) sends its own Host.
    if (!allowedHosts.has(req.headers.host ?? '')) return sendText(res, 421, 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    void serveStatic(req, res).catch((err: Error) => {
      log(`ui: ${req.url}: ${err.message}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  const serveStatic = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return sendText(res, 400, 'Bad request');
    }
    if (pathname.includes('\0')) return sendText(res, 400, 'Bad request');
    if (pathname === '/' || pathname === '') pathname = '/index.html';
    const file = path.resolve(rendererDir, `.${pathname}`);
    if (!file.startsWith(rendererDir + path.sep)) return sendText(res, 404, 'Not found');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      if (pathname === '/index.html') {
        res.writeHead(200, { ...baseHeaders, 'Content-Type': MIME['.html'], 'Cache-Control': 'no-store' });
        return void res.end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
      }
      return sendText(res, 404, 'Not found');
    }
    const ext = path.extname(file).toLowerCase();
    const body = await readFile(file);
    res.writeHead(200, {
      ...baseHeaders,
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      'Content-Length': body.length,
      // Vite names assets by content hash; the page itself must always be fresh.
      'Cache-Control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const hostHeader = req.headers.host ?? '';
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== RPC_PATH) return refuseUpgrade(socket, 404, 'Not found');
    if (!allowedHosts.has(hostHeader)) return refuseUpgrade(socket, 403, 'Forbidden');
    // Browsers always send Origin on a WebSocket handshake; a page from anywhere else is refused.
    if (req.headers.origin !== `http://${hostHeader}`) {
      log(`ui: refused a WebSocket from origin ${req.headers.origin ?? '(none)'}`);
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    if (!sameToken(tokenBytes, url.searchParams.get('token'))) {
      log('ui: refused a WebSocket without the right token');
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      serveRpc(eddyContract, services, webSocketServerConnection(ws), {
        onInternalError: (err, p) => log(`ui: ${p} failed: ${(err as Error)?.stack ?? String(err)}`),
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '::1' ? '[::1]' : host;
  allowedHosts = new Set([`${urlHost}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);

  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}/#token=${token}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => services.dispose());
      return closing;
    },
  };
}
