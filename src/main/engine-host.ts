/** Starts the embedded engine with the app and stops it, once, when the app quits. */
import path from 'node:path';
import { startEngine, type Engine, type EngineOptions } from '../engine/runtime/engine.js';
// electron-vite bundles the broker worker next to the main bundle and gives its path.
import brokerWorkerScript from '../engine/runtime/broker-worker.ts?modulePath';

export interface EngineHost {
  /** Resolves when the brokers listen; rejects with the reason they could not. */
  readonly engine: Promise<Engine>;
  stop(): Promise<void>;
}

const logger = {
  info: (m: string) => console.log(`[eddy] ${m}`),
  warn: (m: string) => console.warn(`[eddy] WARN ${m}`),
  error: (m: string) => console.error(`[eddy] ERROR ${m}`),
};

/** Kafka's usual port; when another Kafka has it, brokers take free ports instead. */
const PREFERRED_PORT = 9092;
const BROKERS = 3;

export function hostEngine(userDataDir: string): EngineHost {
  const dataDir = path.join(userDataDir, 'data');
  // Each broker runs in its own worker thread: no record bytes cross Electron's main thread.
  const options: Omit<EngineOptions, 'basePort'> = {
    dataDir,
    brokers: BROKERS,
    host: '127.0.0.1',
    overrides: {},
    logger,
    mode: 'workers',
    workerScript: brokerWorkerScript,
  };
  const engine = startEngine({ ...options, basePort: PREFERRED_PORT }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    logger.warn(
      `ports ${PREFERRED_PORT}-${PREFERRED_PORT + BROKERS - 1} are taken; the brokers use free ports`,
    );
    return startEngine({ ...options, basePort: 0 });
  });
  engine.then(
    (e) => logger.info(`engine ready: bootstrap=${e.bootstrap} data-dir=${dataDir}`),
    (err: Error) => logger.error(`the engine did not start: ${err.message}`),
  );
  let stopping: Promise<void> | null = null;
  return {
    engine,
    stop() {
      stopping ??= engine.then(
        (e) => e.stop(),
        () => undefined,
      );
      return stopping;
    },
  };
}
