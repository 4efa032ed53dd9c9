// Interop: Eddy's own client (src/engine/client) and the `eddy` CLI against real Apache Kafka and
// against Eddy (EDDY_INTEROP_TARGETS selects). Three parts per target:
//   1. the shared scenario (all five codecs, keyed records, binary headers, restart);
//   2. the admin / producer / consumer API, call by call;
//   3. the CLI as child processes: topics create/describe/list/delete, produce from stdin, consume.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Admin,
  Cluster,
  Consumer,
  KafkaClientError,
  Producer,
  type ConsumerRecord,
  type TopicPartition,
} from '../../src/engine/client/index.js';
import { killAllChildren, runProcess, spawnTracked, type RunResult } from './harness/proc.js';
import type { ConsumedRecord, Plan } from './harness/scenario.js';
import {
  interopScenario,
  type ClientDriver,
  type DriverContext,
  type ProduceResult,
} from './harness/suite.js';
import {
  TARGETS,
  startTarget,
  targetEnabled,
  targetTools,
  type Target,
  type TargetKind,
} from './harness/targets.js';
import { REPO_ROOT, detectTool, isCI, requireTool } from './harness/tools.js';

const CONSUME_TIMEOUT_MS = 90_000;
/** The CLI under test: bin/eddy.js (built by `npm test` / `npm run test:interop`), or EDDY_CLI. */
const EDDY_CLI = process.env.EDDY_CLI ?? join(REPO_ROOT, 'bin', 'eddy.js');

/** Reads every partition from its beginning up to the end offset it had when reading started. */
async function readAll(
  bootstrap: string,
  topic: string,
  partitions: number,
  isolationLevel?: 'read_committed',
): Promise<ConsumerRecord[]> {
  const cluster = new Cluster({ bootstrap, clientId: 'eddy-interop-read' });
  const admin = new Admin(cluster);
  const consumer = new Consumer(cluster, { maxWaitMs: 200, isolationLevel });
  try {
    const tps: TopicPartition[] = Array.from({ length: partitions }, (_, partition) => ({
      topic,
      partition,
    }));
    const ends = await admin.listOffsets(tps.map((tp) => ({ ...tp, spec: 'latest' as const })));
    const end = new Map(ends.map((e) => [e.partition, e.offset]));
    const next = new Map<number, number>();
    const done = () => tps.every((tp) => (next.get(tp.partition) ?? 0) >= (end.get(tp.partition) ?? 0));
    const out: ConsumerRecord[] = [];
    if (done()) return out;
    consumer.assign(tps, 'beginning');
    const timer = setTimeout(() => void consumer.close(), CONSUME_TIMEOUT_MS);
    try {
      for await (const r of consumer) {
        out.push(r);
        next.set(r.partition, r.offset + 1);
        if (done()) break;
      }
    } finally {
      clearTimeout(timer);
    }
    if (!done())
      throw new Error(
        `reading ${topic} timed out: next ${JSON.stringify([...next])}, end ${JSON.stringify([...end])}`,
      );
    return out;
  } finally {
    await consumer.close();
    await cluster.close();
  }
}

