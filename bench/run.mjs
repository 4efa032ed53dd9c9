#!/usr/bin/env node
// Measures produce and consume throughput of 1 KiB records against `eddy serve`, with real clients:
// Kafka's ProducerPerformance (kafka-tools jar) to produce and kcat (librdkafka) to consume.
// Not a test: it prints a Markdown table and writes docs/benchmarks.md (unless --no-write).
//
//   npm run bench                 # full run
//   npm run bench -- --quick      # a smaller smoke run
//
// The Kafka jars come from `bash .ci/run` (or `source scripts/tools-env.sh && eddy_install_kafka_libs`).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const write = !args.includes('--no-write');
const RECORD_SIZE = 1024;
const RECORDS = quick ? 100_000 : 1_000_000;
const REPEATS = quick ? 1 : 3;

function kafkaLibs() {
  if (process.env.EDDY_KAFKA_LIBS) return process.env.EDDY_KAFKA_LIBS;
  const versions = fs.readFileSync(path.join(root, 'tests/interop/tools.versions'), 'utf8');
  const version = /^KAFKA_VERSION=(.+)$/m.exec(versions)?.[1];
  const cache = process.env.EDDY_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'eddy');
  return path.join(cache, `kafka-${version}`, 'libs');
}

const libs = kafkaLibs();
if (!fs.existsSync(path.join(libs, '.complete'))) {
  console.error(`bench: Kafka's perf tools are not installed (looked in ${libs}).`);
  console.error('Install them with: source scripts/tools-env.sh && eddy_install_kafka_libs');
  process.exit(1);
}
const classpath = `${libs}/*`;

function startEddy(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/eddy.js'), 'serve', '--data-dir', dataDir, '--port', '0', '--no-ui'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^ready .*bootstrap=(\S+)/m.exec(out);
      if (m) resolve({ child, bootstrap: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`eddy serve exited with ${code}: ${err}`)));
  });
}

