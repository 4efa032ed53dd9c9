import { MessageChannel, Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import type { Controller } from '../controller/controller.js';
import type { ControllerChannel } from '../controller/channel.js';
import { servePort } from '../controller/port-channel.js';
import type { BrokerLogger } from '../broker/broker.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { SupervisorMessage, WorkerMessage } from './worker-messages.js';
import type { BrokerStats } from '../observe/events.js';

/**
 * The built worker script. The CLI bundle lives in out/cli/, the worker in out/engine/; under
 * tests (TypeScript sources) the built file is used as well, so `npm run build` must have run.
 */
export function defaultWorkerScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(here, '..', 'engine', 'broker-worker.mjs'), // from out/cli/eddy.mjs
    path.join(here, 'broker-worker.mjs'), // from out/engine/
    path.join(here, '..', '..', '..', 'out', 'engine', 'broker-worker.mjs'), // from src/engine/runtime/
  ];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error('The broker worker is not built (out/engine/broker-worker.mjs). Run `npm run build`.');
  return found;
}

/**
 * A broker in its own worker thread. The supervisor (this object, on the main thread) only starts,
 * stops and kills it; clients talk TCP to the worker directly.
 */
export class WorkerBrokerHost {
  private exited: Promise<number>;
  private detachController: () => void;
  private stopping = false;

  private constructor(
    private readonly worker: Worker,
    readonly nodeId: number,
    readonly port: number,
    detachController: () => void,
  ) {
    this.detachController = detachController;
    this.exited = new Promise((resolve) => worker.once('exit', resolve));
  }

  static async start(
    config: BrokerConfig,
    controller: Controller,
    channel: ControllerChannel,
    workerScript: string | undefined,
    logger: BrokerLogger | undefined,
    onCrash: () => void,
    onStats: (stats: BrokerStats) => void,
  ): Promise<WorkerBrokerHost> {
    const { port1, port2 } = new MessageChannel();
    const detach = servePort(controller, channel, port1);
    const worker = new Worker(workerScript ?? defaultWorkerScript(), {
      workerData: { config, controllerPort: port2 },
      transferList: [port2],
      name: `broker-${config.nodeId}`,
    });
    const ready = await new Promise<number>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.kind === 'ready') {
          worker.off('message', onMessage);
          resolve(m.port);
        } else if (m.kind === 'error') {
          const err = Object.assign(new Error(m.message), { code: m.code });
          reject(err);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`broker ${config.nodeId} exited with code ${code} while starting`)));
    }).catch(async (err) => {
      detach();
      await worker.terminate();
      throw err;
    });
    const host = new WorkerBrokerHost(worker, config.nodeId, ready, detach);
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'stats') onStats(m.stats);
      else if (m.kind === 'log') logger?.[m.level](`[broker ${config.nodeId}] ${m.message}`);
      else if (m.kind === 'error') logger?.error(`[broker ${config.nodeId}] ${m.message}`);
    });
    worker.on('error', (err) => logger?.error(`[broker ${config.nodeId}] crashed: ${err.message}`));
    worker.on('exit', () => {
      host.detachController();
      if (!host.stopping) onCrash();
    });
    return host;
  }

  async stop(options: { controlled: boolean }): Promise<void> {
    this.stopping = true;
    this.worker.postMessage({ kind: 'stop', controlled: options.controlled } satisfies SupervisorMessage);
    const timer = setTimeout(() => void this.worker.terminate(), 30_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Terminates the thread mid-flight: in-flight writes are lost as in a crash. */
  async kill(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
    await this.exited;
  }
}
