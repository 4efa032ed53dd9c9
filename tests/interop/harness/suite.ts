// Registers the interop scenario for one client against one target inside a vitest describe block:
//   describe.each(TARGETS)('<client> ↔ %s', (target) => interopScenario(target, driver));
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killAllChildren } from './proc.js';
import {
  PARTITIONS,
  TOTAL_RECORDS,
  checkRecords,
  checkStoredCodecs,
  makePlan,
  type Codec,
  type ConsumedRecord,
  type HeaderProfile,
  type Plan,
  type StoredBatch,
} from './scenario.js';
import {
  startTarget,
  targetEnabled,
  targetTools,
  waitForTopic,
  type Target,
  type TargetKind,
} from './targets.js';
import { detectTool, requireTool, type ToolName } from './tools.js';

export interface DriverContext {
  target: Target;
  bootstrap: string;
  /** A temp directory for this suite (plan files, scripts); removed afterwards. */
  workDir: string;
}

export interface ProduceResult {
  /** How many records the client says were acknowledged. */
  produced: number;
  notes?: string[];
}

export interface ClientDriver {
  /** Short name, used in topic names and test titles. */
  name: string;
  /** External tools the client needs (besides the target's). */
  tools: ToolName[];
  /** Compression codecs this client can produce here, in produce order. */
  codecs: Codec[];
  headerProfile: HeaderProfile;
  /** One-time preparation before the first test (compile a program, ...). */
  setup?(): Promise<void>;
  /** Create the topic with the client's own admin API; omitted → the target creates it. */
  createTopic?(ctx: DriverContext, topic: string, partitions: number): Promise<void>;
  produce(ctx: DriverContext, topic: string, plan: Plan): Promise<ProduceResult>;
  /** Read every partition from the beginning up to its end offset (assign + seek where the client can). */
  consume(ctx: DriverContext, topic: string, partitions: number): Promise<ConsumedRecord[]>;
}

/** Upper bound for one phase (create, produce, consume, restart, ...). */
const PHASE_TIMEOUT_MS = 150_000;
/** Upper bound for one test: several phases; only reached if a phase bound fails to fire. */
const TEST_TIMEOUT_MS = 4 * PHASE_TIMEOUT_MS;

function log(msg: string): void {
  console.log(`[interop] ${msg}`);
}

function summarizeCodecs(batches: StoredBatch[]): string {
  const n = new Map<string, number>();
  for (const b of batches) n.set(b.codec, (n.get(b.codec) ?? 0) + 1);
  return [...n].map(([c, k]) => `${c}: ${k}`).join(', ');
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    log(`${label}: ${Date.now() - t} ms`);
  }
}

export function interopScenario(kind: TargetKind, driver: ClientDriver): void {
  const label = `${driver.name} ↔ ${kind}`;
  if (!targetEnabled(kind)) {
    it.skip(`${label}: target disabled by EDDY_INTEROP_TARGETS`, () => undefined);
    return;
  }
  const needed: ToolName[] = [...new Set<ToolName>([...targetTools(kind), ...driver.tools])];

  let target: Target | undefined;
  let workDir: string | undefined;
  let topic = '';
  let plan: Plan | undefined;
  let window = { from: 0, to: 0 };
  let produced = false;

  const ctx = (): DriverContext => ({ target: target!, bootstrap: target!.bootstrap, workDir: workDir! });
  const failWithLogs = (problems: string[], phase: string): void => {
    if (problems.length) {
      throw new Error(`${label} (${phase}):\n  ${problems.join('\n  ')}\n${target?.logTail(30) ?? ''}`);
    }
  };
  // Each phase is bounded (PHASE_TIMEOUT_MS) so that a hang fails with the phase's name and the
  // server's logs rather than vitest's bare test timeout; leftover processes die in afterAll.
  const guard = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no result within ${PHASE_TIMEOUT_MS} ms`)),
        PHASE_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      e.message = `${label} (${phase}): ${e.message}\n${target?.logTail(30) ?? ''}`;
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };

  beforeAll(async () => {
    // Missing tools: start nothing; each test then skips locally (with the install hint) or, under
    // CI=true, fails with it (requireTool).
    if (needed.some((t) => !detectTool(t).available)) return;
    workDir = mkdtempSync(join(tmpdir(), `eddy-interop-${driver.name}-`));
    if (driver.setup) await timed(`${label}: client setup`, () => driver.setup!());
    target = await timed(`${label}: start ${kind}`, () => startTarget(kind));
    log(`${label}: ${kind} at ${target.bootstrap}`);
  }, 2 * PHASE_TIMEOUT_MS);

  afterAll(async () => {
    try {
      if (target) await timed(`${label}: stop ${kind}`, () => target!.dispose());
    } finally {
      killAllChildren('SIGKILL');
      if (workDir && !process.env.EDDY_INTEROP_KEEP) rmSync(workDir, { recursive: true, force: true });
    }
  }, PHASE_TIMEOUT_MS);

  it(
    `${label}: produces ${TOTAL_RECORDS} keyed records (${driver.codecs.join(', ')}) and reads them back`,
    async (t) => {
      for (const tool of needed) requireTool(tool, undefined, t);
      expect(target, 'target failed to start').toBeDefined();
      topic = `interop.${driver.name}.${kind}.${Date.now().toString(36)}${process.pid.toString(36)}`.replace(
        /[^a-zA-Z0-9._-]/g,
        '-',
      );
      plan = makePlan(driver.codecs, driver.headerProfile);

      await guard('create topic', () =>
        timed(`${label}: create topic`, () =>
          driver.createTopic
            ? driver.createTopic(ctx(), topic, PARTITIONS)
            : target!.createTopic(topic, PARTITIONS),
        ),
      );
      await guard('wait for topic', () =>
        timed(`${label}: wait for topic leaders`, () => waitForTopic(target!.bootstrap, topic, PARTITIONS)),
      );
      const from = Date.now();
      const result = await guard('produce', () =>
        timed(`${label}: produce ${plan!.records.length}`, () => driver.produce(ctx(), topic, plan!)),
      );
      window = { from, to: Date.now() };
      for (const n of result.notes ?? []) log(`${label}: ${n}`);
      expect(result.produced, 'records acknowledged by the client').toBe(plan.records.length);
      produced = true;

      const got = await guard('consume', () =>
        timed(`${label}: consume`, () => driver.consume(ctx(), topic, PARTITIONS)),
      );
      failWithLogs(checkRecords(plan, got, { partitions: PARTITIONS, window }), 'read back');
      if (target!.storedBatches) {
        const batches = await guard('inspect stored batches', () =>
          timed(`${label}: inspect stored batches`, () => target!.storedBatches!(topic, PARTITIONS)),
        );
        log(`${label}: ${batches.length} stored batches (${summarizeCodecs(batches)})`);
        failWithLogs(checkStoredCodecs(plan, got, batches), 'stored codecs');
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `${label}: reads the same records after the server restarts`,
    async (t) => {
      for (const tool of needed) requireTool(tool, undefined, t);
      if (!produced || !plan) t.skip('the produce step did not complete');
      await guard('restart', () => timed(`${label}: restart ${kind}`, () => target!.restart()));
      const got = await guard('consume after restart', () =>
        timed(`${label}: consume after restart`, () => driver.consume(ctx(), topic, PARTITIONS)),
      );
      failWithLogs(checkRecords(plan!, got, { partitions: PARTITIONS, window }), 'after restart');
    },
    TEST_TIMEOUT_MS,
  );
}
