// Child processes of the benchmark: every process started here is tracked so that a failure, an
// exit or Ctrl-C ends it (killAll); bounded runs; free ports; resident memory from /proc.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const live = new Set();

/** Spawn and remember the child until it exits. stdio defaults to pipes. */
export function spawnTracked(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** SIGKILL every tracked child that still runs (used on Ctrl-C and on exit). */
export function killAll(signal = 'SIGKILL') {
  for (const child of live) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds since an hrtime.bigint() mark. */
export const msSince = (mark) => Number(process.hrtime.bigint() - mark) / 1e6;

/** Keep the last `max` characters of a process's output for error messages. */
export class OutputTail {
  constructor(max = 32 * 1024) {
    this.max = max;
    this.text = '';
  }
  attach(stream) {
    stream?.on('data', (b) => {
      this.text += b.toString('utf8');
      if (this.text.length > this.max) this.text = this.text.slice(-this.max);
    });
    return this;
  }
  tail(lines = 30) {
    return this.text.split('\n').slice(-lines).join('\n');
  }
}

/**
 * Run a command to completion, bounded by timeoutMs (then SIGKILL). Resolves with stdout/stderr text;
 * rejects with a readable error unless it exited 0. `onStdout` sees stdout chunks as they come (for
 * outputs too large to keep: pass keepStdout: false).
 */
export function run(cmd, args, { timeoutMs = 600_000, cwd, env, onStdout, keepStdout = true, what } = {}) {
  const label = what ?? cmd;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawnTracked(cmd, args, { cwd, env: env ?? process.env });
    const out = [];
    const err = new OutputTail(16 * 1024).attach(child.stderr);
    let timedOut = false;
    child.stdout.on('data', (b) => {
      if (keepStdout) out.push(b);
      onStdout?.(b);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${label}: cannot start ${cmd}: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const ms = msSince(started);
      if (code === 0 && !timedOut) return resolve({ stdout, stderr: err.text, ms });
      const why = timedOut ? `timed out after ${Math.round(ms / 1000)} s` : `exited with ${code ?? signal}`;
      const detail = [err.tail(12), stdout.split('\n').slice(-8).join('\n')]
        .filter((s) => s.trim())
        .join('\n');
      reject(new Error(`${label} ${why}${detail ? `: ${detail}` : ''}`));
    });
  });
}

/** Resolve with the first stdout line matching `pattern`; reject if the process exits or time runs out. */
export function waitForLine(child, pattern, timeoutMs, describe = () => '') {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    const done = (fn) => {
      clearTimeout(timer);
      rl.off('line', onLine);
      child.off('exit', onExit);
      rl.close();
      child.stdout.resume(); // keep draining: a full pipe would block the child
      fn();
    };
    const onLine = (line) => {
      const m = pattern.exec(line);
      if (m) done(() => resolve(m));
    };
    const onExit = (code, signal) =>
      done(() => reject(new Error(`exited (${code ?? signal}) before printing ${pattern}. ${describe()}`)));
    const timer = setTimeout(
      () =>
        done(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms. ${describe()}`))),
      timeoutMs,
    );
    rl.on('line', onLine);
    child.once('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
  });
}

/** Signal, wait for exit, SIGKILL after graceMs. */
export function stopChild(child, signal = 'SIGTERM', graceMs = 15_000) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** The pid and its descendants (via /proc/<pid>/task/<tid>/children). */
export function processTree(pid) {
  const seen = new Set();
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    if (seen.has(p)) continue;
    seen.add(p);
    let tasks = [];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(/\s+/))
          if (c) stack.push(Number(c));
      } catch {
        // task gone
      }
    }
  }
  return [...seen];
}

/** VmRSS of one process in bytes (0 when it has gone). */
export function rssBytes(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sum of VmRSS over the given root pids and all their descendants. */
export function treeRssBytes(pids) {
  const all = new Set(pids.flatMap((p) => processTree(p)));
  let sum = 0;
  for (const p of all) sum += rssBytes(p);
  return sum;
}

/** Samples the summed RSS of a system's processes every intervalMs; peak() is the highest sample. */
export class RssSampler {
  constructor(pids, intervalMs = 200) {
    this.pids = pids;
    this.samples = [];
    this.timer = setInterval(() => this.samples.push(treeRssBytes(this.pids)), intervalMs);
    this.timer.unref();
  }
  stop() {
    clearInterval(this.timer);
    this.samples.push(treeRssBytes(this.pids));
    return { peakBytes: Math.max(0, ...this.samples), samples: this.samples.length };
  }
}
