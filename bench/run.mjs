#!/usr/bin/env node
// Eddy side by side with Apache Kafka on the same machine, in the same run, with the same clients
// (issue 6). Starts a 3-node Kafka 4.x KRaft cluster, runs every workload, stops it; then the same
// for a 3-broker `eddy serve`; measures the machine's disk and loopback limits; prints a Markdown
// report and writes docs/benchmarks.md + docs/benchmarks.json. See bench/README.md.
//
//   npm run bench                          full run (3 repetitions; about 20 minutes on 2 cores)
//   npm run bench -- --quick               smoke run (1 repetition, small counts; < 5 minutes)
//   npm run bench -- --only produce-1p,limits --no-write
//   npm run bench -- --quick --no-write --output /tmp/bench.md
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { coldStartProbe, waitForBrokers } from './lib/client.mjs';
import { eddyVersion, prepareEddy } from './lib/eddy.mjs';
import { KAFKA_HEAP, KAFKA_OVERRIDES, prepareKafkaCluster } from './lib/kafka-cluster.mjs';
import { diskWriteMiBps, loopbackMiBps } from './lib/limits.mjs';
import { killAll } from './lib/proc.mjs';
import { countTableRows, renderReport } from './lib/report.mjs';
import { summarize } from './lib/stats.mjs';
import { KAFKA_VERSION, ROOT, TOOL_HEAP, checkTools, javaVersion, kcatVersions } from './lib/tools.mjs';
import { RECORD_SIZE, WORKLOADS, idleRss, selectWorkloads } from './lib/workloads.mjs';

const HELP = `Usage: node bench/run.mjs [options]   (npm run bench -- [options])

  --quick            smoke run: 1 repetition, small record counts (finishes within 5 minutes)
  --no-write         do not write docs/benchmarks.md and docs/benchmarks.json
  --output FILE      write the Markdown report to FILE (and the JSON to FILE with .json) instead of docs/
  --only A,B         run only these workloads (names or prefixes: ${WORKLOADS.map((w) => w.name).join(', ')}, limits;
                     "produce", "consume", "latency" pick a family); repeatable
  --systems A,B      kafka, eddy or both (default kafka,eddy)
  --repetitions N    measured repetitions per workload (default 3, --quick 1)
  --scale F          multiply record counts and latency durations by F (for development smokes)
  --keep             keep the temporary data directories
  -h, --help         this help

A --quick run prints its report but writes docs/ only with --output, so that a smoke run never
replaces the full results. Needs the Kafka jars, java/javac and kcat: bash .ci/run installs them.
`;

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    output: { type: 'string' },
    only: { type: 'string', multiple: true, default: [] },
    systems: { type: 'string', default: 'kafka,eddy' },
    repetitions: { type: 'string' },
    scale: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (opts.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const MiB = 2 ** 20;
const scale = Number(opts.scale);
const scaled = (n, min = 1) => Math.max(min, Math.round(n * scale));
const only = opts.only
  .flatMap((s) => s.split(','))
  .map((s) => s.trim())
  .filter(Boolean);
const systems = opts.systems.split(',').map((s) => s.trim());
if (systems.some((s) => s !== 'kafka' && s !== 'eddy')) {
  console.error(`bench: --systems takes kafka and/or eddy (got ${opts.systems})`);
  process.exit(2);
}
let selected;
try {
  selected = selectWorkloads(only);
} catch (err) {
  console.error(`bench: ${err.message}`);
  process.exit(2);
}
const runLimits = only.length === 0 || only.includes('limits');

const quick = opts.quick;
const settings = {
  recordSize: RECORD_SIZE,
  repetitions: opts.repetitions ? Number(opts.repetitions) : quick ? 1 : 3,
  coldStartRepetitions: opts.repetitions ? Number(opts.repetitions) : quick ? 1 : 3,
  produceRecords: scaled(quick ? 50_000 : 200_000, 100),
  warmupRecords: scaled(quick ? 20_000 : 50_000, 100),
  consumeRecords: scaled(quick ? 131_072 : 1_048_576, 100), // 128 MiB / 1 GiB of 1 KiB records
  warmupConsumeRecords: scaled(quick ? 32_768 : 262_144, 100),
  latencyRate: 1000,
  latencySeconds: Math.max(1, (quick ? 5 : 15) * scale),
  latencyWarmupSeconds: Math.max(0.5, (quick ? 1 : 3) * Math.min(1, scale)),
  diskLimitBytes: scaled(quick ? 512 : 1024, 16) * MiB,
  loopbackBytes: scaled(quick ? 1024 : 2048, 64) * MiB, // ≥ 1 GiB unless --scale shrinks it
  settleMs: quick ? 3_000 : 10_000,
  toolTimeoutMs: quick ? 180_000 : 900_000,
  kafkaHeap: KAFKA_HEAP,
  toolHeap: TOOL_HEAP,
  kafkaOverrides: KAFKA_OVERRIDES,
};

try {
  checkTools();
  if (
    !fs.existsSync(path.join(ROOT, 'out', 'engine', 'client.mjs')) ||
    !fs.existsSync(path.join(ROOT, 'out', 'cli', 'eddy.mjs'))
  )
    throw new Error('the engine is not built: run `npm run bench` (it builds first) or `npm run build`');
} catch (err) {
  console.error(`bench: ${err.message}`);
  process.exit(1);
}

// Everything the run creates lives here, on the disk whose write bandwidth is measured.
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-bench-'));
const cleanUp = () => {
  killAll('SIGKILL');
  if (!opts.keep) fs.rmSync(tmpRoot, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    log(`${signal}: stopping every process this run started`);
    cleanUp();
    process.exit(130);
  });
}
process.once('exit', () => killAll('SIGKILL'));

