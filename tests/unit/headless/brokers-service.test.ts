// The brokers service against a real 3-broker engine (in-process): snapshots with load, broker
// lifecycle through the service, the timeline (history, live, type filter, group-state), and what
// an external cluster is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupAdmin, Producer } from '../../../src/engine/client/index.js';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { engineServices, type HostServices } from '../../../src/headless/engine-services.js';
import type { BrokersSnapshot, TimelineBatch, TimelineEvent } from '../../../src/shared/contract/index.js';
import { EddyError } from '../../../src/shared/errors.js';
import { until } from '../../helpers/until.js';
import { call, subscribe } from './host-streams.js';

let dir: string;
let engine: Engine;
let services: HostServices;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eddy-brokers-service-'));
  engine = await startEngine({ dataDir: join(dir, 'data'), brokers: 3, host: '127.0.0.1', basePort: 0 });
  services = engineServices(engine);
  const producer = new Producer({ bootstrap: engine.bootstrap }, { acks: -1 });
  try {
    engine.controller.createTopics(
      [{ name: 'load', numPartitions: 3, replicationFactor: 3, assignments: [], configs: {} }],
      false,
    );
    for (let i = 0; i < 200; i++) void producer.send({ topic: 'load', key: `k${i}`, value: 'x'.repeat(500) });
    await producer.flush();
  } finally {
    await producer.close();
  }
});

