// Interop: consumer groups of real clients on `eddy serve` (3 brokers), and Kafka's own
// kafka-consumer-groups tool (ConsumerGroupCommand) on the same cluster.
//
//  1. Three confluent-kafka (librdkafka) and three kafka-python members share one group over a
//     6-partition topic (assignors range,roundrobin in both): every record is processed exactly once
//     (commit after processing), also across a member leaving and another joining; the committed
//     offsets survive a whole-cluster restart and a kill of the group's coordinator broker (the
//     consumers carry on and read only what is new); ConsumerGroupCommand lists the group, prints the
//     same LAG as `eddy groups describe`, resets it (--to-earliest --execute) and deletes it.
//  2. Java kafka-clients members (classic protocol) in an eager (range) group and a
//     cooperative-sticky group: exactly once across members joining and leaving; cooperative
//     rebalances revoke only the partitions that move.
//  3. The engine's observer (EngineObserver.groupLag) reports the lag ConsumerGroupCommand prints.
//  4. `eddy groups` against Apache Kafka (skipped when EDDY_INTEROP_TARGETS leaves kafka out): the
//     same describe table as ConsumerGroupCommand for an active and an empty group; reset and delete.
//
// Every wait is on a client's stdout line (or a bounded poll of the cluster); every process started
// here is killed in afterAll.
import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Admin, GroupAdmin, Producer } from '../../src/engine/client/index.js';
import { startEngine, type Engine } from '../../src/engine/runtime/engine.js';
import type { GroupLag } from '../../src/engine/observe/events.js';
import { eddyCommand, startEddy, type EddyServer } from './harness/eddy.js';
import { startKafka, type KafkaServer } from './harness/kafka.js';
import { targetEnabled } from './harness/targets.js';
import {
  OutputTail,
  assertSuccess,
  killAllChildren,
  runProcess,
  spawnTracked,
  stopProcess,
  tail,
} from './harness/proc.js';
import {
  INTEROP_DIR,
  KAFKA_VERSION,
  REPO_ROOT,
  cacheDir,
  javaPath,
  javacPath,
  kafkaClasspath,
  pythonPath,
  requireTool,
  toolsLog4jConfigFile,
} from './harness/tools.js';

const PARTITIONS = 6;
const WAIT_MS = 60_000;
const JVM = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Djava.awt.headless=true'];

let started = Date.now();
function step(what: string): void {
  console.log(`[interop groups] +${((Date.now() - started) / 1000).toFixed(1)} s ${what}`);
}

const servers: EddyServer[] = [];
const kafkas: KafkaServer[] = [];
const engines: Engine[] = [];
const clients: { close(): Promise<void> }[] = [];

afterAll(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  killAllChildren('SIGKILL'); // members first, so that nothing holds the servers up
  for (const s of servers.splice(0)) await s.dispose().catch(() => undefined);
  for (const k of kafkas.splice(0)) await k.dispose().catch(() => undefined);
  for (const e of engines.splice(0)) await e.stop().catch(() => undefined);
}, 60_000);

// ---------------------------------------------------------------- Consumption ledger

/** Every record processed, by partition:offset, and by whom. */
class Ledger {
  readonly seen = new Map<string, string[]>();
  add(items: [number, number, string][], by: string): void {
    for (const [p, o] of items) {
      const k = `${p}:${o}`;
      this.seen.set(k, [...(this.seen.get(k) ?? []), by]);
    }
  }
  has(keys: Iterable<string>): boolean {
    for (const k of keys) if (!this.seen.has(k)) return false;
    return true;
  }
  duplicates(): string[] {
    return [...this.seen].filter(([, by]) => by.length > 1).map(([k, by]) => `${k} by ${by.join(', ')}`);
  }
}

// ---------------------------------------------------------------- Member processes

interface MemberEvent {
  event: string;
  member?: number;
  partitions?: number[];
  items?: [number, number, string][];
  error?: string;
}

/**
 * A client process printing one JSON event per line (group_member.py, GroupMembers.java). A Python
 * process is one member; a Java process hosts several, told apart by `member`.
 */