function osName() {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1];
    return `${pretty ?? os.type()}, Linux ${os.release()}`;
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

function gitDescribe() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    // --no-optional-locks: read only, never refresh the index.
    const dirty = execFileSync(
      'git',
      ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=no'],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).trim();
    return `${sha}${dirty ? ' + local changes' : ''}`;
  } catch {
    return 'unknown commit';
  }
}

const started = Date.now();
const kcat = kcatVersions();
const result = {
  schema: 1,
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  only,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memoryGiB: os.totalmem() / 2 ** 30,
    os: osName(),
    loadAverageAtStart: os.loadavg(),
  },
  versions: {
    node: process.version,
    java: javaVersion(),
    kafka: KAFKA_VERSION,
    eddy: `${eddyVersion()} (${gitDescribe()})`,
    kcat: kcat.kcat,
    librdkafka: kcat.librdkafka,
  },
  settings,
  limits: {},
  metrics: [],
  errors: [],
};
log(
  `${result.mode} run; systems ${systems.join(', ')}; workloads ${[...selected.map((w) => w.name), ...(runLimits ? ['limits'] : [])].join(', ')}; temp ${tmpRoot}`,
);

// --- machine limits ---------------------------------------------------------------------------
async function measureLimit(name, detail, fn) {
  const runs = [];
  try {
    for (let rep = 1; rep <= settings.repetitions; rep++) {
      runs.push(await fn());
      log(`limit ${name} ${rep}/${settings.repetitions}: ${runs.at(-1).toFixed(0)} MiB/s`);
    }
    result.limits[name] = { summary: summarize(runs), runs, detail };
  } catch (err) {
    result.limits[name] = { error: err.message, detail };
    result.errors.push({ system: 'machine', workload: `limit ${name}`, message: err.message });
  }
}
if (runLimits) {
  await measureLimit(
    'disk',
    `${settings.diskLimitBytes / MiB} MiB in 1 MiB writes, then fsync, in the data directories' file system`,
    async () => diskWriteMiBps(tmpRoot, settings.diskLimitBytes),
  );
  await measureLimit(
    'loopback',
    `${settings.loopbackBytes / MiB} MiB over 127.0.0.1, Node sender and receiver processes`,
    () => loopbackMiBps(settings.loopbackBytes),
  );
}

// --- the systems ------------------------------------------------------------------------------
const prepare = { kafka: prepareKafkaCluster, eddy: prepareEddy };
/** outcomes[workload][system] = { values } | { error } */
const outcomes = {};
const record = (w, system, outcome) => {
  (outcomes[w.name] ??= {})[system] = outcome;
  if (outcome.error) {
    result.errors.push({ system, workload: w.name, message: outcome.error });
    log(`${system} ${w.name} failed: ${outcome.error.split('\n')[0]}`);
  }
};

/** One cold start: launch, probe (Metadata with 3 brokers, then a first acks=all produce). */
async function coldStart(system, sys, values, rep) {
  const probe = await coldStartProbe(sys.bootstrap, sys.spawnedAt);
  values.ready.push(sys.readyMs);
  values.metadata.push(probe.metadataMs);
  values.produce.push(probe.produceMs);
  log(
    `${system} cold start ${rep}/${settings.coldStartRepetitions}: "started" ${sys.readyMs.toFixed(0)} ms, Metadata ${probe.metadataMs.toFixed(0)} ms, first produce ${probe.produceMs.toFixed(0)} ms`,
  );
}

