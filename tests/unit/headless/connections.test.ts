// The connections service and the link provider, against real engines: one is the embedded
// cluster, a second one plays an external Kafka cluster reached only over the Kafka protocol.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../../src/engine/client/index.js';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { engineServices, type HostServices } from '../../../src/headless/engine-services.js';
import type {
  ActiveConnection,
  BrokersSnapshot,
  ClusterDescription,
  ConnectionProfileView,
  TimelineBatch,
} from '../../../src/shared/contract/index.js';
import { EddyError } from '../../../src/shared/errors.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { call, subscribe } from './host-streams.js';

const tempDir = useTempDirs('eddy-connections-');
let embedded: Engine;
let external: Engine;
let externalDir: string;
const services: HostServices[] = [];

beforeAll(async () => {
  externalDir = mkdtempSync(join(tmpdir(), 'eddy-connections-engines-'));
  embedded = await startEngine({
    dataDir: join(externalDir, 'embedded'),
    brokers: 1,
    host: '127.0.0.1',
    basePort: 0,
  });
  external = await startEngine({
    dataDir: join(externalDir, 'external'),
    brokers: 2,
    host: '127.0.0.1',
    basePort: 0,
  });
});

afterAll(async () => {
  await Promise.allSettled([embedded?.stop(), external?.stop()]);
  rmSync(externalDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose();
});

function host(
  options: Parameters<typeof engineServices>[1] = {},
  engine: Engine | Promise<Engine> = embedded,
) {
  const s = engineServices(engine, { connectTimeoutMs: 4000, ...options });
  services.push(s);
  return s;
}

/** A loopback port nothing listens on (it was free a moment ago). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const profile = (name: string, bootstrap: string) => ({ name, bootstrap, sasl: null, tls: null });

describe('connection profiles', () => {
  it('saves, lists, updates and removes profiles; they persist across instances in a 0600 file', async () => {
    const file = join(tempDir(), 'ui', 'connections.json');
    const a = host({ profilesFile: file });
    expect(await a.connections.list(call)).toEqual([]);
    const saved = await a.connections.save(call, {
      name: 'Prod EU',
      bootstrap: 'kafka-1.example:9093,kafka-2.example:9093',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'eddy', password: 's3cret-pw' },
      tls: { caPem: null, verifyCertificates: true },
    });
    expect(saved.id).toMatch(/^prod-eu-[0-9a-f]{6}$/);
    expect(saved).toEqual({
      id: saved.id,
      name: 'Prod EU',
      bootstrap: 'kafka-1.example:9093,kafka-2.example:9093',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'eddy', hasPassword: true },
      tls: { caPem: null, verifyCertificates: true },
    });
    const second = await a.connections.save(call, profile('Staging', '127.0.0.1:19092'));
    expect((await a.connections.list(call)).map((p) => p.name)).toEqual(['Prod EU', 'Staging']);

    // The password is stored on the host only: never in a view, and an empty one keeps it.
    expect(JSON.stringify(await a.connections.list(call))).not.toContain('s3cret-pw');
    const updated = await a.connections.save(call, {
      id: saved.id,
      name: 'Prod EU (renamed)',
      bootstrap: 'kafka-1.example:9093',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'eddy', password: '' },
      tls: null,
    });
    expect(updated.sasl).toEqual({ mechanism: 'SCRAM-SHA-512', username: 'eddy', hasPassword: true });
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      profiles: { id: string; sasl: { password: string } | null }[];
    };
    expect(stored.profiles.find((p) => p.id === saved.id)?.sasl?.password).toBe('s3cret-pw');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // A new instance (the app started again) reads the same profiles.
    const b = host({ profilesFile: file });
    const listed: ConnectionProfileView[] = await b.connections.list(call);
    expect(listed.map((p) => p.id).sort()).toEqual([saved.id, second.id].sort());
    expect(listed.find((p) => p.id === saved.id)).toEqual({ ...updated });

    await b.connections.remove(call, second.id);
    expect((await host({ profilesFile: file }).connections.list(call)).map((p) => p.id)).toEqual([saved.id]);
    await expect(Promise.resolve(b.connections.remove(call, second.id))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(Promise.resolve(b.connections.remove(call, 'embedded'))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('refuses what Kafka could never connect to, with a sentence', async () => {
    const s = host();
    const bad = (await Promise.resolve(s.connections.save(call, profile('x', 'no-port-here:'))).catch(
      (e: unknown) => e,
    )) as EddyError;
    expect(bad).toBeInstanceOf(EddyError);
    expect(bad.code).toBe('INVALID_ARGUMENT');
    expect(bad.message).toMatch(/^Bootstrap servers must be host:port pairs/);
    await expect(
      Promise.resolve(
        s.connections.save(call, {
          ...profile('x', 'h:9092'),
          tls: { caPem: 'not a pem', verifyCertificates: true },
        }),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', detail: 'tls.caPem' });
    await expect(
      Promise.resolve(s.connections.save(call, { ...profile('x', 'h:9092'), id: 'gone-123' })),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('tests a profile without switching: cluster id and broker count, or why not', async () => {
    const s = host();
    const ok = await s.connections.test(call, profile('other', external.bootstrap));
    expect(ok).toEqual({ ok: true, clusterId: external.controller.clusterId, brokers: 2, message: null });
    const port = await deadPort();
    const no = await s.connections.test(call, profile('nowhere', `127.0.0.1:${port}`));
    expect(no.ok).toBe(false);
    expect(no.message).toMatch(
      new RegExp(`^Could not connect to nowhere \\(127\\.0\\.0\\.1:${port}\\): .*connection refused.*\\.$`),
    );
    expect((await s.connections.activate(call, 'embedded')).kind).toBe('embedded');
  });
});

describe('switching clusters', () => {
  it('activates an external cluster: every service follows it, and back to the embedded one', async () => {
    const s = host({ profilesFile: join(tempDir(), 'connections.json') });
    const saved = await s.connections.save(call, profile('Second Eddy', external.bootstrap));
    const active = await subscribe<ActiveConnection, []>(s.connections.onActive);
    const changes = await subscribe<ClusterDescription, []>(s.cluster.onChange);
    const brokers = await subscribe<BrokersSnapshot, []>(s.brokers.onBrokers);
    expect(active.events[0]).toMatchObject({
      id: 'embedded',
      kind: 'embedded',
      state: 'connected',
      bootstrap: embedded.bootstrap,
    });
    expect(changes.events[0].clusterId).toBe(embedded.controller.clusterId);

    const switched = await s.connections.activate(call, saved.id);
    expect(switched).toEqual({
      id: saved.id,
      name: 'Second Eddy',
      kind: 'external',
      bootstrap: external.bootstrap,
      capabilities: { brokerLifecycle: false, files: false, timeline: false },
      state: 'connected',
      message: null,
    });
    expect(active.events.at(-1)).toEqual(switched);

    // describe asks the external cluster over the Kafka protocol.
    const d = await s.cluster.describe(call);
    expect(d.clusterId).toBe(external.controller.clusterId);
    expect(d.brokers).toEqual(
      external.brokerStates().map((b) => ({ id: b.id, host: b.host, port: b.port, up: true })),
    );
    expect(d.controllerId).toBeGreaterThan(0);

    // The open streams moved to it without ending.
    await changes.next((e) => e.clusterId === external.controller.clusterId, 'the external description');
    const ext = await brokers.next((e) => e.brokers.length === 2, 'external broker snapshots');
    expect(
      ext.brokers.every((b) => b.running === null && b.connections === null && b.bytesInPerSec === null),
    ).toBe(true);
    await brokers.next(
      (e) => e.brokers.length === 2 && e.brokers.every((b) => b.diskBytes !== null),
      'disk sizes from DescribeLogDirs',
    );

    // A topic made on the external cluster shows up on the next poll, and in its observed timeline.
    const timeline = await subscribe<TimelineBatch, [{ limit: number }]>(s.brokers.onTimeline, {
      limit: 100,
    });
    expect(timeline.events[0]).toEqual({ history: true, events: [] });
    const admin = new Admin({ bootstrap: external.bootstrap });
    try {
      await admin.createTopics([{ name: 'seen-from-outside', numPartitions: 3, replicationFactor: 2 }]);
    } finally {
      await admin.close();
    }
    await changes.next(
      (e) => e.topics.some((t) => t.name === 'seen-from-outside' && t.partitions === 3),
      'the new topic',
    );
    const created = await timeline.next(
      (b) => !b.history && b.events.some((e) => e.type === 'topic-created'),
      'a topic-created event',
    );
    expect(created.events.find((e) => e.type === 'topic-created')).toMatchObject({
      topic: 'seen-from-outside',
      partitions: 3,
      replicationFactor: 2,
    });

    const from = changes.events.length;
    expect((await s.connections.activate(call, 'embedded')).kind).toBe('embedded');
    await changes.next(
      (e) => e.clusterId === embedded.controller.clusterId,
      'the embedded description again',
      from,
    );
    expect((await s.cluster.describe(call)).clusterId).toBe(embedded.controller.clusterId);
    expect(active.events.at(-1)).toMatchObject({ id: 'embedded', state: 'connected' });
    expect([changes.ended, brokers.ended, timeline.ended, active.ended]).toEqual([[], [], [], []]);
    for (const c of [changes, brokers, timeline, active]) c.stop();
  });

  it('renaming the active profile shows at once; removing it switches back to the embedded cluster', async () => {
    const s = host();
    const saved = await s.connections.save(call, profile('Before', external.bootstrap));
    await s.connections.activate(call, saved.id);
    const active = await subscribe<ActiveConnection, []>(s.connections.onActive);
    await s.connections.save(call, { ...profile('After', external.bootstrap), id: saved.id });
    expect(active.events.at(-1)).toMatchObject({ id: saved.id, name: 'After', state: 'connected' });
    expect((await s.cluster.describe(call)).clusterId).toBe(external.controller.clusterId);
    await s.connections.remove(call, saved.id);
    expect(active.events.at(-1)).toMatchObject({ id: 'embedded', kind: 'embedded' });
    expect((await s.cluster.describe(call)).clusterId).toBe(embedded.controller.clusterId);
    active.stop();
  });

  it('refuses to switch to a cluster that does not answer, with the reason, and stays where it was', async () => {
    const s = host();
    const port = await deadPort();
    const saved = await s.connections.save(call, profile('Offline', `127.0.0.1:${port}`));
    const err = (await Promise.resolve(s.connections.activate(call, saved.id)).catch(
      (e: unknown) => e,
    )) as EddyError;
    expect(err).toBeInstanceOf(EddyError);
    expect(err.code).toBe('CLUSTER_UNREACHABLE');
    expect(err.message).toMatch(
      new RegExp(`^Could not connect to Offline \\(127\\.0\\.0\\.1:${port}\\): .*connection refused`),
    );
    expect((await s.cluster.describe(call)).clusterId).toBe(embedded.controller.clusterId);
    await expect(Promise.resolve(s.connections.activate(call, 'no-such-profile'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reports an external cluster that goes away: failed state, CLUSTER_UNREACHABLE with the reason', async () => {
    const dir = tempDir();
    const doomed = await startEngine({
      dataDir: join(dir, 'doomed'),
      brokers: 1,
      host: '127.0.0.1',
      basePort: 0,
    });
    try {
      const s = host();
      const saved = await s.connections.save(call, profile('Doomed', doomed.bootstrap));
      await s.connections.activate(call, saved.id);
      const active = await subscribe<ActiveConnection, []>(s.connections.onActive);
      await doomed.stop();
      const failed = await active.next((a) => a.state === 'failed', 'the failed state');
      expect(failed.id).toBe(saved.id);
      expect(failed.message).toMatch(/connect/);
      const err = (await Promise.resolve(s.cluster.describe(call)).catch((e: unknown) => e)) as EddyError;
      expect(err.code).toBe('CLUSTER_UNREACHABLE');
      expect(err.message).toMatch(/^Asking the cluster for its metadata failed: .*\.$/);
      active.stop();
    } finally {
      await doomed.stop();
    }
  });

  it('waits for an embedded engine that is starting, and says ENGINE_NOT_RUNNING when it failed', async () => {
    let fail!: (err: Error) => void;
    const starting = new Promise<Engine>((_, reject) => (fail = reject));
    const s = host({}, starting);
    const active = await subscribe<ActiveConnection, []>(s.connections.onActive);
    expect(active.events[0]).toMatchObject({ kind: 'embedded', state: 'connecting', bootstrap: '' });
    const describing = Promise.resolve(s.cluster.describe(call)).catch((e: unknown) => e);
    fail(new Error('ports 9092-9094 are taken'));
    const err = (await describing) as EddyError;
    expect(err.code).toBe('ENGINE_NOT_RUNNING');
    expect(err.detail).toContain('9092');
    const failed = await active.next((a) => a.state === 'failed', 'the failed state');
    expect(failed.message).toBe('The embedded cluster did not start: ports 9092-9094 are taken.');
    await expect(Promise.resolve(s.brokers.stop(call, 1))).rejects.toMatchObject({
      code: 'ENGINE_NOT_RUNNING',
    });
    active.stop();
  });
});