afterAll(async () => {
  await services?.dispose();
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const allUp = (s: BrokersSnapshot) => s.brokers.length === 3 && s.brokers.every((b) => b.up && b.running);

async function wholeCluster(): Promise<void> {
  for (const b of engine.brokerStates()) if (!b.up) await services.brokers.start(call, b.id);
  await until(
    () => [...engine.controller.image.brokers.values()].every((b) => !b.fenced),
    'every broker registered and unfenced',
  );
}

describe('brokers service (embedded)', () => {
  it('snapshots each broker: state, controller, leaders and replicas, disk, connections, traffic rates', async () => {
    const stream = await subscribe<BrokersSnapshot, []>(services.brokers.onBrokers);
    expect(stream.events).toHaveLength(1);
    // Rates need two statistics samples of each broker (they come once a second).
    const s = await stream.next(
      (e) => allUp(e) && e.brokers.every((b) => b.bytesInPerSec !== null && b.diskBytes !== null),
      'a snapshot with rates and disk sizes',
    );
    expect(s.brokers.map((b) => [b.id, b.host, b.port])).toEqual(
      engine.brokerStates().map((b) => [b.id, b.host, b.port]),
    );
    expect(s.brokers.filter((b) => b.controller).map((b) => b.id)).toEqual([1]);
    const partitions = [...engine.controller.image.topicsByName.values()].flatMap((t) => t.partitions);
    expect(s.brokers.reduce((n, b) => n + b.leaders, 0)).toBe(partitions.filter((p) => p.leader >= 0).length);
    expect(s.brokers.reduce((n, b) => n + b.replicas, 0)).toBe(
      partitions.reduce((n, p) => n + p.replicas.length, 0),
    );
    for (const b of s.brokers) {
      expect(b.rack).toBeNull();
      expect(b.replicas).toBeGreaterThanOrEqual(3);
      // 200 records of 500 bytes on every replica of 'load'.
      expect(b.diskBytes).toBeGreaterThan(100_000);
      expect(b.connections).toBeGreaterThanOrEqual(0);
      expect(b.bytesInPerSec).toBeGreaterThanOrEqual(0);
      expect(b.bytesOutPerSec).toBeGreaterThanOrEqual(0);
    }
    expect(s.bytesInPerSec).toBe(s.brokers.reduce((n, b) => n + (b.bytesInPerSec ?? 0), 0));
    expect(s.bytesOutPerSec).toBe(s.brokers.reduce((n, b) => n + (b.bytesOutPerSec ?? 0), 0));
    stream.stop();
  });

  it('stops, kills and starts brokers; snapshots show them go down and come back', async () => {
    const stream = await subscribe<BrokersSnapshot, []>(services.brokers.onBrokers);
    await services.brokers.stop(call, 2);
    const stopped = await stream.next(
      (e) => e.brokers[1].running === false && !e.brokers[1].up,
      'broker 2 down',
    );
    expect(stopped.brokers[1]).toMatchObject({
      id: 2,
      diskBytes: null,
      connections: null,
      bytesInPerSec: null,
    });
    expect(stopped.brokers.filter((b) => b.id !== 2).every((b) => b.running && b.up)).toBe(true);
    // Stopping a stopped broker changes nothing; starting a running one neither.
    await services.brokers.stop(call, 2);
    await services.brokers.start(call, 1);

    await services.brokers.start(call, 2);
    let from = stream.events.length;
    await stream.next((e) => e.brokers[1].running === true && e.brokers[1].up, 'broker 2 up again', from);

    await services.brokers.kill(call, 3);
    from = stream.events.length;
    await stream.next((e) => e.brokers[2].running === false && !e.brokers[2].up, 'broker 3 killed', from);
    await services.brokers.start(call, 3);
    from = stream.events.length;
    await stream.next(allUp, 'all brokers up', from);

    const err = (await Promise.resolve(services.brokers.stop(call, 7)).catch((e: unknown) => e)) as EddyError;
    expect(err).toBeInstanceOf(EddyError);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe('There is no broker 7 in this cluster; its brokers are 1, 2, 3.');
    stream.stop();
    await wholeCluster();
  });

  it('replays the recorded timeline, then sends live events, filtered by type, numbered in order', async () => {
    await wholeCluster();
    const all = await subscribe<TimelineBatch, [{ limit: number }]>(services.brokers.onTimeline, {
      limit: 10_000,
    });
    const history = all.events[0];
    expect(history.history).toBe(true);
    const types = new Set(history.events.map((e) => e.type));
    // The test's earlier broker stops and starts, and the topic it made, are on record.
    for (const t of ['topic-created', 'broker-down', 'broker-up', 'leader-changed', 'isr-changed'] as const)
      expect(types).toContain(t);
    const seqs = history.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    const last2 = await subscribe<TimelineBatch, [{ limit: number }]>(services.brokers.onTimeline, {
      limit: 2,
    });
    expect(last2.events[0].events).toEqual(history.events.slice(-2));

    const brokerOnly = await subscribe<TimelineBatch, [{ limit: number; types: TimelineEvent['type'][] }]>(
      services.brokers.onTimeline,
      { limit: 3, types: ['broker-down', 'broker-up'] },
    );
    const h = brokerOnly.events[0];
    expect(h.history).toBe(true);
    expect(h.events.length).toBe(3);
    expect(h.events.every((e) => e.type === 'broker-down' || e.type === 'broker-up')).toBe(true);

    await services.brokers.kill(call, 2);
    const live = await brokerOnly.next((b) => !b.history, 'a live broker event', 1);
    expect(live.events).toEqual([expect.objectContaining({ type: 'broker-down', brokerId: 2 })]);
    expect(live.events[0].seq).toBeGreaterThan(h.events.at(-1)!.seq);
    const sameInAll = await all.next(
      (b) => !b.history && b.events.some((e) => e.type === 'broker-down'),
      'the event in the unfiltered stream',
      1,
    );
    expect(sameInAll.events.find((e) => e.type === 'broker-down')!.seq).toBe(live.events[0].seq);
    await services.brokers.start(call, 2);
    await brokerOnly.next(
      (b) => !b.history && b.events.some((e) => e.type === 'broker-up'),
      'broker 2 up again',
      1,
    );
    expect(
      brokerOnly.events
        .slice(1)
        .flatMap((b) => b.events)
        .every((e) => e.type === 'broker-down' || e.type === 'broker-up'),
    ).toBe(true);
    for (const c of [all, last2, brokerOnly]) c.stop();
    await wholeCluster();
  });

  it('derives group-state events from the coordinators statistics', async () => {
    const groups = await subscribe<TimelineBatch, [{ limit: number; types: TimelineEvent['type'][] }]>(
      services.brokers.onTimeline,
      { limit: 100, types: ['group-state'] },
    );
    const admin = new GroupAdmin({ bootstrap: engine.bootstrap });
    try {
      await admin.alterOffsets('timeline-group', [{ topic: 'load', partition: 0, offset: 5 }]);
      const created = await groups.next(
        (b) => b.events.some((e) => e.type === 'group-state' && e.groupId === 'timeline-group'),
        'the new group',
      );
      expect(
        created.events.find((e) => e.type === 'group-state' && e.groupId === 'timeline-group'),
      ).toMatchObject({
        state: 'Empty',
        members: 0,
      });
      await admin.deleteGroups(['timeline-group']);
      await groups.next(
        (b) =>
          b.events.some(
            (e) => e.type === 'group-state' && e.groupId === 'timeline-group' && e.state === 'Dead',
          ),
        'the deleted group',
      );
    } finally {
      await admin.close();
      groups.stop();
    }
  });

  it('limit 0 sends an empty history', async () => {
    const none = await subscribe<TimelineBatch, [{ limit: number }]>(services.brokers.onTimeline, {
      limit: 0,
    });
    expect(none.events[0]).toEqual({ history: true, events: [] });
    none.stop();
  });
});

describe('brokers service (external cluster)', () => {
  it('refuses broker lifecycle with EMBEDDED_ONLY and watches without process details', async () => {
    const other = await startEngine({
      dataDir: join(dir, 'other'),
      brokers: 1,
      host: '127.0.0.1',
      basePort: 0,
    });
    const s = engineServices(engine);
    try {
      const saved = await s.connections.save(call, {
        name: 'Other',
        bootstrap: other.bootstrap,
        sasl: null,
        tls: null,
      });
      await s.connections.activate(call, saved.id);
      for (const op of [s.brokers.stop, s.brokers.kill, s.brokers.start]) {
        const err = (await Promise.resolve(op(call, 1)).catch((e: unknown) => e)) as EddyError;
        expect(err).toBeInstanceOf(EddyError);
        expect(err.code).toBe('EMBEDDED_ONLY');
      }
      expect(engine.brokerStates().every((b) => b.up)).toBe(true);
      const stream = await subscribe<BrokersSnapshot, []>(s.brokers.onBrokers);
      const snap = await stream.next(
        (e) => e.brokers.length === 1 && e.brokers[0].diskBytes !== null,
        'a snapshot with disk',
      );
      expect(snap.brokers[0]).toMatchObject({
        id: 1,
        port: other.brokerStates()[0].port,
        up: true,
        running: null,
        controller: true,
        connections: null,
        bytesInPerSec: null,
        bytesOutPerSec: null,
      });
      expect(snap.bytesInPerSec).toBeNull();
      stream.stop();
    } finally {
      await s.dispose();
      await other.stop();
    }
  });
});
