// Interop: the GUI's producer and message-browser host services (src/headless/services/producer.ts,
// messages.ts) on a real Apache Kafka (single-node KRaft from the cached jars), through a
// Kafka-connected ClusterLink — the path the GUI takes for an external cluster. Skipped when
// EDDY_INTEROP_TARGETS leaves kafka out; without java / the Kafka jars it skips locally and fails
// under CI=true, like the other suites.
//
//  1. send one record (placeKey names the partition it landed on), an explicit partition with zstd;
//  2. a templated run of 300 records at a rate, gzip;
//  3. browse through the browse worker: everything, a JSON path filter, a text filter over headers,
//     last-N, a live tail that sees a new record; value() of a cut preview; an unknown topic's sentence.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedLinks, type ClusterLink } from '../../src/headless/services/link.js';
import { messagesService } from '../../src/headless/services/messages.js';
import { produceRunsSettled, producerService } from '../../src/headless/services/producer.js';
import type {
  BrowseBatch,
  MessageRow,
  ProduceProgress,
  StreamContext,
} from '../../src/shared/contract/index.js';
import type { KafkaServer } from './harness/kafka.js';
import { killAllChildren } from './harness/proc.js';
import { targetEnabled } from './harness/targets.js';
import { startKafkaLink } from './harness/ui-link.js';

const WAIT_MS = 60_000;
const WORKER = fileURLToPath(new URL('../../out/engine/browse-worker.mjs', import.meta.url));
const call = { signal: new AbortController().signal };

let kafka: KafkaServer | undefined;
let link: ClusterLink | undefined;
const stops: (() => void)[] = [];

afterAll(async () => {
  for (const s of stops.splice(0)) s();
  await produceRunsSettled();
  await link?.close();
  await kafka?.dispose().catch(() => undefined);
  killAllChildren('SIGKILL');
}, 60_000);

