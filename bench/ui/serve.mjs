// `eddy serve` as a child process for the UI benchmark: a fresh data dir, port 0, the ready line
// parsed, and a stop that always ends the process (SIGTERM, then SIGKILL) and removes the data.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Every child still running (and its data dir), so an interrupted run can end them. */
const running = new Map();

/** Ends the children this process started (by their pid) and removes their data; for signal handlers. */
export function killAll() {
  for (const [child, dataDir] of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Starts `node bin/eddy.js serve` in `root`. Resolves once it prints its ready line:
 * `{ bootstrap, ui, token, origin, pid, stop() }`.
 */
export async function startServe(root, { brokers = 1, extraArgs = [], timeoutMs = 120_000 } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-bench-ui-'));
  const child = spawn(
    process.execPath,
    [
      'bin/eddy.js',
      'serve',
      '--port',
      '0',
      '--brokers',
      String(brokers),
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.set(child, dataDir);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal);
    }),
  );
  let stopped = null;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    })();
    return stopped;
  };
  let readyLine;
  try {
    readyLine = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`eddy serve was not ready in ${timeoutMs} ms:\n${stderr}`)),
        timeoutMs,
      );
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!line.startsWith('ready ')) return;
        clearTimeout(timer);
        resolve(line);
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`eddy serve exited (${code}) before it was ready:\n${stderr}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const field = (name) => new RegExp(`\\b${name}=(\\S+)`).exec(readyLine)?.[1] ?? '';
  const ui = field('ui');
  const url = new URL(ui);
  return {
    bootstrap: field('bootstrap'),
    ui,
    origin: url.origin,
    token: /#token=(\S+)$/.exec(ui)?.[1] ?? '',
    dataDir,
    pid: child.pid,
    log: () => stderr,
    stop,
  };
}
