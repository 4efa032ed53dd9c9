// The 'producer' host service against a real in-process engine (ports 0), through Eddy's own client.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Admin, Consumer, type ConsumerRecord } from '../../../src/engine/client/index.js';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import {
  embeddedLink,
  fixedLinks,
  type ClusterLink,
  type LinkProvider,
} from '../../../src/headless/services/link.js';
import { produceRunsSettled, producerService } from '../../../src/headless/services/producer.js';
import type { ProduceProgress, StreamContext } from '../../../src/shared/contract/index.js';
import { EddyError } from '../../../src/shared/errors.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const tempDir = useTempDirs('eddy-producer-service-');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await produceRunsSettled();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const call = { signal: new AbortController().signal };

async function engineWith(
  overrides: Record<string, string> = {},
): Promise<{ engine: Engine; link: ClusterLink }> {
  const engine = await startEngine({
    dataDir: join(tempDir(), 'data'),
    brokers: 1,
    host: '127.0.0.1',
    basePort: 0,
    overrides,
  });
  const link = embeddedLink(engine);
  cleanups.push(async () => {
    await link.close();
    await engine.stop();
  });
  return { engine, link };
}

async function createTopic(link: ClusterLink, name: string, partitions: number): Promise<void> {
  const [r] = await link.admin().createTopics([{ name, numPartitions: partitions, replicationFactor: 1 }]);
  expect(r.error).toBeFalsy();
}

function runContext(): StreamContext<ProduceProgress> & {
  events: ProduceProgress[];
  ended: number;
  abort(): void;
} {
  const controller = new AbortController();
  const ctx = {
    events: [] as ProduceProgress[],
    ended: 0,
    signal: controller.signal,
    emit: (e: ProduceProgress) => ctx.events.push(e),
    end: () => void ctx.ended++,
    abort: () => controller.abort(),
  };
  return ctx;
}

/** The error a call fails with (host methods may answer synchronously or with a promise). */
const failure = (f: () => unknown): Promise<unknown> =>
  Promise.resolve()
    .then(f)
    .catch((e: unknown) => e);

const last = (events: ProduceProgress[]) => events[events.length - 1];

/** Every record of the topic up to the current end offsets. */
async function readAll(link: ClusterLink, topic: string, partitions: number): Promise<ConsumerRecord[]> {
  const admin = new Admin(link.clusterOptions('test-read-admin'));
  const tps = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
  const ends = await admin.listOffsets(tps.map((tp) => ({ ...tp, spec: 'latest' as const })));
  await admin.close();
  const total = ends.reduce((n, e) => n + e.offset, 0);
  const out: ConsumerRecord[] = [];
  if (total === 0) return out;
  const consumer = new Consumer(link.clusterOptions('test-read'), { maxWaitMs: 100 });
  consumer.assign(tps, 'beginning');
  for await (const r of consumer) {
    out.push(r);
    if (out.length >= total) break;
  }
  await consumer.close();
  return out;
}

