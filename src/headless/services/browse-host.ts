/**
 * Starts message-browser reads: in the browse worker (a worker thread, so fetching, decoding and
 * filtering never block the host thread that also runs the controller and the UI server), or on
 * this thread when the worker is not built or `workerScript: false` asks for it.
 *
 * Where the built worker is: an explicit path wins; otherwise next to the running bundle —
 * out/main/browse-worker.js (Electron: electron.vite.config.ts builds it as a second main entry),
 * out/engine/browse-worker.mjs (from out/cli/eddy.mjs or out/engine/; scripts/build-engine.mjs), or,
 * under tests from the TypeScript sources, the repository's out/engine/browse-worker.mjs (run
 * `node scripts/build-engine.mjs` first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ClusterOptions } from '../../engine/client/index.js';
import type { BrowseBatch } from '../../shared/contract/messages.js';
import { BROWSE_CREDITS, type BrowseHostMessage, type BrowseWorkerMessage } from './browse-protocol.js';
import { runBrowse, type BrowseQuery } from './browse-scan.js';

export interface BrowseRunnerOptions {
  /** Path of the built browse worker; false runs reads on this thread. Default: found by browseWorkerScript(). */
  workerScript?: string | false;
}

/** The built browse worker, or null when there is none. */
export function browseWorkerScript(explicit?: string): string | null {
  if (explicit !== undefined) {
    if (!fs.existsSync(explicit)) throw new Error(`The browse worker ${explicit} does not exist.`);
    return explicit;
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(here, 'browse-worker.js'), // Electron: out/main/index.js
    path.join(here, 'browse-worker.mjs'), // out/engine/
    path.join(here, '..', 'engine', 'browse-worker.mjs'), // out/cli/eddy.mjs
    path.join(here, '..', '..', '..', 'out', 'engine', 'browse-worker.mjs'), // src/headless/services/
  ];
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

/** One started read; `stop()` ends it promptly. `finished` settles after the last batch. */
export interface BrowseHandle {
  readonly inWorker: boolean;
  readonly finished: Promise<void>;
  stop(): void;
}

/** One idle worker, started ahead of the next read (unref'd: it never keeps the process alive). */
let spare: { script: string; worker: Worker; exited: boolean } | null = null;

function spareFor(script: string): void {
  if (spare && !spare.exited && spare.script === script) return;
  closeSpare();
  const worker = new Worker(script, { workerData: null });
  const entry = { script, worker, exited: false };
  worker.on('exit', () => (entry.exited = true));
  worker.on('error', () => (entry.exited = true));
  worker.unref();
  spare = entry;
}

function takeWorker(script: string): Worker {
  const s = spare;
  if (s && !s.exited && s.script === script) {
    spare = null;
    s.worker.ref();
    return s.worker;
  }
  return new Worker(script, { workerData: null });
}

function closeSpare(): void {
  const s = spare;
  spare = null;
  if (s && !s.exited) void s.worker.terminate();
}

/** Ends the warm spare worker (orderly shutdown; tests). Running reads are not affected. */
export function closeBrowseWorkers(): void {
  closeSpare();
}

export function startBrowse(
  query: BrowseQuery,
  options: ClusterOptions,
  emit: (batch: BrowseBatch) => void,
  runner: BrowseRunnerOptions = {},
): BrowseHandle {
  const script =
    runner.workerScript === false
      ? null
      : browseWorkerScript(runner.workerScript === undefined ? undefined : runner.workerScript);
  if (!script) return inProcess(query, options, emit);

  const worker = takeWorker(script);
  worker.postMessage({ type: 'start', query, options } satisfies BrowseHostMessage);
  // The next read gets a worker that has already loaded the client.
  spareFor(script);
  let stopped = false;
  let ended = false;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
  const send = (m: BrowseHostMessage) => {
    if (!ended) worker.postMessage(m);
  };
  const fail = (message: string) => {
    if (stopped || ended) return;
    emit({
      rows: [],
      progress: { scannedRecords: 0, scannedBytes: 0, matched: 0, caughtUp: false, done: true },
      error: message,
    });
  };
  worker.on('message', (m: BrowseWorkerMessage) => {
    if (m.type === 'finished') {
      ended = true;
      resolveFinished();
      return;
    }
    if (stopped) return;
    emit(m.batch);
    // The credit goes back after this turn of the event loop, so the worker cannot run ahead of
    // what this thread manages to pass on.
    if (!m.batch.progress.done) setImmediate(() => send({ type: 'credit' }));
  });
  worker.on('error', (err) => fail(`The message browser stopped unexpectedly: ${err.message}`));
  worker.on('exit', () => {
    ended = true;
    resolveFinished();
  });
  return {
    inWorker: true,
    finished,
    stop() {
      if (stopped) return;
      stopped = true;
      send({ type: 'stop' });
      // A filter stuck in a catastrophic regex never reads the stop message.
      const kill = setTimeout(() => void worker.terminate(), 1_000);
      kill.unref();
      void finished.then(() => clearTimeout(kill));
    },
  };
}

function inProcess(
  query: BrowseQuery,
  options: ClusterOptions,
  emit: (batch: BrowseBatch) => void,
): BrowseHandle {
  let credits = BROWSE_CREDITS;
  let waiting: (() => void)[] = [];
  const wakeAll = () => {
    const w = waiting;
    waiting = [];
    for (const resolve of w) resolve();
  };
  let stopped = false;
  const run = runBrowse(query, options, {
    batch: (batch) => {
      if (stopped) return;
      credits--;
      emit(batch);
      setImmediate(() => {
        credits++;
        wakeAll();
      });
    },
    ready: () => (credits > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
  });
  return {
    inWorker: false,
    finished: run.finished,
    stop() {
      stopped = true;
      run.stop();
      wakeAll();
    },
  };
}
