// Eddy's own broker cluster, as a child process: `node bin/eddy.js serve ... --no-ui`.
// Readiness is the `ready ... bootstrap=HOST:PORT` line on stdout (event-driven, with a timeout).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OutputTail,
  assertSuccess,
  runProcess,
  spawnTracked,
  stopProcess,
  tail,
  waitForLine,
} from './proc.js';
import { REPO_ROOT } from './tools.js';

export const EDDY_BIN = join(REPO_ROOT, 'bin', 'eddy.js');

export interface StartEddyOptions {
  /** Number of brokers in the cluster (`--brokers N`); Eddy's default when omitted. */
  brokers?: number;
  /** Data directory; a fresh temp dir (deleted by dispose()) when omitted. */
  dataDir?: string;
  /** Port to listen on; 0 (default) lets Eddy pick one. */
  port?: number;
  readyTimeoutMs?: number;
  /** Extra arguments for `serve`. */
  args?: string[];
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the process had to be SIGKILLed after the grace period. */
  killed: boolean;
}

export interface EddyServer {
  kind: 'eddy';
  /** host:port from the `ready` line. */
  bootstrap: string;
  dataDir: string;
  /** The full `ready` line. */
  readyLine: string;
  /** Send the signal (default SIGTERM) and wait for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<ExitInfo>;
  /** Stop with SIGTERM (which must exit cleanly), then serve the same data dir on the same port. */
  restart(): Promise<void>;
  /** Stop and, if the data dir was a temp dir made here, delete it. */
  dispose(): Promise<void>;
  /** Collected stderr (and stdout) of the current process, for failure messages. */
  logTail(lines?: number): string;
}

export function eddyCommand(args: string[]): [string, string[]] {
  return [process.execPath, [EDDY_BIN, ...args]];
}

export async function startEddy(opts: StartEddyOptions = {}): Promise<EddyServer> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'eddy-serve-'));
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  let child: ChildProcess | undefined;
  let stderr = new OutputTail();
  let stdout = new OutputTail();
  let bootstrap = '';
  let readyLine = '';
  let port = opts.port ?? 0;

  const logTail = (lines = 60): string =>
    `--- eddy stderr (tail) ---\n${tail(stderr.text(), lines)}\n--- eddy stdout (tail) ---\n${tail(stdout.text(), 20)}`;

  const launch = async (): Promise<void> => {
    stderr = new OutputTail();
    stdout = new OutputTail();
    const args = ['serve', '--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1', '--no-ui'];
    if (opts.brokers !== undefined) args.push('--brokers', String(opts.brokers));
    if (opts.args) args.push(...opts.args);
    const [cmd, argv] = eddyCommand(args);
    child = spawnTracked(cmd, argv, { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    stderr.attach(child.stderr);
    stdout.attach(child.stdout);
    const m = await waitForLine(child.stdout!, /^ready\b.*\bbootstrap=(\S+)/, child, readyTimeoutMs, () =>
      logTail(),
    );
    readyLine = m[0];
    bootstrap = m[1].split(',')[0];
    const p = Number(bootstrap.split(':').pop());
    if (Number.isInteger(p) && p > 0) port = p; // a restart serves on the same port
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitInfo> => {
    if (!child) return { code: null, signal: null, killed: false };
    const c = child;
    child = undefined;
    return stopProcess(c, signal, 20_000);
  };

  try {
    await launch();
  } catch (err) {
    await stop('SIGKILL');
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  const server: EddyServer = {
    kind: 'eddy',
    get bootstrap() {
      return bootstrap;
    },
    dataDir,
    get readyLine() {
      return readyLine;
    },
    stop,
    async restart() {
      const before = logTail();
      const exit = await stop('SIGTERM');
      if (exit.killed || exit.code !== 0) {
        throw new Error(
          `eddy did not exit cleanly on SIGTERM (code ${exit.code}, signal ${exit.signal}, killed ${exit.killed})\n${before}`,
        );
      }
      try {
        await launch();
      } catch (err) {
        // With several brokers, `--port P` serves on P, P+1, ...; on a busy machine one of those may
        // have been taken meanwhile (e.g. as some client's ephemeral port). Then restart on free ports.
        if (!/already in use/i.test(stderr.text())) throw err;
        console.warn(`[interop] eddy restart: ${stderr.text().trim()} -- restarting with --port 0`);
        port = 0;
        await launch();
      }
    },
    async dispose() {
      await stop('SIGTERM');
      if (ownDir && !process.env.EDDY_INTEROP_KEEP) rmSync(dataDir, { recursive: true, force: true });
    },
    logTail,
  };
  return server;
}

/** `eddy topics create` — for clients without an admin API of their own (kcat). */
export async function eddyCreateTopic(
  bootstrap: string,
  topic: string,
  partitions: number,
  replicationFactor = 1,
): Promise<void> {
  const [cmd, argv] = eddyCommand([
    'topics',
    'create',
    topic,
    '--partitions',
    String(partitions),
    '--replication-factor',
    String(replicationFactor),
    '--bootstrap-server',
    bootstrap,
  ]);
  assertSuccess(await runProcess(cmd, argv, { cwd: REPO_ROOT, timeoutMs: 60_000 }), 'eddy topics create');
}
