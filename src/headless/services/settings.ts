/**
 * The 'settings' service: the embedded cluster's settings as the host started it, and — where the
 * host can restart the engine (the desktop app) — applying new ones. `eddy serve` takes its
 * settings from the command line, so there they are read-only.
 */
import path from 'node:path';
import type { EddyServices, EngineSettings, EngineSettingsView } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import { sentence } from './link.js';

/** Kafka's default log.retention.ms (7 days). */
export const DEFAULT_RETENTION_MS = 604_800_000;

/**
 * Thrown by a host's restart when the engine did not start with the new settings. `restored`: the
 * host started it again with the previous settings, so the cluster runs as before.
 */
export class RestartError extends Error {
  constructor(
    message: string,
    readonly restored: boolean,
  ) {
    super(message);
    this.name = 'RestartError';
  }
}

export interface SettingsServiceOptions {
  /** What the running engine uses. */
  current: () => EngineSettings | Promise<EngineSettings>;
  /** Restarts the engine with new settings; absent where the host cannot (then not editable). */
  apply?: (settings: EngineSettings) => Promise<void>;
  version: string;
  shell: 'desktop' | 'browser';
}

/** Kafka-side checks the schema cannot express, as sentences. */
export function checkSettings(s: EngineSettings): void {
  if (s.basePort !== 0 && s.basePort + s.brokers - 1 > 65_535)
    throw new EddyError('INVALID_ARGUMENT', {
      message: `With ${s.brokers} brokers from port ${s.basePort} the last one would need port ${s.basePort + s.brokers - 1}; ports end at 65535. Choose a lower port, or 0 for free ports.`,
      detail: 'basePort',
    });
  if (!path.isAbsolute(s.dataDir))
    throw new EddyError('INVALID_ARGUMENT', {
      message: 'The data directory must be a full path (starting at the root of the disk).',
      detail: 'dataDir',
    });
  if (s.retentionMs === 0)
    throw new EddyError('INVALID_ARGUMENT', {
      message: 'Retention must be longer than 0 ms; use -1 to keep records forever.',
      detail: 'retentionMs',
    });
}

export function settingsService(options: SettingsServiceOptions): EddyServices['settings'] {
  let applying: Promise<unknown> = Promise.resolve();
  const view = async (): Promise<EngineSettingsView> => ({
    current: { ...(await options.current()) },
    editable: options.apply !== undefined,
    version: options.version,
    shell: options.shell,
  });
  return {
    get: () => view(),
    apply(_ctx, settings) {
      const apply = options.apply;
      if (!apply)
        throw new EddyError('INVALID_ARGUMENT', {
          message:
            'This cluster was started by `eddy serve`, which takes its settings from the command line. Stop it and start it again with new options.',
          detail: 'not editable',
        });
      checkSettings(settings);
      const run = applying.then(async () => {
        try {
          await apply({ ...settings });
        } catch (err) {
          if (err instanceof EddyError) throw err;
          const message = sentence((err as Error)?.message ?? String(err));
          // Restored: the old settings run again, so the request was what failed.
          throw new EddyError(
            err instanceof RestartError && err.restored ? 'INVALID_ARGUMENT' : 'ENGINE_NOT_RUNNING',
            {
              message,
              cause: err,
            },
          );
        }
        return view();
      });
      applying = run.catch(() => undefined);
      return run;
    },
  };
}
