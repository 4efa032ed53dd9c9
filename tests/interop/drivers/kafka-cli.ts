// Apache Kafka's own command-line tools, run from the cached jars (what bin/kafka-*.sh would run):
//   TopicCommand --create, ConsoleProducer (parse.key + parse.headers, one run per --compression-codec),
//   GetOffsetShell (end offsets), consumer.ConsoleConsumer --from-beginning (a consumer group) printing
//   timestamp/partition/offset/headers/key/value.
// The tools read and print text, so header values are non-ASCII UTF-8 ('utf8' profile), not raw bytes.
// Producer defaults apply: acks=all, idempotence on, the built-in murmur2 partitioner.
import { assertSuccess, runProcess } from '../harness/proc.js';
import { PARTITIONS, type ConsumedRecord, type Plan, type TimestampType } from '../harness/scenario.js';
import type { ClientDriver, ProduceResult } from '../harness/suite.js';
import { javaPath, kafkaClasspath, toolsLog4jConfigFile } from '../harness/tools.js';

const TIMEOUT_MS = 120_000;
// Short-lived tool JVMs: small heap, C1 only, serial GC — they start faster.
const JVM = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Djava.awt.headless=true'];

function tool(mainClass: string, args: string[], input?: string) {
  const log4j = `-Dlog4j2.configurationFile=${toolsLog4jConfigFile()}`;
  return runProcess(javaPath(), [...JVM, log4j, '-cp', kafkaClasspath(), mainClass, ...args], {
    input,
    timeoutMs: TIMEOUT_MS,
  });
}

async function endOffsets(
  bootstrap: string,
  topic: string,
  partitions: number,
): Promise<Map<number, number>> {
  const r = assertSuccess(
    await tool('org.apache.kafka.tools.GetOffsetShell', ['--bootstrap-server', bootstrap, '--topic', topic]),
    'GetOffsetShell',
  );
  const text = r.stdout.toString('utf8');
  const end = new Map<number, number>();
  for (const line of text.split('\n')) {
    const m = line.trim().match(/^(.*):(\d+):(\d+)$/);
    if (m && m[1] === topic) end.set(Number(m[2]), Number(m[3]));
  }
  if (end.size !== partitions) {
    throw new Error(
      `GetOffsetShell reported ${end.size} of ${partitions} partitions\n--- stdout ---\n${text.slice(0, 1000)}\n--- stderr ---\n${r.stderr.slice(0, 2000)}`,
    );
  }
  return end;
}

export const kafkaCliDriver: ClientDriver = {
  name: 'kafka-cli',
  tools: ['java', 'kafka-libs'],
  codecs: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
  headerProfile: 'utf8',

  async createTopic(ctx, topic, partitions) {
    assertSuccess(
      await tool('org.apache.kafka.tools.TopicCommand', [
        '--bootstrap-server',
        ctx.bootstrap,
        '--create',
        '--topic',
        topic,
        '--partitions',
        String(partitions),
        '--replication-factor',
        '1',
      ]),
      'TopicCommand --create',
    );
  },

  async produce(ctx, topic, plan: Plan): Promise<ProduceResult> {
    for (const chunk of plan.chunks) {
      // "h1:v1,h2:v2<TAB>key<TAB>value", one record a line
      const input = chunk.records
        .map(
          (r) =>
            `${r.headers.map(([k, v]) => `${k}:${v.toString('utf8')}`).join(',')}\t${r.key.toString('utf8')}\t${r.value.toString('utf8')}\n`,
        )
        .join('');
      const r = await tool(
        'org.apache.kafka.tools.ConsoleProducer',
        [
          '--bootstrap-server',
          ctx.bootstrap,
          '--topic',
          topic,
          '--compression-codec',
          chunk.codec,
          '--reader-property',
          'parse.key=true',
          '--reader-property',
          'parse.headers=true',
        ],
        input,
      );
      assertSuccess(r, `ConsoleProducer --compression-codec ${chunk.codec}`);
      // ConsoleProducer logs failed sends and still exits 0.
      if (/ERROR|Exception/.test(r.stderr))
        throw new Error(`ConsoleProducer (${chunk.codec}) reported errors:\n${r.stderr.slice(0, 3000)}`);
    }
    // It reports no acknowledgements, so count what the topic holds now (it was empty before).
    const end = await endOffsets(ctx.bootstrap, topic, PARTITIONS);
    const produced = [...end.values()].reduce((a, b) => a + b, 0);
    return { produced, notes: [`end offsets after ConsoleProducer: ${JSON.stringify([...end])}`] };
  },

  async consume(ctx, topic, partitions): Promise<ConsumedRecord[]> {
    const end = await endOffsets(ctx.bootstrap, topic, partitions);
    const total = [...end.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return [];
    const r = await tool('org.apache.kafka.tools.consumer.ConsoleConsumer', [
      '--bootstrap-server',
      ctx.bootstrap,
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      String(total),
      '--timeout-ms', // exit when nothing arrives for this long
      '30000',
      ...[
        'print.timestamp',
        'print.partition',
        'print.offset',
        'print.headers',
        'print.key',
        'print.value',
      ].flatMap((p) => ['--formatter-property', `${p}=true`]),
      '--formatter-property',
      'key.separator=\t',
      '--formatter-property',
      'headers.separator=,',
    ]);
    assertSuccess(r, 'ConsoleConsumer');
    const out: ConsumedRecord[] = [];
    for (const line of r.stdout.toString('utf8').split('\n')) {
      if (!line) continue;
      // CreateTime:<ts> \t Partition:<p> \t Offset:<o> \t k:v,k:v \t key \t value
      const f = line.split('\t');
      const ts = f[0]?.match(/^(CreateTime|LogAppendTime|NoTimestampType):(-?\d+)$/);
      const p = f[1]?.match(/^Partition:(\d+)$/);
      const o = f[2]?.match(/^Offset:(\d+)$/);
      if (f.length !== 6 || !ts || !p || !o)
        throw new Error(`ConsoleConsumer: unexpected line ${JSON.stringify(line.slice(0, 300))}`);
      const headers: Array<[string, Buffer]> =
        f[3] === 'NO_HEADERS' || f[3] === ''
          ? []
          : f[3].split(',').map((pair) => {
              const c = pair.indexOf(':');
              return [pair.slice(0, c), Buffer.from(pair.slice(c + 1), 'utf8')] as [string, Buffer];
            });
      out.push({
        partition: Number(p[1]),
        offset: Number(o[1]),
        timestamp: Number(ts[2]),
        timestampType: ts[1] === 'NoTimestampType' ? undefined : (ts[1] as TimestampType),
        headers,
        key: f[4] === 'null' ? null : Buffer.from(f[4], 'utf8'),
        value: f[5] === 'null' ? null : Buffer.from(f[5], 'utf8'),
      });
    }
    return out;
  },
};
