// Failover with real clients against a real 3-broker `eddy serve` (brokers in worker threads), driven
// from outside the way a user would: `eddy broker stop|kill|start` through the control socket, SIGTERM
// and SIGKILL of the serve process. One serve for the whole file; tests leave the cluster healthy
// (every broker up, every replica in the ISR, preferred leaders) for the next one.
//
//   1. leader kill under load: a Java producer and a librdkafka producer (acks=all, idempotent) each
//      send 100,000 keyed records; the leader of a partition both write to is killed mid-way and
//      started again at once; every acknowledged record is stored exactly once, at the offset its ack
//      named, in sequence order.
//   2. stopped follower: catches up, rejoins the ISR (Kafka's TopicCommand --describe), preferred
//      leaders come back, and it alone can serve everything.
//   After each test every partition of every topic so far must take an acks=all write within 10 s
//   (probeWrites): a replica that metadata shows in the ISR but that stopped fetching fails here.
//   3. two of three brokers down: acks=all fails with NOT_ENOUGH_REPLICAS (confluent-kafka's error
//      name, Java's NotEnoughReplicasException), nothing acknowledged is lost; one back: sends succeed.
//   4. kafka-python, confluent-kafka, kafkajs and Java each follow leader moves (stop, preferred
//      election back, kill) with the same producer instance, then read everything.
//   5. whole-process restarts, SIGTERM and SIGKILL (the latter in the middle of production): the same
//      topics, replicas, leaders, configs and all acknowledged records.
//
// Clients: tests/interop/clients/java/FailoverClient.java, clients/failover_confluent.py,
// clients/failover_kafka_python.py (record layout and the stdin/stdout step protocol are described in
// clients/failover_common.py), kafkajs in process.
import { type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import {
  ConfigResourceTypes,
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type PartitionMetadata,
  type Producer,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eddyCommand, startEddy, type EddyServer } from './harness/eddy.js';
import {
  OutputTail,
  assertSuccess,
  killAllChildren,
  runProcess,
  spawnTracked,
  tail,
} from './harness/proc.js';
import { murmur2Partition } from './harness/scenario.js';
import { targetEnabled } from './harness/targets.js';
import {
  INTEROP_DIR,
  KAFKA_VERSION,
  REPO_ROOT,
  cacheDir,
  detectTool,
  javaPath,
  javacPath,
  kafkaClasspath,
  pythonPath,
  requireTool,
  toolsLog4jConfigFile,
  type ToolName,
} from './harness/tools.js';

const TOOLS: ToolName[] = ['java', 'javac', 'kafka-libs', 'confluent-kafka', 'kafka-python'];
const CLIENTS_DIR = join(INTEROP_DIR, 'clients');
const JAVA_SOURCE = join(CLIENTS_DIR, 'java', 'FailoverClient.java');
const FILLER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PARTITIONS = 3;
/** Records per producer in the leader-kill test (the requirement's number). */
const LOAD_RECORDS = 100_000;
/** Records a second per load producer: production must still be running when the leader dies. */
const LOAD_RATE = Number(process.env.EDDY_FAILOVER_RATE || 8000);
/** Bound for a client process's whole run, and for each of its steps. */
const CLIENT_TIMEOUT_S = 90;
const TEST_TIMEOUT_MS = 180_000;
/** Bound for the cluster to reach a state (leaders moved, ISR full, preferred leaders back). */
const SETTLE_MS = 30_000;

function log(msg: string): void {
  console.log(`[failover] ${msg}`);
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    log(`${label}: ${Date.now() - t} ms`);
  }
}

// ---------------------------------------------------------------------------------------------
// The cluster: one `eddy serve --brokers 3` on a data dir of ours (kept across whole-process restarts).

let server: EddyServer | undefined;
let dataDir = '';
let workDir = '';
let admin: Admin | undefined;
let javaClasses = '';
let ready = false;

/** Every broker's host:port from the `ready` line (clients must find the cluster with broker 1 down). */
function brokers(): string[] {
  const m = server!.readyLine.match(/\bbootstrap=(\S+)/);
  if (!m) throw new Error(`no bootstrap list in ${server!.readyLine}`);
  return m[1].split(',');
}
const bootstrap = (): string => brokers().join(',');

async function serve(): Promise<void> {
  // --port 0 on every start: a restart reuses each broker's previous port when it is free (a fixed
  // --port P would bind P..P+2, which need not be the ports the first start picked).
  server = await startEddy({ brokers: 3, dataDir, port: 0 });
  admin = new Kafka({
    clientId: 'eddy-failover-admin',
    brokers: brokers(),
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 },
  }).admin();
  await admin.connect();
  log(`eddy serve: ${server.readyLine}`);
}

async function closeAdmin(): Promise<void> {
  const a = admin;
  admin = undefined;
  await a?.disconnect().catch(() => undefined);
}

async function eddy(args: string[], what: string, timeoutMs = 30_000): Promise<string> {
  const [cmd, argv] = eddyCommand(args);
  const r = await runProcess(cmd, argv, { cwd: REPO_ROOT, timeoutMs });
  assertSuccess(r, what);
  return r.stdout.toString('utf8');
}

/** `eddy broker stop|kill|start ID` against the running serve. */
async function broker(action: 'stop' | 'kill' | 'start', id: number): Promise<void> {
  await timed(`eddy broker ${action} ${id}`, () =>
    eddy(['broker', action, String(id), '--data-dir', dataDir], `eddy broker ${action} ${id}`),
  );
}

async function createTopic(topic: string, configs: Record<string, string>): Promise<void> {
  const args = ['topics', 'create', topic, '--partitions', String(PARTITIONS), '--replication-factor', '3'];
  for (const [k, v] of Object.entries(configs)) args.push('--config', `${k}=${v}`);
  await eddy([...args, '--bootstrap-server', bootstrap()], `eddy topics create ${topic}`);
  await settle(`${topic}: every partition led and fully replicated`, [topic], (p) => healthy(p));
}

async function partitions(topic: string): Promise<PartitionMetadata[]> {
  const md = await admin!.fetchTopicMetadata({ topics: [topic] });
  const parts = md.topics.find((t) => t.name === topic)?.partitions ?? [];
  return [...parts].sort((a, b) => a.partitionId - b.partitionId);
}

