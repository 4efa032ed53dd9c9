/**
 * The contract's implementation, shared by both hosts: the headless server (`eddy serve`) and the
 * Electron main process. `Connections` owns the active cluster link (embedded engine or an external
 * cluster from a saved profile); every other service reaches the cluster through it.
 */
import type { Engine } from '../engine/runtime/engine.js';
import type { EddyServices, EngineSettings } from '../shared/contract/index.js';
import { brokersService, trackEngineTimeline } from './services/brokers.js';
import { clusterService } from './services/cluster.js';
import { Connections } from './services/connections.js';
import { groupsService } from './services/groups.js';
import { messagesService } from './services/messages.js';
import { producerService } from './services/producer.js';
import { DEFAULT_RETENTION_MS, settingsService } from './services/settings.js';
import { topicsService } from './services/topics.js';

export interface EngineServicesOptions {
  /** Where connection profiles are kept (JSON, 0600); without it they last for this process only. */
  profilesFile?: string;
  /** The settings the engine was started with (shown by `settings.get`). */
  settings?: EngineSettings;
  /**
   * Restarts the embedded engine with new settings (makes `settings.apply` available). The host
   * stops the running engine cleanly, starts one with `settings` and passes every engine it starts
   * to `use` (so the embedded link follows it); it resolves once the new settings run, or rejects
   * (ideally with a RestartError saying whether the previous settings run again).
   */
  restart?: (settings: EngineSettings, use: (engine: Promise<Engine>) => void) => Promise<void>;
  version?: string;
  shell?: 'desktop' | 'browser';
  /** How long connection tests and switches wait for an external cluster (default 8 s). */
  connectTimeoutMs?: number;
}

export type HostServices = EddyServices & {
  /** The link provider behind the services (tests, hosts). */
  readonly links: Connections;
  /** Closes every client, monitor and link (the host is shutting down). */
  dispose(): Promise<void>;
};

const VERSION = '0.1.0';

/** Settings of an engine started without them: what can be seen from the engine itself. */
async function settingsOf(links: Connections): Promise<EngineSettings> {
  const engine = await links.readyEngine();
  const states = engine.brokerStates();
  return {
    brokers: states.length,
    basePort: states[0]?.port ?? 0,
    dataDir: '',
    retentionMs: DEFAULT_RETENTION_MS,
  };
}

/**
 * `engine` may still be starting (Electron starts the window and the engine together); a failed
 * start turns every call on the embedded cluster into ENGINE_NOT_RUNNING.
 */
export function engineServices(
  engine: Engine | Promise<Engine>,
  options: EngineServicesOptions = {},
): HostServices {
  const track = (e: Engine | Promise<Engine>) =>
    void Promise.resolve(e).then(trackEngineTimeline, () => undefined);
  track(engine);
  const links = new Connections({
    engine,
    profilesFile: options.profilesFile,
    connectTimeoutMs: options.connectTimeoutMs,
  });
  let current = options.settings ? { ...options.settings } : null;
  const restart = options.restart;
  const services: EddyServices = {
    connections: links.service(),
    settings: settingsService({
      current: () => current ?? settingsOf(links),
      apply: restart
        ? async (next) => {
            // Nothing changed: no restart (clients stay connected).
            if (current && JSON.stringify(current) === JSON.stringify({ ...current, ...next })) return;
            await restart(next, (e) => {
              track(e);
              links.setEngine(e);
            });
            current = { ...next };
          }
        : undefined,
      version: options.version ?? VERSION,
      shell: options.shell ?? 'browser',
    }),
    cluster: clusterService(links),
    brokers: brokersService(links),
    topics: topicsService(links),
    groups: groupsService(links),
    producer: producerService(links),
    messages: messagesService(links),
  };
  return Object.assign(services, { links, dispose: () => links.dispose() });
}
