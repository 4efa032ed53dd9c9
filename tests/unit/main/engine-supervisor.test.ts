// The desktop app's engine life cycle (src/main/engine-supervisor.ts) with real in-process engines:
// settings from userData/settings.json, applied through the settings service by a clean restart,
// saved once they run, the previous ones restored when the new ones do not start.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine } from '../../../src/engine/runtime/engine.js';
import { engineServices } from '../../../src/headless/engine-services.js';
import { superviseEngine, type EngineHost } from '../../../src/main/engine-supervisor.js';
import type { EngineSettings } from '../../../src/shared/contract/index.js';
import { EddyError } from '../../../src/shared/errors.js';
import { useTempDirs } from '../../helpers/temp-dir.js';

const tempDir = useTempDirs('eddy-supervisor-');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const call = { signal: new AbortController().signal };

function supervise(userData: string, defaults: Partial<EngineSettings> = {}): EngineHost {
  const host = superviseEngine({
    settingsFile: join(userData, 'settings.json'),
    defaults: {
      brokers: 1,
      basePort: 0,
      dataDir: join(userData, 'data'),
      retentionMs: 604_800_000,
      ...defaults,
    },
    logger: quiet,
    start: (s) =>
      startEngine({
        dataDir: s.dataDir,
        brokers: s.brokers,
        host: '127.0.0.1',
        basePort: s.basePort,
        overrides: { 'log.retention.ms': String(s.retentionMs) },
      }),
  });
  cleanups.push(() => host.stop());
  return host;
}

/** Holds a loopback port until the test ends. */
async function takePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

describe('engine supervisor (desktop settings)', () => {
  it('applies settings by a clean restart, saves them once they run, and reads them at the next launch', async () => {
    const userData = tempDir();
    const host = supervise(userData);
    const services = engineServices(host.engine, {
      settings: host.settings,
      restart: (s, use) => host.restart(s, use),
      shell: 'desktop',
    });
    cleanups.push(() => services.dispose());
    expect((await services.cluster.describe(call)).brokers).toHaveLength(1);
    const view = await services.settings.get(call);
    expect(view.editable).toBe(true);

    const next = { ...view.current, brokers: 2, retentionMs: 3_600_000 };
    expect((await services.settings.apply(call, next)).current).toEqual(next);
    expect((await host.engine).brokerStates()).toHaveLength(2);
    expect((await services.cluster.describe(call)).brokers.map((b) => b.id)).toEqual([1, 2]);
    const file = join(userData, 'settings.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(next);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    await host.stop();
    const again = supervise(userData);
    expect(again.settings).toEqual(next);
    expect((await again.engine).brokerStates()).toHaveLength(2);
  });

  it('restores the previous settings when the new ones do not start, and says so', async () => {
    const userData = tempDir();
    const host = supervise(userData);
    const services = engineServices(host.engine, {
      settings: host.settings,
      restart: (s, use) => host.restart(s, use),
    });
    cleanups.push(() => services.dispose());
    const before = (await services.settings.get(call)).current;
    const taken = await takePort();
    const err = (await Promise.resolve()
      .then(() => services.settings.apply(call, { ...before, basePort: taken }))
      .catch((e: unknown) => e)) as EddyError;
    expect(err).toBeInstanceOf(EddyError);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toBe(
      'The cluster did not start with the new settings (a port it needs is in use by another program); it runs again with the previous ones.',
    );
    // The cluster runs with the previous settings, and the services reach it.
    expect((await services.settings.get(call)).current).toEqual(before);
    expect(host.settings).toEqual(before);
    expect((await services.cluster.describe(call)).brokers).toEqual([
      expect.objectContaining({ id: 1, up: true }),
    ]);
    expect(() => statSync(join(userData, 'settings.json'))).toThrow();
  });

  it('at launch, takes free ports when the saved port is in use, and ignores an invalid settings file', async () => {
    const userData = tempDir();
    const taken = await takePort();
    writeFileSync(join(userData, 'settings.json'), JSON.stringify({ brokers: 42 }));
    const host = supervise(userData, { basePort: taken });
    // brokers: 42 is outside 1–9: the defaults apply.
    expect(host.settings.brokers).toBe(1);
    const engine = await host.engine;
    expect(engine.brokerStates()[0].port).not.toBe(taken);
  });
});
