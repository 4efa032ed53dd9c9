// kcat (Debian's package; librdkafka inside), as a real process.
// Produce: -K<TAB> key/value lines from a generated file (-l), -z <codec>, headers with -H — which apply
// to every message of one run, so headers are per codec chunk here ('argv' profile), the binary one
// passed as raw bytes through a generated bash script ($'\xNN' quoting). partitioner=murmur2_random.
// Consume: -C -o beginning -e (all partitions, assigned, no group) with a -f format of raw fields.
// kcat has no admin API: the target creates the topic.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSuccess, runProcess } from '../harness/proc.js';
import type { ConsumedRecord, Plan } from '../harness/scenario.js';
import type { ClientDriver, ProduceResult } from '../harness/suite.js';
import { kcatPath } from '../harness/tools.js';

const TIMEOUT_MS = 120_000;

/** bash ANSI-C quoting of arbitrary bytes: $'\xNN...'. */
function bashBytes(b: Buffer): string {
  return `$'${[...b].map((x) => `\\x${x.toString(16).padStart(2, '0')}`).join('')}'`;
}

function splitBuf(buf: Buffer, sep: number): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(sep, start); i >= 0; i = buf.indexOf(sep, start)) {
    parts.push(buf.subarray(start, i));
    start = i + 1;
  }
  parts.push(buf.subarray(start));
  return parts;
}

export const kcatDriver: ClientDriver = {
  name: 'kcat',
  tools: ['kcat'],
  codecs: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
  headerProfile: 'argv',

  async produce(ctx, topic, plan: Plan): Promise<ProduceResult> {
    let produced = 0;
    for (const chunk of plan.chunks) {
      const input = join(ctx.workDir, `${topic}.${chunk.codec}.txt`);
      const lines = chunk.records.map((r) =>
        Buffer.concat([r.key, Buffer.from('\t'), r.value, Buffer.from('\n')]),
      );
      writeFileSync(input, Buffer.concat(lines));
      const headers = chunk.records[0].headers; // the same for the whole chunk in the 'argv' profile
      const script = join(ctx.workDir, `${topic}.${chunk.codec}.sh`);
      const argv = [
        bashBytes(Buffer.from(kcatPath())),
        '-P',
        '-b',
        bashBytes(Buffer.from(ctx.bootstrap)),
        '-t',
        bashBytes(Buffer.from(topic)),
        '-K',
        "$'\\t'",
        '-z',
        chunk.codec,
        '-X',
        'partitioner=murmur2_random',
        '-X',
        'linger.ms=5',
        ...headers.flatMap(([k, v]) => ['-H', bashBytes(Buffer.concat([Buffer.from(`${k}=`), v]))]),
        '-l',
        bashBytes(Buffer.from(input)),
      ];
      writeFileSync(script, `#!/usr/bin/env bash\nset -euo pipefail\nexec ${argv.join(' ')}\n`);
      const r = await runProcess('bash', [script], { timeoutMs: TIMEOUT_MS });
      assertSuccess(r, `kcat -P -z ${chunk.codec}`);
      if (/Delivery failed|^% ERROR/m.test(r.stderr))
        throw new Error(`kcat -P -z ${chunk.codec} reported errors:\n${r.stderr.slice(0, 2000)}`);
      produced += chunk.records.length; // kcat exits 0 only after every delivery report succeeded
    }
    return { produced };
  },

  async consume(ctx, topic): Promise<ConsumedRecord[]> {
    const r = await runProcess(
      kcatPath(),
      [
        '-C',
        '-b',
        ctx.bootstrap,
        '-t',
        topic,
        '-o',
        'beginning',
        '-e',
        '-q',
        '-f',
        '%p\\t%o\\t%T\\t%K\\t%S\\t%k\\t%s\\t%h\\n',
      ],
      { timeoutMs: TIMEOUT_MS },
    );
    assertSuccess(r, 'kcat -C');
    const out: ConsumedRecord[] = [];
    const body =
      r.stdout.length && r.stdout[r.stdout.length - 1] === 0x0a ? r.stdout.subarray(0, -1) : r.stdout;
    if (!body.length) return out;
    for (const line of splitBuf(body, 0x0a)) {
      const f = splitBuf(line, 0x09);
      if (f.length !== 8)
        throw new Error(`kcat -C: unexpected line ${JSON.stringify(line.toString('latin1'))}`);
      const keyLen = Number(f[3].toString());
      const valueLen = Number(f[4].toString());
      const headers: Array<[string, Buffer]> = [];
      if (f[7].length) {
        for (const pair of splitBuf(f[7], 0x2c)) {
          const eq = pair.indexOf(0x3d);
          headers.push([pair.subarray(0, eq).toString('utf8'), Buffer.from(pair.subarray(eq + 1))]);
        }
      }
      out.push({
        partition: Number(f[0].toString()),
        offset: Number(f[1].toString()),
        timestamp: Number(f[2].toString()),
        key: keyLen < 0 ? null : Buffer.from(f[5]),
        value: valueLen < 0 ? null : Buffer.from(f[6]),
        headers,
      });
    }
    return out;
  },
};
