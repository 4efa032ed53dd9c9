// The workloads, identical for both systems: each declares the metrics it yields and a run(system,
// ctx) that returns one value per metric per measured repetition (after its own warm-up).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createTopic, deleteTopics } from './client.mjs';
import { RssSampler, run, sleep, treeRssBytes } from './proc.mjs';
import { median } from './stats.mjs';
import { compiledBenchClasses, kcatPath, runJavaTool } from './tools.mjs';

const MiB = 2 ** 20;
export const RECORD_SIZE = 1024;
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// --- clients ----------------------------------------------------------------------------------

/** ProducerPerformance (kafka-tools), unthrottled; parses its closing summary line. */
export async function producerPerformance(bootstrap, topic, records, acks, timeoutMs) {
  const out = await runJavaTool(
    'org.apache.kafka.tools.ProducerPerformance',
    [
      '--bootstrap-server',
      bootstrap,
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      String(RECORD_SIZE),
      '--throughput',
      '-1',
      '--command-property',
      `acks=${acks}`,
    ],
    { timeoutMs },
  );
  return parseProducerPerformance(out);
}

/** "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, P50 ms 50th, …" */
export function parseProducerPerformance(out) {
  const line =
    out
      .trim()
      .split('\n')
      .filter((l) => l.includes('records sent'))
      .pop() ?? '';
  const m =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, ([\d.]+) ms 50th, ([\d.]+) ms 95th, ([\d.]+) ms 99th, ([\d.]+) ms 99.9th/.exec(
      line,
    );
  if (!m)
    throw new Error(
      `could not read ProducerPerformance's summary: ${out.trim().split('\n').slice(-3).join(' / ')}`,
    );
  return {
    records: Number(m[1]),
    recordsPerSec: Number(m[2]),
    mibPerSec: Number(m[3]), // the tool's "MB" is 2^20 bytes
    avgLatencyMs: Number(m[4]),
    maxLatencyMs: Number(m[5]),
    p50Ms: Number(m[6]),
    p99Ms: Number(m[8]),
  };
}

/** ConsumerPerformance (kafka-tools) in a fresh consumer group; parses its CSV result line. */
export async function consumerPerformance(bootstrap, topic, records, timeoutMs) {
  const group = `bench-${crypto.randomBytes(4).toString('hex')}`;
  const out = await runJavaTool(
    'org.apache.kafka.tools.ConsumerPerformance',
    [
      '--bootstrap-server',
      bootstrap,
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--group',
      group,
      '--timeout',
      '30000',
    ],
    { timeoutMs },
  );
  return parseConsumerPerformance(out, records);
}

/**
 * start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
 * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
 */
export function parseConsumerPerformance(out, expectedRecords) {
  const line = out
    .trim()
    .split('\n')
    .filter((l) => l.split(',').length >= 10 && /^\d{4}-/.test(l.trim()))
    .pop();
  if (!line)
    throw new Error(
      `could not read ConsumerPerformance's result: ${out.trim().split('\n').slice(-3).join(' / ')}`,
    );
  const f = line.split(',').map((s) => s.trim());
  const r = {
    mib: Number(f[2]),
    totalMiBps: Number(f[3]),
    records: Number(f[4]),
    rebalanceMs: Number(f[6]),
    fetchMs: Number(f[7]),
    fetchMiBps: Number(f[8]),
  };
  if (expectedRecords && r.records < expectedRecords)
    throw new Error(`ConsumerPerformance read ${r.records} of ${expectedRecords} records`);
  return r;
}

/** kcat (librdkafka) from the beginning of every partition to `records`, timed from spawn to exit. */
export async function kcatConsume(bootstrap, topic, records, timeoutMs) {
  let lines = 0;
  let bytes = 0;
  let partial = '';
  const { ms } = await run(
    kcatPath(),
    ['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-c', String(records), '-f', '%S\n'],
    {
      timeoutMs,
      keepStdout: false,
      what: 'kcat',
      onStdout: (b) => {
        const parts = (partial + b.toString('latin1')).split('\n');
        partial = parts.pop();
        for (const p of parts) {
          lines++;
          bytes += Number(p);
        }
      },
    },
  );
  if (lines < records) throw new Error(`kcat read ${lines} of ${records} records`);
  return { records: lines, mibPerSec: bytes / MiB / (ms / 1000), ms };
}

