// Small admin chores for both systems through Eddy's own client (out/engine/client.mjs, built by
// `npm run bench`): wait for brokers, create and delete topics, and the cold-start probe.
import path from 'node:path';
import { msSince, sleep } from './proc.mjs';
import { ROOT } from './tools.mjs';

let clientModule;
async function client() {
  clientModule ??= await import(path.join(ROOT, 'out', 'engine', 'client.mjs'));
  return clientModule;
}

const quickFail = { retries: 0, connectTimeoutMs: 1_000, requestTimeoutMs: 5_000 };

/** Metadata lists `count` brokers. Polls every 20 ms until the deadline (a Date.now() value). */
export async function waitForBrokers(bootstrap, count, deadline) {
  const { Admin } = await client();
  let last = 'no answer';
  while (Date.now() < deadline) {
    const admin = new Admin({ bootstrap, ...quickFail });
    try {
      const md = await admin.cluster.refreshMetadata([]);
      if (md.brokers.length >= count) return;
      last = `${md.brokers.length} of ${count} brokers in Metadata`;
    } catch (err) {
      last = err.message;
    } finally {
      await admin.close().catch(() => undefined);
    }
    await sleep(20);
  }
  throw new Error(`the cluster at ${bootstrap} did not list ${count} brokers in time (${last})`);
}

/** Create a topic and wait until every partition has a leader and a full ISR. */
export async function createTopic(
  bootstrap,
  { name, partitions, replicationFactor, configs = {} },
  timeoutMs = 60_000,
) {
  const { Admin } = await client();
  const admin = new Admin({ bootstrap, retries: 10, retryBackoffMs: 50, maxRetryBackoffMs: 500 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const [r] = await admin.createTopics([{ name, numPartitions: partitions, replicationFactor, configs }]);
      if (!r.error || /already exists/i.test(r.error.message)) break;
      // A cluster that just started may not have every broker unfenced yet.
      if (Date.now() > deadline) throw new Error(`creating topic ${name}: ${r.error.message}`);
      await sleep(100);
    }
    for (;;) {
      const [d] = await admin.describeTopics([name]).catch(() => [null]);
      const ok =
        d &&
        !d.error &&
        d.partitions.length === partitions &&
        d.partitions.every((p) => p.leader >= 0 && p.isr.length === replicationFactor);
      if (ok) return;
      if (Date.now() > deadline)
        throw new Error(`topic ${name} has no leader or full ISR after ${timeoutMs} ms`);
      await sleep(50);
    }
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** Delete topics, ignoring failures (it only frees disk and page cache between runs). */
export async function deleteTopics(bootstrap, names) {
  const { Admin } = await client();
  const admin = new Admin({ bootstrap, retries: 3 });
  try {
    await admin.deleteTopics(names);
  } catch {
    // best effort
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/**
 * Cold-start probe, started right after the processes were spawned at `spawnedAt` (hrtime mark):
 * poll Metadata until it lists 3 brokers, then create a fresh RF=3 topic and produce one record with
 * acks=all. Returns milliseconds from spawn to each step.
 */
export async function coldStartProbe(bootstrap, spawnedAt, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  await waitForBrokers(bootstrap, 3, deadline);
  const metadataMs = msSince(spawnedAt);
  const { Producer } = await client();
  await createTopic(
    bootstrap,
    { name: 'cold-start', partitions: 1, replicationFactor: 3 },
    Math.max(1_000, deadline - Date.now()),
  );
  const producer = new Producer(
    { bootstrap, retries: 200, retryBackoffMs: 20, maxRetryBackoffMs: 100 },
    { acks: -1, lingerMs: 0, retries: 200 },
  );
  try {
    await producer.send({ topic: 'cold-start', value: 'first' });
  } finally {
    await producer.close().catch(() => undefined);
  }
  return { metadataMs, produceMs: msSince(spawnedAt) };
}
