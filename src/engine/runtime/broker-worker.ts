/**
 * Entry point of one broker's worker thread: a Broker with its own event loop, listener and log
 * directory, talking to the controller over a MessagePort and to the supervisor over parentPort.
 * Record bytes flow between clients and this thread only.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { Broker } from '../broker/broker.js';
import { portChannel } from '../controller/port-channel.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { SupervisorMessage, WorkerMessage } from './worker-messages.js';

interface BrokerWorkerData {
  config: BrokerConfig;
  controllerPort: MessagePort;
}

const data = workerData as BrokerWorkerData;
const parent = parentPort!;
const post = (m: WorkerMessage) => parent.postMessage(m);
const logger = {
  info: (message: string) => post({ kind: 'log', level: 'info', message }),
  warn: (message: string) => post({ kind: 'log', level: 'warn', message }),
  error: (message: string) => post({ kind: 'log', level: 'error', message }),
};

const broker = new Broker(data.config, portChannel(data.controllerPort), logger);

parent.on('message', (msg: SupervisorMessage) => {
  if (msg.kind === 'stop') {
    clearInterval(statsTimer);
    broker.stop({ controlled: msg.controlled }).then(
      () => {
        post({ kind: 'stopped' });
        data.controllerPort.close();
        parent.close();
      },
      (err: Error) => post({ kind: 'error', message: `stop failed: ${err.message}` }),
    );
  }
});

/** Statistics are pushed about once a second, and only when something changed. */
const STATS_INTERVAL_MS = 1000;
let lastStats = '';
const statsTimer = setInterval(() => {
  const stats = broker.stats();
  const key = JSON.stringify({ ...stats, at: 0 });
  if (key === lastStats) return;
  lastStats = key;
  post({ kind: 'stats', stats });
}, STATS_INTERVAL_MS);
statsTimer.unref();

broker.start().then(
  () => post({ kind: 'ready', port: broker.port }),
  (err: NodeJS.ErrnoException) => post({ kind: 'error', message: err.message, code: err.code }),
);