function showPartitions(parts: PartitionMetadata[]): string {
  return parts
    .map(
      (p) => `p${p.partitionId} leader ${p.leader} replicas ${p.replicas.join(',')} isr ${p.isr.join(',')}`,
    )
    .join('; ');
}

/** Every replica in the ISR and the preferred replica (the first) leading. */
function healthy(p: PartitionMetadata): boolean {
  return p.leader === p.replicas[0] && p.replicas.every((r) => p.isr.includes(r));
}

/**
 * Wait (bounded) until every partition of `topics` satisfies `ok`. The cluster changes on its own
 * schedule (ISR expansion when a follower catches up, preferred election every 5 s), so this asks the
 * metadata every 200 ms; it never waits longer than needed.
 */
async function settle(
  what: string,
  topics: string[],
  ok: (p: PartitionMetadata, topic: string) => boolean,
  timeoutMs = SETTLE_MS,
): Promise<number> {
  const started = Date.now();
  let last = 'no answer';
  for (;;) {
    try {
      let all = true;
      const seen: string[] = [];
      for (const topic of topics) {
        const parts = await partitions(topic);
        seen.push(`${topic}: ${showPartitions(parts)}`);
        if (parts.length !== PARTITIONS || !parts.every((p) => ok(p, topic))) all = false;
      }
      last = seen.join('\n  ');
      if (all) return Date.now() - started;
    } catch (err) {
      last = String(err);
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `${what}: not reached within ${timeoutMs} ms; last metadata:\n  ${last}\n${diagnostics(topics)}`,
      );
    await delay(200);
  }
}