class Members {
  readonly events: MemberEvent[] = [];
  /** Latest ownership per member (index 0 for a Python process). */
  readonly owned = new Map<number, number[]>();
  readonly closed = new Set<number>();
  private readonly stderr = new OutputTail();
  private readonly listeners = new Set<() => void>();
  exited = false;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    ledger: Ledger,
  ) {
    this.stderr.attach(child.stderr);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let e: MemberEvent;
      try {
        e = JSON.parse(line) as MemberEvent;
      } catch {
        return;
      }
      this.events.push(e);
      const m = e.member ?? 0;
      if (e.event === 'records' && e.items) ledger.add(e.items, `${this.name}#${m}`);
      if (e.event === 'assigned') this.owned.set(m, e.partitions ?? []);
      if (e.event === 'revoked' || e.event === 'lost') {
        this.owned.set(
          m,
          (this.owned.get(m) ?? []).filter((p) => !(e.partitions ?? []).includes(p)),
        );
      }
      if (e.event === 'closed') {
        this.closed.add(m);
        this.owned.delete(m);
      }
      this.notify();
    });
    child.once('exit', () => {
      this.exited = true;
      this.notify();
    });
  }

  /** Active members' ownership, labelled. */
  active(): [string, number[]][] {
    return [...this.owned].filter(([m]) => !this.closed.has(m)).map(([m, ps]) => [`${this.name}#${m}`, ps]);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(): void {
    for (const fn of [...this.listeners]) fn();
  }

  logTail(): string {
    return `--- ${this.name} stderr ---\n${tail(this.stderr.text(), 15)}\n--- ${this.name} last events ---\n${this.events
      .slice(-5)
      .map((e) => JSON.stringify(e).slice(0, 300))
      .join('\n')}`;
  }
}

