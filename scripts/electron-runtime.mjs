// Can this machine run the Electron shell? Used by scripts/start.mjs and the Electron e2e test.
// electron >= 42 has no install script: `require('electron')` fetches the binary on first use and
// throws when it cannot (no network to its download host, as on our CI machines). The fetch runs in
// a child process, so a failure prints nothing here.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function packageDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The binary if it is already on disk (as `require('electron')` would find it), without fetching. */
function installedBinary(dir) {
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(candidate) ? candidate : null;
  }
  if (!relative) return null;
  const candidate = join(dir, 'dist', relative);
  return existsSync(candidate) ? candidate : null;
}

function canShow(binary, { allowRoot = false } = {}) {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { ok: false, reason: `Electron is at ${binary}, but there is no display (DISPLAY is not set)` };
  // Chromium will not start as root with its OS sandbox on, and we do not turn it off for users.
  if (!allowRoot && process.getuid?.() === 0)
    return { ok: false, reason: `Electron is at ${binary}, but it does not run as root with its sandbox on` };
  return { ok: true, binary };
}

/** Never fetches. `allowRoot`: the caller passes --no-sandbox itself (tests). */
export function findElectron({ allowRoot = false } = {}) {
  const dir = packageDir();
  if (!dir) return { ok: false, reason: 'the electron package is not installed (run npm install)' };
  const binary = installedBinary(dir);
  if (!binary)
    return { ok: false, reason: "no Electron binary on this machine (require('electron') has none yet)" };
  return canShow(binary, { allowRoot });
}

/**
 * Like findElectron, but when the binary is missing, lets `require('electron')` fetch it.
 * `onSlow` is called once if the fetch takes more than a couple of seconds (a real download).
 */
export async function findOrFetchElectron({ timeoutMs = 600_000, onSlow } = {}) {
  const dir = packageDir();
  if (!dir || installedBinary(dir)) return findElectron();
  const child = spawn(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const slow = setTimeout(() => onSlow?.(), 2500);
  const killer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(slow);
  clearTimeout(killer);
  const resolved = code === 0 ? stdout.trim() : '';
  if (resolved && existsSync(resolved)) return canShow(resolved);
  const why = stderr
    .split('\n')
    .find((l) => /Error|failed/i.test(l))
    ?.trim();
  return {
    ok: false,
    reason: `no Electron binary on this machine (require('electron') could not fetch it${why ? `: ${why.slice(0, 120)}` : ''})`,
  };
}
