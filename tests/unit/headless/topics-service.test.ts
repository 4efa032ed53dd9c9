// The 'topics' host service against a real 3-broker engine (in-process, ports 0), reached both as
// the embedded cluster (link with the engine) and as an external cluster (the same brokers through
// a plain bootstrap link), with records produced by Eddy's own Producer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer } from '../../../src/engine/client/index.js';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import {
  clusterLink,
  embeddedLink,
  fixedLinks,
  type ClusterLink,
} from '../../../src/headless/services/link.js';
import { topicsService } from '../../../src/headless/services/topics.js';
import type { TopicDetail, TopicRow } from '../../../src/shared/contract/index.js';
import { until } from '../../helpers/until.js';
import { subscribe } from './stream-probe.js';

let engine: Engine;
let dataDir: string;
const links: ClusterLink[] = [];
const call = { signal: new AbortController().signal };

beforeAll(async () => {
  // One engine for the whole file: its directory lives until afterAll.
  dataDir = mkdtempSync(join(tmpdir(), 'eddy-topics-service-'));
  engine = await startEngine({
    dataDir,
    brokers: 3,
    host: '127.0.0.1',
    basePort: 0,
    overrides: { 'log.retention.ms': '3600000', 'offsets.topic.num.partitions': '3' },
  });
}, 60_000);

