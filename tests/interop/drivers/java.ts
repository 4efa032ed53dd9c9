// The Java kafka-clients of Apache Kafka 4.x: tests/interop/clients/java/Scenario.java, compiled once
// into the cache (keyed by source + Kafka version) and run as `java -cp <classes>:<libs>/* Scenario`.
// Producer defaults are kept: acks=all, idempotence on, the built-in murmur2 partitioner; all codecs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { assertSuccess, runProcess } from '../harness/proc.js';
import {
  parseClientJson,
  recordsFromJson,
  writePlanFile,
  type ConsumedRecord,
  type Plan,
} from '../harness/scenario.js';
import type { ClientDriver, DriverContext, ProduceResult } from '../harness/suite.js';
import {
  INTEROP_DIR,
  KAFKA_VERSION,
  cacheDir,
  javaPath,
  javacPath,
  kafkaClasspath,
  toolsLog4jConfigFile,
} from '../harness/tools.js';

const SOURCE = join(INTEROP_DIR, 'clients', 'java', 'Scenario.java');
const STEP_TIMEOUT_S = 90;
let classesDir: string | undefined;

/** Compile Scenario.java into $EDDY_CACHE/java-classes/<hash> unless already there. */
export async function compileScenario(): Promise<string> {
  if (classesDir) return classesDir;
  const hash = createHash('sha256')
    .update(readFileSync(SOURCE))
    .update(KAFKA_VERSION)
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheDir(), 'java-classes', hash);
  if (!existsSync(join(dir, 'Scenario.class'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    assertSuccess(
      await runProcess(javacPath(), ['-nowarn', '-d', tmp, '-cp', kafkaClasspath(), SOURCE], {
        timeoutMs: 120_000,
      }),
      'javac Scenario.java',
    );
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another worker won the race; its classes are identical
    }
  }
  classesDir = dir;
  return dir;
}

async function runScenario(mode: string, ctx: DriverContext, topic: string, extra: string[] = []) {
  const classes = await compileScenario();
  const r = await runProcess(
    javaPath(),
    [
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${toolsLog4jConfigFile()}`,
      '-cp',
      `${classes}${delimiter}${kafkaClasspath()}`,
      'Scenario',
      mode,
      '--bootstrap',
      ctx.bootstrap,
      '--topic',
      topic,
      '--timeout',
      String(STEP_TIMEOUT_S),
      ...extra,
    ],
    { timeoutMs: (STEP_TIMEOUT_S + 30) * 1000 },
  );
  assertSuccess(r, `java Scenario ${mode}`);
  return parseClientJson(r.stdout, `java Scenario ${mode}`);
}

export const javaDriver: ClientDriver = {
  name: 'java',
  tools: ['java', 'javac', 'kafka-libs'],
  codecs: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
  headerProfile: 'binary',
  async setup() {
    await compileScenario();
  },
  async createTopic(ctx, topic, partitions) {
    await runScenario('create', ctx, topic, ['--partitions', String(partitions)]);
  },
  async produce(ctx, topic, plan: Plan): Promise<ProduceResult> {
    const file = join(ctx.workDir, `${topic}.plan`);
    writePlanFile(plan, file);
    const json = await runScenario('produce', ctx, topic, ['--plan', file]);
    return { produced: json.produced ?? 0, notes: [`kafka-clients ${json.version}`, ...(json.notes ?? [])] };
  },
  async consume(ctx, topic, partitions): Promise<ConsumedRecord[]> {
    return recordsFromJson(await runScenario('consume', ctx, topic, ['--partitions', String(partitions)]));
  },
};
