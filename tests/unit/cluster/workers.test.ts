import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { startControlServer, sendControlCommand } from '../../../src/engine/runtime/control-server.js';
import { Admin, Producer } from '../../../src/engine/client/index.js';
import { until } from '../../helpers/until.js';

/** Brokers in worker threads, driven through the control socket as `eddy broker …` does. */
let dataDir: string;
let engine: Engine;
let control: { close(): Promise<void> };

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-workers-'));
  engine = await startEngine({ dataDir, brokers: 3, host: '127.0.0.1', basePort: 0, mode: 'workers' });
  control = await startControlServer(engine, dataDir);
});

afterAll(async () => {
  await control?.close();
  await engine?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});


describe('a cluster of worker-thread brokers', () => {
  it('serves clients, survives a killed broker and takes it back', async () => {
    expect(engine.brokers).toHaveLength(0); // nothing runs on this thread
    expect(engine.brokerStates().map((b) => b.up)).toEqual([true, true, true]);
    const admin = new Admin({ bootstrap: engine.bootstrap });
    const producer = new Producer({ bootstrap: engine.bootstrap }, { acks: -1, idempotent: true });
    try {
      const [created] = await admin.createTopics([
        { name: 'w', numPartitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      ]);
      expect(created.error).toBeFalsy();
      for (let i = 0; i < 300; i++) await producer.send({ topic: 'w', key: `k${i}`, value: `v${i}` });

      const killed = await sendControlCommand(dataDir, { command: 'kill', broker: 2 });
      expect(killed.ok).toBe(true);
      expect(killed.brokers!.find((b) => b.id === 2)!.up).toBe(false);
      const partitions = () => engine.controller.image.topic('w')!.partitions;
      expect(partitions().every((p) => p.leader !== 2 && !p.isr.includes(2))).toBe(true);
      // The producer follows the moved leaders without help.
      for (let i = 300; i < 600; i++) await producer.send({ topic: 'w', key: `k${i}`, value: `v${i}` });

      expect((await sendControlCommand(dataDir, { command: 'start', broker: 2 })).ok).toBe(true);
      await until(() => partitions().every((p) => p.isr.length === 3), 'broker 2 to rejoin every ISR');
      const offsets = await admin.listOffsets([0, 1, 2].map((partition) => ({ topic: 'w', partition, spec: 'latest' as const })));
      const replicaView = () =>
        JSON.stringify(engine.observer.brokerStats().map((b) => [b.brokerId, b.replicas.filter((r) => r.topic === 'w').map((r) => [r.partition, r.isLeader, r.logEndOffset, r.highWatermark])]));
      expect(offsets.reduce((n, o) => n + o.offset, 0), `offsets ${JSON.stringify(offsets)}; replicas ${replicaView()}; timeline ${JSON.stringify(engine.observer.timeline.since(0).filter((e) => e.type !== 'config-changed'))}`).toBe(600);

      // The observation stream saw it all, in order, and brokers pushed their statistics.
      const types = engine.observer.timeline.since(0).map((e) => e.type);
      expect(types).toContain('topic-created');
      const down = types.indexOf('broker-down');
      expect(down).toBeGreaterThanOrEqual(0);
      expect(types.indexOf('leader-changed', down)).toBeGreaterThan(down);
      expect(types.indexOf('broker-up', down)).toBeGreaterThan(down);
      expect(types.lastIndexOf('isr-changed')).toBeGreaterThan(types.indexOf('broker-up', down));
      await until(
        () => engine.observer.brokerStats().length === 3 &&
          engine.observer.brokerStats().every((s) => s.replicas.filter((r) => r.topic === 'w').length === 3),
        'statistics from every broker',
      );
      // Statistics are pushed by each broker once a second, so right after leadership moves back to
      // the restarted broker (preferred leader election) two brokers may both still report leading a
      // partition. They must settle on one leader per partition holding all 600 records.
      const leaders = () => engine.observer.brokerStats().flatMap((s) => s.replicas.filter((r) => r.topic === 'w' && r.isLeader));
      await until(
        () => leaders().length === 3 && leaders().reduce((n, r) => n + r.highWatermark, 0) === 600,
        () => `one leader per partition with 600 records in the statistics (now ${replicaView()})`,
      );
      const recordsIn = engine.observer.brokerStats().flatMap((s) => s.traffic.filter((t) => t.topic === 'w')).reduce((n, t) => n + t.recordsIn, 0);
      // Counters live as long as their broker (like Kafka's metrics): broker 2 restarted from zero.
      expect(recordsIn).toBeGreaterThan(0);

      const bad = await sendControlCommand(dataDir, { command: 'kill', broker: 7 });
      expect(bad.ok).toBe(false);
      expect(bad.error).toContain('no broker 7');
    } finally {
      await producer.close();
      await admin.close();
    }
  });
});