/** For failure messages: the cluster's recent events (timeline.jsonl) for `topics`, and eddy's stderr. */
function diagnostics(topics: string[]): string {
  let events: string[] = [];
  try {
    events = readFileSync(join(dataDir, 'timeline.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l && (topics.some((t) => l.includes(`"${t}"`)) || l.includes('"broker-')));
  } catch {
    // no timeline
  }
  return `--- timeline.jsonl (last 40 events of these topics and brokers) ---\n${events.slice(-40).join('\n')}\n${server?.logTail(30) ?? ''}`;
}

const PROBE_PREFIX = 'probe-';
/** Bound for one acks=all write on a healthy cluster (normally a few ms). */
const PROBE_MS = 10_000;

/**
 * One acks=all write to every partition of `topics`, all bounded by PROBE_MS: the ISR that metadata
 * shows must also be the ISR that acknowledges. (A replica that stopped fetching stays in the ISR for
 * replica.lag.time.max.ms, 30 s, and holds the high watermark back until then.)
 */
async function probeWrites(topics: string[], label: string): Promise<void> {
  const producer = new Kafka({
    clientId: 'eddy-failover-probe',
    brokers: brokers(),
    logLevel: logLevel.NOTHING,
  }).producer({ allowAutoTopicCreation: false, retry: { retries: 3, initialRetryTime: 100 } });
  await producer.connect();
  const slow: string[] = [];
  const started = Date.now();
  try {
    await Promise.all(
      topics.flatMap((topic) =>
        Array.from({ length: PARTITIONS }, async (_, partition) => {
          const t0 = Date.now();
          const send = producer.send({
            topic,
            acks: -1,
            timeout: PROBE_MS,
            messages: [{ partition, key: `${PROBE_PREFIX}${label}-${partition}`, value: 'probe' }],
          });
          send.catch(() => undefined); // the race below reports it
          let timer: NodeJS.Timeout | undefined;
          try {
            await Promise.race([
              send,
              new Promise((_, reject) => {
                timer = setTimeout(() => reject(new Error('no acknowledgement')), PROBE_MS);
              }),
            ]);
          } catch (err) {
            slow.push(`${topic}-${partition}: ${(err as Error).message} after ${Date.now() - t0} ms`);
          } finally {
            clearTimeout(timer);
          }
        }),
      ),
    );
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  if (slow.length) {
    const parts = await Promise.all(topics.map(async (t) => `${t}: ${showPartitions(await partitions(t))}`));
    throw new Error(
      `${label}: acks=all writes not acknowledged within ${PROBE_MS} ms:\n  ${slow.join('\n  ')}\nmetadata:\n  ${parts.join('\n  ')}\n${diagnostics(topics)}`,
    );
  }
  log(
    `${label}: acks=all write to all ${topics.length * PARTITIONS} partitions in ${Date.now() - started} ms`,
  );
}

/** Every broker up, full ISRs, preferred leaders, and every partition acknowledging acks=all writes. */
async function wholeAndWritable(label: string): Promise<void> {
  const ms = await settle(
    `${label}: all topics fully replicated with preferred leaders`,
    shared.topics,
    healthy,
  );
  log(`${label}: cluster whole after ${ms} ms`);
  await probeWrites(shared.topics, label);
}

// ---------------------------------------------------------------------------------------------
// Client processes: JSON lines on stdout, awaited as events.

type ClientEvent = Record<string, unknown> & { event: string };

class ClientProcess {
  readonly child: ChildProcess;
  /** Every event received so far, in order. */
  readonly events: ClientEvent[] = [];
  private cursor = 0;
  private wake: (() => void) | undefined;
  private readonly stderr = new OutputTail();
  private readonly noise = new OutputTail(8 * 1024);

  constructor(
    readonly name: string,
    cmd: string,
    argv: string[],
    interactive: boolean,
  ) {
    this.child = spawnTracked(cmd, argv, {
      cwd: CLIENTS_DIR,
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: [interactive ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    this.child.stdin?.on('error', () => undefined); // EPIPE after a crash: the exit tells
    this.stderr.attach(this.child.stderr);
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let e: ClientEvent | undefined;
      if (line.startsWith('{')) {
        try {
          e = JSON.parse(line) as ClientEvent;
        } catch {
          // not an event
        }
      }
      if (e && typeof e.event === 'string') this.events.push(e);
      else this.noise.push(`${line}\n`);
      this.wake?.();
    });
    this.child.once('exit', () => this.wake?.());
  }

  describe(): string {
    return `--- ${this.name} stderr (tail) ---\n${tail(this.stderr.text(), 30)}\n--- ${this.name} other stdout ---\n${tail(this.noise.text(), 10)}`;
  }

  /** The next event matching `pred` (events before it are passed over); bounded. */
  async next(pred: (e: ClientEvent) => boolean, timeoutMs: number, what: string): Promise<ClientEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.events.length) {
        const e = this.events[this.cursor++];
        if (e.event === 'error') throw new Error(`${this.name}: ${String(e.message)} (${what})`);
        if (pred(e)) return e;
      }
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(
          `${this.name} exited (${this.child.exitCode ?? this.child.signalCode}) while waiting for ${what}\n${this.describe()}`,
        );
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  write(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }
}

/** Wait for a process to exit on its own (bounded, then SIGKILL). */
function waitExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function javaCommand(mode: string, args: string[]): [string, string[]] {
  return [
    javaPath(),
    [
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Dlog4j2.configurationFile=${toolsLog4jConfigFile()}`,
      '-cp',
      `${javaClasses}${delimiter}${kafkaClasspath()}`,
      'FailoverClient',
      mode,
      ...args,
    ],
  ];
}

function pythonCommand(script: string, mode: string, args: string[]): [string, string[]] {
  return [pythonPath(), [join(CLIENTS_DIR, script), mode, ...args]];
}

/** Compile FailoverClient.java into $EDDY_CACHE/java-classes/<hash> unless already there. */
async function compileJava(): Promise<string> {
  const hash = createHash('sha256')
    .update(readFileSync(JAVA_SOURCE))
    .update(KAFKA_VERSION)
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheDir(), 'java-classes', `failover-${hash}`);
  if (!existsSync(join(dir, 'FailoverClient.class'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    assertSuccess(
      await runProcess(javacPath(), ['-nowarn', '-d', tmp, '-cp', kafkaClasspath(), JAVA_SOURCE], {
        timeoutMs: 120_000,
      }),
      'javac FailoverClient.java',
    );
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another worker won the race; same classes
    }
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Load producers (`load` mode) and what they stored.

interface LoadAck {
  seq: number;
  partition: number;
  offset: number;
}

interface LoadResult {
  id: string;
  client: string;
  acked: number;
  failed: number;
  pending: number;
  errors: Record<string, number>;
  ms: number;
  /** In the order the callbacks ran. */
  acks: LoadAck[];
}

class LoadProducer {
  readonly proc: ClientProcess;
  private readonly acksFile: string;

  constructor(
    readonly kind: 'java' | 'confluent',
    readonly id: string,
    topic: string,
    count: number,
    rate: number,
  ) {
    this.acksFile = join(workDir, `${topic}.${id}.acks`);
    const args = [
      '--bootstrap',
      bootstrap(),
      '--topic',
      topic,
      '--id',
      id,
      '--count',
      String(count),
      '--rate',
      String(rate),
      '--progress',
      '1000',
      '--acks-file',
      this.acksFile,
      '--timeout',
      String(CLIENT_TIMEOUT_S),
    ];
    const [cmd, argv] =
      kind === 'java' ? javaCommand('load', args) : pythonCommand('failover_confluent.py', 'load', args);
    this.proc = new ClientProcess(`${kind} load producer ${id}`, cmd, argv, true);
  }

  /** Connected, with the topic's metadata: waiting for go(). */
  async waiting(timeoutMs = 60_000): Promise<this> {
    await this.proc.next((e) => e.event === 'waiting', timeoutMs, 'waiting');
    return this;
  }

  go(): void {
    this.proc.write('go');
  }

  /** Start at once and wait for the end. */
  async run(timeoutMs = CLIENT_TIMEOUT_S * 1000): Promise<LoadResult> {
    await this.waiting();
    this.go();
    return this.done(timeoutMs);
  }

  /** Resolves once the producer reported at least `n` acknowledgements. */
  async ackedAtLeast(n: number, timeoutMs: number): Promise<void> {
    await this.proc.next((e) => e.event === 'progress' && Number(e.acked) >= n, timeoutMs, `${n} acks`);
  }

  /** The acknowledged count of the latest progress event received so far. */
  acked(): number {
    const last = this.proc.events.findLast((e) => e.event === 'progress');
    return last ? Number(last.acked) : 0;
  }

  async done(timeoutMs: number): Promise<LoadResult> {
    const e = await this.proc.next((x) => x.event === 'done', timeoutMs, 'the done event');
    const code = await waitExit(this.proc.child, 10_000);
    if (code !== 0) throw new Error(`${this.proc.name} exited with ${code}\n${this.proc.describe()}`);
    const acks = readFileSync(this.acksFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [seq, partition, offset] = line.split(' ').map(Number);
        return { seq, partition, offset };
      });
    return {
      id: this.id,
      client: `${String(e.client)} ${String(e.version)}`,
      acked: Number(e.acked),
      failed: Number(e.failed),
      pending: Number(e.pending),
      errors: (e.errors ?? {}) as Record<string, number>,
      ms: Number(e.ms),
      acks,
    };
  }
}

interface StoredRecord {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

/** Every record of a topic, read by confluent-kafka from offset 0 to each partition's end. */
async function dumpTopic(topic: string): Promise<StoredRecord[]> {
  const out = join(workDir, `${topic}.dump`);
  const [cmd, argv] = pythonCommand('failover_confluent.py', 'dump', [
    '--bootstrap',
    bootstrap(),
    '--topic',
    topic,
    '--out',
    out,
    '--timeout',
    String(CLIENT_TIMEOUT_S),
  ]);
  assertSuccess(
    await runProcess(cmd, argv, { cwd: CLIENTS_DIR, timeoutMs: (CLIENT_TIMEOUT_S + 30) * 1000 }),
    `dump ${topic}`,
  );
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [p, o, key, value] = line.split(' ');
      return { partition: Number(p), offset: Number(o), key, value };
    });
}

/**
 * Load records in `stored` against what the producers were told: each acknowledged record exactly
 * once, at the partition and offset of its ack, on its murmur2 partition; no duplicate of any record;
 * per partition and producer, sequence numbers increase with the offset; offsets run 0..n-1.
 */
function checkLoad(
  stored: StoredRecord[],
  results: LoadResult[],
): { problems: string[]; unacknowledged: Record<string, number> } {
  const problems: string[] = [];
  let more = 0;
  const problem = (s: string) => {
    if (problems.length < 25) problems.push(s);
    else more++;
  };
  const ids = new Set(results.map((r) => r.id));
  const at = new Map<string, StoredRecord>();
  const byPartition = new Map<number, StoredRecord[]>();
  const place = (r: StoredRecord) => {
    let list = byPartition.get(r.partition);
    if (!list) byPartition.set(r.partition, (list = []));
    list.push(r);
  };
  for (const r of stored) {
    const where = `p${r.partition}@${r.offset}`;
    if (r.key.startsWith(PROBE_PREFIX)) {
      place(r); // a probe write (probeWrites) between tests
      continue;
    }
    const m = r.key.match(/^([a-z]+)-(\d{6})$/);
    if (!m || !ids.has(m[1])) {
      problem(`${where}: unexpected key ${JSON.stringify(r.key)}`);
      continue;
    }
    const seq = Number(m[2]);
    if (r.value !== `${m[1]}|${seq}|${FILLER}`) problem(`${where}: key ${r.key} has value ${r.value}`);
    const first = at.get(r.key);
    if (first) problem(`${where}: ${r.key} duplicated (first at p${first.partition}@${first.offset})`);
    else at.set(r.key, r);
    const want = murmur2Partition(Buffer.from(r.key), PARTITIONS);
    if (r.partition !== want)
      problem(`${where}: ${r.key} is on partition ${r.partition}, murmur2 says ${want}`);
    place(r);
  }
  for (const [p, list] of byPartition) {
    list.sort((a, b) => a.offset - b.offset);
    const gap = list.findIndex((r, i) => r.offset !== i);
    if (gap >= 0) problem(`partition ${p}: offset ${list[gap].offset} where ${gap} was expected`);
    const last = new Map<string, number>();
    for (const r of list) {
      if (r.key.startsWith(PROBE_PREFIX)) continue;
      const [id, seqText] = r.key.split('-');
      const seq = Number(seqText);
      const prev = last.get(id);
      if (prev !== undefined && seq <= prev)
        problem(`partition ${p}: ${r.key} at offset ${r.offset} after ${id}-${prev} (sequence order broken)`);
      last.set(id, seq);
    }
  }
  const unacknowledged: Record<string, number> = {};
  for (const res of results) {
    const ackedKeys = new Set<string>();
    let missing = 0;
    for (const a of res.acks) {
      const key = `${res.id}-${String(a.seq).padStart(6, '0')}`;
      if (ackedKeys.has(key)) problem(`${res.client}: ${key} acknowledged twice`);
      ackedKeys.add(key);
      const r = at.get(key);
      if (!r) {
        if (missing++ < 5)
          problem(`${res.client}: acknowledged ${key} (p${a.partition}@${a.offset}) is missing`);
      } else if (r.partition !== a.partition || r.offset !== a.offset)
        problem(
          `${res.client}: ${key} acknowledged at p${a.partition}@${a.offset} but stored at p${r.partition}@${r.offset}`,
        );
    }
    if (missing > 5) problem(`${res.client}: ${missing} acknowledged records missing in all`);
    unacknowledged[res.id] = [...at.keys()].filter(
      (k) => k.startsWith(`${res.id}-`) && !ackedKeys.has(k),
    ).length;
  }
  if (more) problems.push(`... and ${more} more`);
  return { problems, unacknowledged };
}

// ---------------------------------------------------------------------------------------------
// Step clients: one producer instance for the client's whole life; send N / read.

/** [i, partition, offset] per acknowledged record; [i, error name] per failed one. */
interface Sent {
  tag: string;
  acked: Array<[number, number, number]>;
  failed: Array<[number, string]>;
}
/** [partition, offset, key, value] */
type ReadRecord = [number, number, string, string];

interface StepClient {
  readonly name: string;
  readonly id: string;
  send(tag: string, n: number): Promise<Sent>;
  read(): Promise<ReadRecord[]>;
  close(): Promise<void>;
}

class ProcessStepClient implements StepClient {
  private readonly proc: ClientProcess;
  version = '';

  constructor(
    readonly name: string,
    readonly id: string,
    cmd: [string, string[]],
  ) {
    this.proc = new ClientProcess(name, cmd[0], cmd[1], true);
  }

  static async start(
    kind: 'java' | 'confluent' | 'kafka-python',
    id: string,
    topic: string,
    partition: number,
    config: string[] = [],
  ): Promise<ProcessStepClient> {
    const args = ['--bootstrap', bootstrap(), '--topic', topic, '--id', id, '--partition', String(partition)];
    args.push('--timeout', String(CLIENT_TIMEOUT_S), ...config.flatMap((c) => ['--config', c]));
    const cmd =
      kind === 'java'
        ? javaCommand('steps', args)
        : pythonCommand(
            kind === 'confluent' ? 'failover_confluent.py' : 'failover_kafka_python.py',
            'steps',
            args,
          );
    const c = new ProcessStepClient(kind, id, cmd);
    const e = await c.proc.next((x) => x.event === 'ready', 60_000, 'ready');
    c.version = String(e.version);
    return c;
  }

  async send(tag: string, n: number): Promise<Sent> {
    this.proc.write(`send ${tag} ${n}`);
    const e = await this.proc.next((x) => x.event === 'sent', (CLIENT_TIMEOUT_S + 15) * 1000, `sent ${tag}`);
    return { tag, acked: e.acked as Sent['acked'], failed: e.failed as Sent['failed'] };
  }

  async read(): Promise<ReadRecord[]> {
    this.proc.write('read');
    const e = await this.proc.next((x) => x.event === 'read', (CLIENT_TIMEOUT_S + 15) * 1000, 'read');
    return e.records as ReadRecord[];
  }

  async close(): Promise<void> {
    this.proc.write('quit');
    await this.proc.next((x) => x.event === 'bye', 20_000, 'bye').catch(() => undefined);
    await waitExit(this.proc.child, 10_000);
  }
}

/** kafkajs 2.2.4 in this process: the same steps with one Producer, read with a fresh consumer group. */
class KafkajsStepClient implements StepClient {
  readonly name = 'kafkajs';
  private readonly kafka: Kafka;
  private readonly producer: Producer;

  constructor(
    readonly id: string,
    private readonly topic: string,
    private readonly partition: number,
  ) {
    this.kafka = new Kafka({
      clientId: 'eddy-failover-kafkajs',
      brokers: brokers(),
      logLevel: logLevel.NOTHING,
    });
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
  }

  async start(): Promise<this> {
    await this.producer.connect();
    return this;
  }

  async send(tag: string, n: number): Promise<Sent> {
    const messages = Array.from({ length: n }, (_, i) => ({
      key: `${this.id}-${tag}-${i}`,
      value: `${this.id}|${tag}|${i}|${FILLER}`,
      partition: this.partition,
    }));
    try {
      const md = await this.producer.send({ topic: this.topic, acks: -1, messages });
      const m = md.find((x) => x.partition === this.partition);
      if (!m || m.baseOffset === undefined) throw new Error(`no offset in ${JSON.stringify(md)}`);
      const base = Number(m.baseOffset);
      return { tag, acked: messages.map((_, i) => [i, this.partition, base + i]), failed: [] };
    } catch (err) {
      const e = err as { type?: string; name?: string; message?: string };
      log(`kafkajs send ${tag} failed: ${e.message}`);
      return { tag, acked: [], failed: messages.map((_, i) => [i, e.type ?? e.name ?? 'Error']) };
    }
  }

  async read(): Promise<ReadRecord[]> {
    const end = new Map<number, number>();
    for (const o of await admin!.fetchTopicOffsets(this.topic)) end.set(o.partition, Number(o.high));
    const next = new Map<number, number>([...end.keys()].map((p) => [p, 0]));
    const done = () => [...end].every(([p, high]) => (next.get(p) ?? 0) >= high);
    const out: ReadRecord[] = [];
    if (done()) return out;
    const consumer = this.kafka.consumer({
      groupId: `eddy-failover-kafkajs-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      maxWaitTimeInMs: 250,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: this.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `kafkajs read timed out: next ${JSON.stringify([...next])}, end ${JSON.stringify([...end])}`,
              ),
            ),
          CLIENT_TIMEOUT_S * 1000,
        );
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              for (const m of batch.messages) {
                out.push([batch.partition, Number(m.offset), String(m.key), String(m.value)]);
                next.set(batch.partition, Number(m.offset) + 1);
              }
              if (done()) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch((err: unknown) => {
            clearTimeout(timer);
            reject(err instanceof Error ? err : new Error(String(err)));
          });
      });
    } finally {
      await consumer.disconnect();
    }
    return out;
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