const eddyClientDriver: ClientDriver = {
  name: 'eddy-client',
  tools: [],
  codecs: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
  headerProfile: 'binary',

  async createTopic(ctx: DriverContext, topic: string, partitions: number) {
    const admin = new Admin({ bootstrap: ctx.bootstrap });
    try {
      const [r] = await admin.createTopics([
        { name: topic, numPartitions: partitions, replicationFactor: 1 },
      ]);
      if (r.error) throw r.error;
    } finally {
      await admin.close();
    }
  },

  async produce(ctx: DriverContext, topic: string, plan: Plan): Promise<ProduceResult> {
    const cluster = new Cluster({ bootstrap: ctx.bootstrap, clientId: 'eddy-interop-produce' });
    let produced = 0;
    try {
      for (const chunk of plan.chunks) {
        const producer = new Producer(cluster, { acks: -1, compression: chunk.codec, lingerMs: 5 });
        const acks = await Promise.all(
          chunk.records.map((r) =>
            producer.send({
              topic,
              key: r.key,
              value: r.value,
              headers: r.headers.map(([key, value]) => ({ key, value })),
            }),
          ),
        );
        await producer.close();
        produced += acks.filter((a) => a.offset >= 0).length;
      }
    } finally {
      await cluster.close();
    }
    return {
      produced,
      notes: [`eddy-client: ${plan.chunks.map((c) => `${c.codec} ${c.records.length}`).join(', ')}`],
    };
  },

  async consume(ctx: DriverContext, topic: string, partitions: number): Promise<ConsumedRecord[]> {
    const records = await readAll(ctx.bootstrap, topic, partitions);
    return records.map((r) => ({
      partition: r.partition,
      offset: r.offset,
      key: r.key,
      value: r.value,
      headers: r.headers.map((h) => [h.key, h.value ?? Buffer.alloc(0)] as [string, Buffer]),
      timestamp: r.timestamp,
      timestampType: r.timestampType === 'log-append-time' ? 'LogAppendTime' : 'CreateTime',
    }));
  },
};

describe.each(TARGETS)('eddy-client ↔ %s', (kind) => {
  interopScenario(kind, eddyClientDriver);
});

/** Starts one target for a describe block; tests skip (locally) when the target's tools are missing. */
function useTarget(kind: TargetKind): { target: () => Target; ready: () => boolean } {
  let target: Target | undefined;
  beforeAll(async () => {
    if (!targetEnabled(kind)) return;
    const needed = targetTools(kind);
    if (needed.some((t) => !detectTool(t).available)) {
      if (isCI) for (const t of needed) requireTool(t);
      return;
    }
    target = await startTarget(kind);
  });
  afterAll(async () => {
    try {
      await target?.dispose();
    } finally {
      killAllChildren('SIGKILL');
    }
  });
  return { target: () => target!, ready: () => target !== undefined };
}

