/**
 * Starts the embedded engine with the app, restarts it when the user applies new settings, and
 * stops it, once, when the app quits. Settings live in `userData/settings.json`; the life cycle is
 * in `engine-supervisor.ts`, this file adds the broker worker electron-vite bundles.
 */
import path from 'node:path';
import { startEngine } from '../engine/runtime/engine.js';
import type { EngineSettings } from '../shared/contract/settings.js';
import { defaultSettings, superviseEngine, type EngineHost } from './engine-supervisor.js';
// electron-vite bundles the broker worker next to the main bundle and gives its path.
import brokerWorkerScript from '../engine/runtime/broker-worker.ts?modulePath';

export type { EngineHost } from './engine-supervisor.js';

const logger = {
  info: (m: string) => console.log(`[eddy] ${m}`),
  warn: (m: string) => console.warn(`[eddy] WARN ${m}`),
  error: (m: string) => console.error(`[eddy] ERROR ${m}`),
};

export function hostEngine(userDataDir: string): EngineHost {
  return superviseEngine({
    settingsFile: path.join(userDataDir, 'settings.json'),
    defaults: defaultSettings(userDataDir),
    logger,
    start: (s: EngineSettings) =>
      startEngine({
        dataDir: s.dataDir,
        brokers: s.brokers,
        host: '127.0.0.1',
        basePort: s.basePort,
        overrides: { 'log.retention.ms': String(s.retentionMs) },
        logger,
        // Each broker runs in its own worker thread: no record bytes cross Electron's main thread.
        mode: 'workers',
        workerScript: brokerWorkerScript,
      }),
  });
}
