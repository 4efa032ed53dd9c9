// The 'groups' host service against a real 3-broker engine (in-process, ports 0), reached both as the
// embedded cluster and as an external cluster (a plain bootstrap link to the same brokers). Records
// are produced with Eddy's Producer; the active group member is a real client (kafkajs, a classic
// consumer-protocol member that commits after each batch).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer as KafkaJsConsumer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Admin, Producer } from '../../../src/engine/client/index.js';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { LagHistory } from '../../../src/headless/services/group-lag-history.js';
import { groupsService } from '../../../src/headless/services/groups.js';
import {
  clusterLink,
  embeddedLink,
  fixedLinks,
  type ClusterLink,
} from '../../../src/headless/services/link.js';
import type { GroupDetail, GroupRow, LagSample } from '../../../src/shared/contract/index.js';
import { until } from '../../helpers/until.js';
import { subscribe, type StreamProbe } from './stream-probe.js';

const TOPIC = 'payments';
/** Records per partition; timestamps 1 s apart from T0. */
const COUNTS = [10, 20, 30];
const TOTAL = 60;
const T0 = 1_000_000;

let engine: Engine;
let dataDir: string;
const links: ClusterLink[] = [];
const consumers: KafkaJsConsumer[] = [];
const probes: StreamProbe<unknown>[] = [];
const call = { signal: new AbortController().signal };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eddy-groups-service-'));
  engine = await startEngine({
    dataDir,
    brokers: 3,
    host: '127.0.0.1',
    basePort: 0,
    overrides: { 'offsets.topic.num.partitions': '3' },
  });
  const admin = new Admin({ bootstrap: engine.bootstrap });
  const [created] = await admin.createTopics([{ name: TOPIC, numPartitions: 3, replicationFactor: 3 }]);
  expect(created.error).toBeNull();
  await admin.close();
  const producer = new Producer({ bootstrap: engine.bootstrap }, { acks: -1 });
  for (let p = 0; p < 3; p++) {
    for (let i = 0; i < COUNTS[p]; i++) {
      await producer.send({
        topic: TOPIC,
        partition: p,
        key: `k${i}`,
        value: `v${i}`,
        timestamp: T0 + i * 1000,
      });
    }
  }
  await producer.close();
}, 60_000);

afterEach(async () => {
  for (const p of probes.splice(0)) p.close();
  for (const c of consumers.splice(0)) await c.disconnect().catch(() => undefined);
});

