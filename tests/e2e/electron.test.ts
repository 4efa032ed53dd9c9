// The desktop shell end to end with Playwright's Electron driver. Electron's binary cannot be
// downloaded on every machine (not on ours, nor on CI): without it this test reports itself skipped
// with the reason. With a binary (ELECTRON_OVERRIDE_DIST_PATH, or one fetched by `npm start`) and a
// display, it runs.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findElectron } from '../../scripts/electron-runtime.mjs';
import { ROOT, ensureCliBuilt, ensureUiBuilt } from './ui-harness.js';

const runtime = findElectron({ allowRoot: true });

describe('desktop app (Electron)', () => {
  it('opens one sandboxed window that shows the embedded cluster', async (ctx) => {
    if (!runtime.ok) {
      const note = `skipped: ${runtime.reason}`;
      console.warn(`[e2e] Electron test ${note}`);
      ctx.skip(note);
      return;
    }
    ensureCliBuilt();
    ensureUiBuilt();
    const userData = mkdtempSync(join(tmpdir(), 'eddy-electron-'));
    // Chromium refuses to start as root without turning its OS sandbox off; the renderer's
    // `sandbox: true` (Electron's process sandbox for the page) is what this test checks.
    const osSandboxArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    const app = await _electron.launch({
      executablePath: runtime.binary,
      args: [...osSandboxArgs, '.'],
      cwd: ROOT,
      env: { ...process.env, EDDY_USER_DATA_DIR: userData },
    });
    try {
      const page = await app.firstWindow();
      await page
        .locator('[data-test=broker-1-state]')
        .getByText('Up', { exact: true })
        .waitFor({ timeout: 60_000 });
      // No Node in the page; only the narrow bridge.
      const pageView = await page.evaluate(
        '({ require: typeof require, process: typeof process, bridge: Object.keys(window.eddy ?? {}).sort().join(",") })',
      );
      expect(pageView).toEqual({ require: 'undefined', process: 'undefined', bridge: 'host,on,send' });
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      mkdirSync(join(ROOT, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-results', 'electron-cluster-overview.png') });
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