function uniqueTopic(label: string): string {
  return `eddy-client.${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

describe.each(TARGETS)('eddy client API ↔ %s', (kind) => {
  const t = useTarget(kind);
  let cluster: Cluster;
  let admin: Admin;

  beforeAll(async () => {
    if (!t.ready()) return;
    cluster = new Cluster({ bootstrap: t.target().bootstrap, clientId: 'eddy-interop-api' });
    admin = new Admin(cluster);
  });
  afterAll(async () => {
    await cluster?.close();
  });

  const test = (name: string, fn: () => Promise<void>) =>
    it(`${kind}: ${name}`, async (ctx) => {
      if (!targetEnabled(kind)) ctx.skip();
      for (const tool of targetTools(kind)) requireTool(tool, undefined, ctx);
      await fn();
    });

  test('describeCluster names the cluster and its brokers', async () => {
    const d = await admin.describeCluster();
    expect(d.clusterId).toBeTruthy();
    expect(d.brokers.length).toBeGreaterThanOrEqual(1);
    const [host, port] = t.target().bootstrap.split(':');
    expect(d.brokers.some((b) => b.host === host && b.port === Number(port))).toBe(true);
  });

  test('createTopics: validateOnly, configs, already exists, invalid partitions', async () => {
    const name = uniqueTopic('create');
    const [dry] = await admin.createTopics([{ name, numPartitions: 2, replicationFactor: 1 }], {
      validateOnly: true,
    });
    expect(dry.error).toBeNull();
    expect(await admin.listTopics()).not.toContain(name);

    const [created] = await admin.createTopics([
      { name, numPartitions: 3, replicationFactor: 1, configs: { 'retention.ms': '123456789' } },
    ]);
    expect(created.error).toBeNull();
    expect(created.numPartitions).toBe(3);
    // Kafka's brokers learn of a new topic asynchronously (KRaft metadata propagation): wait, bounded.
    const deadline = Date.now() + 15_000;
    while (!(await admin.listTopics()).includes(name) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await admin.listTopics()).toContain(name);

    const [again] = await admin.createTopics([{ name, numPartitions: 3, replicationFactor: 1 }]);
    expect(again.error).toBeInstanceOf(KafkaClientError);
    expect(again.error).toMatchObject({ code: 36, type: 'TOPIC_ALREADY_EXISTS', retriable: false });

    const [bad] = await admin.createTopics([
      { name: uniqueTopic('bad'), numPartitions: 0, replicationFactor: 1 },
    ]);
    expect(bad.error?.code).toBe(37); // INVALID_PARTITIONS

    const [desc] = await admin.describeTopics([name]);
    expect(desc.error).toBeNull();
    expect(desc.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of desc.partitions) {
      expect(p.leader).toBeGreaterThanOrEqual(0);
      expect(p.replicas).toEqual([p.leader]);
      expect(p.isr).toEqual([p.leader]);
    }

    const [configs] = await admin.describeConfigs([{ type: 'topic', name }]);
    expect(configs.error).toBeNull();
    const retention = configs.configs.find((c) => c.name === 'retention.ms');
    expect(retention).toMatchObject({ value: '123456789', source: 'dynamic-topic', isDefault: false });
    expect(configs.configs.find((c) => c.name === 'cleanup.policy')?.value).toBe('delete');

    const [missing] = await admin.describeTopics([uniqueTopic('missing')]);
    expect(missing.error?.code).toBe(3);
  });

  test('producer: acks 0/1/all, idempotence, null key and value, headers, explicit partition and timestamp', async () => {
    const name = uniqueTopic('produce');
    const [created] = await admin.createTopics([{ name, numPartitions: 2, replicationFactor: 1 }]);
    expect(created.error).toBeNull();
    const sent: { acks: 0 | 1 | -1; idempotent?: boolean; value: string }[] = [
      { acks: 1, value: 'acks-1' },
      { acks: -1, value: 'acks-all' },
      { acks: -1, idempotent: true, value: 'idempotent' },
      { acks: 0, value: 'acks-0' },
    ];
    const ts = Date.now() - 60_000;
    for (const s of sent) {
      const producer = new Producer(cluster, { acks: s.acks, idempotent: s.idempotent, compression: 'lz4' });
      const meta = await producer.send({
        topic: name,
        partition: 1,
        key: `k-${s.value}`,
        value: s.value,
        headers: { h: s.value, empty: null },
        timestamp: ts,
      });
      expect(meta.partition).toBe(1);
      if (s.acks === 0) expect(meta.offset).toBe(-1);
      else expect(meta.offset).toBeGreaterThanOrEqual(0);
      await producer.close();
    }
    const tombstone = new Producer(cluster, { lingerMs: 0 });
    await tombstone.send({ topic: name, partition: 0, key: null, value: null });
    await tombstone.close();

    const got = await readAll(t.target().bootstrap, name, 2);
    const p1 = got.filter((r) => r.partition === 1);
    expect(p1.map((r) => r.value?.toString())).toEqual(sent.map((s) => s.value));
    expect(p1.map((r) => r.offset)).toEqual([0, 1, 2, 3]);
    expect(p1[0]).toMatchObject({ timestamp: ts, timestampType: 'create-time' });
    expect(p1[2].key?.toString()).toBe('k-idempotent');
    expect(p1[2].headers).toEqual([
      { key: 'h', value: Buffer.from('idempotent') },
      { key: 'empty', value: null },
    ]);
    const p0 = got.filter((r) => r.partition === 0);
    expect(p0).toHaveLength(1);
    expect(p0[0]).toMatchObject({ key: null, value: null, offset: 0 });
  });

  test('listOffsets: earliest, latest, by timestamp, max timestamp', async () => {
    const name = uniqueTopic('offsets');
    await admin.createTopics([{ name, numPartitions: 1, replicationFactor: 1 }]);
    const base = Date.now() - 10 * 60_000;
    const producer = new Producer(cluster, { lingerMs: 0 });
    // Timestamps 0, +1000, +5000 (the max), +2000: max-timestamp must find offset 2.
    for (const [i, delta] of [0, 1000, 5000, 2000].entries()) {
      await producer.send({ topic: name, partition: 0, value: `r${i}`, timestamp: base + delta });
    }
    await producer.close();
    const tp = { topic: name, partition: 0 };
    const [earliest, latest, at, after, max] = await admin.listOffsets([
      { ...tp, spec: 'earliest' },
      { ...tp, spec: 'latest' },
      { ...tp, spec: { timestamp: base + 1000 } },
      { ...tp, spec: { timestamp: base + 60_000 } },
      { ...tp, spec: 'max-timestamp' },
    ]);
    expect(earliest.offset).toBe(0);
    expect(latest.offset).toBe(4);
    expect(at).toMatchObject({ offset: 1, timestamp: base + 1000 });
    expect(after.offset).toBe(-1);
    expect(max).toMatchObject({ offset: 2, timestamp: base + 5000 });
  });

  test('consumer: seek by offset, timestamp and end; OFFSET_OUT_OF_RANGE surfaces', async () => {
    const name = uniqueTopic('consume');
    await admin.createTopics([{ name, numPartitions: 1, replicationFactor: 1 }]);
    const base = Date.now() - 5 * 60_000;
    const producer = new Producer(cluster, { lingerMs: 0 });
    for (let i = 0; i < 10; i++)
      await producer.send({ topic: name, partition: 0, value: `v${i}`, timestamp: base + i * 1000 });
    const tp = { topic: name, partition: 0 };

    const first = async (consumer: Consumer, n: number): Promise<ConsumerRecord[]> => {
      const out: ConsumerRecord[] = [];
      for await (const r of consumer) {
        out.push(r);
        if (out.length === n) break;
      }
      return out;
    };

    const byOffset = new Consumer(cluster, { maxWaitMs: 100 });
    byOffset.assign([tp], 7);
    expect((await first(byOffset, 3)).map((r) => r.offset)).toEqual([7, 8, 9]);
    byOffset.seek(tp, { timestamp: base + 4500 });
    expect((await first(byOffset, 1))[0].offset).toBe(5);
    byOffset.seek(tp, 'beginning');
    expect((await first(byOffset, 1))[0].value?.toString()).toBe('v0');
    await byOffset.close();

    const atEnd = new Consumer(cluster, { maxWaitMs: 100 });
    atEnd.assign([tp], 'end');
    const next = first(atEnd, 1);
    // The 'end' position is resolved on the first fetch; keep producing until the consumer sees one.
    let stop = false;
    const feeder = (async () => {
      for (let i = 0; !stop && i < 100; i++) {
        await producer.send({ topic: name, partition: 0, value: `late-${i}` });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const [late] = await next;
    stop = true;
    await feeder;
    expect(late.value?.toString()).toMatch(/^late-\d+$/);
    expect(late.offset).toBeGreaterThanOrEqual(10);
    await atEnd.close();
    await producer.close();

    const beyond = new Consumer(cluster, { maxWaitMs: 100 });
    beyond.assign([tp], 1_000_000);
    await expect(beyond.records().next()).rejects.toMatchObject({
      code: 1,
      type: 'OFFSET_OUT_OF_RANGE',
      topic: name,
      partition: 0,
    });
    await beyond.close();
  });

  test('deleteTopics removes the topic; a second delete reports UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const name = uniqueTopic('delete');
    await admin.createTopics([{ name, numPartitions: 1, replicationFactor: 1 }]);
    const [deleted] = await admin.deleteTopics([name]);
    expect(deleted.error).toBeNull();
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      gone = !(await admin.listTopics()).includes(name);
      if (!gone) await new Promise((r) => setTimeout(r, 200));
    }
    expect(gone).toBe(true);
    const [again] = await admin.deleteTopics([name]);
    expect(again.error?.code).toBe(3);
  });
});

describe.each(TARGETS)('eddy CLI ↔ %s', (kind) => {
  const t = useTarget(kind);

  const eddy = (args: string[], input?: string, timeoutMs = 60_000): Promise<RunResult> =>
    runProcess(process.execPath, [EDDY_CLI, ...args, '--bootstrap-server', t.target().bootstrap], {
      input,
      timeoutMs,
      cwd: REPO_ROOT,
    });
  const show = (r: RunResult) =>
    `exit ${r.code}\nstderr: ${r.stderr}\nstdout: ${r.stdout.toString('utf8').slice(0, 2000)}`;

  const test = (name: string, fn: () => Promise<void>) =>
    it(`${kind}: ${name}`, async (ctx) => {
      if (!targetEnabled(kind)) ctx.skip();
      for (const tool of targetTools(kind)) requireTool(tool, undefined, ctx);
      if (!existsSync(join(REPO_ROOT, 'out', 'cli', 'eddy.mjs')) && !process.env.EDDY_CLI) {
        throw new Error(
          'out/cli/eddy.mjs is missing: run `npm run build` (npm test and npm run test:interop do it first)',
        );
      }
      await fn();
    });

  test('topics create / describe / list / delete, produce from stdin, consume --from-beginning', async () => {
    const topic = uniqueTopic('cli');
    const create = await eddy([
      'topics',
      'create',
      topic,
      '--partitions',
      '2',
      '--replication-factor',
      '1',
      '--config',
      'retention.ms=86400000',
    ]);
    expect(create.code, show(create)).toBe(0);
    expect(create.stdout.toString()).toBe(`Created topic ${topic}.\n`);

    const again = await eddy(['topics', 'create', topic, '--partitions', '2']);
    expect(again.code, show(again)).toBe(1);
    expect(again.stderr).toContain(`topic '${topic}' already exists`);
    const quiet = await eddy(['topics', 'create', topic, '--partitions', '2', '--if-not-exists']);
    expect(quiet.code, show(quiet)).toBe(0);

    const describe = await eddy(['topics', 'describe', topic]);
    expect(describe.code, show(describe)).toBe(0);
    const lines = describe.stdout.toString().trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^Topic: ${topic.replace(/\./g, '\\.')}\tTopicId: \\S*\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: .*retention\\.ms=86400000`,
      ),
    );
    expect(lines[1]).toMatch(/^\tTopic: \S+\tPartition: 0\tLeader: \d+\tReplicas: \d+\tIsr: \d+$/);
    expect(lines[2]).toMatch(/^\tTopic: \S+\tPartition: 1\tLeader: \d+\tReplicas: \d+\tIsr: \d+$/);

    const list = await eddy(['topics', 'list']);
    expect(list.stdout.toString().split('\n')).toContain(topic);

    const input = Array.from({ length: 20 }, (_, i) => `key-${i % 4}:value-${i}`).join('\n') + '\n';
    const produce = await eddy(
      ['produce', topic, '--key-separator', ':', '--header', 'source=cli', '--compression', 'gzip'],
      input,
    );
    expect(produce.code, show(produce)).toBe(0);
    expect(produce.stderr).toMatch(/^Produced 20 of 20 records .* to \S+ in [\d.]+ s, acknowledged/);

    const consume = await eddy([
      'consume',
      topic,
      '--from-beginning',
      '--max-messages',
      '20',
      '--timeout-ms',
      '30000',
      '--print-key',
      '--print-headers',
    ]);
    expect(consume.code, show(consume)).toBe(0);
    const got = consume.stdout.toString().trimEnd().split('\n').sort();
    const want = Array.from({ length: 20 }, (_, i) => `source:cli\tkey-${i % 4}\tvalue-${i}`).sort();
    expect(got).toEqual(want);
    expect(consume.stderr).toContain('Processed a total of 20 messages');

    // Keys decide partitions (murmur2), so each key's values come back in produce order from one partition.
    const offsets = await eddy([
      'consume',
      topic,
      '--from-beginning',
      '--max-messages',
      '20',
      '--timeout-ms',
      '30000',
      '--print-partition',
      '--print-key',
    ]);
    const byKey = new Map<string, Set<string>>();
    for (const line of offsets.stdout.toString().trimEnd().split('\n')) {
      const [partition, key] = line.split('\t');
      byKey.set(key, (byKey.get(key) ?? new Set()).add(partition));
    }
    for (const partitions of byKey.values()) expect(partitions.size).toBe(1);

    const single = await eddy([
      'consume',
      topic,
      '--partition',
      '1',
      '--offset',
      'earliest',
      '--timeout-ms',
      '1500',
      '--print-offset',
    ]);
    expect(single.code, show(single)).toBe(0);
    const p1 = single.stdout.toString().trimEnd().split('\n').filter(Boolean);
    expect(p1.map((l) => l.split('\t')[0])).toEqual(p1.map((_, i) => `Offset:${i}`));

    const del = await eddy(['topics', 'delete', topic]);
    expect(del.code, show(del)).toBe(0);
    expect(del.stdout.toString()).toBe(`Deleted topic ${topic}.\n`);
  });

  test('consume without --from-beginning starts at the end', async () => {
    const topic = uniqueTopic('cli-latest');
    expect((await eddy(['topics', 'create', topic, '--partitions', '1'])).code).toBe(0);
    expect((await eddy(['produce', topic], 'old-1\nold-2\n')).code).toBe(0);
    const child = spawnTracked(
      process.execPath,
      [
        EDDY_CLI,
        'consume',
        topic,
        '--max-messages',
        '1',
        '--timeout-ms',
        '30000',
        '--bootstrap-server',
        t.target().bootstrap,
      ],
      {
        cwd: REPO_ROOT,
      },
    );
    let stdout = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const producer = new Producer({ bootstrap: t.target().bootstrap }, { lingerMs: 0 });
    let running = true;
    void exited.then(() => (running = false));
    for (let i = 0; running && i < 100; i++) {
      await producer.send({ topic, value: `new-${i}` });
      await new Promise((r) => setTimeout(r, 200));
    }
    await producer.close();
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/^new-\d+\n$/);
  });

  test('clear errors and exit codes', async () => {
    const usage = await eddy(['consume']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe(
      "eddy consume: a topic name is required. Run 'eddy consume --help' for the options.\n",
    );
    const missing = await eddy(['consume', 'no-such-topic-here', '--timeout-ms', '1000']);
    expect(missing.code, show(missing)).toBe(1);
    expect(missing.stderr).toContain("topic 'no-such-topic-here' does not exist");
    const describeMissing = await eddy(['topics', 'describe', 'no-such-topic-here']);
    expect(describeMissing.code).toBe(1);
    expect(describeMissing.stderr).toContain("eddy topics: topic 'no-such-topic-here' does not exist");
    const unreachable = await runProcess(
      process.execPath,
      [EDDY_CLI, 'topics', 'list', '--bootstrap-server', '127.0.0.1:1'],
      { timeoutMs: 30_000 },
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /^eddy topics: could not reach any broker \(bootstrap: 127\.0\.0\.1:1\)/,
    );
    const help = await runProcess(process.execPath, [EDDY_CLI, 'produce', '--help'], { timeoutMs: 30_000 });
    expect(help.code).toBe(0);
    expect(help.stdout.toString()).toMatch(/^Usage: eddy produce TOPIC/);
  });
});
