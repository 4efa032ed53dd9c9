// The GUI's host services against real Apache Kafka: a connection profile pointing at a single-node
// KRaft Kafka is activated, and cluster.describe, cluster.onChange, brokers.onBrokers (metadata +
// DescribeLogDirs sent by Eddy's client) and the observed timeline work on it; the embedded-only
// powers say EMBEDDED_ONLY. The embedded cluster is a real in-process Eddy engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, Producer } from '../../src/engine/client/index.js';
import { startEngine, type Engine } from '../../src/engine/runtime/engine.js';
import { engineServices, type HostServices } from '../../src/headless/engine-services.js';
import type { BrokersSnapshot, ClusterDescription, TimelineBatch } from '../../src/shared/contract/index.js';
import { EddyError } from '../../src/shared/errors.js';
import { call, subscribe } from '../unit/headless/host-streams.js';
import { startKafka, type KafkaServer } from './harness/kafka.js';
import { startAuthKafka, type AuthKafkaServer } from './harness/kafka-auth.js';
import { targetEnabled, targetTools } from './harness/targets.js';
import { requireTool } from './harness/tools.js';

interface HostAgainstKafka<K> {
  kafka?: K;
  engine?: Engine;
  services?: HostServices;
}

// For the enclosing describe: starts Kafka (with `start`) and an embedded engine with host services
// on both once, stops them all after. Leaves the fields unset when a tool is missing (the test skips).
function hostAgainstKafka<K extends { dispose(): Promise<void> }>(
  start: () => Promise<K>,
  dirPrefix: string,
  timeoutMs: number,
): HostAgainstKafka<K> {
  const env: HostAgainstKafka<K> = {};
  let dir: string | undefined;

  beforeAll(async () => {
    for (const tool of targetTools('kafka')) {
      try {
        requireTool(tool);
      } catch {
        return; // the test skips with the install hint (or fails under CI)
      }
    }
    dir = mkdtempSync(join(tmpdir(), dirPrefix));
    const [kafka, engine] = await Promise.all([
      start(),
      startEngine({ dataDir: join(dir, 'embedded'), brokers: 1, host: '127.0.0.1', basePort: 0 }),
    ]);
    env.kafka = kafka;
    env.engine = engine;
    env.services = engineServices(engine, {
      profilesFile: join(dir, 'connections.json'),
      connectTimeoutMs: 10_000,
    });
  }, timeoutMs);

  afterAll(async () => {
    await env.services?.dispose();
    await env.engine?.stop();
    await env.kafka?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return env;
}

describe('GUI host services ↔ Apache Kafka', () => {
  if (!targetEnabled('kafka')) {
    it.skip('kafka: target disabled by EDDY_INTEROP_TARGETS', () => undefined);
    return;
  }
  const env = hostAgainstKafka<KafkaServer>(startKafka, 'eddy-ui-kafka-', 180_000);

  it('switches to Kafka: describe, live changes, broker snapshots with disk sizes, observed timeline', async (ctx) => {
    for (const tool of targetTools('kafka')) requireTool(tool, undefined, ctx);
    const s = env.services!;
    const k = env.kafka!;

    const tested = await s.connections.test(call, {
      name: 'Kafka',
      bootstrap: k.bootstrap,
      sasl: null,
      tls: null,
    });
    expect(tested).toMatchObject({ ok: true, brokers: 1, message: null });
    const saved = await s.connections.save(call, {
      name: 'Apache Kafka',
      bootstrap: k.bootstrap,
      sasl: null,
      tls: null,
    });
    const changes = await subscribe<ClusterDescription, []>(s.cluster.onChange);
    const brokers = await subscribe<BrokersSnapshot, []>(s.brokers.onBrokers);
    expect(changes.events[0].clusterId).toBe(env.engine!.controller.clusterId);

    const active = await s.connections.activate(call, saved.id);
    expect(active).toMatchObject({
      id: saved.id,
      kind: 'external',
      state: 'connected',
      bootstrap: k.bootstrap,
    });
    expect(active.capabilities).toEqual({ brokerLifecycle: false, files: false, timeline: false });

    const d = await s.cluster.describe(call);
    expect(d.clusterId).toBe(tested.clusterId);
    expect(d.clusterId).not.toBe(env.engine!.controller.clusterId);
    const [host, port] = k.bootstrap.split(':');
    expect(d.brokers).toEqual([{ id: 1, host, port: Number(port), up: true }]);
    expect(d.controllerId).toBe(1);
    await changes.next((e) => e.clusterId === d.clusterId, 'the Kafka description in the open stream');

    const timeline = await subscribe<TimelineBatch, [{ limit: number }]>(s.brokers.onTimeline, { limit: 50 });
    const topic = `ui-services-${Date.now()}`;
    const admin = new Admin({ bootstrap: k.bootstrap });
    const producer = new Producer({ bootstrap: k.bootstrap }, { acks: -1 });
    try {
      await admin.createTopics([{ name: topic, numPartitions: 2, replicationFactor: 1 }]);
      await changes.next(
        (e) => e.topics.some((t) => t.name === topic && t.partitions === 2 && !t.internal),
        'the new topic',
      );
      for (let i = 0; i < 100; i++) void producer.send({ topic, key: `k${i}`, value: 'v'.repeat(1000) });
      await producer.flush();
    } finally {
      await producer.close();
      await admin.close();
    }
    const created = await timeline.next(
      (b) => b.events.some((e) => e.type === 'topic-created'),
      'the topic-created event',
    );
    expect(created.events.find((e) => e.type === 'topic-created')).toMatchObject({
      topic,
      partitions: 2,
      replicationFactor: 1,
    });

    const snap = await brokers.next(
      (e) => e.brokers.length === 1 && e.brokers[0].diskBytes !== null && e.brokers[0].diskBytes > 100_000,
      'a Kafka broker snapshot with its log size',
    );
    expect(snap.brokers[0]).toMatchObject({
      id: 1,
      up: true,
      running: null,
      controller: true,
      connections: null,
      bytesInPerSec: null,
      bytesOutPerSec: null,
    });
    expect(snap.brokers[0].leaders).toBeGreaterThanOrEqual(2);
    expect(snap.brokers[0].replicas).toBe(snap.brokers[0].leaders);

    const err = (await Promise.resolve(s.brokers.kill(call, 1)).catch((e: unknown) => e)) as EddyError;
    expect(err).toBeInstanceOf(EddyError);
    expect(err.code).toBe('EMBEDDED_ONLY');

    await s.connections.activate(call, 'embedded');
    expect((await s.cluster.describe(call)).clusterId).toBe(env.engine!.controller.clusterId);
    expect([changes.ended, brokers.ended, timeline.ended]).toEqual([[], [], []]);
    for (const c of [changes, brokers, timeline]) c.stop();
  }, 180_000);
});

// Profiles with SASL and TLS, against Kafka with a SASL_SSL listener (SCRAM-SHA-512, a CA made with
// keytool): the profile's fields reach Eddy's client, a wrong password is AUTHENTICATION_FAILED, an
// empty password on save keeps the stored one, and a certificate Kafka's CA did not sign is refused.
describe('GUI host services ↔ Apache Kafka with SASL_SSL', () => {
  if (!targetEnabled('kafka')) {
    it.skip('kafka: target disabled by EDDY_INTEROP_TARGETS', () => undefined);
    return;
  }
  const env = hostAgainstKafka<AuthKafkaServer>(startAuthKafka, 'eddy-ui-kafka-auth-', 240_000);

  it('connects with SCRAM over TLS from a saved profile; refuses a wrong password and an unknown CA', async (ctx) => {
    for (const tool of targetTools('kafka')) requireTool(tool, undefined, ctx);
    const s = env.services!;
    const k = env.kafka!;
    const user = k.users.scram512;
    const tls = { caPem: k.caPem, verifyCertificates: true };
    const sasl = { mechanism: 'SCRAM-SHA-512' as const, username: user.username, password: user.password };

    const saved = await s.connections.save(call, { name: 'Secure Kafka', bootstrap: k.saslSsl, sasl, tls });
    expect(saved.sasl).toEqual({ mechanism: 'SCRAM-SHA-512', username: user.username, hasPassword: true });
    // The UI sends the profile back without the password it never saw: the stored one is used.
    const again = {
      id: saved.id,
      name: 'Secure Kafka',
      bootstrap: k.saslSsl,
      sasl: { ...sasl, password: '' },
      tls,
    };
    expect(await s.connections.test(call, again)).toMatchObject({ ok: true, brokers: 1 });
    await s.connections.save(call, again);
    const active = await s.connections.activate(call, saved.id);
    expect(active).toMatchObject({ state: 'connected', kind: 'external' });
    const d = await s.cluster.describe(call);
    expect(d.brokers).toHaveLength(1);
    expect(d.clusterId).not.toBe(env.engine!.controller.clusterId);

    const wrong = await s.connections.save(call, {
      name: 'Wrong password',
      bootstrap: k.saslSsl,
      sasl: { ...sasl, password: 'not-the-password' },
      tls,
    });
    const err = (await Promise.resolve(s.connections.activate(call, wrong.id)).catch(
      (e: unknown) => e,
    )) as EddyError;
    expect(err).toBeInstanceOf(EddyError);
    expect(err.code).toBe('AUTHENTICATION_FAILED');
    expect(err.message).toMatch(/^Wrong password refused the login: .+\.$/);
    expect((await s.cluster.describe(call)).clusterId).toBe(d.clusterId);

    const untrusted = await s.connections.test(call, {
      name: 'System CAs',
      bootstrap: k.saslSsl,
      sasl,
      tls: { caPem: null, verifyCertificates: true },
    });
    expect(untrusted.ok).toBe(false);
    expect(untrusted.message).toMatch(/^Could not connect to System CAs .+\.$/);
    await s.connections.activate(call, 'embedded');
  }, 180_000);
});