/** Resolves once `condition` holds, re-checked whenever a member process prints or exits. */
function waitFor(
  procs: Members[],
  condition: () => boolean,
  what: string,
  timeoutMs = WAIT_MS,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const offs: (() => void)[] = [];
    const done = (err?: Error) => {
      clearTimeout(timer);
      for (const off of offs) off();
      if (err) reject(err);
      else resolve();
    };
    const check = () => {
      if (condition()) done();
    };
    const timer = setTimeout(
      () =>
        done(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}\n${procs.map((p) => p.logTail()).join('\n')}`,
          ),
        ),
      timeoutMs,
    );
    for (const p of procs) offs.push(p.onChange(check));
    check();
  });
}

/** Every partition owned by exactly one active member, and every active member owning one. */
function covered(procs: Members[], members: number): boolean {
  const active = procs.flatMap((p) => p.active());
  if (active.length !== members || active.some(([, ps]) => ps.length === 0)) return false;
  const all = active.flatMap(([, ps]) => ps).sort((a, b) => a - b);
  return all.length === PARTITIONS && all.every((p, i) => p === i);
}

function startPython(
  client: 'confluent' | 'kafka-python',
  bootstrap: string,
  topic: string,
  group: string,
  name: string,
  ledger: Ledger,
): Members {
  const child = spawnTracked(
    pythonPath(),
    [
      join(INTEROP_DIR, 'clients', 'group_member.py'),
      client,
      '--bootstrap',
      bootstrap,
      '--topic',
      topic,
      '--group',
      group,
      '--name',
      name,
    ],
    {
      cwd: join(INTEROP_DIR, 'clients'),
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
    },
  );
  return new Members(name, child, ledger);
}

/** SIGTERM: the member commits, leaves the group and says 'closed'. */
async function stopMember(m: Members): Promise<void> {
  const exit = await stopProcess(m.child, 'SIGTERM', 20_000);
  expect(exit.killed, `${m.name} did not stop on SIGTERM\n${m.logTail()}`).toBe(false);
  expect(m.closed.size, `${m.name} did not close its consumer\n${m.logTail()}`).toBeGreaterThan(0);
}

let javaClasses: string | undefined;
async function compileGroupMembers(): Promise<string> {
  if (javaClasses) return javaClasses;
  const source = join(INTEROP_DIR, 'clients', 'java', 'GroupMembers.java');
  const hash = createHash('sha256')
    .update(readFileSync(source))
    .update(KAFKA_VERSION)
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheDir(), 'java-classes', `group-members-${hash}`);
  if (!existsSync(join(dir, 'GroupMembers.class'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    assertSuccess(
      await runProcess(javacPath(), ['-nowarn', '-d', tmp, '-cp', kafkaClasspath(), source], {
        timeoutMs: 120_000,
      }),
      'javac GroupMembers.java',
    );
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // compiled concurrently elsewhere: same classes
    }
  }
  javaClasses = dir;
  return dir;
}

async function startJava(
  bootstrap: string,
  topic: string,
  group: string,
  assignor: string,
  members: number,
  ledger: Ledger,
): Promise<Members> {
  const classes = await compileGroupMembers();
  const child = spawnTracked(
    javaPath(),
    [
      ...JVM,
      `-Dlog4j2.configurationFile=${toolsLog4jConfigFile()}`,
      '-cp',
      `${classes}${delimiter}${kafkaClasspath()}`,
      'GroupMembers',
      '--bootstrap',
      bootstrap,
      '--topic',
      topic,
      '--group',
      group,
      '--assignor',
      assignor,
      '--members',
      String(members),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return new Members(`java-${assignor}`, child, ledger);
}

// ---------------------------------------------------------------- Cluster helpers

/** Produces `count` keyed records; returns the partition:offset of each. */
async function produce(bootstrap: string, topic: string, from: number, count: number): Promise<string[]> {
  const producer = new Producer({ bootstrap, clientId: 'groups-interop' }, { acks: -1, lingerMs: 5 });
  try {
    const sent = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        producer.send({ topic, key: `k-${from + i}`, value: `v-${from + i}` }),
      ),
    );
    return sent.map((m) => `${m.partition}:${m.offset}`);
  } finally {
    await producer.close();
  }
}

async function endOffsets(bootstrap: string, topic: string): Promise<number[]> {
  const admin = new Admin({ bootstrap });
  try {
    const listed = await admin.listOffsets(
      Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition, spec: 'latest' as const })),
    );
    return listed.map((l) => l.offset);
  } finally {
    await admin.close();
  }
}

async function committed(bootstrap: string, group: string, topic: string): Promise<number[]> {
  const groups = new GroupAdmin({ bootstrap });
  try {
    const offsets = await groups.fetchOffsets(group, [
      { topic, partitions: Array.from({ length: PARTITIONS }, (_, p) => p) },
    ]);
    return Array.from({ length: PARTITIONS }, (_, p) => offsets.find((o) => o.partition === p)?.offset ?? -1);
  } finally {
    await groups.close();
  }
}

/** Polls (bounded) until the group has committed every partition up to its end. */
async function untilCommittedToEnd(
  bootstrap: string,
  group: string,
  topic: string,
  what: string,
): Promise<number[]> {
  const deadline = Date.now() + WAIT_MS;
  const ends = await endOffsets(bootstrap, topic);
  for (;;) {
    const now = await committed(bootstrap, group, topic);
    if (now.every((o, p) => o === ends[p])) return now;
    if (Date.now() > deadline)
      throw new Error(`${what}: committed ${now.join(',')} never reached the end offsets ${ends.join(',')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function createTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Admin({ bootstrap });
  try {
    const [r] = await admin.createTopics([{ name: topic, numPartitions: PARTITIONS, replicationFactor: 3 }]);
    expect(r.error).toBeNull();
    await admin.describeTopics([topic]);
  } finally {
    await admin.close();
  }
}

function fullBootstrap(server: EddyServer): string {
  return /\bbootstrap=(\S+)/.exec(server.readyLine)![1];
}

/** Kafka's ConsumerGroupCommand (kafka-consumer-groups.sh). */
async function consumerGroups(bootstrap: string, args: string[]): Promise<string> {
  const r = await runProcess(
    javaPath(),
    [
      ...JVM,
      `-Dlog4j2.configurationFile=${toolsLog4jConfigFile()}`,
      '-cp',
      kafkaClasspath(),
      'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
      '--bootstrap-server',
      bootstrap,
      ...args,
    ],
    { timeoutMs: 90_000 },
  );
  assertSuccess(r, `kafka-consumer-groups ${args.join(' ')}`);
  const out = r.stdout.toString('utf8');
  if (/^Error:/m.test(out))
    throw new Error(`kafka-consumer-groups ${args.join(' ')} reported an error:\n${out}\n${r.stderr}`);
  return out;
}

async function eddy(args: string[]): Promise<string> {
  const [cmd, argv] = eddyCommand(args);
  return assertSuccess(
    await runProcess(cmd, argv, { cwd: REPO_ROOT, timeoutMs: 60_000 }),
    `eddy ${args.join(' ')}`,
  ).stdout.toString('utf8');
}

/** topic:partition → [CURRENT-OFFSET, LOG-END-OFFSET, LAG] from a --describe table (either tool's). */
function describeTable(text: string): Map<string, [string, string, string]> {
  const rows = new Map<string, [string, string, string]>();
  const lines = text.split('\n').map((l) => l.trim().split(/\s+/));
  const header = lines.findIndex((c) => c[0] === 'GROUP' && c[1] === 'TOPIC');
  expect(header, `no describe table in:\n${text}`).toBeGreaterThanOrEqual(0);
  expect(lines[header].slice(0, 6)).toEqual([
    'GROUP',
    'TOPIC',
    'PARTITION',
    'CURRENT-OFFSET',
    'LOG-END-OFFSET',
    'LAG',
  ]);
  for (const c of lines.slice(header + 1)) if (c.length >= 9) rows.set(`${c[1]}:${c[2]}`, [c[3], c[4], c[5]]);
  return rows;
}

/** The data rows of a --describe table, every column, in printed order. */
function describeRows(text: string): string[][] {
  const lines = text.split('\n').map((l) => l.trim().split(/\s+/));
  const header = lines.findIndex((c) => c[0] === 'GROUP' && c[1] === 'TOPIC');
  return lines.slice(header + 1).filter((c) => c.length === 9);
}

// ---------------------------------------------------------------- 1. librdkafka + kafka-python

describe('consumer groups: confluent-kafka + kafka-python ↔ eddy serve', () => {
  it('processes every record once, keeps offsets across a restart and a coordinator kill, and kafka-consumer-groups agrees', async (ctx) => {
    requireTool('confluent-kafka', undefined, ctx);
    requireTool('kafka-python', undefined, ctx);
    requireTool('java', undefined, ctx);
    requireTool('kafka-libs', undefined, ctx);
    started = Date.now();
    const server = await startEddy({ brokers: 3 });
    servers.push(server);
    step('eddy serve ready');
    let bootstrap = fullBootstrap(server);
    const topic = 'py-orders';
    const group = 'py-mixed';
    await createTopic(bootstrap, topic);

    // Six members, two clients, one group.
    const ledger = new Ledger();
    const procs: Members[] = [];
    for (let i = 0; i < 3; i++) {
      procs.push(startPython('confluent', bootstrap, topic, group, `confluent-${i}`, ledger));
      procs.push(startPython('kafka-python', bootstrap, topic, group, `kafka-python-${i}`, ledger));
    }
    await waitFor(procs, () => covered(procs, 6), 'six members to own one partition each');
    step('six members own one partition each');

    const expected = await produce(bootstrap, topic, 0, 1200);
    await waitFor(procs, () => ledger.has(expected), 'the first 1200 records to be processed');
    step('1200 records processed');

    // Both tools describe the active group alike: members, their partitions, offsets and lag.
    await untilCommittedToEnd(bootstrap, group, topic, 'the first records');
    const kafkaRows = describeRows(await consumerGroups(bootstrap, ['--describe', '--group', group]));
    const eddyRows = describeRows(await eddy(['groups', 'describe', group, '--bootstrap-server', bootstrap]));
    expect(kafkaRows).toHaveLength(PARTITIONS);
    expect(eddyRows).toEqual(kafkaRows);
    // A group with members cannot be reset; Eddy's tool says why, as Kafka's does.
    const [cmd, argv] = eddyCommand([
      'groups',
      'reset',
      group,
      '--topic',
      topic,
      '--to-earliest',
      '--execute',
      '--bootstrap-server',
      bootstrap,
    ]);
    const refused = await runProcess(cmd, argv, { cwd: REPO_ROOT, timeoutMs: 60_000 });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Assignments can only be reset if the group '${group}' is inactive, but the current state is Stable.`,
    );
    step('describe of the active group agrees; reset refused');

    // One leaves, another (of the other client) joins.
    const leaving = procs.find((p) => p.name === 'kafka-python-1')!;
    await stopMember(leaving);
    procs.push(startPython('confluent', bootstrap, topic, group, 'confluent-3', ledger));
    await waitFor(procs, () => covered(procs, 6), 'the group to settle after one member left and one joined');
    step('settled after a leave and a join');
    expected.push(...(await produce(bootstrap, topic, 1200, 600)));
    await waitFor(procs, () => ledger.has(expected), 'the next 600 records to be processed');
    expect(ledger.duplicates()).toEqual([]);
    expect(ledger.seen.size).toBe(expected.length);
    await untilCommittedToEnd(bootstrap, group, topic, 'after the rebalance');
    // A commit refused mid-rebalance is retried by the member; only duplicates would make it matter.
    const refusedCommits = procs.flatMap((p) => p.events).filter((e) => e.event === 'commit-failed');
    if (refusedCommits.length > 0) step(`commits retried: ${JSON.stringify(refusedCommits.slice(0, 3))}`);
    await Promise.all(procs.filter((p) => !p.exited).map(stopMember));
    step('members stopped');

    // A whole-cluster restart keeps the committed offsets.
    const before = await committed(bootstrap, group, topic);
    await server.restart();
    bootstrap = fullBootstrap(server);
    expect(await committed(bootstrap, group, topic)).toEqual(before);
    step('restarted; offsets kept');

    // New members resume from them: they read only what is produced now.
    const resumed: Members[] = [
      startPython('confluent', bootstrap, topic, group, 'confluent-after', ledger),
      startPython('kafka-python', bootstrap, topic, group, 'kafka-python-after', ledger),
    ];
    await waitFor(resumed, () => covered(resumed, 2), 'two members after the restart');
    const fresh = await produce(bootstrap, topic, 1800, 300);
    await waitFor(resumed, () => ledger.has(fresh), 'the records produced after the restart');
    const atKill = await untilCommittedToEnd(bootstrap, group, topic, 'before the coordinator kill');
    step('resumed members processed the new records');

    // Kill the group's coordinator broker while the members run.
    const groups = new GroupAdmin({ bootstrap });
    clients.push(groups);
    const coordinator = (await groups.findCoordinator(group)).nodeId;
    await eddy(['broker', 'kill', String(coordinator), '--data-dir', server.dataDir]);
    const survivors = bootstrap
      .split(',')
      .filter((_, i) => i + 1 !== coordinator)
      .join(',');
    expect(await committed(survivors, group, topic)).toEqual(atKill);
    step(`coordinator ${coordinator} killed; offsets kept`);
    const after = await produce(survivors, topic, 2100, 300);
    await waitFor(resumed, () => ledger.has(after), 'the records produced after the coordinator kill');
    expect((await groups.findCoordinator(group)).nodeId).not.toBe(coordinator);
    await untilCommittedToEnd(survivors, group, topic, 'after the coordinator kill');
    await Promise.all(resumed.map(stopMember));
    step('consumed after the kill; members stopped');
    // Bring the broker back. (While it is down, the leaders of the partitions it follows keep asking
    // the controller to put it back in the ISR, a no-op PartitionChange each time: CPU this file needs.)
    await eddy(['broker', 'start', String(coordinator), '--data-dir', server.dataDir]);
    expect(ledger.duplicates()).toEqual([]);
    expect(ledger.seen.size).toBe(expected.length + fresh.length + after.length);

    // kafka-consumer-groups on Eddy: list, describe (lag), reset, delete.
    await produce(survivors, topic, 2400, 240); // lag for the describe
    expect((await consumerGroups(survivors, ['--list'])).split('\n')).toContain(group);
    expect(await consumerGroups(survivors, ['--list', '--state', 'Empty'])).toMatch(
      new RegExp(`^${group}\\s+Empty\\s*$`, 'm'),
    );
    const kafkaView = describeTable(await consumerGroups(survivors, ['--describe', '--group', group]));
    const eddyView = describeTable(
      await eddy(['groups', 'describe', group, '--bootstrap-server', survivors]),
    );
    expect(kafkaView.size).toBe(PARTITIONS);
    expect(eddyView).toEqual(kafkaView);
    step('kafka-consumer-groups list/describe agree');
    expect([...kafkaView.values()].reduce((n, [, , lag]) => n + Number(lag), 0)).toBe(240);

    const reset = await consumerGroups(survivors, [
      '--reset-offsets',
      '--group',
      group,
      '--topic',
      topic,
      '--to-earliest',
      '--execute',
    ]);
    expect(reset).toMatch(/NEW-OFFSET/);
    expect(await committed(survivors, group, topic)).toEqual(Array(PARTITIONS).fill(0));
    const afterReset = describeTable(
      await eddy(['groups', 'describe', group, '--bootstrap-server', survivors]),
    );
    expect([...afterReset.values()].every(([current, end, lag]) => current === '0' && lag === end)).toBe(
      true,
    );

    expect(await consumerGroups(survivors, ['--delete', '--group', group])).toMatch(
      /Deletion of requested consumer groups \('py-mixed'\) was successful/,
    );
    expect((await eddy(['groups', 'list', '--bootstrap-server', survivors])).split('\n')).not.toContain(
      group,
    );
    step('kafka-consumer-groups reset and deleted the group');
    await server.dispose();
    servers.splice(servers.indexOf(server), 1);
  }, 240_000);
});

// ---------------------------------------------------------------- 2. Java kafka-clients

describe('consumer groups: Java kafka-clients (range, cooperative-sticky) ↔ eddy serve', () => {
  it('keeps exactly-once processing across joins and leaves with eager and cooperative rebalancing', async (ctx) => {
    requireTool('java', undefined, ctx);
    requireTool('javac', undefined, ctx);
    requireTool('kafka-libs', undefined, ctx);
    started = Date.now();
    await compileGroupMembers();
    const server = await startEddy({ brokers: 3 });
    servers.push(server);
    step('compiled; eddy serve ready');
    const bootstrap = fullBootstrap(server);
    const topic = 'java-orders';
    await createTopic(bootstrap, topic);

    const eagerLedger = new Ledger();
    const coopLedger = new Ledger();
    const eager = await startJava(bootstrap, topic, 'java-eager', 'range', 2, eagerLedger);
    const coop = await startJava(bootstrap, topic, 'java-coop', 'cooperative-sticky', 2, coopLedger);
    const both = [eager, coop];
    await waitFor(both, () => covered([eager], 2) && covered([coop], 2), 'two members in each group');
    step('two Java members in each group');

    const expected = await produce(bootstrap, topic, 0, 600);
    await waitFor(
      both,
      () => eagerLedger.has(expected) && coopLedger.has(expected),
      'both groups to process 600 records',
    );

    // A third member joins each group.
    const eventsBefore = { eager: eager.events.length, coop: coop.events.length };
    eager.child.stdin!.write('add\n');
    coop.child.stdin!.write('add\n');
    await waitFor(both, () => covered([eager], 3) && covered([coop], 3), 'three members in each group');
    step('three Java members in each group');
    // Eager: the old members gave up everything; cooperative: only what moved to the new member.
    const revokedBy = (m: Members, from: number) => [
      ...new Set(
        m.events
          .slice(from)
          .filter((e) => e.event === 'revoked' && e.member !== 2)
          .flatMap((e) => e.partitions ?? []),
      ),
    ];
    expect(revokedBy(eager, eventsBefore.eager).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(revokedBy(coop, eventsBefore.coop).length).toBeLessThan(PARTITIONS);
    expect(revokedBy(coop, eventsBefore.coop).length).toBe(coop.owned.get(2)!.length);

    const [eagerDescribed, coopDescribed] = await (async () => {
      const groups = new GroupAdmin({ bootstrap });
      try {
        return await groups.describeGroups(['java-eager', 'java-coop']);
      } finally {
        await groups.close();
      }
    })();
    expect(eagerDescribed).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'range' });
    expect(coopDescribed).toMatchObject({
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'cooperative-sticky',
    });
    expect(
      coopDescribed.members.flatMap((m) => m.assignment!.partitions.flatMap((t) => t.partitions)).sort(),
    ).toEqual([0, 1, 2, 3, 4, 5]);

    expected.push(...(await produce(bootstrap, topic, 600, 300)));
    await waitFor(
      both,
      () => eagerLedger.has(expected) && coopLedger.has(expected),
      'both groups to process 900 records',
    );

    // The first member leaves each group.
    eager.child.stdin!.write('stop 0\n');
    coop.child.stdin!.write('stop 0\n');
    await waitFor(
      both,
      () => covered([eager], 2) && covered([coop], 2),
      'each group to settle on two members',
    );
    step('two Java members again');
    expected.push(...(await produce(bootstrap, topic, 900, 300)));
    await waitFor(
      both,
      () => eagerLedger.has(expected) && coopLedger.has(expected),
      'both groups to process 1200 records',
    );

    for (const m of both) m.child.stdin!.end('quit\n');
    await waitFor(both, () => both.every((m) => m.exited), 'the Java members to exit', 30_000);
    step('Java members exited');
    for (const [name, ledger] of [
      ['range', eagerLedger],
      ['cooperative-sticky', coopLedger],
    ] as const) {
      expect(ledger.duplicates(), name).toEqual([]);
      expect(ledger.seen.size, name).toBe(expected.length);
    }
    await untilCommittedToEnd(bootstrap, 'java-eager', topic, 'range group');
    await untilCommittedToEnd(bootstrap, 'java-coop', topic, 'cooperative-sticky group');
    await server.dispose();
    servers.splice(servers.indexOf(server), 1);
  }, 180_000);
});

// ---------------------------------------------------------------- 3. The observer's lag

describe("consumer groups: the engine observer's lag ↔ kafka-consumer-groups", () => {
  it('reports per partition the LAG kafka-consumer-groups prints', async (ctx) => {
    requireTool('java', undefined, ctx);
    requireTool('kafka-libs', undefined, ctx);
    started = Date.now();
    const dataDir = mkdtempSync(join(tmpdir(), 'eddy-groups-lag-'));
    // The product's shape: brokers in worker threads pushing their statistics to the observer.
    const engine = await startEngine({
      dataDir,
      brokers: 3,
      host: '127.0.0.1',
      basePort: 0,
      mode: 'workers',
    });
    engines.push(engine);
    try {
      const topic = 'lagging';
      await createTopic(engine.bootstrap, topic);
      await produce(engine.bootstrap, topic, 0, 500);
      const groups = new GroupAdmin({ bootstrap: engine.bootstrap });
      clients.push(groups);
      const ends = await endOffsets(engine.bootstrap, topic);
      const results = await groups.alterOffsets(
        'lag-watch',
        ends.map((end, partition) => ({ topic, partition, offset: Math.floor(end / (partition + 1)) })),
      );
      expect(results.every((r) => r.error === null)).toBe(true);

      step('engine up, offsets committed');
      const printed = describeTable(
        await consumerGroups(engine.bootstrap, ['--describe', '--group', 'lag-watch']),
      );
      step('kafka-consumer-groups described');
      const fromObserver = (lag: GroupLag[]) => {
        const g = lag.find((x) => x.groupId === 'lag-watch');
        return new Map(
          (g?.partitions ?? []).map((p) => [
            `${p.topic}:${p.partition}`,
            [String(p.committedOffset), String(p.logEndOffset ?? '-'), String(p.lag ?? '-')],
          ]),
        );
      };
      const same = (lag: GroupLag[]) =>
        JSON.stringify([...fromObserver(lag)].sort()) === JSON.stringify([...printed].sort());
      if (!same(engine.observer.groupLag())) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () =>
              reject(
                new Error(
                  `observer: ${JSON.stringify([...fromObserver(engine.observer.groupLag())])}\nkafka-consumer-groups: ${JSON.stringify([...printed])}`,
                ),
              ),
            15_000,
          );
          const onLag = (lag: GroupLag[]) => {
            if (!same(lag)) return;
            clearTimeout(timer);
            engine.observer.off('lag', onLag);
            resolve();
          };
          engine.observer.on('lag', onLag);
        });
      }
      step('the observer agrees');
      expect(printed.size).toBe(PARTITIONS);
      expect(engine.observer.groupLag('lag-watch')[0].totalLag).toBe(
        [...printed.values()].reduce((n, [, , lag]) => n + Number(lag), 0),
      );
    } finally {
      await engine.stop();
      engines.splice(engines.indexOf(engine), 1);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

// ---------------------------------------------------------------- 4. eddy groups ↔ Apache Kafka

describe('eddy groups ↔ Apache Kafka', () => {
  it.runIf(targetEnabled('kafka'))(
    'prints what kafka-consumer-groups prints, and resets and deletes groups there',
    async (ctx) => {
      requireTool('java', undefined, ctx);
      requireTool('kafka-libs', undefined, ctx);
      requireTool('confluent-kafka', undefined, ctx);
      started = Date.now();
      const kafka = await startKafka();
      kafkas.push(kafka);
      const bootstrap = kafka.bootstrap;
      step('Apache Kafka ready');
      const topic = 'k-orders';
      const group = 'k-group';
      const admin = new Admin({ bootstrap });
      clients.push(admin);
      const [created] = await admin.createTopics([
        { name: topic, numPartitions: PARTITIONS, replicationFactor: 1 },
      ]);
      expect(created.error).toBeNull();
      const expected = await produce(bootstrap, topic, 0, 300);

      // An active member: both tools print the same rows (assignment decoded from the consumer protocol).
      const ledger = new Ledger();
      const member = startPython('confluent', bootstrap, topic, group, 'confluent-k', ledger);
      await waitFor([member], () => covered([member], 1), 'the member to own every partition');
      await waitFor([member], () => ledger.has(expected), 'the member to process the records');
      await untilCommittedToEnd(bootstrap, group, topic, 'the member');
      const kafkaRows = describeRows(await consumerGroups(bootstrap, ['--describe', '--group', group]));
      expect(kafkaRows).toHaveLength(PARTITIONS);
      expect(
        describeRows(await eddy(['groups', 'describe', group, '--bootstrap-server', bootstrap])),
      ).toEqual(kafkaRows);
      await stopMember(member);
      step('describe of an active group agrees');

      // Reset (clamped as Kafka clamps), then both tools agree on the lag; list; delete.
      await eddy([
        'groups',
        'reset',
        group,
        '--topic',
        `${topic}:0,1,2`,
        '--to-offset',
        '40',
        '--execute',
        '--bootstrap-server',
        bootstrap,
      ]);
      const ends = await endOffsets(bootstrap, topic);
      expect((await committed(bootstrap, group, topic)).slice(0, 3)).toEqual(
        ends.slice(0, 3).map((e) => Math.min(40, e)),
      );
      const kafkaView = describeTable(await consumerGroups(bootstrap, ['--describe', '--group', group]));
      expect(
        describeTable(await eddy(['groups', 'describe', group, '--bootstrap-server', bootstrap])),
      ).toEqual(kafkaView);
      expect(await eddy(['groups', 'list', '--state', '--bootstrap-server', bootstrap])).toMatch(
        new RegExp(`^${group}\\s+Empty\\s*$`, 'm'),
      );
      expect(await eddy(['groups', 'delete', group, '--bootstrap-server', bootstrap])).toContain(
        `Deletion of requested consumer groups ('${group}') was successful.`,
      );
      expect((await consumerGroups(bootstrap, ['--list'])).split('\n')).not.toContain(group);
      step('reset, list and delete agree');
    },
    150_000,
  );
});
