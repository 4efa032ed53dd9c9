import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { CONTENT_SECURITY_POLICY, startUiServer, type UiServer } from '../../../src/headless/ui-server.js';
import { eddyContract, type ClusterDescription } from '../../../src/shared/contract/index.js';
import { EddyError } from '../../../src/shared/errors.js';
import { createContractClient, RpcClient } from '../../../src/shared/rpc/client.js';
import { webSocketClientTransport } from '../../../src/shared/rpc/transports/websocket.js';
import { useTempDirs } from '../../helpers/temp-dir.js';

const tempDir = useTempDirs('eddy-ui-server-');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(): Promise<{
  engine: Engine;
  ui: UiServer;
  base: string;
  token: string;
  rendererDir: string;
}> {
  const dir = tempDir();
  const engine = await startEngine({
    dataDir: join(dir, 'data'),
    brokers: 1,
    host: '127.0.0.1',
    basePort: 0,
  });
  cleanups.push(() => engine.stop());
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Eddy test</title>');
  writeFileSync(join(rendererDir, 'assets', 'app-123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  const ui = await startUiServer({ engine, port: 0, rendererDir });
  cleanups.push(() => ui.close());
  const url = new URL(ui.url);
  const token = /^#token=(.+)$/.exec(url.hash)![1];
  return { engine, ui, base: `http://127.0.0.1:${ui.port}`, token, rendererDir };
}

/** The HTTP status a WebSocket handshake got, or 101 when it was accepted. */
function handshake(url: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (err) => reject(err));
  });
}

describe('headless UI server', () => {
  it('prints a loopback URL with a long random token in the fragment', async () => {
    const { ui, token } = await start();
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    expect(token).toHaveLength(43);
  });

  it('serves the renderer build with a strict policy and nothing outside it', async () => {
    const { base } = await start();
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('Eddy test');
    const asset = await fetch(`${base}/assets/app-123.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/nope.js'])
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const { ui } = await start();
    const status = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          { host: '127.0.0.1', port: ui.port, path: '/', headers: { host: `evil.example:${ui.port}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect(status).toBe(421);
  });

  it('refuses WebSocket upgrades without the token, with a wrong one, or from another origin', async () => {
    const { base, token } = await start();
    const ws = base.replace('http:', 'ws:');
    expect(await handshake(`${ws}/rpc`, base)).toBe(401);
    expect(await handshake(`${ws}/rpc?token=${'x'.repeat(token.length)}`, base)).toBe(401);
    expect(await handshake(`${ws}/rpc?token=${token}`, 'http://evil.example')).toBe(403);
    expect(await handshake(`${ws}/rpc?token=${token}`, undefined)).toBe(403);
    expect(await handshake(`${ws}/other?token=${token}`, base)).toBe(404);
    expect(await handshake(`${ws}/rpc?token=${token}`, base)).toBe(101);
  });

  it('serves the contract over the WebSocket: describe and live changes', async () => {
    const { engine, base, token } = await start();
    const transport = webSocketClientTransport({
      url: `${base.replace('http:', 'ws:')}/rpc?token=${token}`,
      connect: (u) => new WebSocket(u, { origin: base }),
    });
    const rpc = new RpcClient(transport);
    cleanups.push(() => rpc.dispose());
    const client = createContractClient(eddyContract, rpc);
    const described = await client.cluster.describe();
    expect(described.controllerId).toBe(1);
    expect(described.brokers).toEqual([
      { id: 1, host: '127.0.0.1', port: engine.brokerStates()[0].port, up: true },
    ]);

    const seen: ClusterDescription[] = [];
    client.cluster.onChange((d) => seen.push(d));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    engine.controller.createTopics(
      [{ name: 'ui-orders', numPartitions: 4, replicationFactor: 1, assignments: [], configs: {} }],
      false,
    );
    await vi.waitFor(() => expect(seen.at(-1)?.topics.map((t) => t.name)).toContain('ui-orders'));
    // A topic's many records arrive as one change.
    expect(seen).toHaveLength(2);
    expect(seen.at(-1)?.topics.find((t) => t.name === 'ui-orders')).toEqual({
      name: 'ui-orders',
      partitions: 4,
      replicationFactor: 1,
      internal: false,
    });

    await expect(rpc.call('cluster.describe', ['extra'], {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('tells the client the engine is unreachable once the server is gone', async () => {
    const { ui, base, token } = await start();
    const transport = webSocketClientTransport({
      url: `${base.replace('http:', 'ws:')}/rpc?token=${token}`,
      connect: (u) => new WebSocket(u, { origin: base }),
      retryDelaysMs: [50],
    });
    const rpc = new RpcClient(transport);
    cleanups.push(() => rpc.dispose());
    await createContractClient(eddyContract, rpc).cluster.describe();
    await ui.close();
    await vi.waitFor(() => expect(rpc.state).not.toBe('open'));
    const err = await rpc.call('cluster.describe', [], {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EddyError);
    expect((err as EddyError).code).toBe('ENGINE_UNREACHABLE');
  });
});
