// The settings service: read-only where the host cannot restart the engine (eddy serve), and
// applied by a real engine restart where it can (the desktop app) — the services follow the new
// engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { engineServices, type HostServices } from '../../../src/headless/engine-services.js';
import { RestartError } from '../../../src/headless/services/settings.js';
import type { ClusterDescription, EngineSettings } from '../../../src/shared/contract/index.js';
import { EddyError } from '../../../src/shared/errors.js';
import { call, subscribe } from './host-streams.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function start(s: EngineSettings): Promise<Engine> {
  return startEngine({
    dataDir: s.dataDir,
    brokers: s.brokers,
    host: '127.0.0.1',
    basePort: s.basePort,
    overrides: { 'log.retention.ms': String(s.retentionMs) },
  });
}

describe('settings service', () => {
  it('shows the settings of `eddy serve` and refuses to change them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-settings-'));
    const settings: EngineSettings = {
      brokers: 1,
      basePort: 0,
      dataDir: join(dir, 'data'),
      retentionMs: 60_000,
    };
    const engine = await start(settings);
    const s = engineServices(engine, { settings, version: '9.9.9' });
    cleanups.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => engine.stop(),
      () => s.dispose(),
    );
    expect(await s.settings.get(call)).toEqual({
      current: settings,
      editable: false,
      version: '9.9.9',
      shell: 'browser',
    });
    const err = (await Promise.resolve()
      .then(() => s.settings.apply(call, { ...settings, brokers: 2 }))
      .catch((e: unknown) => e)) as EddyError;
    expect(err).toBeInstanceOf(EddyError);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toMatch(/eddy serve/);
  });

  it('applies new settings by restarting the engine; the embedded link and open streams follow it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-settings-'));
    let settings: EngineSettings = {
      brokers: 1,
      basePort: 0,
      dataDir: join(dir, 'data'),
      retentionMs: 60_000,
    };
    let engine = start(settings);
    const restart = async (next: EngineSettings, use: (e: Promise<Engine>) => void) => {
      const previous = settings;
      await (await engine).stop();
      engine = start(next);
      use(engine);
      try {
        await engine;
        settings = next;
      } catch (err) {
        engine = start(previous);
        use(engine);
        await engine;
        throw new RestartError(
          `The cluster did not start with the new settings (${(err as Error).message}); it runs again with the previous ones.`,
          true,
        );
      }
    };
    const s: HostServices = engineServices(engine, { settings, restart, shell: 'desktop' });
    cleanups.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => engine.then((e) => e.stop()),
      () => s.dispose(),
    );
    expect((await s.settings.get(call)).editable).toBe(true);
    const changes = await subscribe<ClusterDescription, []>(s.cluster.onChange);
    expect(changes.events[0].brokers).toHaveLength(1);

    // Kafka-side checks come back as sentences before anything restarts.
    await expect(
      Promise.resolve().then(() => s.settings.apply(call, { ...settings, basePort: 65_535, brokers: 3 })),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', detail: 'basePort' });
    await expect(
      Promise.resolve().then(() => s.settings.apply(call, { ...settings, dataDir: 'relative/dir' })),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      detail: 'dataDir',
    });

    const next = { ...settings, brokers: 3, retentionMs: 120_000 };
    const view = await s.settings.apply(call, next);
    expect(view).toEqual({ current: next, editable: true, version: '0.1.0', shell: 'desktop' });
    const running = await engine;
    expect(running.brokerStates()).toHaveLength(3);
    const d = await s.cluster.describe(call);
    expect(d.brokers.map((b) => b.id)).toEqual([1, 2, 3]);
    await changes.next((e) => e.brokers.length === 3, 'the restarted cluster in the open stream');
    expect(changes.ended).toEqual([]);
    // Same data directory: the cluster keeps its identity.
    expect(d.clusterId).toBe(changes.events[0].clusterId);
    // The same settings again restart nothing.
    expect(await s.settings.apply(call, { ...next })).toEqual(view);
    expect(await engine).toBe(running);
    changes.stop();
  });
});
