// Shared by the e2e suites: a fresh UI build when the sources changed, `eddy serve` as a child
// process, and where Chromium is.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const isCI = /^(1|true|yes)$/i.test(process.env.CI ?? '');
export const CHROMIUM_INSTALL_HINT =
  'apt-get install -y chromium (or `source scripts/tools-env.sh && eddy_install_browser`), or set EDDY_CHROMIUM=<path>';

/** The launch flags TOOLCHAIN.md lists for Debian's Chromium under playwright-core. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function findChromium(): string | null {
  if (process.env.EDDY_CHROMIUM)
    return existsSync(process.env.EDDY_CHROMIUM) ? process.env.EDDY_CHROMIUM : null;
  for (const dir of ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter)]) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // keep looking
      }
    }
  }
  return null;
}

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Runs `electron-vite build` when out/ is missing or older than any UI source. */
export function ensureUiBuilt(): void {
  const built = join(ROOT, 'out', 'renderer', 'index.html');
  const sources = [
    'src/renderer',
    'src/shared',
    'src/main',
    'src/preload',
    'src/headless',
    'electron.vite.config.ts',
  ];
  const sourceTime = Math.max(...sources.map((s) => newestMtime(join(ROOT, s))));
  const preloadBuilt = join(ROOT, 'out', 'preload', 'index.cjs');
  if (existsSync(built) && existsSync(preloadBuilt) && statSync(built).mtimeMs >= sourceTime) return;
  const cli = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/** `npm test` builds the CLI first; a lone `vitest run tests/e2e` builds it here when missing. */
export function ensureCliBuilt(): void {
  if (existsSync(join(ROOT, 'out', 'cli', 'eddy.mjs'))) return;
  const r = spawnSync(process.execPath, ['scripts/build-engine.mjs', '--quiet'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`build-engine failed:\n${r.stderr}`);
}

export interface ServeProcess {
  child: ChildProcess;
  readyLine: string;
  bootstrap: string;
  ui: string;
  dataDir: string;
  /** SIGTERM, then wait for a clean exit (returns the exit code). */
  stop(): Promise<number | null>;
  log(): string;
}

export async function startServe(extraArgs: string[] = [], timeoutMs = 60_000): Promise<ServeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-e2e-'));
  const child = spawn(
    process.execPath,
    ['bin/eddy.js', 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const readyLine = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`eddy serve was not ready in ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('ready ')) return;
      clearTimeout(timer);
      resolvePromise(line);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`eddy serve exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  const field = (name: string) => new RegExp(`\\b${name}=(\\S+)`).exec(readyLine)?.[1] ?? '';
  let stopped: Promise<number | null> | null = null;
  return {
    child,
    readyLine,
    bootstrap: field('bootstrap'),
    ui: field('ui'),
    dataDir,
    log: () => stderr,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const code = await exited;
        rmSync(dataDir, { recursive: true, force: true });
        return code;
      })();
      return stopped;
    },
  };
}

/** `node bin/eddy.js <args>`; resolves with stdout, rejects with stderr. */
export function eddy(args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['bin/eddy.js', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolvePromise(out) : reject(new Error(`eddy ${args.join(' ')}: ${err}`)),
    );
  });
}