function java(mainClass, toolArgs) {
  return execFileSync('java', ['-Xmx512m', '-cp', classpath, mainClass, ...toolArgs], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function producePerf(bootstrap, topic, acks) {
  const out = java('org.apache.kafka.tools.ProducerPerformance', [
    '--topic', topic,
    '--num-records', String(RECORDS),
    '--record-size', String(RECORD_SIZE),
    '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${bootstrap}`, `acks=${acks}`, 'linger.ms=5', 'batch.size=65536',
  ]);
  // Last line: "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, p50 ..."
  const line = out.trim().split('\n').filter((l) => l.includes('records sent')).pop() ?? '';
  const m = /([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency.*?([\d.]+) ms 50th, ([\d.]+) ms 95th, ([\d.]+) ms 99th/.exec(line);
  if (!m) throw new Error(`could not read ProducerPerformance output:\n${out}`);
  return { recordsPerSec: Number(m[1]), mbPerSec: Number(m[2]), avgLatencyMs: Number(m[3]), p50: Number(m[4]), p99: Number(m[6]) };
}

/**
 * Consume throughput through librdkafka (kcat) as a plain assigned consumer: consumer groups, which
 * ConsumerPerformance needs, arrive with the group coordinator.
 */
function consumePerf(bootstrap, topic, partitions) {
  const started = process.hrtime.bigint();
  const out = execFileSync(
    'kcat',
    ['-b', bootstrap, '-t', topic, '-C', '-o', 'beginning', '-e', '-q', '-f', '%S\n', '-X', 'fetch.message.max.bytes=1048576'],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const lines = out.split('\n').filter(Boolean);
  const bytes = lines.reduce((n, l) => n + Number(l), 0);
  if (lines.length !== RECORDS) throw new Error(`kcat read ${lines.length} of ${RECORDS} records from ${topic} (${partitions} partitions)`);
  return { mbPerSec: bytes / 2 ** 20 / seconds, recordsPerSec: lines.length / seconds };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => (xs.length > 1 ? `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}` : '—');

/**
 * Time from killing a partition's leader to the first acks=all produce that succeeds on the moved
 * partition, with Eddy's own client (retries with a 50 ms backoff, fresh metadata each try).
 */
async function failoverTime(bootstrap, dataDir) {
  const { Admin, Producer } = await import(path.join(root, 'out/engine/client.mjs'));
  const admin = new Admin({ bootstrap });
  await admin.createTopics([{ name: 'failover', numPartitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]);
  const producer = new Producer({ bootstrap, retries: 100, retryBackoffMs: 20, maxRetryBackoffMs: 50 }, { acks: -1, lingerMs: 0, retries: 100 });
  try {
    await producer.send({ topic: 'failover', value: 'before' });
    const [described] = await admin.describeTopics(['failover']);
    const leader = described.partitions[0].leader;
    const killedAt = process.hrtime.bigint();
    execFileSync(process.execPath, [path.join(root, 'bin/eddy.js'), 'broker', 'kill', String(leader), '--data-dir', dataDir]);
    await producer.send({ topic: 'failover', value: 'after' });
    const ms = Number(process.hrtime.bigint() - killedAt) / 1e6;
    execFileSync(process.execPath, [path.join(root, 'bin/eddy.js'), 'broker', 'start', String(leader), '--data-dir', dataDir]);
    return ms;
  } finally {
    await producer.close();
    await admin.close();
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-bench-'));
const { child, bootstrap } = await startEddy(dataDir);
const rows = [];
let failoverMs = [];
const createTopic = (topic, partitions, rf, extra = []) =>
  java('org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', bootstrap, '--create', '--topic', topic, '--partitions', String(partitions), '--replication-factor', String(rf), ...extra]);
try {
  // Warm-up: JIT of both sides, topic creation.
  createTopic('warmup', 1, 1);
  java('org.apache.kafka.tools.ProducerPerformance', ['--topic', 'warmup', '--num-records', '20000', '--record-size', String(RECORD_SIZE), '--throughput', '-1', '--producer-props', `bootstrap.servers=${bootstrap}`]);
  const cases = [
    { label: 'acks=1, RF=1, 1 partition', partitions: 1, rf: 1, acks: '1' },
    { label: 'acks=1, RF=1, 6 partitions', partitions: 6, rf: 1, acks: '1' },
    { label: 'acks=all, RF=3, min.insync=2, 6 partitions', partitions: 6, rf: 3, acks: 'all', extra: ['--config', 'min.insync.replicas=2'] },
  ];
  for (const c of cases) {
    const produced = [];
    const consumed = [];
    for (let i = 0; i < REPEATS; i++) {
      const topic = `bench-${c.partitions}-${c.rf}-${i}`;
      createTopic(topic, c.partitions, c.rf, c.extra ?? []);
      produced.push(producePerf(bootstrap, topic, c.acks));
      consumed.push(consumePerf(bootstrap, topic, c.partitions));
      console.error(`${c.label} run ${i + 1}/${REPEATS}: produce ${produced.at(-1).mbPerSec} MB/s, consume ${consumed.at(-1).mbPerSec.toFixed(1)} MB/s`);
    }
    rows.push({ label: c.label, produced, consumed });
  }
  for (let i = 0; i < REPEATS; i++) {
    failoverMs.push(await failoverTime(bootstrap, dataDir));
    console.error(`failover run ${i + 1}/${REPEATS}: ${failoverMs.at(-1).toFixed(0)} ms`);
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = [
  `Eddy ${JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version} (3 brokers in worker threads) on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  `Clients: Apache Kafka ${path.basename(path.dirname(libs)).replace('kafka-', '')} ProducerPerformance (produce) and kcat/librdkafka (consume, whole process time incl. start-up), ${RECORDS.toLocaleString('en')} records of ${RECORD_SIZE} B, ${REPEATS} run(s) each: median (min–max).`,
];
const table = [
  '| case | produce MB/s | produce records/s | produce p99 latency ms | consume MB/s | consume records/s |',
  '|---|---|---|---|---|---|',
  ...rows.map(({ label, produced, consumed }) => {
    const pm = produced.map((r) => r.mbPerSec);
    const cm = consumed.map((r) => r.mbPerSec);
    return `| ${label} | ${median(pm).toFixed(1)} (${spread(pm)}) | ${Math.round(median(produced.map((r) => r.recordsPerSec)))} | ${median(produced.map((r) => r.p99))} | ${median(cm).toFixed(1)} (${spread(cm)}) | ${Math.round(median(consumed.map((r) => r.recordsPerSec)))} |`;
  }),
  '',
  `Failover: from \`eddy broker kill <leader>\` to the first successful acks=all produce on the moved partition (RF=3, min.insync.replicas=2): median ${median(failoverMs).toFixed(0)} ms (${spread(failoverMs)} ms).`,
];
const report = [...header, '', ...table].join('\n');
console.log(report);
if (write && !quick) {
  const file = path.join(root, 'docs', 'benchmarks.md');
  const intro = `# Benchmarks\n\nProduced by \`npm run bench\` (bench/run.mjs). Absolute numbers depend on the machine and its load;\ncompare only figures measured in the same run.\n\n## Throughput against \`eddy serve\` (${new Date().toISOString().slice(0, 10)})\n\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, intro + report + '\n');
  console.error(`wrote ${path.relative(root, file)}`);
}
