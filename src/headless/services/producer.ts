/**
 * The 'producer' service over the active cluster link, through Eddy's own Kafka client (the same
 * code path for the embedded cluster and an external Apache Kafka).
 *
 * - `send`: one record through a producer kept per link (one Cluster, one Producer per
 *   acks/compression pair), closed when the link changes.
 * - `onRun`: its own Producer per run; token-bucket pacing when a rate is set; templates expanded per
 *   record; progress at most ten times a second; stops at the first error or when unsubscribed,
 *   then flushes and closes.
 * - `placeKey`: Kafka's murmur2 (the engine's, identical to Java's default partitioner) and the
 *   topic's partition count from metadata.
 */
import {
  Cluster,
  Producer,
  type Acks,
  type Compression,
  type ProducerRecord,
} from '../../engine/client/index.js';
import { murmur2, toPositive } from '../../engine/protocol/records/index.js';
import type { EddyServices } from '../../shared/contract/index.js';
import type { ProduceProgress, ProducedRecord } from '../../shared/contract/producer.js';
import { EddyError } from '../../shared/errors.js';
import type { ClusterLink, LinkProvider } from './link.js';
import { describeFailure, toEddyError } from './produce-errors.js';
import { compileTemplate, TemplateError, type Template, type TemplateContext } from './template.js';

type Service = EddyServices['producer'];
type ProduceRecordArg = Parameters<Service['send']>[1];
type ProduceRunArg = Parameters<Service['onRun']>[1];
type Payload = ProduceRecordArg['key'];

const PROGRESS_INTERVAL_MS = 100;
const RECENT = 20;
/** A run keeps at most this many bytes unacknowledged (back-pressure on the loop). */
const RUN_BUFFER_BYTES = 8 * 1024 * 1024;
/** The run loop yields to the event loop after this many records. */
const YIELD_EVERY = 256;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Payload bytes; base64 is checked (Node would silently skip bad characters). */
export function payloadBytes(payload: Payload, what: string): Buffer | null {
  if (payload === null) return null;
  if (payload.encoding === 'text') return Buffer.from(payload.data, 'utf8');
  const compact = payload.data.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1)
    throw new EddyError('INVALID_ARGUMENT', {
      message: `The ${what} is not valid base64. Use only A–Z, a–z, 0–9, '+' and '/', padded with '='.`,
      detail: `${what}: not base64`,
    });
  return Buffer.from(compact, 'base64');
}

function toProducerRecord(r: ProduceRecordArg): ProducerRecord {
  return {
    topic: r.topic,
    partition: r.partition ?? undefined,
    key: payloadBytes(r.key, 'key'),
    value: payloadBytes(r.value, 'value'),
    headers: r.headers.map((h) => ({
      key: h.key,
      value: h.value === null ? null : Buffer.from(h.value, 'utf8'),
    })),
    timestamp: r.timestamp ?? undefined,
  };
}

/** Builds record `i` of a run: templates are expanded in text payloads and header values. */
function recordFactory(r: ProduceRecordArg, template: boolean): (ctx: TemplateContext) => ProducerRecord {
  const base = toProducerRecord(r);
  if (!template) return () => base;
  const compile = (text: string, what: string): Template => {
    try {
      return compileTemplate(text);
    } catch (err) {
      if (err instanceof TemplateError)
        throw new EddyError('INVALID_ARGUMENT', {
          message: `In the ${what}: ${err.message}`,
          detail: 'template',
        });
      throw err;
    }
  };
  const key = r.key?.encoding === 'text' ? compile(r.key.data, 'key') : null;
  const value = r.value?.encoding === 'text' ? compile(r.value.data, 'value') : null;
  const headers = r.headers.map((h) => (h.value === null ? null : compile(h.value, `header '${h.key}'`)));
  const dynamic = Boolean(key?.dynamic || value?.dynamic || headers.some((h) => h?.dynamic));
  if (!dynamic) return () => base;
  return (ctx) => ({
    ...base,
    key: key?.dynamic ? key.expand(ctx) : base.key,
    value: value?.dynamic ? value.expand(ctx) : base.value,
    headers: r.headers.map((h, i) => ({
      key: h.key,
      value: headers[i]?.dynamic
        ? Buffer.from(headers[i].expand(ctx), 'utf8')
        : h.value === null
          ? null
          : Buffer.from(h.value, 'utf8'),
    })),
  });
}

const activeRuns = new Set<Promise<void>>();

/** Resolves when every produce run has ended and closed its producer (tests, orderly shutdown). */
export async function produceRunsSettled(): Promise<void> {
  while (activeRuns.size > 0) await Promise.allSettled([...activeRuns]);
}

/** The shared producers of one link. */
interface LinkProducers {
  link: ClusterLink;
  cluster: Cluster;
  producers: Map<string, Producer>;
}

