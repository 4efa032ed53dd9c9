/**
 * The engine's life in the desktop app, without Electron: settings loaded from and saved to a JSON
 * file, the engine started with them, restarted with new ones (falling back to the previous ones
 * when they do not start), and stopped once. `engine-host.ts` gives it the bundled broker worker.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../engine/runtime/engine.js';
import { DEFAULT_RETENTION_MS, RestartError } from '../headless/services/settings.js';
import { engineSettingsSchema, type EngineSettings } from '../shared/contract/settings.js';
import { validate } from '../shared/contract/schema.js';

export interface EngineHost {
  /** The current engine: resolves when the brokers listen; rejects with the reason they could not. */
  readonly engine: Promise<Engine>;
  /** The settings the current engine was started with. */
  readonly settings: EngineSettings;
  /**
   * Stops the engine cleanly and starts it with `next` (saved once it runs). When it does not start,
   * the previous settings start again and a RestartError says so. `use` hears every engine started.
   */
  restart(next: EngineSettings, use: (engine: Promise<Engine>) => void): Promise<void>;
  stop(): Promise<void>;
}

const logger = {
  info: (m: string) => console.log(`[eddy] ${m}`),
  warn: (m: string) => console.warn(`[eddy] WARN ${m}`),
  error: (m: string) => console.error(`[eddy] ERROR ${m}`),
};

/** Kafka's usual port; when another Kafka has it at launch, brokers take free ports instead. */
const PREFERRED_PORT = 9092;
const BROKERS = 3;

export function defaultSettings(userDataDir: string): EngineSettings {
  return {
    brokers: BROKERS,
    basePort: PREFERRED_PORT,
    dataDir: path.join(userDataDir, 'data'),
    retentionMs: DEFAULT_RETENTION_MS,
  };
}

/** The saved settings, or the defaults when there are none (or they are not valid any more). */
export function loadSettings(
  file: string,
  defaults: EngineSettings,
  warn: (m: string) => void = logger.warn,
): EngineSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return defaults;
  }
  try {
    const value: unknown = { ...defaults, ...(JSON.parse(text) as object) };
    const checked = validate(engineSettingsSchema, value);
    if (checked.ok) return checked.value;
    warn(
      `${file} is not valid (${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}); using the defaults`,
    );
  } catch (err) {
    warn(`${file} could not be read (${(err as Error).message}); using the defaults`);
  }
  return defaults;
}

/** Writes the settings whole: a temp file beside it, flushed, then renamed over it. */
export async function saveSettings(file: string, settings: EngineSettings): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(settings, null, 2) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file).catch(async (err: unknown) => {
    await unlink(tmp).catch(() => undefined);
    throw err;
  });
}

export interface SupervisorOptions {
  /** Where the settings are kept. */
  settingsFile: string;
  /** The settings when the file has none (or none valid). */
  defaults: EngineSettings;
  /** Starts an engine with these settings (rejects with the reason it could not). */
  start(settings: EngineSettings): Promise<Engine>;
  logger?: typeof logger;
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE') return 'a port it needs is in use by another program';
  return (e?.message ?? String(err)).replace(/\.$/, '');
}

export function superviseEngine(options: SupervisorOptions): EngineHost {
  const log = options.logger ?? logger;
  const file = options.settingsFile;
  /** Starts an engine; at launch a taken port falls back to free ports (another Kafka may run). */
  const launch = (s: EngineSettings, fallBackToFreePorts: boolean): Promise<Engine> => {
    const engine = options.start(s).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE' || !fallBackToFreePorts || s.basePort === 0) throw err;
      log.warn(`ports ${s.basePort}-${s.basePort + s.brokers - 1} are taken; the brokers use free ports`);
      return options.start({ ...s, basePort: 0 });
    });
    engine.then(
      (e) => log.info(`engine ready: bootstrap=${e.bootstrap} data-dir=${s.dataDir}`),
      (err: Error) => log.error(`the engine did not start: ${err.message}`),
    );
    return engine;
  };
  let settings = loadSettings(file, options.defaults, log.warn);
  let engine = launch(settings, true);
  /** Restarts and the final stop run one after another. */
  let queue: Promise<unknown> = Promise.resolve();
  let stopping: Promise<void> | null = null;

  const stopEngine = (e: Promise<Engine>) =>
    e.then(
      (running) => running.stop(),
      () => undefined,
    );

  return {
    get engine() {
      return engine;
    },
    get settings() {
      return { ...settings };
    },
    restart(next, use) {
      const run = queue.then(async () => {
        if (stopping) throw new RestartError('Eddy is quitting; the settings were not applied.', false);
        const previous = settings;
        await stopEngine(engine);
        engine = launch(next, false);
        use(engine);
        try {
          await engine;
        } catch (err) {
          engine = launch(previous, true);
          use(engine);
          const restored = await engine.then(
            () => true,
            () => false,
          );
          throw new RestartError(
            restored
              ? `The cluster did not start with the new settings (${reason(err)}); it runs again with the previous ones.`
              : `The cluster did not start with the new settings (${reason(err)}), nor with the previous ones; see the log.`,
            restored,
          );
        }
        settings = { ...next };
        try {
          await saveSettings(file, settings);
        } catch (err) {
          log.error(`the settings run but could not be saved to ${file}: ${(err as Error).message}`);
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    stop() {
      stopping ??= queue.then(() => stopEngine(engine));
      return stopping;
    },
  };
}
