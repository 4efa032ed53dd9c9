// Fills a cluster for the UI benchmark through Eddy's own client (out/engine/client.mjs).
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

async function client(root) {
  return import(pathToFileURL(join(root, 'out', 'engine', 'client.mjs')).href);
}

/**
 * Creates `count` topics named `${prefix}00000`… with CreateTopics requests of `perRequest` topics
 * (one request when perRequest >= count). Returns { ms, requests: [ms of each request] }.
 */
export async function createManyTopics(
  root,
  bootstrap,
  { count, prefix, partitions = 1, rf = 1, perRequest = count, onRequest },
) {
  const { Admin } = await client(root);
  const admin = new Admin({ bootstrap, requestTimeoutMs: 900_000 });
  try {
    const topics = Array.from({ length: count }, (_, i) => ({
      name: `${prefix}${String(i).padStart(5, '0')}`,
      numPartitions: partitions,
      replicationFactor: rf,
    }));
    const started = performance.now();
    const requests = [];
    for (let from = 0; from < count; from += perRequest) {
      const t0 = performance.now();
      const results = await admin.createTopics(topics.slice(from, from + perRequest), { timeoutMs: 900_000 });
      const failed = results.filter((r) => r.error);
      if (failed.length > 0)
        throw new Error(
          `${failed.length} of ${results.length} topics were not created, e.g. ${failed[0].error.message}`,
        );
      requests.push(performance.now() - t0);
      onRequest?.(from + results.length, requests[requests.length - 1]);
    }
    return { ms: performance.now() - started, requests };
  } finally {
    await admin.close();
  }
}

export async function createTopic(root, bootstrap, name, { partitions = 1, rf = 1 } = {}) {
  const { Admin } = await client(root);
  const admin = new Admin({ bootstrap });
  try {
    const [r] = await admin.createTopics([{ name, numPartitions: partitions, replicationFactor: rf }]);
    if (r.error) throw r.error;
  } finally {
    await admin.close();
  }
}

/**
 * Produces `count` records to partition 0 of `topic`: value(i) as the value, `k-${i}` as the key.
 * Returns { ms, bytes } (bytes = keys + values).
 */
export async function produce(root, bootstrap, { topic, count, value }) {
  const { Producer } = await client(root);
  const producer = new Producer(
    { bootstrap, requestTimeoutMs: 120_000 },
    { acks: 1, lingerMs: 20, batchSize: 512 * 1024, maxBufferedBytes: 64 * 1024 * 1024 },
  );
  let failure = null;
  let bytes = 0;
  const started = performance.now();
  try {
    for (let i = 0; i < count && !failure; i++) {
      const key = `k-${i}`;
      const v = value(i);
      bytes += key.length + v.length;
      producer.send({ topic, partition: 0, key, value: v }).catch((err) => (failure ??= err));
      if (i % 2_000 === 1_999) await producer.waitForCapacity();
    }
    await producer.flush();
  } finally {
    await producer.close();
  }
  if (failure) throw failure;
  return { ms: performance.now() - started, bytes };
}

/** A small JSON value like an event an app would send (~90 bytes). */
export function smallValue(i) {
  return Buffer.from(
    JSON.stringify({ id: i, type: i % 3 === 0 ? 'order.created' : 'order.paid', amount: (i * 7) % 1000 }),
  );
}

/** A 1 KiB printable value (so a text search really reads it), distinct per record. */
export function kibValue() {
  const base = Buffer.alloc(1024);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 ';
  for (let i = 0; i < base.length; i++) base[i] = alphabet.charCodeAt((i * 7919) % alphabet.length);
  return (i) => {
    const v = Buffer.from(base);
    v.write(String(i).padStart(10, '0'), 0, 'latin1');
    return v;
  };
}

/**
 * Reads partition 0 of `topic` from offset 0 to `count` with Eddy's Consumer, with the fetch sizes
 * the browse worker uses (src/headless/services/browse-scan.ts). Returns { ms, bytes, mbPerSec }.
 */
export async function consumeAll(root, bootstrap, topic, count) {
  const { Consumer } = await client(root);
  const consumer = new Consumer(
    { bootstrap },
    {
      maxWaitMs: 500,
      partitionMaxBytes: 8 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      autoOffsetReset: 'earliest',
    },
  );
  let bytes = 0;
  const started = performance.now();
  try {
    consumer.assign([{ topic, partition: 0 }], 0);
    for await (const r of consumer) {
      bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0);
      if (r.offset + 1 >= count) break;
    }
  } finally {
    await consumer.close();
  }
  const ms = performance.now() - started;
  return { ms, bytes, mbPerSec: bytes / 1e6 / (ms / 1000) };
}
