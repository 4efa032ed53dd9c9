// Interop: the GUI's host services for topics and consumer groups (src/headless/services/topics.ts,
// groups.ts) on a real Apache Kafka (single-node KRaft from the cached jars), through a
// Kafka-connected ClusterLink — the path the GUI takes for an external cluster. Skipped when
// EDDY_INTEROP_TARGETS leaves kafka out; without java / the Kafka jars it skips locally and fails
// under CI=true, like the other suites.
//
//  1. topics: validateCreate, create, the list with records and bytes, one topic live, configs with
//     sources and documentation, alterConfigs, addPartitions, purge, configDefaults, files refused
//     (embedded-only), Kafka's refusals as sentences, delete.
//  2. groups: an offsets-only group's lag in onGroups / onGroup, a kafkajs member taking it over
//     (assignment decoded, lag 0), reset refused while it is active, preview and reset after it
//     left, deleteOffsets, delete, and a missing group read as Dead.
import { Kafka, logLevel, type Consumer as KafkaJsConsumer } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { Producer } from '../../src/engine/client/index.js';
import { groupsService } from '../../src/headless/services/groups.js';
import { fixedLinks, type ClusterLink } from '../../src/headless/services/link.js';
import { topicsService } from '../../src/headless/services/topics.js';
import type {
  GroupDetail,
  GroupRow,
  StreamContext,
  TopicDetail,
  TopicRow,
} from '../../src/shared/contract/index.js';
import type { KafkaServer } from './harness/kafka.js';
import { killAllChildren } from './harness/proc.js';
import { targetEnabled } from './harness/targets.js';
import { startKafkaLink } from './harness/ui-link.js';

const WAIT_MS = 60_000;
const call = { signal: new AbortController().signal };

let kafka: KafkaServer | undefined;
let link: ClusterLink | undefined;
const stops: (() => void)[] = [];
const members: KafkaJsConsumer[] = [];

afterAll(async () => {
  for (const s of stops.splice(0)) s();
  for (const m of members.splice(0)) await m.disconnect().catch(() => undefined);
  await link?.close();
  await kafka?.dispose().catch(() => undefined);
  killAllChildren('SIGKILL');
}, 60_000);

