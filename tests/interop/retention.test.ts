// Retention and DeleteRecords seen by a real client (kafka-python 3.x), against real Apache Kafka and
// against a 3-broker `eddy serve` (EDDY_INTEROP_TARGETS selects):
//   1. a topic with 1 MiB segments gets ~3 MiB of records stamped an hour ago, then one fresh record;
//      two consumer groups commit offset 5;
//   2. IncrementalAlterConfigs (kafka-python's alter_configs) sets retention.ms to 10 minutes; the
//      other topic configs stay (DescribeConfigs shows both as DYNAMIC_TOPIC_CONFIG);
//   3. the broker's retention task (log.retention.check.interval.ms=250) deletes the old segments:
//      the earliest offset moves past 5;
//   4. a consumer of each group resumes at 5, gets OFFSET_OUT_OF_RANGE and resets by its
//      auto_offset_reset: 'earliest' reads from the new log start, 'latest' lands on the log end;
//   5. DeleteRecords (kafka-python's delete_records) moves the log start to the last record.
// Client: tests/interop/clients/retention_kafka_python.py.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEddy } from './harness/eddy.js';
import { startKafka } from './harness/kafka.js';
import { assertSuccess, runProcess } from './harness/proc.js';
import { parseClientJson } from './harness/scenario.js';
import { TARGETS, targetEnabled, targetTools, type TargetKind } from './harness/targets.js';
import { INTEROP_DIR, pythonPath, requireTool } from './harness/tools.js';

const SCRIPT = join(INTEROP_DIR, 'clients', 'retention_kafka_python.py');
const CHECK_INTERVAL_MS = 250;
const COMMITTED = 5;

interface Server {
  bootstrap: string;
  dispose(): Promise<void>;
  logTail(lines?: number): string;
}

async function client(server: Server, mode: string, topic: string, extra: string[] = []): Promise<any> {
  const r = await runProcess(pythonPath(), [SCRIPT, mode, '--bootstrap', server.bootstrap, '--topic', topic, '--timeout', '60', ...extra], {
    cwd: join(INTEROP_DIR, 'clients'),
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
    timeoutMs: 90_000,
  });
  try {
    assertSuccess(r, `retention_kafka_python.py ${mode}`);
  } catch (err) {
    (err as Error).message += `\n${server.logTail(30)}`;
    throw err;
  }
  console.log(`[interop] retention ${mode}: ${r.ms} ms`);
  return parseClientJson(r.stdout, mode);
}

describe.each(TARGETS)('retention and DeleteRecords with kafka-python ↔ %s', (kind: TargetKind) => {
  if (!targetEnabled(kind)) {
    it.skip(`${kind}: target disabled by EDDY_INTEROP_TARGETS`, () => undefined);
    return;
  }
  let server: Server | undefined;

  beforeAll(async () => {
    for (const tool of [...targetTools(kind), 'kafka-python' as const]) {
      try {
        requireTool(tool);
      } catch {
        return; // the test skips with the install hint (or fails under CI)
      }
    }
    server =
      kind === 'kafka'
        ? await startKafka({ properties: { 'log.retention.check.interval.ms': CHECK_INTERVAL_MS, 'log.initial.task.delay.ms': 0 } })
        : await startEddy({ brokers: 3, args: ['--config', `log.retention.check.interval.ms=${CHECK_INTERVAL_MS}`] });
  }, 180_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('old segments expire after retention.ms is lowered; consumers behind the log start reset by auto_offset_reset', async (ctx) => {
    for (const tool of [...targetTools(kind), 'kafka-python' as const]) requireTool(tool, undefined, ctx);
    const s = server!;
    const topic = `retention-${Date.now()}`;

    // Eddy: every broker holds a replica, so followers' retention and DeleteRecords' wait are exercised too.
    const rf = kind === 'eddy' ? '3' : '1';
    const filled = await client(s, 'fill', topic, ['--replication-factor', rf, '--old', '32', '--size', String(100 * 1024), '--group', 'early', '--group', 'late', '--commit', String(COMMITTED)]);
    const end = filled.lastOffset + 1;
    expect(end).toBe(33);

    const altered = await client(s, 'alter', topic, ['--retention-ms', '600000']);
    expect(altered.result).toBe('OK');
    expect(altered.configs['retention.ms']).toEqual(['600000', 'DYNAMIC_TOPIC_CONFIG']);
    expect(altered.configs['segment.bytes']).toEqual(['1048576', 'DYNAMIC_TOPIC_CONFIG']);

    // The retention task removes the segments that hold only hour-old records; the fresh one stays.
    const moved = await client(s, 'earliest', topic, ['--above', String(COMMITTED)]);
    expect(moved.earliest).toBeGreaterThan(COMMITTED);
    expect(moved.earliest).toBeLessThanOrEqual(end - 1);
    expect(moved.end).toBe(end);

    const early = await client(s, 'consume', topic, ['--group', 'early', '--reset', 'earliest']);
    expect(early.committed).toBe(COMMITTED);
    expect(early.first).toBe(early.earliest);
    expect(early.earliest).toBeGreaterThanOrEqual(moved.earliest);

    const late = await client(s, 'consume', topic, ['--group', 'late', '--reset', 'latest']);
    expect(late.committed).toBe(COMMITTED);
    expect(late.first).toBeNull();
    expect(late.position).toBe(end);

    const deleted = await client(s, 'delete', topic, ['--before', String(end - 1)]);
    expect(deleted).toEqual({ lowWatermark: end - 1, errorCode: 0 });
    expect((await client(s, 'earliest', topic, ['--above', String(end - 2)])).earliest).toBe(end - 1);
  }, 240_000);
});