/** bench/java/FixedRateLatency: producer and consumer in one JVM at a fixed rate. */
export async function fixedRateLatency(bootstrap, topic, { rate, seconds, warmupSeconds, acks }, timeoutMs) {
  const classes = await compiledBenchClasses();
  const out = await runJavaTool(
    'FixedRateLatency',
    [bootstrap, topic, String(rate), String(seconds), String(warmupSeconds), String(RECORD_SIZE), acks],
    {
      timeoutMs,
      extraClasspath: classes,
    },
  );
  const m = /RESULT (.*)/.exec(out);
  if (!m) throw new Error(`no RESULT line from FixedRateLatency: ${out.slice(-300)}`);
  const r = Object.fromEntries(
    m[1]
      .split(' ')
      .map((kv) => kv.split('='))
      .map(([k, v]) => [k, Number(v)]),
  );
  if (r.received < r.sent - r.errors || r.errors > 0)
    throw new Error(`FixedRateLatency: sent ${r.sent}, received ${r.received}, send errors ${r.errors}`);
  return r;
}

// --- disk usage -------------------------------------------------------------------------------

/** Allocated (du) and apparent bytes of a topic's partition directories, split by file kind. */
export function topicDiskUsage(dataDirs, topic) {
  const usage = { log: 0, index: 0, other: 0, apparent: 0, partitionDirs: 0 };
  const dirName = new RegExp(`^${topic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`);
  const walk = (dir, depth) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (!e.isDirectory()) continue;
      if (dirName.test(e.name)) {
        usage.partitionDirs++;
        for (const f of fs.readdirSync(p)) {
          const st = fs.statSync(path.join(p, f));
          if (!st.isFile()) continue;
          const allocated = st.blocks * 512;
          usage.apparent += st.size;
          if (f.endsWith('.log')) usage.log += allocated;
          else if (f.endsWith('.index') || f.endsWith('.timeindex')) usage.index += allocated;
          else usage.other += allocated;
        }
      } else if (depth < 4) walk(p, depth + 1);
    }
  };
  for (const d of dataDirs) walk(d, 0);
  if (usage.partitionDirs === 0)
    throw new Error(`no partition directory of ${topic} under ${dataDirs.join(', ')}`);
  return usage;
}

/** Allocated bytes (du) of everything under a directory. */
export function allocatedBytes(dir) {
  let sum = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sum += allocatedBytes(p);
    else if (e.isFile()) sum += fs.statSync(p).blocks * 512;
  }
  return sum;
}

// --- the catalogue ----------------------------------------------------------------------------

const PRODUCE_CASES = [
  { name: 'produce-1p', case: 'acks=1, RF=1, 1 partition', partitions: 1, rf: 1, acks: '1' },
  { name: 'produce-6p', case: 'acks=1, RF=1, 6 partitions', partitions: 6, rf: 1, acks: '1' },
  {
    name: 'produce-rf3',
    case: 'acks=all, RF=3, min.insync.replicas=2, 6 partitions',
    partitions: 6,
    rf: 3,
    acks: 'all',
    configs: { 'min.insync.replicas': '2' },
  },
];

/** Run `fn` while sampling the system's RSS; keeps the highest sample in ctx.peakRss. */
async function sampled(sys, ctx, fn) {
  const sampler = new RssSampler(sys.pids());
  try {
    return await fn();
  } finally {
    const { peakBytes } = sampler.stop();
    ctx.peakRss = Math.max(ctx.peakRss ?? 0, peakBytes);
  }
}

function produceWorkload(c) {
  return {
    name: c.name,
    family: 'produce',
    case: c.case,
    metrics: [
      { key: 'mibps', metric: 'MiB/s', better: 'higher', limit: 'disk' },
      { key: 'rps', metric: 'records/s', better: 'higher' },
      { key: 'p99', metric: 'producer p99 latency, ms', better: 'lower' },
    ],
    async run(sys, ctx) {
      const { settings } = ctx;
      const spec = { partitions: c.partitions, replicationFactor: c.rf, configs: c.configs ?? {} };
      const warm = `${c.name}-warmup`;
      await createTopic(sys.bootstrap, { name: warm, ...spec });
      await producerPerformance(sys.bootstrap, warm, settings.warmupRecords, c.acks, settings.toolTimeoutMs);
      await deleteTopics(sys.bootstrap, [warm]);
      const values = { mibps: [], rps: [], p99: [] };
      for (let rep = 1; rep <= settings.repetitions; rep++) {
        const topic = `${c.name}-${rep}`;
        await createTopic(sys.bootstrap, { name: topic, ...spec });
        const r = await sampled(sys, ctx, () =>
          producerPerformance(sys.bootstrap, topic, settings.produceRecords, c.acks, settings.toolTimeoutMs),
        );
        values.mibps.push(r.mibPerSec);
        values.rps.push(r.recordsPerSec);
        values.p99.push(r.p99Ms);
        log(
          `${sys.name} ${c.name} ${rep}/${settings.repetitions}: ${r.mibPerSec.toFixed(1)} MiB/s, ${Math.round(r.recordsPerSec)} records/s, p99 ${r.p99Ms} ms`,
        );
        await deleteTopics(sys.bootstrap, [topic]);
      }
      return values;
    },
  };
}

