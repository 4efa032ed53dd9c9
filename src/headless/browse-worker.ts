/**
 * The browse worker: one message-browser read (fetch + decode + filter) off the host thread. The
 * host starts it with `workerData = { query, options }`, or keeps one warm (loading the client takes
 * a moment) and sends `{ type: 'start', query, options }` (see services/browse-host.ts). It gets
 * `{ type: 'batch', batch }` messages back; it answers each with `{ type: 'credit' }` once the batch
 * has been passed on, and sends `{ type: 'stop' }` to end the read early.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ClusterOptions } from '../engine/client/index.js';
import { runBrowse, type BrowseQuery } from './services/browse-scan.js';
import {
  BROWSE_CREDITS,
  type BrowseHostMessage,
  type BrowseWorkerMessage,
} from './services/browse-protocol.js';

if (!parentPort) throw new Error('browse-worker.ts runs only as a worker thread');
const port = parentPort;

let credits = BROWSE_CREDITS;
let waiting: (() => void)[] = [];
const wakeAll = () => {
  const w = waiting;
  waiting = [];
  for (const resolve of w) resolve();
};
const post = (m: BrowseWorkerMessage) => port.postMessage(m);
let run: ReturnType<typeof runBrowse> | null = null;

function start(query: BrowseQuery, options: ClusterOptions): void {
  if (run) return;
  run = runBrowse(query, options, {
    batch: (batch) => {
      credits--;
      post({ type: 'batch', batch });
    },
    ready: () => (credits > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
  });
  void run.finished.finally(() => {
    post({ type: 'finished' });
    port.close();
  });
}

port.on('message', (m: BrowseHostMessage) => {
  if (m.type === 'start') start(m.query, m.options);
  else if (m.type === 'credit') {
    credits++;
    wakeAll();
  } else if (m.type === 'stop') {
    if (!run) {
      port.close();
      return;
    }
    run.stop();
    wakeAll();
  }
});

// Started for one read right away, or kept warm as a spare until a 'start' message comes.
const data = workerData as { query: BrowseQuery; options: ClusterOptions } | null | undefined;
if (data?.query) start(data.query, data.options);
