// The browser UI end to end: `eddy serve` as a child process, Debian's Chromium driven by
// playwright-core. Without Chromium the browser tests are skipped with the install hint; under
// CI=true they fail instead.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CHROMIUM_ARGS,
  CHROMIUM_INSTALL_HINT,
  ROOT,
  eddy,
  ensureCliBuilt,
  ensureUiBuilt,
  findChromium,
  isCI,
  startServe,
  type ServeProcess,
} from './ui-harness.js';

const SCREENSHOT = join(ROOT, 'test-results', 'ui-cluster-overview.png');
const chromiumPath = findChromium();

function needChromium(ctx: { skip: (note?: string) => void }): void {
  if (chromiumPath) return;
  const message = `Chromium is not installed. To install: ${CHROMIUM_INSTALL_HINT}`;
  if (isCI) throw new Error(message);
  console.warn(`[e2e] skipping: ${message}`);
  ctx.skip(message);
}

describe('browser UI served by eddy serve', () => {
  let serve: ServeProcess;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  /** Every request the page made to anywhere but its own origin (offline: there must be none). */
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    ensureCliBuilt();
    ensureUiBuilt();
    serve = await startServe();
    if (!chromiumPath) return;
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      locale: 'en-US',
    });
    // A CSP violation or a script error shows up here.
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const origin = new URL(serve.ui).origin;
    page.on('request', (r) => {
      const url = r.url();
      if (url.startsWith('data:') || url.startsWith('blob:')) return;
      if (new URL(url).origin !== origin) foreignRequests.push(url);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('prints the UI address on the ready line', () => {
    expect(serve.readyLine).toMatch(
      /^ready bootstrap=\S+ brokers=\d+ data-dir=\S+ ui=http:\/\/127\.0\.0\.1:\d+\/#token=\S+$/,
    );
  });

  it('refuses a WebSocket without the token', async () => {
    const base = new URL(serve.ui);
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://${base.host}/rpc`, { origin: base.origin });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => {
        ws.terminate();
        resolve(res.statusCode ?? 0);
      });
      ws.on('error', reject);
    });
    expect(status).toBe(401);
  });

  it('shows broker 1 up, as the controller', async (ctx) => {
    needChromium(ctx);
    await page.goto(serve.ui);
    await page
      .locator('[data-test=broker-1-state]')
      .getByText('Up', { exact: true })
      .waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-test=broker-1]').textContent()).resolves.toContain('Controller');
    // The token left the address bar (it lives in sessionStorage for reloads).
    expect(page.url()).not.toContain('token=');
    expect(page.url()).toMatch(/#\/cluster$/);
  });

  it('shows a topic created from the command line without a reload', async (ctx) => {
    needChromium(ctx);
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    await eddy([
      'topics',
      'create',
      'e2e-orders',
      '--partitions',
      '3',
      '--bootstrap-server',
      serve.bootstrap,
    ]);
    const row = page.locator('[data-test=topic-e2e-orders]');
    await row.waitFor({ timeout: 15_000 });
    const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
    expect(cells).toEqual(['e2e-orders', '3', expect.stringMatching(/^\d$/)]);
    expect(navigations.filter((u) => !u.includes('#'))).toEqual([]);
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    // Let the highlight of the new row fade, so the picture shows the settled state.
    await page.waitForTimeout(1700);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('keeps working after a reload of the tab', async (ctx) => {
    needChromium(ctx);
    await page.reload();
    await page.locator('[data-test=topic-e2e-orders]').waitFor({ timeout: 15_000 });
  });

  it('loaded with no script errors and no policy violations', (ctx) => {
    needChromium(ctx);
    expect(pageErrors).toEqual([]);
  });

  it('made no request outside its own origin: fonts, icons and scripts are all bundled', async (ctx) => {
    needChromium(ctx);
    // Visit every view once, so each view's assets are loaded.
    for (const view of ['topics', 'groups', 'produce', 'browse', 'settings', 'cluster']) {
      await page.goto(`${new URL(serve.ui).origin}/#/${view}`);
      await page.waitForLoadState('networkidle');
    }
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('says the engine cannot be reached once eddy serve stops', async (ctx) => {
    needChromium(ctx);
    await expect(serve.stop()).resolves.toBe(0);
    await page
      .locator('[data-test=engine-unreachable]')
      .getByText('Cannot reach the Eddy engine — is it running?')
      .waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ROOT, 'test-results', 'ui-engine-unreachable.png') });
  });
});