afterAll(async () => {
  for (const l of links.splice(0)) await l.close();
  await engine?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function linkOf(kind: 'embedded' | 'external'): ClusterLink {
  const link =
    kind === 'embedded' ? embeddedLink(engine) : clusterLink('ext', { bootstrap: engine.bootstrap });
  links.push(link);
  return link;
}

async function produce(topic: string, perPartition: number[]): Promise<void> {
  const producer = new Producer({ bootstrap: engine.bootstrap }, { acks: -1 });
  try {
    for (let p = 0; p < perPartition.length; p++) {
      for (let i = 0; i < perPartition[p]; i++)
        await producer.send({ topic, partition: p, key: `k${i}`, value: `value ${i}` });
    }
  } finally {
    await producer.close();
  }
}

describe.each(['embedded', 'external'] as const)('topics service over the %s link', (kind) => {
  const topic = `orders-${kind}`;
  let svc: ReturnType<typeof topicsService>;
  let link: ClusterLink;
  beforeAll(() => {
    link = linkOf(kind);
    svc = topicsService(fixedLinks(link));
  });

  it('creates a topic (validateCreate first creates nothing) and lists it with records and bytes', async () => {
    const spec = {
      name: topic,
      partitions: 3,
      replicationFactor: 3,
      configs: [{ name: 'cleanup.policy', value: 'delete' }],
    };
    await svc.validateCreate(call, spec);
    expect((await link.admin().listTopics()).includes(topic)).toBe(false);
    const list = await subscribe(svc.onTopics);
    try {
      await svc.create(call, spec);
      const created = await list.next(
        (rows) => rows.some((r) => r.name === topic),
        'the new topic in the list',
      );
      expect(created.find((r) => r.name === topic)).toMatchObject({
        partitions: 3,
        replicationFactor: 3,
        internal: false,
        underReplicatedPartitions: 0,
        offlinePartitions: 0,
      });
      await produce(topic, [5, 7, 0]);
      const row = (rows: TopicRow[]) => rows.find((r) => r.name === topic);
      const filled = await list.next(
        (rows) => row(rows)?.records === 12 && (row(rows)?.sizeBytes ?? 0) > 0,
        '12 records in the list',
      );
      expect(row(filled)!.sizeBytes).toBeGreaterThan(12 * 'value 0'.length);
      // Sorted by name, and only emitted when something changed.
      const names = filled.map((r) => r.name);
      expect(names).toEqual([...names].sort());
      for (let i = 1; i < list.events.length; i++) expect(list.events[i]).not.toEqual(list.events[i - 1]);
    } finally {
      list.close();
    }
  });

  it('answers Kafka refusals with sentences', async () => {
    await expect(
      svc.create(call, { name: topic, partitions: 1, replicationFactor: 1, configs: [] }),
    ).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'TOPIC_ALREADY_EXISTS',
      message: `A topic named '${topic}' already exists.`,
    });
    await expect(
      svc.validateCreate(call, { name: 'big-rf', partitions: 1, replicationFactor: 5, configs: [] }),
    ).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'INVALID_REPLICATION_FACTOR',
      message: 'Replication factor 5 is larger than the 3 brokers available.',
    });
    const badConfig = svc.validateCreate(call, {
      name: 'bad-config',
      partitions: 1,
      replicationFactor: 1,
      configs: [{ name: 'retention.ms', value: 'soon' }],
    });
    await expect(badConfig).rejects.toMatchObject({ code: 'KAFKA_ERROR', detail: 'INVALID_CONFIG' });
    await expect(badConfig).rejects.toThrow(/^A config value was refused: .*soon/);
    await expect(
      svc.create(call, { name: '..', partitions: 1, replicationFactor: 1, configs: [] }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: `'..' cannot be a topic name; Kafka refuses "." and "..".`,
    });
    await svc.create(call, { name: `${topic}.v1`, partitions: 1, replicationFactor: 1, configs: [] });
    await expect(
      svc.validateCreate(call, { name: `${topic}_v1`, partitions: 1, replicationFactor: 1, configs: [] }),
    ).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'INVALID_TOPIC_EXCEPTION',
      message: `'${topic}_v1' collides with the existing topic '${topic}.v1': Kafka treats '.' and '_' alike in metric names. Choose another name.`,
    });
    await svc.delete(call, `${topic}.v1`);
    await expect(svc.configs(call, 'no-such-topic')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(svc.delete(call, 'no-such-topic')).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'UNKNOWN_TOPIC_OR_PARTITION',
      message: "There is no topic named 'no-such-topic' (any more).",
    });
    await expect(svc.addPartitions(call, topic, 2)).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'INVALID_PARTITIONS',
      message: `Topic '${topic}' has 3 partitions; Kafka can add partitions but never remove them.`,
    });
    await expect(svc.purge(call, topic, [7])).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  });

  it('shows one topic live: partitions with leaders, offsets and sizes; grows; purges', async () => {
    const probe = await subscribe(svc.onTopic, topic);
    try {
      const first = await probe.next(
        (d) => d.partitions.every((p) => p.highWatermark !== null),
        'the topic detail',
      );
      expect(first.name).toBe(topic);
      expect(first.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(first.brokerIds).toEqual([1, 2, 3]);
      expect(first.brokersDown).toEqual([]);
      expect(
        first.partitions.map((p) => [p.partition, p.logStartOffset, p.highWatermark, p.logEndOffset]),
      ).toEqual([
        [0, 0, 5, 5],
        [1, 0, 7, 7],
        [2, 0, 0, 0],
      ]);
      for (const p of first.partitions) {
        expect(p.replicas).toHaveLength(3);
        expect(p.isr.sort()).toEqual([...p.replicas].sort());
        expect(p.leader).toBe(p.replicas[0]);
        expect(p.offlineReplicas).toEqual([]);
      }
      expect(first.partitions[0].sizeBytes).toBeGreaterThan(0);
      expect(first.partitions[2].sizeBytes).toBe(0);

      await svc.addPartitions(call, topic, 5);
      await probe.next((d) => d.partitions.length === 5, 'five partitions');

      const n = probe.events.length;
      await svc.purge(call, topic, [0]);
      const purged = await probe.next((d) => d.partitions[0].logStartOffset === 5, 'partition 0 purged', n);
      expect(purged.partitions[1].logStartOffset).toBe(0);
      await svc.purge(call, topic, null);
      await probe.next(
        (d) => d.partitions.every((p) => p.logStartOffset === p.highWatermark),
        'every partition purged',
      );
    } finally {
      probe.close();
    }
  });

  it('reads configs with sources, types and documentation, and alters them in one request', async () => {
    const before = await svc.configs(call, topic);
    const retention = before.find((c) => c.name === 'retention.ms')!;
    expect(retention).toMatchObject({
      value: '3600000',
      isDefault: false,
      readOnly: false,
      sensitive: false,
    });
    expect(retention.source).not.toBe('DYNAMIC_TOPIC_CONFIG');
    expect(before.find((c) => c.name === 'cleanup.policy')).toMatchObject({
      value: 'delete',
      source: 'DYNAMIC_TOPIC_CONFIG',
    });
    expect(before.find((c) => c.name === 'segment.bytes')?.type).toBe('INT');
    expect(before.map((c) => c.name)).toEqual(before.map((c) => c.name).sort());

    await svc.alterConfigs(
      call,
      topic,
      [
        { name: 'retention.ms', value: '60000' },
        { name: 'max.message.bytes', value: '2000000' },
      ],
      ['cleanup.policy'],
    );
    const after = await svc.configs(call, topic);
    expect(after.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '60000',
      source: 'DYNAMIC_TOPIC_CONFIG',
      isDefault: false,
    });
    expect(after.find((c) => c.name === 'max.message.bytes')).toMatchObject({
      value: '2000000',
      source: 'DYNAMIC_TOPIC_CONFIG',
    });
    expect(after.find((c) => c.name === 'cleanup.policy')?.source).not.toBe('DYNAMIC_TOPIC_CONFIG');

    await expect(
      svc.alterConfigs(call, topic, [{ name: 'retention.ms', value: 'never' }], []),
    ).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'INVALID_CONFIG',
    });
    await expect(
      svc.alterConfigs(call, topic, [{ name: 'retention.ms', value: '1' }], ['retention.ms']),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it("gives the broker's defaults for topic configs", async () => {
    const defaults = await svc.configDefaults(call);
    expect(defaults.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '3600000',
      isDefault: false,
      type: 'LONG',
    });
    expect(defaults.find((c) => c.name === 'cleanup.policy')).toMatchObject({
      value: 'delete',
      isDefault: true,
      source: 'DEFAULT_CONFIG',
    });
    expect(defaults.every((c) => c.documentation)).toBe(true);
  });

  it(
    kind === 'embedded'
      ? 'lists the segment files of every replica'
      : 'refuses files: they are embedded-only',
    async () => {
      if (kind === 'external') {
        await expect(svc.files(call, topic, null)).rejects.toMatchObject({
          code: 'EMBEDDED_ONLY',
        });
        return;
      }
      const all = await svc.files(call, topic, null);
      expect(all).toHaveLength(5 * 3);
      const one = await svc.files(call, topic, 1);
      expect(one.map((r) => r.brokerId)).toEqual([1, 2, 3]);
      for (const r of one) {
        expect(r.partition).toBe(1);
        expect(r.directory).toBe(`broker-${r.brokerId}/${topic}-1`);
        expect(r.files.some((f) => f.kind === 'log' && f.name.endsWith('.log'))).toBe(true);
        expect(r.files.some((f) => f.kind === 'index')).toBe(true);
        expect(r.files.every((f) => f.bytes >= 0 && f.modifiedAt > 0)).toBe(true);
      }
      await expect(svc.files(call, topic, 9)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    },
  );

  it('deletes a topic: the list drops it and its detail stream ends with NOT_FOUND', async () => {
    const name = `${topic}-gone`;
    await svc.create(call, { name, partitions: 1, replicationFactor: 1, configs: [] });
    const list = await subscribe(svc.onTopics);
    const detail = await subscribe(svc.onTopic, name);
    try {
      await list.next((rows) => rows.some((r) => r.name === name), 'the topic listed');
      await detail.next(() => true, 'the topic detail');
      await svc.delete(call, name);
      await list.next((rows) => !rows.some((r) => r.name === name), 'the topic gone from the list');
    } finally {
      list.close();
    }
    // The detail stream ended on its own.
    await until(() => detail.ended !== null, 'the detail stream to end', 30_000);
    expect(detail.ended?.error).toMatchObject({ code: 'NOT_FOUND' });
  }, 90_000);
});

