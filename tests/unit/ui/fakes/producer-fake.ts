// A stand-in for the host's producer service over the real RPC pipe of fake-engine.ts: `send`
// appends to an in-memory log per partition, `placeKey` answers with a hash the test chooses, and
// each run (`onRun`) is handed to the test to drive its progress and to see when it is stopped.
import type {
  ClusterDescription,
  EddyServices,
  KeyPlacement,
  ProduceProgress,
  ProducedRecord,
  StreamContext,
} from '../../../../src/shared/contract/index.js';
import type { EddyError } from '../../../../src/shared/errors.js';
import type { ProduceRecord, ProduceRun } from '../../../../src/renderer/stores/producer.js';
import { clusterDescription, fakeEngine, type FakeEngine } from '../fake-engine.js';

export interface FakeRun {
  spec: ProduceRun;
  ctx: StreamContext<ProduceProgress>;
  stopped: boolean;
  emit(progress: Partial<ProduceProgress>): void;
}

export interface ProducerFake {
  engine: FakeEngine;
  sent: ProduceRecord[];
  runs: FakeRun[];
  placeKeyCalls: [string, ProduceRecord['key']][];
  /** The answer to placeKey for a non-null key. */
  placement: (topic: string, key: string) => KeyPlacement;
  sendError: EddyError | null;
  now: number;
}

export function producerCluster(): ClusterDescription {
  return clusterDescription({
    topics: [
      { name: '__consumer_offsets', partitions: 50, replicationFactor: 3, internal: true },
      { name: 'orders', partitions: 3, replicationFactor: 2, internal: false },
      { name: 'payments', partitions: 6, replicationFactor: 3, internal: false },
    ],
  });
}

export function producerFake(): ProducerFake {
  const engine = fakeEngine(producerCluster());
  const offsets = new Map<string, number>();
  const fake: ProducerFake = {
    engine,
    sent: [],
    runs: [],
    placeKeyCalls: [],
    placement: (_topic, _key) => ({ partitions: 3, hash: 1_234_567, partition: 1_234_567 % 3 }),
    sendError: null,
    now: Date.UTC(2026, 10, 25, 18, 0, 0),
  };
  const service: EddyServices['producer'] = {
    send(_ctx, record): ProducedRecord {
      if (fake.sendError) throw fake.sendError;
      fake.sent.push(record);
      const partition = record.partition ?? 0;
      const key = `${record.topic}-${partition}`;
      const offset = offsets.get(key) ?? 0;
      offsets.set(key, offset + 1);
      return { partition, offset, timestamp: fake.now };
    },
    onRun(ctx, spec) {
      const run: FakeRun = {
        spec,
        ctx,
        stopped: false,
        emit(progress) {
          ctx.emit({
            sent: 0,
            acknowledged: 0,
            failed: 0,
            recent: [],
            error: null,
            done: false,
            ...progress,
          });
        },
      };
      fake.runs.push(run);
      return () => {
        run.stopped = true;
      };
    },
    placeKey(_ctx, topic, key) {
      fake.placeKeyCalls.push([topic, key]);
      if (key === null) return { partitions: 3, hash: null, partition: null };
      return fake.placement(topic, key.data);
    },
  };
  (engine.services as { producer: EddyServices['producer'] }).producer = service;
  return fake;
}