/** A 6-partition RF=1 topic filled once per system with consumeRecords records of 1 KiB. */
async function ensureConsumeSource(sys, ctx) {
  if (ctx.consumeTopic) return ctx.consumeTopic;
  const topic = 'consume-source';
  await createTopic(sys.bootstrap, { name: topic, partitions: 6, replicationFactor: 1 });
  const r = await producerPerformance(
    sys.bootstrap,
    topic,
    ctx.settings.consumeRecords,
    '1',
    ctx.settings.toolTimeoutMs,
  );
  log(
    `${sys.name} filled ${topic}: ${ctx.settings.consumeRecords} records (${r.mibPerSec.toFixed(1)} MiB/s)`,
  );
  ctx.consumeTopic = topic;
  return topic;
}

export const WORKLOADS = [
  {
    name: 'cold-start',
    family: 'cold-start',
    case: '3 brokers, fresh data directory',
    // Run by bench/run.mjs around the cluster starts themselves (no run() here).
    metrics: [
      {
        key: 'ready',
        metric: 'ms to the "started" log line (Kafka: all 3 nodes) / "ready" line (Eddy)',
        better: 'lower',
      },
      { key: 'metadata', metric: 'ms to Metadata listing 3 brokers', better: 'lower' },
      { key: 'produce', metric: 'ms to first acks=all produce on a new RF=3 topic', better: 'lower' },
    ],
  },
  {
    name: 'disk',
    family: 'disk',
    case: 'consume source: 6 partitions, RF=1, acks=1, 1 KiB records',
    metrics: [
      { key: 'all', metric: 'bytes/record, whole data directories', better: 'lower' },
      { key: 'log', metric: 'bytes/record, topic .log files', better: 'lower' },
      { key: 'index', metric: 'bytes/record, topic .index + .timeindex', better: 'lower' },
    ],
    // First on a fresh cluster: the data directories then hold only this topic, the cluster metadata
    // and the cold-start probe's one record, with no deleted topics waiting for removal.
    async run(sys, ctx) {
      const topic = await ensureConsumeSource(sys, ctx);
      const records = ctx.settings.consumeRecords;
      const t = topicDiskUsage(sys.dataDirs, topic);
      const all = sys.dataDirs.reduce((n, d) => n + allocatedBytes(d), 0);
      ctx.diskUsage = { ...t, all, records };
      log(
        `${sys.name} disk: ${all} B in the data directories; topic: ${t.log} B .log, ${t.index} B index, ${t.other} B other; ${records} records`,
      );
      return { all: [all / records], log: [t.log / records], index: [t.index / records] };
    },
  },
  ...PRODUCE_CASES.map(produceWorkload),
  {
    name: 'consume-perf',
    family: 'consume',
    case: 'ConsumerPerformance, 6 partitions, RF=1',
    metrics: [
      { key: 'fetch', metric: 'MiB/s (fetch)', better: 'higher', limit: 'loopback' },
      { key: 'total', metric: 'MiB/s (total, incl. group join)', better: 'higher', limit: 'loopback' },
    ],
    async run(sys, ctx) {
      const { settings } = ctx;
      const topic = await ensureConsumeSource(sys, ctx);
      await consumerPerformance(sys.bootstrap, topic, settings.warmupConsumeRecords, settings.toolTimeoutMs);
      const values = { fetch: [], total: [] };
      for (let rep = 1; rep <= settings.repetitions; rep++) {
        const r = await consumerPerformance(
          sys.bootstrap,
          topic,
          settings.consumeRecords,
          settings.toolTimeoutMs,
        );
        values.fetch.push(r.fetchMiBps);
        values.total.push(r.totalMiBps);
        log(
          `${sys.name} consume-perf ${rep}/${settings.repetitions}: fetch ${r.fetchMiBps.toFixed(1)} MiB/s, total ${r.totalMiBps.toFixed(1)} MiB/s (join ${r.rebalanceMs} ms)`,
        );
      }
      return values;
    },
  },
  {
    name: 'consume-kcat',
    family: 'consume',
    case: 'kcat (librdkafka), 6 partitions, RF=1',
    metrics: [{ key: 'mibps', metric: 'MiB/s', better: 'higher', limit: 'loopback' }],
    async run(sys, ctx) {
      const { settings } = ctx;
      const topic = await ensureConsumeSource(sys, ctx);
      await kcatConsume(sys.bootstrap, topic, settings.warmupConsumeRecords, settings.toolTimeoutMs);
      const values = { mibps: [] };
      for (let rep = 1; rep <= settings.repetitions; rep++) {
        const r = await kcatConsume(sys.bootstrap, topic, settings.consumeRecords, settings.toolTimeoutMs);
        values.mibps.push(r.mibPerSec);
        log(`${sys.name} consume-kcat ${rep}/${settings.repetitions}: ${r.mibPerSec.toFixed(1)} MiB/s`);
      }
      return values;
    },
  },
  ...[
    { name: 'latency-rf1', case: 'acks=1, RF=1, 1 partition', rf: 1, acks: '1', configs: {} },
    {
      name: 'latency-rf3',
      case: 'acks=all, RF=3, min.insync.replicas=2, 1 partition',
      rf: 3,
      acks: 'all',
      configs: { 'min.insync.replicas': '2' },
    },
  ].map((c) => ({
    name: c.name,
    family: 'latency',
    case: c.case,
    metrics: [
      { key: 'p50', metric: 'p50, ms', better: 'lower' },
      { key: 'p99', metric: 'p99, ms', better: 'lower' },
      { key: 'p999', metric: 'p99.9, ms', better: 'lower' },
    ],
    async run(sys, ctx) {
      const { settings } = ctx;
      const topic = c.name;
      await createTopic(sys.bootstrap, {
        name: topic,
        partitions: 1,
        replicationFactor: c.rf,
        configs: c.configs,
      });
      const opts = {
        rate: settings.latencyRate,
        seconds: settings.latencySeconds,
        warmupSeconds: settings.latencyWarmupSeconds,
        acks: c.acks,
      };
      const values = { p50: [], p99: [], p999: [] };
      for (let rep = 1; rep <= settings.repetitions; rep++) {
        const r = await fixedRateLatency(sys.bootstrap, topic, opts, settings.toolTimeoutMs);
        values.p50.push(r.p50_us / 1000);
        values.p99.push(r.p99_us / 1000);
        values.p999.push(r.p999_us / 1000);
        log(
          `${sys.name} ${c.name} ${rep}/${settings.repetitions}: p50 ${(r.p50_us / 1000).toFixed(2)} ms, p99 ${(r.p99_us / 1000).toFixed(2)} ms, p99.9 ${(r.p999_us / 1000).toFixed(2)} ms at ${r.rate.toFixed(0)}/s`,
        );
      }
      return values;
    },
  })),
  {
    name: 'memory',
    family: 'memory',
    case: '3 brokers',
    metrics: [
      { key: 'idle', metric: 'idle RSS, MiB', better: 'lower' },
      { key: 'peak', metric: 'peak RSS under produce load, MiB', better: 'lower' },
    ],
    async run(sys, ctx) {
      if (!ctx.peakRss) {
        // No produce workload ran (--only): sample one 6-partition produce here.
        await createTopic(sys.bootstrap, { name: 'memory-load', partitions: 6, replicationFactor: 1 });
        await sampled(sys, ctx, () =>
          producerPerformance(
            sys.bootstrap,
            'memory-load',
            ctx.settings.produceRecords,
            '1',
            ctx.settings.toolTimeoutMs,
          ),
        );
      }
      log(
        `${sys.name} memory: idle ${(ctx.idleRss / MiB).toFixed(0)} MiB, peak ${(ctx.peakRss / MiB).toFixed(0)} MiB`,
      );
      return { idle: [ctx.idleRss / MiB], peak: [ctx.peakRss / MiB] };
    },
  },
];

/** Idle RSS: median of a few samples after the cluster has settled. */
export async function idleRss(sys, settleMs) {
  await sleep(settleMs);
  const samples = [];
  for (let i = 0; i < 5; i++) {
    samples.push(treeRssBytes(sys.pids()));
    await sleep(400);
  }
  return median(samples);
}

/** Workloads selected by --only tokens (a token matches a name or its prefix: "produce", "consume"). */
export function selectWorkloads(only) {
  if (!only?.length) return WORKLOADS;
  const picked = WORKLOADS.filter((w) =>
    only.some((t) => w.name === t || w.name.startsWith(`${t}-`) || w.family === t),
  );
  const unknown = only.filter(
    (t) =>
      !WORKLOADS.some((w) => w.name === t || w.name.startsWith(`${t}-`) || w.family === t) && t !== 'limits',
  );
  if (unknown.length)
    throw new Error(
      `unknown workload(s): ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.name).join(', ')}, limits`,
    );
  return picked;
}