describe('producer service', () => {
  it('sends one record and reports where it landed; placeKey names that partition', async () => {
    const { link } = await engineWith();
    await createTopic(link, 'orders', 6);
    const producer = producerService(fixedLinks(link));
    const sent = await producer.send(call, {
      topic: 'orders',
      partition: null,
      key: { encoding: 'text', data: 'customer-42' },
      value: { encoding: 'base64', data: Buffer.from([0, 1, 2, 255]).toString('base64') },
      headers: [
        { key: 'source', value: 'ui' },
        { key: 'empty', value: null },
      ],
      timestamp: 1_700_000_000_000,
    });
    expect(sent.offset).toBe(0);
    expect(sent.timestamp).toBe(1_700_000_000_000);
    const placed = await producer.placeKey(call, 'orders', { encoding: 'text', data: 'customer-42' });
    expect(placed.partitions).toBe(6);
    expect(placed.partition).toBe(sent.partition);
    expect(placed.hash).toBe(placed.hash! & 0x7fffffff);
    expect(placed.hash! % 6).toBe(placed.partition);

    const [r] = await readAll(link, 'orders', 6);
    expect(r.partition).toBe(sent.partition);
    expect(r.key?.toString()).toBe('customer-42');
    expect([...r.value!]).toEqual([0, 1, 2, 255]);
    expect(r.headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual([
      ['source', 'ui'],
      ['empty', null],
    ]);

    // An explicit partition and acks=1 / zstd go through the cached producers too.
    const explicit = await producer.send(call, {
      topic: 'orders',
      partition: 3,
      key: null,
      value: { encoding: 'text', data: 'x' },
      headers: [],
      timestamp: null,
      acks: 1,
      compression: 'zstd',
    });
    expect(explicit.partition).toBe(3);
    expect(await producer.placeKey(call, 'orders', null)).toEqual({
      partitions: 6,
      hash: null,
      partition: null,
    });
  });

  it('placeKey matches the Java client for known keys', async () => {
    const { link } = await engineWith();
    await createTopic(link, 'p100', 100);
    const producer = producerService(fixedLinks(link));
    // Kafka's UtilsTest.testMurmur2: murmur2("foobar") = -790332482, murmur2("abc") = 479470107.
    const placed = await producer.placeKey(call, 'p100', { encoding: 'text', data: 'foobar' });
    expect(placed).toEqual({ partitions: 100, hash: -790332482 & 0x7fffffff, partition: 66 });
    const binary = await producer.placeKey(call, 'p100', { encoding: 'base64', data: 'YWJj' });
    expect(binary).toEqual({ partitions: 100, hash: 479470107, partition: 7 });
  });

  it('runs N records with templates expanded per record, each on the partition placeKey names', async () => {
    const { link } = await engineWith();
    await createTopic(link, 'events', 4);
    const producer = producerService(fixedLinks(link));
    const ctx = runContext();
    await producer.onRun(ctx, {
      record: {
        topic: 'events',
        partition: null,
        key: { encoding: 'text', data: 'k-{{i}}' },
        value: {
          encoding: 'text',
          data: '{"n":{{i}},"id":"{{uuid}}","at":{{now}},"iso":"{{iso}}","r":{{random:1:3}}}',
        },
        headers: [{ key: 'seq', value: '{{i}}' }],
        timestamp: null,
        compression: 'gzip',
      },
      count: 200,
      ratePerSec: null,
      template: true,
    });
    await until(() => ctx.ended === 1, 'the run to end');
    const final = last(ctx.events);
    expect(final).toMatchObject({ sent: 200, acknowledged: 200, failed: 0, error: null, done: true });
    expect(final.recent.length).toBe(20);
    expect(ctx.events.filter((e) => e.done)).toHaveLength(1);

    const records = await readAll(link, 'events', 4);
    expect(records).toHaveLength(200);
    const seen = new Set<number>();
    const ids = new Set<string>();
    for (const r of records) {
      const v = JSON.parse(r.value!.toString()) as {
        n: number;
        id: string;
        at: number;
        iso: string;
        r: number;
      };
      expect(r.key?.toString()).toBe(`k-${v.n}`);
      expect(r.headers[0].value?.toString()).toBe(String(v.n));
      expect(new Date(v.at).toISOString()).toBe(v.iso);
      expect(v.r).toBeGreaterThanOrEqual(1);
      expect(v.r).toBeLessThanOrEqual(3);
      seen.add(v.n);
      ids.add(v.id);
      const placed = await producer.placeKey(call, 'events', { encoding: 'text', data: `k-${v.n}` });
      expect(placed.partition).toBe(r.partition);
    }
    expect(seen.size).toBe(200);
    expect(ids.size).toBe(200);
  });

  it('paces a run with a rate: the records are spread over at least (count − burst) / rate seconds', async () => {
    const { link } = await engineWith();
    await createTopic(link, 'paced', 1);
    const producer = producerService(fixedLinks(link));
    const ctx = runContext();
    await producer.onRun(ctx, {
      record: {
        topic: 'paced',
        partition: 0,
        key: null,
        value: { encoding: 'text', data: 'v{{i}}' },
        headers: [],
        timestamp: null,
      },
      count: 12,
      ratePerSec: 20,
      template: true,
    });
    await until(() => ctx.ended === 1, 'the paced run to end');
    expect(last(ctx.events)).toMatchObject({ sent: 12, acknowledged: 12, done: true });
    const records = await readAll(link, 'paced', 1);
    expect(records.map((r) => r.value?.toString())).toEqual(Array.from({ length: 12 }, (_, i) => `v${i}`));
    // Burst is ceil(20 / 10) = 2 tokens; the other 10 wait 50 ms each at least.
    expect(records[11].timestamp - records[0].timestamp).toBeGreaterThanOrEqual(450);
  });

  it('stops a run when unsubscribed: no more records after the producer is flushed and closed', async () => {
    const { link } = await engineWith();
    await createTopic(link, 'endless', 2);
    const producer = producerService(fixedLinks(link));
    const ctx = runContext();
    await producer.onRun(ctx, {
      record: {
        topic: 'endless',
        partition: null,
        key: null,
        value: { encoding: 'text', data: 'x' },
        headers: [],
        timestamp: null,
      },
      count: 10_000_000,
      ratePerSec: 500,
      template: false,
    });
    await until(() => (ctx.events.at(-1)?.acknowledged ?? 0) >= 5, 'some acknowledgements');
    ctx.abort();
    await produceRunsSettled();
    const events = ctx.events.length;
    const stored = await readAll(link, 'endless', 2);
    expect(stored.length).toBeGreaterThanOrEqual(5);
    expect(stored.length).toBeLessThan(10_000_000);
    // The run is over: another record lands right behind what the run wrote.
    const next = await producer.send(call, {
      topic: 'endless',
      partition: 0,
      key: null,
      value: { encoding: 'text', data: 'after' },
      headers: [],
      timestamp: null,
    });
    expect(next.offset).toBe(stored.filter((r) => r.partition === 0).length);
    expect(ctx.events.length).toBe(events); // nothing emitted after the unsubscribe
    expect(ctx.ended).toBe(0);
  });

  it('auto-creates an unknown topic when the broker does (the embedded default)', async () => {
    const { link } = await engineWith();
    const producer = producerService(fixedLinks(link));
    const sent = await producer.send(call, {
      topic: 'brand-new',
      partition: null,
      key: null,
      value: { encoding: 'text', data: 'first' },
      headers: [],
      timestamp: null,
    });
    expect(sent.offset).toBe(0);
  });

  it('turns failures into sentences with Kafka’s error name', async () => {
    const { link } = await engineWith({ 'auto.create.topics.enable': 'false' });
    await createTopic(link, 'small', 2);
    const producer = producerService(fixedLinks(link));
    const record = (topic: string, partition: number | null) => ({
      topic,
      partition,
      key: null,
      value: { encoding: 'text' as const, data: 'v' },
      headers: [],
      timestamp: null,
    });

    const missing = await failure(() => producer.send(call, record('nope', null)));
    expect(missing).toBeInstanceOf(EddyError);
    expect(missing).toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'UNKNOWN_TOPIC_OR_PARTITION',
      message: "Topic 'nope' does not exist. Create it first, or enable auto-creation.",
    });

    const noPartition = await failure(() => producer.send(call, record('small', 7)));
    expect(noPartition).toMatchObject({
      code: 'KAFKA_ERROR',
      detail: 'UNKNOWN_TOPIC_OR_PARTITION',
      message:
        "Topic 'small' has no partition 7. Pick an existing partition, or leave it to the partitioner.",
    });

    const badBase64 = await failure(() =>
      producer.send(call, { ...record('small', 0), value: { encoding: 'base64', data: 'not base64!' } }),
    );
    expect(badBase64).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((badBase64 as Error).message).toMatch(/^The value is not valid base64/);

    const placeMissing = await failure(() => producer.placeKey(call, 'nope', null));
    expect(placeMissing).toMatchObject({ code: 'KAFKA_ERROR', detail: 'UNKNOWN_TOPIC_OR_PARTITION' });

    const badTemplate = await failure(() =>
      producer.onRun(runContext(), {
        record: { ...record('small', 0), value: { encoding: 'text', data: '{{idx}}' } },
        count: 1,
        ratePerSec: null,
        template: true,
      }),
    );
    expect(badTemplate).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((badTemplate as Error).message).toBe(
      'In the value: {{idx}} is not a known placeholder; use {{i}}, {{uuid}}, {{now}}, {{iso}} or {{random:A:B}}.',
    );

    // A run reports the first error and stops.
    const ctx = runContext();
    await producer.onRun(ctx, {
      record: record('nope', null),
      count: 1000,
      ratePerSec: null,
      template: false,
    });
    await until(() => ctx.ended === 1, 'the failing run to end');
    const final = last(ctx.events);
    expect(final.done).toBe(true);
    expect(final.acknowledged).toBe(0);
    expect(final.failed).toBeGreaterThanOrEqual(1);
    expect(final.error).toEqual({
      name: 'UNKNOWN_TOPIC_OR_PARTITION',
      message: "Topic 'nope' does not exist. Create it first, or enable auto-creation.",
    });
  });

  it('drops the cached producer when the link changes', async () => {
    const a = await engineWith();
    const b = await engineWith();
    let current = a.link;
    const listeners: ((l: ClusterLink) => void)[] = [];
    const links: LinkProvider = {
      current: async () => current,
      onChange: (l) => {
        listeners.push(l);
        return () => undefined;
      },
    };
    const producer = producerService(links);
    const rec = {
      topic: 'switch',
      partition: null,
      key: null,
      value: { encoding: 'text' as const, data: 'v' },
      headers: [],
      timestamp: null,
    };
    expect((await producer.send(call, rec)).offset).toBe(0);
    expect((await producer.send(call, rec)).offset).toBe(1);
    current = b.link;
    for (const l of listeners) l(b.link);
    // The new cluster has its own, empty topic.
    expect((await producer.send(call, rec)).offset).toBe(0);
  });
});