/**
 * Step records of one client in what it read: every acknowledged record exactly once, at its ack's
 * partition and offset, in send order; records whose send failed with one of `rejected` are absent
 * (the broker refused them before appending); nothing else of this client's.
 */
function checkSteps(
  client: StepClient,
  sent: Sent[],
  records: ReadRecord[],
  rejected: string[] = [],
): string[] {
  const problems: string[] = [];
  const mine = records.filter(([, , key]) => key.startsWith(`${client.id}-`));
  const order = new Map<string, number>();
  const expected = new Map<string, [number, number]>();
  const refused = new Set<string>();
  let rank = 0;
  for (const s of sent) {
    for (let i = 0; i < s.acked.length + s.failed.length; i++)
      order.set(`${client.id}-${s.tag}-${i}`, rank++);
    for (const [i, p, o] of s.acked) expected.set(`${client.id}-${s.tag}-${i}`, [p, o]);
    for (const [i, err] of s.failed) if (rejected.includes(err)) refused.add(`${client.id}-${s.tag}-${i}`);
  }
  const seen = new Map<string, ReadRecord>();
  for (const r of mine) {
    const [p, o, key, value] = r;
    const where = `p${p}@${o}`;
    const m = key.match(/^([a-z]+)-([a-z0-9]+)-(\d+)$/);
    if (!m || !order.has(key)) {
      problems.push(`${client.name}: ${where}: unexpected record ${key}`);
      continue;
    }
    if (value !== `${m[1]}|${m[2]}|${m[3]}|${FILLER}`)
      problems.push(`${client.name}: ${where}: ${key} = ${value}`);
    const first = seen.get(key);
    if (first)
      problems.push(`${client.name}: ${key} at ${where} duplicated (first at p${first[0]}@${first[1]})`);
    else seen.set(key, r);
    if (refused.has(key)) problems.push(`${client.name}: ${key} was refused yet is stored at ${where}`);
  }
  for (const [key, [p, o]] of expected) {
    const r = seen.get(key);
    if (!r) problems.push(`${client.name}: acknowledged ${key} (p${p}@${o}) is missing`);
    else if (r[0] !== p || r[1] !== o)
      problems.push(`${client.name}: ${key} acknowledged at p${p}@${o}, stored at p${r[0]}@${r[1]}`);
  }
  const byPartition = new Map<number, ReadRecord[]>();
  for (const r of seen.values()) {
    let l = byPartition.get(r[0]);
    if (!l) byPartition.set(r[0], (l = []));
    l.push(r);
  }
  for (const [p, l] of byPartition) {
    l.sort((a, b) => a[1] - b[1]);
    for (let i = 1; i < l.length; i++)
      if (order.get(l[i][2])! <= order.get(l[i - 1][2])!)
        problems.push(
          `${client.name}: partition ${p}: ${l[i][2]} stored after ${l[i - 1][2]} (send order broken)`,
        );
  }
  return problems.slice(0, 30);
}

