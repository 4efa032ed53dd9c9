import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ErrorCode } from '../../../src/engine/protocol/errors.js';
import { buildBatch, CompressionType, decodeBatches } from '../../../src/engine/protocol/records/index.js';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import type { PartitionLog } from '../../../src/engine/storage/partition-log.js';
import { RawClient } from '../../helpers/raw-client.js';
import { until } from '../../helpers/until.js';

const PRODUCE = 0;
const FETCH = 1;
const CREATE_TOPICS = 19;

let dataDir: string;
let engine: Engine;
const clients: RawClient[] = [];

async function connect(brokerId: number): Promise<RawClient> {
  const c = await RawClient.connect(engine.broker(brokerId)!.port);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-compaction-'));
  engine = await startEngine({
    dataDir,
    brokers: 2,
    host: '127.0.0.1',
    basePort: 0,
    overrides: { 'log.cleaner.backoff.ms': '50', 'replica.fetch.wait.max.ms': '50' },
  });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await engine.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Rec {
  offset: number;
  key: string | null;
  value: string | null;
}

function decode(records: Buffer | null): Rec[] {
  if (!records) return [];
  return decodeBatches(records).flatMap((b) =>
    b.records.map((r) => ({
      offset: r.offset,
      key: r.key?.toString() ?? null,
      value: r.value?.toString() ?? null,
    })),
  );
}

function logRecords(log: PartitionLog): Rec[] {
  return decode(log.read(log.logStartOffset, 1 << 30).records);
}

describe('the broker log cleaner', () => {
  it('compacts leader and follower replicas of a compacted topic; Fetch returns the latest values at their offsets', async () => {
    const admin = await connect(engine.brokers[0].nodeId);
    const created = await admin.request(CREATE_TOPICS, 7, {
      topics: [
        {
          name: 'compacted',
          numPartitions: 1,
          replicationFactor: 2,
          assignments: [],
          // segment.ms=1: every produce below (timestamps 10 ms apart) starts a new segment.
          configs: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.ms', value: '1' },
            { name: 'min.insync.replicas', value: '2' },
            // The cleaner may run between produces; a low ratio lets it finish the job afterwards.
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
          ],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
    const partitionState = () => engine.controller.image.topic('compacted')!.partitions[0];
    await until(
      () =>
        partitionState().isr.length === 2 &&
        partitionState().replicas.every(
          (id) =>
            engine.broker(id)?.replicas.get('compacted', 0)?.leaderEpoch === partitionState().leaderEpoch,
        ),
      'both replicas to know their roles',
    );
    const leader = await connect(partitionState().leader);

    const start = Date.now();
    const written: Rec[] = [];
    const produce = async (
      batch: { key: string; value: string | null }[],
      round: number,
      compression = CompressionType.None,
    ) => {
      const res = await leader.request(PRODUCE, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 5000,
        topicData: [
          {
            name: 'compacted',
            partitionData: [
              {
                index: 0,
                records: buildBatch({
                  records: batch.map((r) => ({
                    key: r.key,
                    value: r.value,
                    headers: [],
                    timestamp: start + round * 10,
                  })),
                  compression,
                }),
              },
            ],
          },
        ],
      });
      const response = res.responses[0].partitionResponses[0];
      expect(response.errorCode).toBe(ErrorCode.NONE);
      batch.forEach((r, i) => written.push({ offset: response.baseOffset + i, key: r.key, value: r.value }));
    };

    for (let round = 0; round < 6; round++) {
      await produce(
        ['a', 'b', 'c'].map((key) => ({ key, value: `${key}${round}` })),
        round,
        round % 2 === 0 ? CompressionType.Gzip : CompressionType.None,
      );
    }
    // Rolls the last round out of the active segment, which the cleaner never touches.
    await produce([{ key: 'z', value: 'z' }], 6);
    expect(written.map((r) => r.offset)).toEqual(Array.from({ length: 19 }, (_, i) => i));

    const expected = [...written.slice(15, 18), written[18]];
    const replicaLogs = partitionState().replicas.map(
      (id) => engine.broker(id)!.replicas.get('compacted', 0)!.log,
    );
    await until(
      () => replicaLogs.every((log) => JSON.stringify(logRecords(log)) === JSON.stringify(expected)),
      'the cleaner to compact both replicas',
      15_000,
    );
    for (const log of replicaLogs) {
      expect(log.logEndOffset).toBe(19);
      expect(log.logStartOffset).toBe(0);
      // The last record sits alone in the active segment; everything before it was cleaned.
      expect(log.segments.at(-1)!.baseOffset).toBe(18);
      expect(log.segments.length).toBeGreaterThanOrEqual(2);
    }

    // A consumer fetching from 0, or from an offset that was compacted away, gets the latest values only.
    const fetch = async (fetchOffset: number) => {
      const res = await leader.request(FETCH, 12, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic: 'compacted',
            partitions: [{ partition: 0, fetchOffset, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 }],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      });
      const p = res.responses[0].partitions[0];
      expect(p.errorCode).toBe(ErrorCode.NONE);
      expect(p.highWatermark).toBe(19);
      return decode(p.records);
    };
    expect(await fetch(0)).toEqual(expected);
    expect((await fetch(7)).filter((r) => r.offset >= 7)).toEqual(expected);
    expect((await fetch(16)).filter((r) => r.offset >= 16)).toEqual(expected.slice(1));
  });
});