for (const system of systems) {
  const ctx = { settings };
  const coldStartWorkload = selected.find((w) => w.name === 'cold-start');
  const shared = selected.filter((w) => w.name !== 'cold-start');
  const cold = { ready: [], metadata: [], produce: [] };
  let coldError;
  // The shared cluster's own start counts as the last cold start; earlier repetitions get their
  // own short-lived clusters.
  if (coldStartWorkload) {
    for (let rep = 1; rep < settings.coldStartRepetitions && !coldError; rep++) {
      const dir = path.join(tmpRoot, `${system}-cold-${rep}`);
      let sys;
      try {
        sys = await (await prepare[system](dir)).launch();
        await coldStart(system, sys, cold, rep);
      } catch (err) {
        coldError = err.message;
      } finally {
        await sys?.stop();
        if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const dir = path.join(tmpRoot, system);
  let sys;
  try {
    sys = await (await prepare[system](dir)).launch();
    if (coldStartWorkload && !coldError) await coldStart(system, sys, cold, settings.coldStartRepetitions);
    else await waitForBrokers(sys.bootstrap, 3, Date.now() + 180_000);
    log(`${system} up at ${sys.bootstrap}`);
    if (coldStartWorkload)
      record(coldStartWorkload, system, coldError ? { error: coldError } : { values: cold });
    if (shared.some((w) => w.name === 'memory')) ctx.idleRss = await idleRss(sys, settings.settleMs);
  } catch (err) {
    const tail = sys?.logTail?.(15) ?? '';
    for (const w of selected)
      if (!outcomes[w.name]?.[system])
        record(w, system, { error: `${system} did not start: ${err.message}` });
    if (tail) log(tail);
    await sys?.stop();
    if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
    continue;
  }
  try {
    for (const w of shared) {
      if (!sys.alive()) {
        record(w, system, { error: `${system} exited during an earlier workload` });
        continue;
      }
      try {
        record(w, system, { values: await w.run(sys, ctx) });
      } catch (err) {
        record(w, system, { error: err.message });
      }
    }
  } finally {
    await sys.stop();
    if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

// --- report -----------------------------------------------------------------------------------
for (const w of selected) {
  for (const def of w.metrics) {
    const side = (system) => {
      const o = outcomes[w.name]?.[system];
      if (!o) return undefined;
      if (o.error) return { error: o.error };
      const runs = o.values[def.key] ?? [];
      return { summary: summarize(runs), runs };
    };
    result.metrics.push({
      id: `${w.name}.${def.key}`,
      workload: w.name,
      family: w.family,
      case: w.case,
      metric: def.metric,
      better: def.better,
      limit: def.limit ?? null,
      kafka: side('kafka'),
      eddy: side('eddy'),
    });
  }
}
result.machine.loadAverageAtEnd = os.loadavg();
result.durationSeconds = (Date.now() - started) / 1000;
result.notes = [
  `Systems run one after the other on the same machine, Kafka first: Apache Kafka ${KAFKA_VERSION} as 3 KRaft nodes, each a combined broker+controller JVM (static quorum of the 3 controllers) with -Xms${KAFKA_HEAP} -Xmx${KAFKA_HEAP} and the G1 flags of bin/kafka-run-class.sh — the heap bin/kafka-server-start.sh gives by default; 3 GiB of the machine's ${Math.round(result.machine.memoryGiB)} GiB, leaving the rest to the page cache that Kafka serves reads from. Broker settings are Kafka's defaults except ${Object.entries(
    KAFKA_OVERRIDES,
  )
    .map(([k, v]) => `${k}=${v}`)
    .join(
      ', ',
    )}. Eddy: \`bin/eddy.js serve --no-ui --brokers 3 --port 0\`, one Node process with a worker thread per broker, its defaults.`,
  `Clients are the same for both: ProducerPerformance and ConsumerPerformance from the kafka-tools ${KAFKA_VERSION} jar (JVM -Xmx${TOOL_HEAP}, as the perf-test scripts set), kcat ${kcat.kcat} (librdkafka ${kcat.librdkafka}), and bench/java/FixedRateLatency.java on the Kafka ${KAFKA_VERSION} Java client. Topics are created (and deleted after each run) with Eddy's own admin client.`,
  `Produce: ${settings.produceRecords.toLocaleString('en-US')} records of ${RECORD_SIZE} B per run, unthrottled, producer defaults except acks (linger.ms=5, batch.size=16384; idempotence on for acks=all). A warm-up run of ${settings.warmupRecords.toLocaleString('en-US')} records on its own topic precedes the measured runs; each run writes a fresh topic. MiB/s and latency are ProducerPerformance's own summary (its "MB" is 2^20 bytes).`,
  `Consume: a 6-partition RF=1 topic filled once with ${settings.consumeRecords.toLocaleString('en-US')} records (${formatMiB(settings.consumeRecords * RECORD_SIZE)}), then read from the beginning — ConsumerPerformance in a fresh group each run, kcat \`-C -o beginning -e -c N -f '%S\\n'\` as a plain consumer; one warm-up read of ${settings.warmupConsumeRecords.toLocaleString('en-US')} records each. The data is in the page cache for both systems.`,
  `End-to-end latency: bench/java/FixedRateLatency sends ${settings.latencyRate} records/s (${RECORD_SIZE} B, linger.ms=0) for ${settings.latencySeconds} s after a ${settings.latencyWarmupSeconds} s warm-up that is not counted; a consumer in the same JVM (assigned, fetch defaults) subtracts the nanoTime stamped in each record. Kafka's EndToEndLatency tool was not used: it keeps a single record in flight (no fixed rate), polls with fetch.max.wait.ms=0, and truncates each sample to whole milliseconds.`,
  `Cold start: ${settings.coldStartRepetitions} fresh cluster(s) per system in new, empty directories (the last one is the cluster the other workloads then use); the clock starts just before spawning (all 3 JVMs at once for Kafka). Memory: idle after ${settings.settleMs / 1000} s of settling; peak sampled during the produce runs. Disk: measured first on the shared cluster, right after the consume source is filled.`,
  `Machine limits are measured in the same run, before the systems. A produce figure is compared with the disk's fsynced write bandwidth although neither system fsyncs per write (Kafka's default flush policy leaves it to the OS), so it can exceed 100 %. A consume figure is compared with one TCP stream between two processes.`,
];
if (
  result.machine.loadAverageAtStart[0] > result.machine.cpus ||
  result.machine.loadAverageAtEnd[0] > result.machine.cpus
)
  result.notes.push(
    `The machine had other work during this run (load average above the ${result.machine.cpus} cores at start or end): compare the two systems within this run only.`,
  );

function formatMiB(bytes) {
  return bytes >= 2 ** 30
    ? `${(bytes / 2 ** 30).toFixed(bytes % 2 ** 30 ? 2 : 0)} GiB`
    : `${(bytes / MiB).toFixed(0)} MiB`;
}

const report = renderReport(result);
process.stdout.write(`${report}\n`);

const BEGIN = '<!-- bench:begin (generated by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:end -->';
function writeDocs(mdFile, jsonFile, standalone) {
  fs.mkdirSync(path.dirname(mdFile), { recursive: true });
  let text;
  const block = `${BEGIN}\n${report}\n${END}`;
  const existing = !standalone && fs.existsSync(mdFile) ? fs.readFileSync(mdFile, 'utf8') : '';
  if (existing.includes(BEGIN) && existing.includes(END)) {
    text =
      existing.slice(0, existing.indexOf(BEGIN)) + block + existing.slice(existing.indexOf(END) + END.length);
  } else {
    text = `# Benchmarks\n\nProduced by \`npm run bench\` (bench/run.mjs, see bench/README.md): Eddy and Apache Kafka on the same\nmachine, in the same run, through the same clients. Absolute numbers depend on the machine and its load;\ncompare only figures from the same run. Raw figures: [benchmarks.json](benchmarks.json).\n\n${block}\n`;
  }
  fs.writeFileSync(mdFile, text.endsWith('\n') ? text : `${text}\n`);
  fs.writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  log(
    `wrote ${path.relative(process.cwd(), mdFile) || mdFile} and ${path.relative(process.cwd(), jsonFile) || jsonFile}`,
  );
}

if (opts.output) {
  const md = path.resolve(opts.output);
  writeDocs(md, md.replace(/(\.md)?$/, '.json'), true);
} else if (!opts['no-write'] && !quick) {
  writeDocs(path.join(ROOT, 'docs', 'benchmarks.md'), path.join(ROOT, 'docs', 'benchmarks.json'), false);
}
log(
  `done in ${result.durationSeconds.toFixed(0)} s: ${countTableRows(report)} table rows, ${result.errors.length} error(s)`,
);
cleanUp();