// ---------------------------------------------------------------------------------------------
// Kafka's TopicCommand --describe, and a snapshot of the cluster's topics for the restart test.

interface DescribedPartition {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

async function topicCommandDescribe(
  topic: string,
): Promise<{ text: string; configs: string; parts: DescribedPartition[] }> {
  const r = assertSuccess(
    await runProcess(
      javaPath(),
      [
        '-Xmx256m',
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        `-Dlog4j2.configurationFile=${toolsLog4jConfigFile()}`,
        '-cp',
        kafkaClasspath(),
        'org.apache.kafka.tools.TopicCommand',
        '--bootstrap-server',
        bootstrap(),
        '--describe',
        '--topic',
        topic,
      ],
      { timeoutMs: 60_000 },
    ),
    `TopicCommand --describe ${topic}`,
  );
  const text = r.stdout.toString('utf8');
  const ids = (s: string) => (s.trim() === '' ? [] : s.split(',').map(Number));
  const parts: DescribedPartition[] = [];
  for (const line of text.split('\n')) {
    const m = line.match(
      /Partition:\s*(\d+)\s+Leader:\s*(-?\d+|none)\s+Replicas:\s*([\d,]*)\s+Isr:\s*([\d,]*)/,
    );
    if (m)
      parts.push({
        partition: Number(m[1]),
        leader: m[2] === 'none' ? -1 : Number(m[2]),
        replicas: ids(m[3]),
        isr: ids(m[4]),
      });
  }
  return { text, configs: text.match(/Configs:\s*(\S*)/)?.[1] ?? '', parts };
}

interface Snapshot {
  topics: Record<string, { partitions: string[]; configs: Record<string, string> }>;
}

async function snapshot(): Promise<Snapshot> {
  const names = (await admin!.listTopics()).sort();
  const out: Snapshot = { topics: {} };
  const described = await admin!.describeConfigs({
    resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    includeSynonyms: false,
  });
  for (const name of names) {
    const res = described.resources.find((r) => r.resourceName === name);
    const configs: Record<string, string> = {};
    for (const c of res?.configEntries ?? []) if (!c.isDefault) configs[c.configName] = c.configValue;
    out.topics[name] = {
      partitions: (await partitions(name)).map(
        (p) =>
          `p${p.partitionId} leader=${p.leader} replicas=${p.replicas.join(',')} isr=${[...p.isr].sort().join(',')}`,
      ),
      configs,
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const shared: {
  /** Test 1's topic and its producers' results, re-read after the whole-process restarts. */
  loadTopic?: string;
  loadResults?: LoadResult[];
  topics: string[];
} = { topics: [] };

const unique = Date.now().toString(36);

// Eddy only: real Kafka has no `eddy broker` control socket (EDDY_INTEROP_TARGETS=kafka skips this file).
describe.skipIf(!targetEnabled('eddy'))('failover: real clients against a 3-broker eddy serve', () => {
  beforeAll(async () => {
    // Missing tools: start nothing; each test then skips locally or, under CI=true, fails (requireTool).
    if (TOOLS.some((t) => !detectTool(t).available)) return;
    workDir = mkdtempSync(join(tmpdir(), 'eddy-failover-work-'));
    dataDir = mkdtempSync(join(tmpdir(), 'eddy-failover-data-'));
    const [classes] = await Promise.all([
      timed('javac FailoverClient', compileJava),
      timed('start eddy serve', serve),
    ]);
    javaClasses = classes;
    ready = true;
  }, 180_000);

  afterAll(async () => {
    try {
      await closeAdmin();
      if (server) await timed('stop eddy serve', () => server!.stop('SIGTERM'));
    } finally {
      killAllChildren('SIGKILL');
      if (!process.env.EDDY_INTEROP_KEEP) {
        for (const d of [workDir, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
      } else log(`kept ${workDir} and ${dataDir}`);
    }
  }, 60_000);

  const needTools = (t: { skip: (note?: string) => never }) => {
    for (const tool of TOOLS) requireTool(tool, undefined, t);
    if (!ready) throw new Error('the cluster did not start (see beforeAll)');
  };
  const fail = (problems: string[], what: string) => {
    if (problems.length)
      throw new Error(`${what}:\n  ${problems.join('\n  ')}\n${server?.logTail(40) ?? ''}`);
  };

  it(
    'leader killed (and restarted) while Java and librdkafka producers each send 100,000 acks=all idempotent records: every ack stored exactly once, in order',
    async (t) => {
      needTools(t);
      const topic = `failover-load-${unique}`;
      await createTopic(topic, { 'min.insync.replicas': '2' });
      shared.topics.push(topic);
      const before = await partitions(topic);
      const victim = before[0].leader; // partition 0 gets keys from both producers (murmur2)
      const led = before.filter((p) => p.leader === victim).map((p) => p.partitionId);
      log(
        `${topic}: ${showPartitions(before)}; will kill broker ${victim} (leader of ${led.map((p) => `p${p}`).join(', ')})`,
      );

      const producers = [
        new LoadProducer('java', 'j', topic, LOAD_RECORDS, LOAD_RATE),
        new LoadProducer('confluent', 'c', topic, LOAD_RECORDS, LOAD_RATE),
      ];
      let restarted = false;
      try {
        // Both connected (a JVM starts slower than Python), then both start at once.
        await Promise.all(producers.map((p) => p.waiting()));
        for (const p of producers) p.go();
        // In the middle of production: once both have a quarter of their records acknowledged.
        await Promise.all(producers.map((p) => p.ackedAtLeast(LOAD_RECORDS / 4, 60_000)));
        await broker('kill', victim);
        const ackedAtKill = producers.map((p) => p.acked());
        log(`killed broker ${victim} after ${ackedAtKill.join(' / ')} acks (java / confluent)`);
        const after = await partitions(topic);
        log(`after the kill: ${showPartitions(after)}`);
        // Back while production goes on: it truncates what it had appended past the new leader's log,
        // catches up under load, rejoins the ISR and (preferred election) leads again.
        await broker('start', victim);
        restarted = true;

        const results = await Promise.all(producers.map((p) => p.done((CLIENT_TIMEOUT_S + 10) * 1000)));
        log(`when production ended: ${showPartitions(await partitions(topic))}`);
        for (const r of results)
          log(
            `${r.client}: ${r.acked} acked, ${r.failed} failed ${JSON.stringify(r.errors)}, ${r.pending} pending, ${r.ms} ms`,
          );

        const stored = await timed(`read ${topic}`, () => dumpTopic(topic));
        const { problems, unacknowledged } = checkLoad(stored, results);
        log(
          `${topic}: ${stored.length} records stored; stored but never acknowledged: ${JSON.stringify(unacknowledged)}`,
        );
        fail(problems, 'acknowledged records vs the log');
        shared.loadTopic = topic;
        shared.loadResults = results;

        results.forEach((r, k) => {
          // Both carried on by themselves: everything acknowledged, nothing failed.
          expect({ client: r.client, acked: r.acked, failed: r.failed, pending: r.pending }).toEqual({
            client: r.client,
            acked: LOAD_RECORDS,
            failed: 0,
            pending: 0,
          });
          // The kill really was mid-production, and hit a partition this producer kept writing to.
          expect(ackedAtKill[k], `${r.client}: acks when the leader died`).toBeLessThan(LOAD_RECORDS * 0.9);
          const afterKill = r.acks.slice(ackedAtKill[k]).filter((a) => led.includes(a.partition)).length;
          expect(
            afterKill,
            `${r.client}: acks on the killed leader's partitions after the kill`,
          ).toBeGreaterThan(0);
        });
        expect(
          after.filter((p) => led.includes(p.partitionId)).every((p) => p.leader !== victim && p.leader >= 0),
        ).toBe(true);
      } finally {
        for (const p of producers) p.proc.child.kill('SIGKILL');
        // Leave the cluster whole for the next test.
        if (!restarted) await broker('start', victim);
        const ms = await settle(
          `${topic}: broker ${victim} back in the ISR and leading again`,
          [topic],
          healthy,
        );
        log(`broker ${victim} caught up and leads again (${ms} ms after production ended)`);
      }
      await wholeAndWritable('after the leader kill');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a stopped follower restarts, catches up, rejoins the ISR (TopicCommand --describe), preferred leaders come back',
    async (t) => {
      needTools(t);
      const topic = `failover-follower-${unique}`;
      await createTopic(topic, { 'min.insync.replicas': '2' });
      shared.topics.push(topic);
      const before = await partitions(topic);
      // A follower of partition 0 (it leads another partition, whose leadership moves away first).
      const follower = before[0].replicas.find((r) => r !== before[0].leader)!;
      const others = [1, 2, 3].filter((b) => b !== follower);

      const r1 = await new LoadProducer('confluent', 'a', topic, 5000, 0).run();
      await broker('stop', follower);
      const stopped = await partitions(topic);
      log(`broker ${follower} stopped: ${showPartitions(stopped)}`);
      expect(stopped.every((p) => p.leader !== follower && !p.isr.includes(follower))).toBe(true);
      // Written while the follower is away: it has to fetch all of this when it comes back.
      const r2 = await new LoadProducer('confluent', 'b', topic, 20_000, 0).run();
      expect([r1.acked, r2.acked]).toEqual([5000, 20_000]);

      await broker('start', follower);
      const ms = await settle(
        `broker ${follower} back in every ISR, preferred leaders restored`,
        [topic],
        healthy,
      );
      log(`broker ${follower} rejoined the ISR and preferred leaders are back after ${ms} ms`);
      const described = await topicCommandDescribe(topic);
      log(`TopicCommand --describe:\n${described.text.trimEnd()}`);
      expect(described.parts).toHaveLength(PARTITIONS);
      for (const p of described.parts) {
        expect([...p.isr].sort(), `partition ${p.partition} ISR`).toEqual([...p.replicas].sort());
        expect(p.leader, `partition ${p.partition} leader is the preferred replica`).toBe(p.replicas[0]);
        expect(p.isr).toContain(follower);
      }

      // It really caught up: with the two other brokers stopped, it alone serves every acknowledged record.
      for (const b of others) await broker('stop', b);
      try {
        await settle(`broker ${follower} leads everything`, [topic], (p) => p.leader === follower);
        const stored = await timed(`read ${topic} from broker ${follower} alone`, () => dumpTopic(topic));
        fail(checkLoad(stored, [r1, r2]).problems, `broker ${follower} alone`);
      } finally {
        for (const b of others) await broker('start', b);
        await settle('all brokers back, preferred leaders restored', [topic], healthy);
      }
      await wholeAndWritable('after the follower restart');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'two of three brokers down: acks=all fails with NOT_ENOUGH_REPLICAS, nothing acknowledged is lost; one back: sends succeed',
    async (t) => {
      needTools(t);
      const topic = `failover-minisr-${unique}`;
      await createTopic(topic, { 'min.insync.replicas': '2' });
      shared.topics.push(topic);
      const before = await partitions(topic);
      // The survivor leads partition 0 throughout (it is its preferred leader), so the producers'
      // errors come from the ISR check alone, not from a leader move.
      const survivor = before[0].leader;
      const [down1, down2] = [1, 2, 3].filter((b) => b !== survivor);
      // No retries (hence no idempotence) so that the first error reaches the delivery callback.
      const strict = ['retries=0', 'enable.idempotence=false', 'acks=all'];
      const clients = await Promise.all([
        ProcessStepClient.start('confluent', 'c', topic, 0, strict),
        ProcessStepClient.start('java', 'j', topic, 0, strict),
      ]);
      const sent = new Map<StepClient, Sent[]>(clients.map((c) => [c, []]));
      const sendAll = async (tag: string, n: number) => {
        const rs = await Promise.all(clients.map((c) => c.send(tag, n)));
        clients.forEach((c, k) => sent.get(c)!.push(rs[k]));
        return rs;
      };
      let restored = false;
      try {
        for (const r of await sendAll('before', 20)) expect(r.failed).toEqual([]);

        await broker('kill', down1);
        await broker('kill', down2);
        await settle(
          `ISR of partition 0 is {${survivor}}`,
          [topic],
          (p) => p.leader === survivor && p.isr.length === 1,
        );
        const outage = await sendAll('down', 20);
        outage.forEach((r, k) =>
          log(
            `${clients[k].name} during the outage: ${r.acked.length} acked, failed ${JSON.stringify(r.failed.slice(0, 3))}…`,
          ),
        );
        expect(outage[0].failed.map(([, e]) => e)).toEqual(Array(20).fill('NOT_ENOUGH_REPLICAS'));
        expect(outage[1].failed.map(([, e]) => e)).toEqual(Array(20).fill('NotEnoughReplicasException'));

        await broker('start', down1);
        const ms = await settle(
          `broker ${down1} back in the ISR of partition 0`,
          [topic],
          (p) => p.partitionId !== 0 || (p.leader === survivor && p.isr.includes(down1)),
        );
        log(`broker ${down1} rejoined partition 0's ISR after ${ms} ms`);
        for (const r of await sendAll('after', 20)) expect(r.failed).toEqual([]);

        const records = await clients[0].read();
        for (const c of clients)
          fail(
            checkSteps(c, sent.get(c)!, records, ['NOT_ENOUGH_REPLICAS', 'NotEnoughReplicasException']),
            `${c.name} records`,
          );
        expect(records.filter(([p]) => p === 0)).toHaveLength(2 * 40);
        await broker('start', down2);
        await settle('all brokers back, preferred leaders restored', [topic], healthy);
        restored = true;
      } finally {
        await Promise.all(clients.map((c) => c.close()));
        if (!restored) {
          for (const b of [down1, down2]) await broker('start', b).catch(() => undefined);
          await settle('all brokers back', [topic], healthy).catch(() => undefined);
        }
      }
      // The survivor led every partition for a while (and wrote nothing to most): it must follow again.
      await wholeAndWritable('after two brokers were down');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'kafka-python, confluent-kafka, kafkajs and Java follow leader moves (stop, preferred election, kill) without a new client',
    async (t) => {
      needTools(t);
      const moving = 2; // the broker whose partitions move
      const kinds = ['java', 'confluent', 'kafka-python', 'kafkajs'] as const;
      const topics = kinds.map((k) => `failover-follow-${k}-${unique}`);
      await Promise.all(topics.map((topic) => createTopic(topic, { 'min.insync.replicas': '2' })));
      shared.topics.push(...topics);
      // Each client writes to the partition of its topic that broker `moving` leads.
      const target = await Promise.all(
        topics.map(async (topic) => {
          const p = (await partitions(topic)).find((x) => x.leader === moving);
          if (!p) throw new Error(`no partition of ${topic} is led by broker ${moving}`);
          return p.partitionId;
        }),
      );
      const clients: StepClient[] = await Promise.all(
        kinds.map((k, i) =>
          k === 'kafkajs'
            ? new KafkajsStepClient('n', topics[i], target[i]).start()
            : ProcessStepClient.start(k, k[0], topics[i], target[i]),
        ),
      );
      const sent = new Map<StepClient, Sent[]>(clients.map((c) => [c, []]));
      const sendAll = async (tag: string) => {
        const t0 = Date.now();
        const rs = await Promise.all(clients.map((c) => c.send(tag, 50)));
        log(`send ${tag}: ${Date.now() - t0} ms`);
        rs.forEach((r, k) => {
          sent.get(clients[k])!.push(r);
          expect(r.failed, `${clients[k].name}: send ${tag}`).toEqual([]);
          expect(new Set(r.acked.map(([, p]) => p)), `${clients[k].name}: partition of send ${tag}`).toEqual(
            new Set([target[k]]),
          );
        });
      };
      let up = true;
      try {
        await sendAll('a');
        await broker('stop', moving);
        up = false;
        await sendAll('b'); // to the partition's new leader
        await broker('start', moving);
        up = true;
        const ms = await settle(`broker ${moving} leads its partitions again`, topics, healthy);
        log(`preferred leaders back after ${ms} ms`);
        await sendAll('c'); // back to the preferred leader
        await broker('kill', moving);
        up = false;
        await sendAll('d'); // and away again, after a crash
        for (const [k, c] of clients.entries()) {
          const records = await timed(`${c.name} reads`, () => c.read());
          fail(checkSteps(c, sent.get(c)!, records), `${c.name} records`);
          expect(records, `${c.name}: records read`).toHaveLength(4 * 50);
          expect(new Set(records.map(([p]) => p))).toEqual(new Set([target[k]]));
        }
      } finally {
        await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
        if (!up) await broker('start', moving);
        await settle('all brokers back, preferred leaders restored', topics, healthy);
      }
      await wholeAndWritable('after the leader moves');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'whole-process restart, SIGTERM and SIGKILL mid-production: same topics, leaders, configs and every acknowledged record',
    async (t) => {
      needTools(t);
      const topic = `failover-restart-${unique}`;
      const configs = { 'retention.ms': '604800123', 'min.insync.replicas': '2' };
      await createTopic(topic, configs);
      shared.topics.push(topic);
      const results: LoadResult[] = [await new LoadProducer('confluent', 'c', topic, 20_000, 0).run()];
      expect(results[0].acked).toBe(20_000);

      const all = () => [...new Set([...shared.topics])];
      await wholeAndWritable('before the restart');
      const before = await snapshot();
      expect(before.topics[topic].configs).toMatchObject(configs);
      const ports = brokers();

      const verify = async (label: string) => {
        const ms = await settle(
          `${label}: every partition led and fully replicated`,
          all(),
          (p) => p.leader >= 0 && p.replicas.every((r) => p.isr.includes(r)),
        );
        log(`${label}: cluster whole ${ms} ms after ready`);
        expect(await snapshot(), `${label}: topics, replicas, leaders, ISRs and configs`).toEqual(before);
        const described = await topicCommandDescribe(topic);
        expect(described.configs.split(',').sort()).toEqual(
          Object.entries(configs)
            .map(([k, v]) => `${k}=${v}`)
            .sort(),
        );
        const stored = await timed(`${label}: read ${topic}`, () => dumpTopic(topic));
        fail(checkLoad(stored, results).problems, `${label}: ${topic}`);
        if (shared.loadTopic && shared.loadResults) {
          const load = await timed(`${label}: read ${shared.loadTopic}`, () => dumpTopic(shared.loadTopic!));
          fail(checkLoad(load, shared.loadResults).problems, `${label}: ${shared.loadTopic}`);
        }
        await probeWrites(all(), label);
      };

      // SIGTERM: a clean shutdown, then the same data dir.
      await closeAdmin();
      const term = await timed('SIGTERM eddy serve', () => server!.stop('SIGTERM'));
      expect(term, 'SIGTERM exit').toEqual({ code: 0, signal: null, killed: false });
      await timed('restart eddy serve', serve);
      if (brokers().join() !== ports.join())
        log(`note: ports changed on restart (${ports.join()} -> ${brokers().join()})`);
      await verify('after SIGTERM');

      // SIGKILL in the middle of production: the producer (idempotent, retrying) rides it out.
      const producer = await new LoadProducer('confluent', 'k', topic, 30_000, LOAD_RATE).waiting();
      producer.go();
      await producer.ackedAtLeast(10_000, 60_000);
      await closeAdmin();
      const kill = await server!.stop('SIGKILL');
      log(`SIGKILL eddy serve after ${producer.acked()} acks: ${JSON.stringify(kill)}`);
      expect(kill.signal).toBe('SIGKILL');
      await timed('restart eddy serve after SIGKILL', serve);
      const r = await producer.done((CLIENT_TIMEOUT_S + 10) * 1000);
      log(
        `${r.client} across the SIGKILL: ${r.acked} acked, ${r.failed} failed ${JSON.stringify(r.errors)}, ${r.pending} pending`,
      );
      results.push(r);
      await verify('after SIGKILL');
      expect({ acked: r.acked, failed: r.failed }).toEqual({ acked: 30_000, failed: 0 });
    },
    TEST_TIMEOUT_MS,
  );
});