/** Subscribes a service stream and waits for events by predicate. */
async function follow<E, A extends unknown[]>(
  stream: (ctx: StreamContext<E>, ...args: A) => unknown,
  ...args: A
): Promise<{
  events: E[];
  next(test: (e: E) => boolean, what: string): Promise<E>;
  ended: () => Error | undefined | null;
}> {
  const events: E[] = [];
  let ended: Error | undefined | null = null;
  const abort = new AbortController();
  const teardown = (await stream(
    { signal: abort.signal, emit: (e) => events.push(structuredClone(e)), end: (err) => (ended = err) },
    ...args,
  )) as (() => void) | void;
  stops.push(() => {
    abort.abort();
    teardown?.();
  });
  return {
    events,
    ended: () => ended,
    async next(test, what) {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const hit = events.find(test);
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(events.at(-1))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

describe('topics and groups services ↔ Apache Kafka', () => {
  it.runIf(targetEnabled('kafka'))(
    'create, describe, configs, grow, purge and delete a topic; watch, reset and delete a group',
    async (ctx) => {
      ({ kafka, link } = await startKafkaLink(ctx));
      const links = fixedLinks(link);
      const topics = topicsService(links);
      const groups = groupsService(links);
      const topic = 'ui-orders';

      // ---- topics
      const spec = {
        name: topic,
        partitions: 3,
        replicationFactor: 1,
        configs: [{ name: 'retention.ms', value: '7200000' }],
      };
      await topics.validateCreate(call, spec);
      expect(await link.admin().listTopics()).not.toContain(topic);
      await expect(topics.validateCreate(call, { ...spec, replicationFactor: 3 })).rejects.toMatchObject({
        code: 'KAFKA_ERROR',
        detail: 'INVALID_REPLICATION_FACTOR',
        message: 'Replication factor 3 is larger than the 1 broker available.',
      });
      const badConfig = topics.validateCreate(call, {
        ...spec,
        configs: [{ name: 'retention.ms', value: 'soon' }],
      });
      await expect(badConfig).rejects.toMatchObject({ code: 'KAFKA_ERROR', detail: 'INVALID_CONFIG' });
      await expect(badConfig).rejects.toThrow(/^A config value was refused: .*soon/);
      await topics.create(call, spec);
      await expect(topics.create(call, spec)).rejects.toMatchObject({
        detail: 'TOPIC_ALREADY_EXISTS',
        message: `A topic named '${topic}' already exists.`,
      });

      const producer = new Producer({ bootstrap: kafka.bootstrap }, { acks: -1 });
      for (const [p, n] of [5, 7, 0].entries()) {
        for (let i = 0; i < n; i++)
          await producer.send({
            topic,
            partition: p,
            key: `k${i}`,
            value: `value ${i}`,
            timestamp: 1_000_000 + i * 1000,
          });
      }
      await producer.close();

      const list = await follow<TopicRow[], []>(topics.onTopics);
      const listed = await list.next(
        (rows) => rows.some((r) => r.name === topic && r.records === 12 && (r.sizeBytes ?? 0) > 0),
        'the topic with 12 records',
      );
      expect(listed.find((r) => r.name === topic)).toMatchObject({
        partitions: 3,
        replicationFactor: 1,
        internal: false,
        underReplicatedPartitions: 0,
        offlinePartitions: 0,
      });

      const detail = await follow<TopicDetail, [string]>(topics.onTopic, topic);
      const d = await detail.next(
        (x) => x.partitions.every((p) => p.highWatermark !== null),
        'the topic detail',
      );
      expect(d.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(d.brokerIds).toEqual([1]);
      expect(d.brokersDown).toEqual([]);
      expect(
        d.partitions.map((p) => [
          p.partition,
          p.leader,
          p.replicas,
          p.isr,
          p.logStartOffset,
          p.highWatermark,
        ]),
      ).toEqual([
        [0, 1, [1], [1], 0, 5],
        [1, 1, [1], [1], 0, 7],
        [2, 1, [1], [1], 0, 0],
      ]);
      expect(d.partitions[0].sizeBytes).toBeGreaterThan(0);

      const configs = await topics.configs(call, topic);
      expect(configs.find((c) => c.name === 'retention.ms')).toMatchObject({
        value: '7200000',
        source: 'DYNAMIC_TOPIC_CONFIG',
        isDefault: false,
        type: 'LONG',
      });
      expect(configs.find((c) => c.name === 'retention.ms')?.documentation).toBeTruthy();
      expect(configs.find((c) => c.name === 'cleanup.policy')).toMatchObject({
        value: 'delete',
        isDefault: true,
        type: 'LIST',
      });
      await topics.alterConfigs(
        call,
        topic,
        [{ name: 'max.message.bytes', value: '2000000' }],
        ['retention.ms'],
      );
      const altered = await topics.configs(call, topic);
      expect(altered.find((c) => c.name === 'max.message.bytes')).toMatchObject({
        value: '2000000',
        source: 'DYNAMIC_TOPIC_CONFIG',
      });
      expect(altered.find((c) => c.name === 'retention.ms')?.source).not.toBe('DYNAMIC_TOPIC_CONFIG');
      await expect(
        topics.alterConfigs(call, topic, [{ name: 'retention.ms', value: 'never' }], []),
      ).rejects.toMatchObject({ detail: 'INVALID_CONFIG' });
      await expect(topics.configs(call, 'no-such-topic')).rejects.toMatchObject({ code: 'NOT_FOUND' });

      const defaults = await topics.configDefaults(call);
      expect(defaults.find((c) => c.name === 'retention.ms')?.value).toBeTruthy();
      expect(defaults.find((c) => c.name === 'cleanup.policy')?.value).toBe('delete');
      await expect(topics.files(call, topic, null)).rejects.toMatchObject({ code: 'EMBEDDED_ONLY' });

      await topics.addPartitions(call, topic, 4);
      await detail.next((x) => x.partitions.length === 4, 'four partitions');
      await expect(topics.addPartitions(call, topic, 2)).rejects.toMatchObject({
        detail: 'INVALID_PARTITIONS',
      });
      await topics.purge(call, topic, null);
      await detail.next(
        (x) => x.partitions.every((p) => p.logStartOffset === p.highWatermark && p.highWatermark !== null),
        'every partition purged',
      );
      await list.next(
        (rows) => rows.some((r) => r.name === topic && r.records === 0 && r.partitions === 4),
        'no records left',
      );

      // ---- groups (on a second topic with records)
      const gTopic = 'ui-payments';
      await topics.create(call, { name: gTopic, partitions: 3, replicationFactor: 1, configs: [] });
      const p2 = new Producer({ bootstrap: kafka.bootstrap }, { acks: -1 });
      for (const [p, n] of [10, 20, 30].entries()) {
        for (let i = 0; i < n; i++)
          await p2.send({ topic: gTopic, partition: p, value: `v${i}`, timestamp: 1_000_000 + i * 1000 });
      }
      await p2.close();
      const group = 'ui-billing';
      const committed = await link.groupAdmin().alterOffsets(
        group,
        [0, 1, 2].map((partition) => ({ topic: gTopic, partition, offset: 0 })),
      );
      expect(committed.every((r) => r.error === null)).toBe(true);
      const glist = await follow<GroupRow[], []>(groups.onGroups);
      const row = await glist.next(
        (rows) => rows.some((g) => g.groupId === group && g.totalLag === 60),
        'the group with lag 60',
      );
      expect(row.find((g) => g.groupId === group)).toMatchObject({
        state: 'Empty',
        members: 0,
        topics: [gTopic],
        coordinator: 1,
      });
      const gdetail = await follow<GroupDetail, [string]>(groups.onGroup, group);
      await gdetail.next((g) => g.totalLag === 60 && g.partitions.length === 3, 'the group detail');

      const client = new Kafka({
        clientId: 'ui-member',
        brokers: [kafka.bootstrap],
        logLevel: logLevel.NOTHING,
      });
      const member = client.consumer({ groupId: group, heartbeatInterval: 500 });
      members.push(member);
      await member.connect();
      await member.subscribe({ topic: gTopic, fromBeginning: true });
      await member.run({ eachMessage: async () => undefined });
      const active = await gdetail.next(
        (g) => g.state === 'Stable' && g.members.length === 1 && g.totalLag === 0,
        'a stable member with lag 0',
      );
      expect(active.members[0]).toMatchObject({
        clientId: 'ui-member',
        assignment: [{ topic: gTopic, partitions: [0, 1, 2] }],
      });
      expect(active.partitions.every((p) => p.memberId === active.members[0].memberId)).toBe(true);
      await expect(groups.reset(call, group, { topics: [], to: { kind: 'earliest' } })).rejects.toMatchObject(
        {
          code: 'KAFKA_ERROR',
          detail: 'NON_EMPTY_GROUP',
          message: `Group '${group}' has 1 active member; stop it before resetting offsets.`,
        },
      );
      await expect(groups.delete(call, group)).rejects.toMatchObject({ detail: 'NON_EMPTY_GROUP' });
      await members.pop()!.disconnect();
      await gdetail.next(
        (g) => g.state === 'Empty' && g.members.length === 0 && g.totalLag === 0,
        'the group empty',
      );

      const preview = await groups.previewReset(call, group, {
        topics: [gTopic],
        to: { kind: 'offset', offset: 25 },
      });
      expect(
        preview.map((r) => [r.partition, r.current, r.target, r.logStartOffset, r.logEndOffset]),
      ).toEqual([
        [0, 10, 10, 0, 10],
        [1, 20, 20, 0, 20],
        [2, 30, 25, 0, 30],
      ]);
      const reset = await groups.reset(call, group, {
        topics: [],
        to: { kind: 'timestamp', timestamp: 1_007_000 },
      });
      expect(reset.map((r) => r.target)).toEqual([7, 7, 7]);
      await gdetail.next((g) => g.totalLag === 3 + 13 + 23, 'the lag after the reset');
      await groups.deleteOffsets(call, group, gTopic, [0]);
      expect((await link.groupAdmin().fetchOffsets(group)).map((o) => o.partition)).toEqual([1, 2]);
      await groups.delete(call, group);
      await gdetail.next((g) => g.state === 'Dead', 'the group gone');
      const never = await follow<GroupDetail, [string]>(groups.onGroup, 'never-there');
      expect(await never.next(() => true, 'the missing group')).toMatchObject({
        state: 'Dead',
        members: [],
        partitions: [],
      });

      // ---- delete the topic: the list drops it, its detail stream ends with NOT_FOUND
      await topics.delete(call, topic);
      await list.next((rows) => !rows.some((r) => r.name === topic), 'the topic gone');
      const deadline = Date.now() + WAIT_MS;
      while (detail.ended() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(detail.ended()).toMatchObject({ code: 'NOT_FOUND' });
    },
    240_000,
  );
});