async function waitFor(test: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Subscribes a stream; `ended()` tells whether the host ended it. */
async function follow<E, A extends unknown[]>(
  stream: (ctx: StreamContext<E>, ...args: A) => unknown,
  ...args: A
): Promise<{ events: E[]; ended: () => boolean; stop: () => void }> {
  const events: E[] = [];
  let ended = false;
  const abort = new AbortController();
  const teardown = (await stream(
    {
      signal: abort.signal,
      emit: (e) => events.push(structuredClone(e)),
      end: () => {
        ended = true;
        abort.abort();
      },
    },
    ...args,
  )) as (() => void) | void;
  const stop = () => {
    abort.abort();
    teardown?.();
  };
  stops.push(stop);
  return { events, ended: () => ended, stop };
}

const text = (w: { base64: string } | null) =>
  w === null ? null : Buffer.from(w.base64, 'base64').toString();
const rowsOf = (batches: BrowseBatch[]): MessageRow[] => batches.flatMap((b) => b.rows);

describe('producer and message browser services ↔ Apache Kafka', () => {
  it.runIf(targetEnabled('kafka'))(
    'send, run with templates, browse with filters, live tail and full values',
    async (ctx) => {
      ({ kafka, link } = await startKafkaLink(ctx));
      const links = fixedLinks(link);
      const producer = producerService(links);
      const messages = messagesService(links, { workerScript: WORKER });
      const topic = `ui-produce.${Date.now().toString(36)}`;
      const [created] = await link
        .admin()
        .createTopics([{ name: topic, numPartitions: 3, replicationFactor: 1 }]);
      expect(created.error).toBeFalsy();

      // 1. One record; placeKey agrees with where Kafka stored it.
      const sent = await producer.send(call, {
        topic,
        partition: null,
        key: { encoding: 'text', data: 'customer-7' },
        value: { encoding: 'text', data: '{"first":true}' },
        headers: [{ key: 'source', value: 'ui' }],
        timestamp: null,
      });
      expect(sent.offset).toBe(0);
      const placed = await producer.placeKey(call, topic, { encoding: 'text', data: 'customer-7' });
      expect(placed.partitions).toBe(3);
      expect(placed.partition).toBe(sent.partition);
      const big = 'x'.repeat(5000);
      const explicit = await producer.send(call, {
        topic,
        partition: 2,
        key: null,
        value: { encoding: 'text', data: big },
        headers: [],
        timestamp: 1_700_000_000_000,
        compression: 'zstd',
        acks: 1,
      });
      expect(explicit.partition).toBe(2);
      expect(explicit.timestamp).toBe(1_700_000_000_000);

      // 2. A templated run at a rate.
      const run = await follow(producer.onRun, {
        record: {
          topic,
          partition: null,
          key: { encoding: 'text', data: 'k-{{i}}' },
          value: { encoding: 'text', data: '{"n":{{i}},"id":"{{uuid}}","r":{{random:1:9}}}' },
          headers: [{ key: 'run', value: 'seq-{{i}}' }],
          timestamp: null,
          compression: 'gzip',
        },
        count: 300,
        ratePerSec: 1000,
        template: true,
      });
      await waitFor(run.ended, 'the run to end');
      const final = run.events.at(-1) as ProduceProgress;
      expect(final).toMatchObject({ sent: 300, acknowledged: 300, failed: 0, error: null, done: true });

      // 3. Browse everything: 302 records, the run's gzip batches named as such.
      const all = await follow(messages.onBrowse, {
        topic,
        partitions: null,
        start: { kind: 'beginning' },
        limit: 10_000,
        live: false,
        filter: null,
        previewBytes: 1024,
      });
      await waitFor(all.ended, 'the full browse');
      const rows = rowsOf(all.events);
      expect(rows).toHaveLength(302);
      expect(all.events.at(-1)!.progress).toMatchObject({
        scannedRecords: 302,
        matched: 302,
        caughtUp: true,
        done: true,
      });
      const first = rows.find((r) => text(r.key) === 'customer-7')!;
      expect(first).toMatchObject({ partition: sent.partition, offset: 0, compression: 'none' });
      expect(rows.filter((r) => text(r.key)?.startsWith('k-')).every((r) => r.compression === 'gzip')).toBe(
        true,
      );
      const cut = rows.find((r) => r.partition === 2 && r.offset === explicit.offset)!;
      expect(cut.compression).toBe('zstd');
      expect(cut.value).toMatchObject({ size: 5000, truncated: true });
      const whole = await messages.value(call, topic, 2, explicit.offset, 'value');
      expect(text(whole)).toBe(big);
      for (const r of rows.filter((x) => text(x.key)?.startsWith('k-')).slice(0, 20)) {
        const p = await producer.placeKey(call, topic, { encoding: 'text', data: text(r.key)! });
        expect(p.partition).toBe(r.partition);
      }

      // A JSON path filter: n from 100 to 104.
      const jp = await follow(messages.onBrowse, {
        topic,
        partitions: null,
        start: { kind: 'beginning' },
        limit: 100,
        live: false,
        filter: {
          kind: 'jsonpath',
          expression: "$[?(@property === 'n' && @ >= 100 && @ < 105)]",
          field: 'value',
        },
      });
      await waitFor(jp.ended, 'the JSON path browse');
      expect(
        rowsOf(jp.events)
          .map((r) => Number(r.match))
          .sort((a, b) => a - b),
      ).toEqual([100, 101, 102, 103, 104]);
      // Text over headers.
      const hdr = await follow(messages.onBrowse, {
        topic,
        partitions: null,
        start: { kind: 'beginning' },
        limit: 100,
        live: false,
        filter: { kind: 'text', expression: 'SEQ-299', field: 'headers' },
      });
      await waitFor(hdr.ended, 'the header browse');
      expect(rowsOf(hdr.events).map((r) => text(r.key))).toEqual(['k-299']);
      // The last record of each partition.
      const lastN = await follow(messages.onBrowse, {
        topic,
        partitions: null,
        start: { kind: 'latest', count: 1 },
        limit: 100,
        live: false,
        filter: null,
      });
      await waitFor(lastN.ended, 'the last-N browse');
      expect(rowsOf(lastN.events)).toHaveLength(3);

      // Live: caught up, then a new record arrives.
      const tail = await follow(messages.onBrowse, {
        topic,
        partitions: [sent.partition],
        start: { kind: 'latest', count: 0 },
        limit: 100,
        live: true,
        filter: null,
      });
      await waitFor(() => tail.events.some((b) => b.progress.caughtUp), 'the live browse to catch up');
      await producer.send(call, {
        topic,
        partition: sent.partition,
        key: null,
        value: { encoding: 'text', data: 'fresh' },
        headers: [],
        timestamp: null,
      });
      await waitFor(() => rowsOf(tail.events).length === 1, 'the new record');
      expect(text(rowsOf(tail.events)[0].value)).toBe('fresh');
      expect(tail.ended()).toBe(false);
      tail.stop();

      // Kafka's refusal, as a sentence.
      const missing = await follow(messages.onBrowse, {
        topic: 'no-such-topic-here',
        partitions: null,
        start: { kind: 'beginning' },
        limit: 10,
        live: false,
        filter: null,
      });
      await waitFor(missing.ended, 'the unknown-topic browse');
      expect(missing.events.at(-1)!.error).toBe(
        "Topic 'no-such-topic-here' does not exist. Create it first, or enable auto-creation.",
      );
    },
    300_000,
  );
});
