/** The embedded cluster's settings (persisted by the host; applied by restarting the engine). */
import { method } from './define.js';
import { integer, object, string, tuple } from './schema.js';

export const engineSettingsSchema = object({
  brokers: integer({ min: 1, max: 9 }),
  /** Port of broker 1; broker N listens on basePort + N − 1. 0 picks free ports. */
  basePort: integer({ min: 0, max: 65_535 }),
  dataDir: string({ minLength: 1, maxLength: 4096 }),
  /** log.retention.ms for new topics. */
  retentionMs: integer({ min: -1 }),
});

export interface EngineSettings {
  brokers: number;
  basePort: number;
  dataDir: string;
  retentionMs: number;
}

export interface EngineSettingsView {
  /** What the running engine uses. */
  current: EngineSettings;
  /** Whether the host can change them (the headless host started by `eddy serve` cannot). */
  editable: boolean;
  version: string;
  shell: 'desktop' | 'browser';
}

export const settingsContract = {
  get: method(tuple([])).returns<EngineSettingsView>(),
  /** Saves and restarts the embedded cluster with them; the data stays unless dataDir changes. */
  apply: method(tuple([engineSettingsSchema])).returns<EngineSettingsView>(),
};