describe('topics service: leader changes', () => {
  it('shows a new leader and the broker down after the leader is killed', async () => {
    const link = linkOf('embedded');
    const svc = topicsService(fixedLinks(link));
    await svc.create(call, { name: 'failover', partitions: 1, replicationFactor: 3, configs: [] });
    const probe = await subscribe<TopicDetail, [string]>(svc.onTopic, 'failover');
    try {
      const first = await probe.next((d) => d.partitions[0].leader > 0, 'a leader');
      const leader = first.partitions[0].leader;
      const n = probe.events.length;
      await engine.killBroker(leader);
      const moved = await probe.next(
        (d) => d.partitions[0].leader !== leader && d.partitions[0].leader > 0,
        'a new leader',
        n,
      );
      expect(moved.brokersDown).toEqual([leader]);
      expect(moved.partitions[0].isr).not.toContain(leader);
      expect(moved.partitions[0].offlineReplicas).toEqual([leader]);
      expect(moved.partitions[0].leaderEpoch).toBeGreaterThan(first.partitions[0].leaderEpoch);
      const list = await subscribe(svc.onTopics);
      const rows = await list.next((r) => r.some((t) => t.name === 'failover'), 'the list');
      list.close();
      expect(rows.find((t) => t.name === 'failover')).toMatchObject({
        underReplicatedPartitions: 1,
        offlinePartitions: 0,
      });
    } finally {
      probe.close();
    }
  }, 60_000);
});
