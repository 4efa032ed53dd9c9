// Shared plumbing for the Python clients: each scenario script has create/produce/consume modes and
// prints one JSON summary line (see tests/interop/clients/interop_common.py).
import { join } from 'node:path';
import { assertSuccess, runProcess } from '../harness/proc.js';
import {
  parseClientJson,
  recordsFromJson,
  writePlanFile,
  type ConsumedRecord,
  type Plan,
} from '../harness/scenario.js';
import type { DriverContext, ProduceResult } from '../harness/suite.js';
import { INTEROP_DIR, pythonPath } from '../harness/tools.js';

const CLIENTS_DIR = join(INTEROP_DIR, 'clients');
const STEP_TIMEOUT_S = 90;

async function runScript(
  script: string,
  mode: string,
  ctx: DriverContext,
  topic: string,
  extra: string[] = [],
) {
  const args = [
    join(CLIENTS_DIR, script),
    mode,
    '--bootstrap',
    ctx.bootstrap,
    '--topic',
    topic,
    '--timeout',
    String(STEP_TIMEOUT_S),
    ...extra,
  ];
  const r = await runProcess(pythonPath(), args, {
    cwd: CLIENTS_DIR,
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
    timeoutMs: (STEP_TIMEOUT_S + 30) * 1000,
  });
  assertSuccess(r, `${script} ${mode}`);
  return parseClientJson(r.stdout, `${script} ${mode}`);
}

export function pythonScenario(script: string) {
  return {
    async createTopic(ctx: DriverContext, topic: string, partitions: number): Promise<void> {
      await runScript(script, 'create', ctx, topic, ['--partitions', String(partitions)]);
    },
    async produce(ctx: DriverContext, topic: string, plan: Plan): Promise<ProduceResult> {
      const file = join(ctx.workDir, `${topic}.plan`);
      writePlanFile(plan, file);
      const json = await runScript(script, 'produce', ctx, topic, ['--plan', file]);
      return {
        produced: json.produced ?? 0,
        notes: [`${json.client} ${json.version}`, ...(json.notes ?? [])],
      };
    },
    async consume(ctx: DriverContext, topic: string, partitions: number): Promise<ConsumedRecord[]> {
      return recordsFromJson(
        await runScript(script, 'consume', ctx, topic, ['--partitions', String(partitions)]),
      );
    },
  };
}
