// Child-process plumbing shared by the interop harness: every process started here is tracked and
// killed when the test worker exits, bounded waits instead of sleeps, and free ports on 127.0.0.1.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

const live = new Set<ChildProcess>();

/** Remember a child so that killAllChildren() (and worker exit) can end it. */
export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** Kill every tracked child that is still running. Safe to call repeatedly. */
export function killAllChildren(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of live) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

// Last line of defence: a worker that dies or exits must not leave brokers or clients behind.
process.once('exit', () => killAllChildren('SIGKILL'));

/** Spawn and track. stdio defaults to pipes. */
export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  return track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }));
}

export interface RunResult {
  cmd: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** Run a command to completion (bounded by timeoutMs, then SIGKILL). Never rejects for a non-zero exit. */
export function runProcess(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawnTracked(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let errBytes = 0;
    let timedOut = false;
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => {
      // keep the first and the most recent stderr, bounded
      if (errBytes < 256 * 1024) err.push(b);
      errBytes += b.length;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${cmd}: ${e.message}`));
    });
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE when the child exits early; its exit code tells
      child.stdin.end(opts.input);
    }
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        cmd: [cmd, ...args].join(' '),
        code,
        signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Date.now() - started,
        timedOut,
      });
    });
  });
}

export function tail(text: string, lines = 40): string {
  const all = text.split('\n');
  return all.slice(Math.max(0, all.length - lines)).join('\n');
}

/** Throw a readable error unless the command exited 0. */
export function assertSuccess(r: RunResult, what: string): RunResult {
  if (r.code === 0 && !r.timedOut) return r;
  const why = r.timedOut ? `timed out after ${r.ms} ms` : `exited with ${r.code ?? r.signal}`;
  throw new Error(
    `${what} ${why}\n$ ${r.cmd.slice(0, 600)}\n--- stderr (tail) ---\n${tail(r.stderr)}\n--- stdout (tail) ---\n${tail(r.stdout.toString('utf8'), 20)}`,
  );
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/**
 * Resolve with the first line of `stream` matching `pattern`; reject when the process exits first,
 * or after timeoutMs. Event-driven: no polling.
 */
export function waitForLine(
  stream: Readable,
  pattern: RegExp,
  child: ChildProcess,
  timeoutMs: number,
  describe: () => string,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: stream });
    const done = (fn: () => void) => {
      clearTimeout(timer);
      rl.off('line', onLine);
      child.off('exit', onExit);
      rl.close();
      stream.resume(); // readline's close() pauses the stream; keep draining so the child never blocks on a full pipe
      fn();
    };
    const onLine = (line: string) => {
      const m = line.match(pattern);
      if (m) done(() => resolve(m));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      done(() =>
        reject(new Error(`process exited (${code ?? signal}) before printing ${pattern}\n${describe()}`)),
      );
    const timer = setTimeout(
      () =>
        done(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms\n${describe()}`))),
      timeoutMs,
    );
    rl.on('line', onLine);
    child.once('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
  });
}

/** Send a signal and wait for exit; SIGKILL after graceMs. Resolves with how it ended. */
export function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode, killed: false });
      return;
    }
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, killed });
    });
    child.kill(signal);
  });
}

/** Keep the last `max` bytes of a stream's text for failure messages. */
export class OutputTail {
  private chunks: string[] = [];
  private size = 0;
  constructor(private readonly max = 64 * 1024) {}
  attach(stream: Readable | null | undefined): this {
    stream?.on('data', (b: Buffer) => this.push(b.toString('utf8')));
    return this;
  }
  push(s: string): void {
    this.chunks.push(s);
    this.size += s.length;
    while (this.size > this.max && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    return this.chunks.join('');
  }
}
