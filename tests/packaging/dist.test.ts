// `npm run dist` packages the desktop app. Electron's own binary cannot be downloaded here, so the
// package is made from a stand-in Electron directory (electronDist): that checks everything of ours
// — the build, what goes into app.asar, what must stay unpacked (worker threads, native addons),
// the entry point — without running Electron.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, ensureUiBuilt } from '../e2e/ui-harness.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs('eddy-dist-');

function listAsar(archive: string): string[] {
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'asar'), ['list', archive], {
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

describe('npm run dist', () => {
  it(
    'packages the Linux app from a local Electron directory: app.asar, unpacked workers and addons',
    { timeout: 240_000 },
    () => {
      const work = tempDir();
      const electronDist = join(work, 'electron');
      mkdirSync(join(electronDist, 'resources'), { recursive: true });
      writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
      chmodSync(join(electronDist, 'electron'), 0o755);
      const output = join(work, 'dist');
      ensureUiBuilt();

      const result = spawnSync(
        process.execPath,
        [
          'scripts/dist.mjs',
          '--no-build',
          '--linux',
          'dir',
          '--electron-dist',
          electronDist,
          `-c.directories.output=${output}`,
        ],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
      );
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);

      const app = join(output, 'linux-unpacked');
      // The stand-in's `electron` is renamed after the product, as a real Electron would be.
      expect(existsSync(join(app, 'eddy'))).toBe(true);
      const asar = listAsar(join(app, 'resources', 'app.asar'));
      for (const entry of [
        '/package.json',
        '/out/main/index.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
      ])
        expect(asar).toContain(entry);
      // Only what the desktop app runs: no CLI bundle, no source maps, no sources.
      expect(
        asar.filter(
          (f) =>
            f.startsWith('/out/cli') ||
            (f.startsWith('/out/') && f.endsWith('.map')) ||
            f.startsWith('/src/'),
        ),
      ).toEqual([]);

      const unpacked = walk(join(app, 'resources', 'app.asar.unpacked'));
      // Worker threads load from real files.
      expect(unpacked.some((f) => /^out\/main\/chunks\/broker-worker-[^/]+\.js$/.test(f))).toBe(true);
      // The engine's N-API addons (CRC-32C, snappy, lz4, zstd) are real files too.
      for (const addon of [/crc32.*\.node$/, /snappy.*\.node$/, /lz4.*\.node$/, /zstd.*\.node$/])
        expect(
          unpacked.some((f) => addon.test(f)),
          String(addon),
        ).toBe(true);
    },
  );
});