afterAll(async () => {
  for (const l of links.splice(0)) await l.close();
  await engine?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function startMember(groupId: string, seen: Set<string>): Promise<KafkaJsConsumer> {
  const kafka = new Kafka({
    clientId: `member-of-${groupId}`,
    brokers: engine.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 500 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      seen.add(`${partition}:${message.offset}`);
    },
  });
  return consumer;
}

async function watch<E, A extends unknown[]>(
  stream: (ctx: import('../../../src/shared/contract/index.js').StreamContext<E>, ...args: A) => unknown,
  ...args: A
): Promise<StreamProbe<E>> {
  const p = await subscribe(stream as never, ...(args as unknown as never[]));
  probes.push(p as StreamProbe<unknown>);
  return p as unknown as StreamProbe<E>;
}

describe.each(['embedded', 'external'] as const)('groups service over the %s link', (kind) => {
  const group = `billing-${kind}`;
  let svc: ReturnType<typeof groupsService>;
  let link: ClusterLink;
  beforeAll(() => {
    link = kind === 'embedded' ? embeddedLink(engine) : clusterLink('ext', { bootstrap: engine.bootstrap });
    links.push(link);
    svc = groupsService(fixedLinks(link));
  });

  it('follows a group from committed offsets to an active member whose lag falls to 0', async () => {
    // An offsets-only group at offset 0 everywhere: lag is every record.
    const committed = await link.groupAdmin().alterOffsets(
      group,
      [0, 1, 2].map((partition) => ({ topic: TOPIC, partition, offset: 0 })),
    );
    expect(committed.every((r) => r.error === null)).toBe(true);

    const list = await watch<GroupRow[], []>(svc.onGroups);
    const row = (rows: GroupRow[]) => rows.find((g) => g.groupId === group);
    const listed = await list.next((rows) => row(rows)?.totalLag === TOTAL, 'the group with lag 60');
    expect(row(listed)).toMatchObject({ state: 'Empty', protocolType: '', members: 0, topics: [TOPIC] });
    expect(row(listed)!.coordinator).toBeGreaterThan(0);

    const lag = await watch<LagSample[], [string]>(svc.onLag, group);
    expect(lag.events[0]).toEqual([]); // nothing recorded before the first watch
    await lag.next((s) => s.length === 1 && s[0].totalLag === TOTAL, 'a lag sample of 60');

    const detail = await watch<GroupDetail, [string]>(svc.onGroup, group);
    const empty = await detail.next((d) => d.totalLag === TOTAL, 'the group detail');
    expect(empty).toMatchObject({ state: 'Empty', members: [] });
    expect(empty.partitions).toEqual(
      COUNTS.map((end, partition) => ({
        topic: TOPIC,
        partition,
        committedOffset: 0,
        endOffset: end,
        lag: end,
        memberId: null,
        clientId: null,
      })),
    );

    const seen = new Set<string>();
    await startMember(group, seen);
    const active = await detail.next(
      (d) => d.state === 'Stable' && d.members.length === 1 && d.totalLag === 0,
      'a stable member with lag 0',
    );
    expect(seen.size).toBe(TOTAL);
    const [member] = active.members;
    expect(member.clientId).toBe(`member-of-${group}`);
    expect(member.assignment).toEqual([{ topic: TOPIC, partitions: [0, 1, 2] }]);
    expect(active.protocolType).toBe('consumer');
    expect(active.protocol).not.toBe('');
    expect(
      active.partitions.map((p) => [
        p.partition,
        p.committedOffset,
        p.endOffset,
        p.lag,
        p.memberId,
        p.clientId,
      ]),
    ).toEqual(COUNTS.map((end, p) => [p, end, end, 0, member.memberId, member.clientId]));
    await list.next(
      (rows) => row(rows)?.totalLag === 0 && row(rows)?.members === 1,
      'the list with lag 0 and one member',
    );
    await lag.next((s) => s.length === 1 && s[0].totalLag === 0, 'a lag sample of 0');

    // Kafka's rules while a member is active, as sentences.
    const spec = { topics: [], to: { kind: 'earliest' as const } };
    await expect(svc.reset(call, group, spec)).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'NON_EMPTY_GROUP',
      message: `Group '${group}' has 1 active member; stop it before resetting offsets.`,
    });
    await expect(svc.previewReset(call, group, spec)).rejects.toMatchObject({ detail: 'NON_EMPTY_GROUP' });
    await expect(svc.delete(call, group)).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'NON_EMPTY_GROUP',
      message: `Group '${group}' has 1 active member; stop it before deleting the group.`,
    });
    await expect(svc.deleteOffsets(call, group, TOPIC, [0])).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'GROUP_SUBSCRIBED_TO_TOPIC',
      message: `Group '${group}' still consumes '${TOPIC}'; stop its members before deleting those offsets.`,
    });

    await consumers.pop()!.disconnect();
    await detail.next((d) => d.state === 'Empty' && d.members.length === 0, 'the group empty again');
    // The history holds every sample since the first watch; a new watcher gets all of it at once.
    const again = await watch<LagSample[], [string]>(svc.onLag, group);
    expect(again.events[0].length).toBeGreaterThanOrEqual(2);
    expect(again.events[0][0].totalLag).toBe(TOTAL);
    expect(again.events[0].at(-1)!.totalLag).toBe(0);
  }, 90_000);

  it('previews and applies resets: earliest, shift, offset (clamped), timestamp, latest', async () => {
    const committed = async () =>
      (await link.groupAdmin().fetchOffsets(group)).filter((o) => o.topic === TOPIC).map((o) => o.offset);
    const before = await committed();
    expect(before).toEqual(COUNTS);
    const bounds = COUNTS.map((end) => ({ logStartOffset: 0, logEndOffset: end }));

    const preview = await svc.previewReset(call, group, { topics: [], to: { kind: 'earliest' } });
    expect(preview).toEqual(
      COUNTS.map((end, partition) => ({
        topic: TOPIC,
        partition,
        current: end,
        target: 0,
        ...bounds[partition],
      })),
    );
    expect(await committed()).toEqual(COUNTS);

    const shifted = await svc.reset(call, group, { topics: [TOPIC], to: { kind: 'shift', by: -15 } });
    expect(shifted.map((r) => r.target)).toEqual([0, 5, 15]);
    expect(await committed()).toEqual([0, 5, 15]);

    const toOffset = await svc.reset(call, group, { topics: [TOPIC], to: { kind: 'offset', offset: 25 } });
    expect(toOffset.map((r) => [r.current, r.target])).toEqual([
      [0, 10],
      [5, 20],
      [15, 25],
    ]);

    const byTime = await svc.reset(call, group, {
      topics: [TOPIC],
      to: { kind: 'timestamp', timestamp: T0 + 7_000 },
    });
    expect(byTime.map((r) => r.target)).toEqual([7, 7, 7]);

    const latest = await svc.reset(call, group, { topics: [], to: { kind: 'latest' } });
    expect(latest.map((r) => r.target)).toEqual(COUNTS);
    expect(await committed()).toEqual(COUNTS);

    await expect(
      svc.reset(call, group, { topics: ['no-such-topic'], to: { kind: 'latest' } }),
    ).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  });

  it('deletes offsets, then the group; a missing group reads as Dead', async () => {
    await svc.deleteOffsets(call, group, TOPIC, [0]);
    expect((await link.groupAdmin().fetchOffsets(group)).map((o) => o.partition)).toEqual([1, 2]);
    await svc.deleteOffsets(call, group, TOPIC, null);
    expect(await link.groupAdmin().fetchOffsets(group)).toEqual([]);
    await expect(svc.deleteOffsets(call, group, TOPIC, null)).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      message: `Group '${group}' has no committed offsets for '${TOPIC}'.`,
    });

    const detail = await watch<GroupDetail, [string]>(svc.onGroup, group);
    await detail.next((d) => d.state === 'Empty', 'the empty group');
    await svc.delete(call, group);
    const dead = await detail.next((d) => d.state === 'Dead', 'the group gone');
    expect(dead).toMatchObject({ members: [], partitions: [], totalLag: null });
    await expect(svc.delete(call, group)).rejects.toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'GROUP_ID_NOT_FOUND',
      message: `There is no group '${group}' (any more).`,
    });

    const never = await watch<GroupDetail, [string]>(svc.onGroup, `never-${kind}`);
    const first = await never.next(() => true, 'the missing group');
    expect(first).toMatchObject({
      groupId: `never-${kind}`,
      state: 'Dead',
      members: [],
      partitions: [],
      totalLag: null,
    });
    const list = await watch<GroupRow[], []>(svc.onGroups);
    const rows = await list.next(() => true, 'the list');
    expect(rows.some((g) => g.groupId === group)).toBe(false);
  });
});

describe('lag history', () => {
  it('keeps the last N samples per group, also after its watchers left', async () => {
    const link = embeddedLink(engine);
    links.push(link);
    const group = 'lag-ring';
    await link.groupAdmin().alterOffsets(group, [{ topic: TOPIC, partition: 2, offset: 10 }]);
    const history = new LagHistory(fixedLinks(link), 20, 3);
    const heard: LagSample[] = [];
    const first = history.watch(group, (s) => heard.push(s));
    expect(first.history).toEqual([]);
    await until(() => heard.length >= 5, 'five samples');
    first.stop();
    expect(heard.every((s) => s.totalLag === 20)).toBe(true);
    const second = history.watch(group, () => undefined);
    second.stop();
    expect(second.history).toHaveLength(3);
    expect(second.history.map((s) => s.at)).toEqual(heard.slice(-3).map((s) => s.at));
  });
});
