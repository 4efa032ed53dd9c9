import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { engineServices } from '../../../src/headless/engine-services.js';
import type { ClusterDescription, StreamContext } from '../../../src/shared/contract/index.js';
import { EddyError } from '../../../src/shared/errors.js';
import { useTempDirs } from '../../helpers/temp-dir.js';

const tempDir = useTempDirs('eddy-engine-services-');
const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

function streamContext(
  events: ClusterDescription[],
): StreamContext<ClusterDescription> & { ended: unknown[] } {
  const ended: unknown[] = [];
  return {
    signal: new AbortController().signal,
    emit: (e) => events.push(e),
    end: (err) => ended.push(err),
    ended,
  };
}

describe('engine services', () => {
  it('describe the cluster from the controller image: brokers, controller, topics sorted by name', async () => {
    const engine = await startEngine({
      dataDir: join(tempDir(), 'data'),
      brokers: 1,
      host: '127.0.0.1',
      basePort: 0,
    });
    engines.push(engine);
    engine.controller.createTopics(
      [
        { name: 'zeta', numPartitions: 2, replicationFactor: 1, assignments: [], configs: {} },
        { name: '__consumer_offsets', numPartitions: 1, replicationFactor: 1, assignments: [], configs: {} },
        { name: 'alpha', numPartitions: 5, replicationFactor: 1, assignments: [], configs: {} },
      ],
      false,
    );
    const services = engineServices(engine);
    const d = await services.cluster.describe({ signal: new AbortController().signal });
    expect(d.clusterId).toBe(engine.controller.clusterId);
    expect(d.controllerId).toBe(1);
    expect(d.brokers).toEqual([{ id: 1, host: '127.0.0.1', port: engine.brokerStates()[0].port, up: true }]);
    expect(d.topics).toEqual([
      { name: '__consumer_offsets', partitions: 1, replicationFactor: 1, internal: true },
      { name: 'alpha', partitions: 5, replicationFactor: 1, internal: false },
      { name: 'zeta', partitions: 2, replicationFactor: 1, internal: false },
    ]);
  });

  it('streams the current state, then one event per burst of changes, until torn down', async () => {
    const engine = await startEngine({
      dataDir: join(tempDir(), 'data'),
      brokers: 1,
      host: '127.0.0.1',
      basePort: 0,
    });
    engines.push(engine);
    const events: ClusterDescription[] = [];
    const teardown = await engineServices(engine).cluster.onChange(streamContext(events));
    expect(events).toHaveLength(1);
    engine.controller.createTopics(
      [{ name: 'a', numPartitions: 8, replicationFactor: 1, assignments: [], configs: {} }],
      false,
    );
    engine.controller.createTopics(
      [{ name: 'b', numPartitions: 8, replicationFactor: 1, assignments: [], configs: {} }],
      false,
    );
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events[1].topics.map((t) => t.name)).toEqual(['a', 'b']);
    (teardown as () => void)();
    engine.controller.deleteTopics(['a']);
    await new Promise((r) => setTimeout(r, 60));
    expect(events).toHaveLength(2);
  });

  it('composes every service over one link provider: connections, settings and brokers answer', async () => {
    const engine = await startEngine({
      dataDir: join(tempDir(), 'data'),
      brokers: 2,
      host: '127.0.0.1',
      basePort: 0,
    });
    engines.push(engine);
    const services = engineServices(engine);
    try {
      const call = { signal: new AbortController().signal };
      expect(await services.connections.list(call)).toEqual([]);
      expect(await services.connections.activate(call, 'embedded')).toMatchObject({
        id: 'embedded',
        kind: 'embedded',
        state: 'connected',
        bootstrap: engine.bootstrap,
        capabilities: { brokerLifecycle: true, files: true, timeline: true },
      });
      // Without settings from the host, what the engine itself shows; not editable without a restart.
      expect(await services.settings.get(call)).toMatchObject({
        current: { brokers: 2, basePort: engine.brokerStates()[0].port },
        editable: false,
        shell: 'browser',
      });
      expect(await services.links.current()).toBe(await services.links.current());
      expect((await services.links.current()).engine).toBe(engine);
    } finally {
      await services.dispose();
    }
  });

  it('turns an engine that failed to start into ENGINE_NOT_RUNNING', async () => {
    const services = engineServices(Promise.reject(new Error('ports 9092-9094 are taken')));
    const err = (await Promise.resolve()
      .then(() => services.cluster.describe({ signal: new AbortController().signal }))
      .catch((e: unknown) => e)) as EddyError;
    expect(err).toBeInstanceOf(EddyError);
    expect(err.code).toBe('ENGINE_NOT_RUNNING');
    expect(err.detail).toContain('9092');
    await expect(Promise.resolve(services.cluster.onChange(streamContext([])))).rejects.toMatchObject({
      code: 'ENGINE_NOT_RUNNING',
    });
  });
});
