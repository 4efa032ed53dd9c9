/**
 * The engine settings form: retention split into a number and a unit, and the range checks the
 * host would make (settings contract) plus the one it cannot express: the last broker's port.
 */
import type { EngineSettings } from '../../shared/contract/index.js';

export const RETENTION_UNITS = ['days', 'hours', 'minutes', 'seconds', 'ms'] as const;
export type RetentionUnit = (typeof RETENTION_UNITS)[number];
export const UNIT_MS: Record<RetentionUnit, number> = {
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  ms: 1,
};

export interface EngineSettingsForm {
  brokers: number | undefined;
  basePort: number | undefined;
  dataDir: string;
  retentionForever: boolean;
  retentionValue: number | undefined;
  retentionUnit: RetentionUnit;
}

export type EngineSettingsField = 'brokers' | 'basePort' | 'dataDir' | 'retention';
export interface EngineSettingsIssue {
  key: string;
  named?: Record<string, number>;
}

export function settingsFormFrom(settings: EngineSettings): EngineSettingsForm {
  const forever = settings.retentionMs < 0;
  const unit = forever
    ? 'days'
    : (RETENTION_UNITS.find((u) => settings.retentionMs > 0 && settings.retentionMs % UNIT_MS[u] === 0) ??
      'ms');
  return {
    brokers: settings.brokers,
    basePort: settings.basePort,
    dataDir: settings.dataDir,
    retentionForever: forever,
    retentionValue: forever ? 7 : settings.retentionMs / UNIT_MS[unit],
    retentionUnit: unit,
  };
}

const isWhole = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n);

export function settingsIssues(
  form: EngineSettingsForm,
): Partial<Record<EngineSettingsField, EngineSettingsIssue>> {
  const issues: Partial<Record<EngineSettingsField, EngineSettingsIssue>> = {};
  if (!isWhole(form.brokers) || form.brokers < 1 || form.brokers > 9) issues.brokers = { key: 'brokers' };
  if (!isWhole(form.basePort) || (form.basePort !== 0 && (form.basePort < 1024 || form.basePort > 65_535))) {
    issues.basePort = { key: 'basePort' };
  } else if (form.basePort !== 0 && isWhole(form.brokers) && form.basePort + form.brokers - 1 > 65_535) {
    issues.basePort = {
      key: 'basePortRange',
      named: { brokers: form.brokers, port: form.basePort + form.brokers - 1 },
    };
  }
  if (!form.dataDir.trim()) issues.dataDir = { key: 'dataDir' };
  if (!form.retentionForever) {
    const ms = isWhole(form.retentionValue) ? form.retentionValue * UNIT_MS[form.retentionUnit] : NaN;
    if (!(ms >= 1) || !Number.isSafeInteger(ms)) issues.retention = { key: 'retention' };
  }
  return issues;
}

export function settingsFromForm(form: EngineSettingsForm): EngineSettings {
  return {
    brokers: form.brokers ?? 1,
    basePort: form.basePort ?? 0,
    dataDir: form.dataDir.trim(),
    retentionMs: form.retentionForever ? -1 : (form.retentionValue ?? 0) * UNIT_MS[form.retentionUnit],
  };
}