export function producerService(links: LinkProvider): Service {
  let shared: LinkProducers | null = null;

  const closeShared = async (): Promise<void> => {
    const s = shared;
    shared = null;
    if (!s) return;
    await Promise.allSettled([...s.producers.values()].map((p) => p.close()));
    await s.cluster.close().catch(() => undefined);
  };
  links.onChange(() => void closeShared());

  const producerFor = async (acks: Acks, compression: Compression): Promise<Producer> => {
    const link = await links.current();
    if (shared && shared.link !== link) await closeShared();
    shared ??= { link, cluster: new Cluster(link.clusterOptions('eddy-ui-producer')), producers: new Map() };
    const id = `${acks}/${compression}`;
    let p = shared.producers.get(id);
    if (!p) {
      p = new Producer(shared.cluster, { acks, compression, lingerMs: 0 });
      shared.producers.set(id, p);
    }
    return p;
  };

  return {
    async send(_ctx, record) {
      const producerRecord = toProducerRecord(record);
      const producer = await producerFor(record.acks ?? -1, record.compression ?? 'none');
      try {
        const m = await producer.send(producerRecord);
        return { partition: m.partition, offset: m.offset, timestamp: m.timestamp };
      } catch (err) {
        throw toEddyError(err, record.topic);
      }
    },

    async onRun(ctx, run) {
      const build = recordFactory(run.record, run.template);
      const link = await links.current();
      if (ctx.signal.aborted) return;
      const running = runProducer(ctx, run, build, link);
      activeRuns.add(running);
      void running.finally(() => activeRuns.delete(running));
    },

    async placeKey(_ctx, topic, key) {
      const link = await links.current();
      let partitions: number;
      try {
        partitions = (await link.admin().cluster.topic(topic, { refresh: true })).partitions.length;
      } catch (err) {
        throw toEddyError(err, topic);
      }
      if (key === null) return { partitions, hash: null, partition: null };
      const bytes = payloadBytes(key, 'key')!;
      const hash = toPositive(murmur2(bytes));
      return { partitions, hash, partition: hash % partitions };
    },
  };
}

async function runProducer(
  ctx: Parameters<Service['onRun']>[0],
  run: ProduceRunArg,
  build: (ctx: TemplateContext) => ProducerRecord,
  link: ClusterLink,
): Promise<void> {
  const progress: ProduceProgress = {
    sent: 0,
    acknowledged: 0,
    failed: 0,
    recent: [],
    error: null,
    done: false,
  };
  let dirty = true;
  const emit = () => {
    dirty = false;
    ctx.emit({ ...progress, recent: [...progress.recent] });
  };
  const timer = setInterval(() => {
    if (dirty) emit();
  }, PROGRESS_INTERVAL_MS);
  let stopped = false;
  let wake: (() => void) | null = null;
  const onAbort = () => {
    stopped = true;
    wake?.();
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = null;
        resolve();
      };
    });

  const producer = new Producer(link.clusterOptions('eddy-ui-producer-run'), {
    acks: run.record.acks ?? -1,
    compression: run.record.compression ?? 'none',
    maxBufferedBytes: RUN_BUFFER_BYTES,
  });
  const fail = (err: unknown) => {
    progress.failed++;
    dirty = true;
    if (!progress.error) {
      const f = describeFailure(err, run.record.topic);
      progress.error = { name: f.name, message: f.message };
      stopped = true;
      wake?.();
    }
  };
  const ack = (m: ProducedRecord) => {
    progress.acknowledged++;
    progress.recent.push({ partition: m.partition, offset: m.offset, timestamp: m.timestamp });
    if (progress.recent.length > RECENT) progress.recent.shift();
    dirty = true;
  };

  // Token bucket: `rate` tokens a second, at most one second's worth saved up.
  const rate = run.ratePerSec;
  const burst = rate === null ? 0 : Math.max(1, Math.min(rate, Math.ceil(rate / 10)));
  let tokens = burst;
  let refilled = performance.now();
  try {
    for (let i = 0; i < run.count && !stopped; i++) {
      if (rate !== null) {
        for (;;) {
          const now = performance.now();
          tokens = Math.min(burst, tokens + ((now - refilled) * rate) / 1000);
          refilled = now;
          if (tokens >= 1 || stopped) break;
          await sleep(Math.max(1, ((1 - tokens) * 1000) / rate));
        }
        if (stopped) break;
        tokens -= 1;
      }
      let record: ProducerRecord;
      try {
        record = build({ index: i, now: Date.now() });
      } catch (err) {
        fail(err);
        break;
      }
      producer.send(record).then(ack, fail);
      progress.sent++;
      dirty = true;
      if (producer.bufferedBytes > RUN_BUFFER_BYTES) await producer.waitForCapacity();
      else if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
    }
    await producer.close();
  } catch (err) {
    fail(err);
    await producer.close().catch(() => undefined);
  } finally {
    clearInterval(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
  progress.done = true;
  if (!ctx.signal.aborted) {
    emit();
    ctx.end();
  }
}
