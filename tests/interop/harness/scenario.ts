// The interop scenario shared by every client: what to produce, and one checker for what came back.
//
// A topic with 3 partitions gets TOTAL_RECORDS keyed records (key-<i % 997>), split into one chunk per
// compression codec the client supports (produced in order, chunk after chunk). Each record has two
// headers, one of them with a binary value. The client reads everything back from the beginning of
// every partition and reports what it got; checkRecords() verifies keys, values, headers, timestamps,
// per-partition order, offsets, and that each key sits on the partition Kafka's murmur2 picks.
import { writeFileSync } from 'node:fs';

export const PARTITIONS = 3;
export const TOTAL_RECORDS = Number(process.env.EDDY_INTEROP_RECORDS || 10_000);
export const KEY_SPACE = 997;

export const ALL_CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type Codec = (typeof ALL_CODECS)[number];

/**
 * How a client can carry header values:
 * - 'binary': any bytes (0x00 and newlines included), per record;
 * - 'argv': passed on a command line (kcat -H): one value per codec chunk, no NUL, tab, newline, ',' or '=';
 * - 'utf8': text tools (ConsoleProducer): per record, non-ASCII but valid UTF-8.
 */
export type HeaderProfile = 'binary' | 'argv' | 'utf8';

export interface PlannedRecord {
  index: number;
  codec: Codec;
  key: Buffer;
  value: Buffer;
  headers: Array<[string, Buffer]>;
}

export interface Chunk {
  codec: Codec;
  records: PlannedRecord[];
}

export interface Plan {
  chunks: Chunk[];
  records: PlannedRecord[];
  headerProfile: HeaderProfile;
}

export const ARGV_BINARY = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x80, 0x01, 0xff, 0x7f]);

export function keyFor(i: number): Buffer {
  return Buffer.from(`key-${i % KEY_SPACE}`);
}

export function valueFor(i: number, codec: Codec): Buffer {
  // Repetitive filler so every codec has something to compress.
  return Buffer.from(
    `value-${String(i).padStart(6, '0')}|codec=${codec}|${'lorem ipsum dolor '.repeat(1 + (i % 5))}`,
  );
}

export function headersFor(i: number, codec: Codec, profile: HeaderProfile): Array<[string, Buffer]> {
  switch (profile) {
    case 'binary':
      return [
        ['idx', Buffer.from(String(i))],
        ['bin', Buffer.from([0x00, 0xff, i & 0xff, (i >> 8) & 0xff, 0x80, 0x0a, 0x09, 0x2c])],
      ];
    case 'argv':
      return [
        ['codec', Buffer.from(codec)],
        ['bin', ARGV_BINARY],
      ];
    case 'utf8':
      return [
        ['idx', Buffer.from(String(i))],
        ['bin', Buffer.from(`ü€✓${i}`, 'utf8')],
      ];
  }
}

export function makePlan(
  codecs: readonly Codec[],
  headerProfile: HeaderProfile,
  total = TOTAL_RECORDS,
): Plan {
  const chunks: Chunk[] = [];
  const records: PlannedRecord[] = [];
  const per = Math.floor(total / codecs.length);
  let i = 0;
  codecs.forEach((codec, c) => {
    const end = c === codecs.length - 1 ? total : i + per;
    const chunk: Chunk = { codec, records: [] };
    for (; i < end; i++) {
      const r: PlannedRecord = {
        index: i,
        codec,
        key: keyFor(i),
        value: valueFor(i, codec),
        headers: headersFor(i, codec, headerProfile),
      };
      chunk.records.push(r);
      records.push(r);
    }
    chunks.push(chunk);
  });
  return { chunks, records, headerProfile };
}

/**
 * The plan as a line file for client scripts (Python, Java): one record a line,
 * `codec<TAB>keyHex<TAB>valueHex<TAB>hkHex:hvHex,hkHex:hvHex`, in produce order.
 */
export function writePlanFile(plan: Plan, file: string): void {
  const lines = plan.records.map(
    (r) =>
      `${r.codec}\t${r.key.toString('hex')}\t${r.value.toString('hex')}\t${r.headers
        .map(([k, v]) => `${Buffer.from(k).toString('hex')}:${v.toString('hex')}`)
        .join(',')}`,
  );
  writeFileSync(file, lines.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------
// murmur2, Kafka's variant (org.apache.kafka.common.utils.Utils.murmur2), 32-bit integer math.

export function murmur2(data: Buffer): number {
  const length = data.length;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const rest = length & 3;
  const base = length & ~3;
  if (rest === 3) h ^= data[base + 2] << 16;
  if (rest >= 2) h ^= data[base + 1] << 8;
  if (rest >= 1) {
    h ^= data[base];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's default partitioner for a keyed record: toPositive(murmur2(key)) % numPartitions. */
export function murmur2Partition(key: Buffer, numPartitions: number): number {
  return (murmur2(key) & 0x7fffffff) % numPartitions;
}

// ---------------------------------------------------------------------------------------------
// What clients report back.

export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface ConsumedRecord {
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, Buffer]>;
  timestamp: number;
  /** undefined when the client does not expose it. */
  timestampType?: TimestampType;
}

/** The JSON that client scripts print on stdout (hex for all bytes). */
export interface ClientJson {
  client?: string;
  version?: string;
  produced?: number;
  records?: Array<{
    p: number;
    o: number;
    k: string | null;
    v: string | null;
    h: Array<[string, string]>;
    ts: number;
    tt?: TimestampType | null;
  }>;
  notes?: string[];
}

/** The last stdout line that parses as a JSON object. */
export function parseClientJson(stdout: Buffer | string, what: string): ClientJson {
  const lines = stdout.toString('utf8').trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line) as ClientJson;
    } catch {
      // not it
    }
  }
  throw new Error(`${what}: no JSON summary on stdout; got:\n${lines.slice(-10).join('\n').slice(0, 2000)}`);
}

export function recordsFromJson(json: ClientJson): ConsumedRecord[] {
  return (json.records ?? []).map((r) => ({
    partition: r.p,
    offset: r.o,
    key: r.k === null ? null : Buffer.from(r.k, 'hex'),
    value: r.v === null ? null : Buffer.from(r.v, 'hex'),
    headers: r.h.map(
      ([k, v]) => [Buffer.from(k, 'hex').toString('utf8'), Buffer.from(v, 'hex')] as [string, Buffer],
    ),
    timestamp: r.ts,
    timestampType: r.tt ?? undefined,
  }));
}

/** A record batch as the server stored it (only the reference broker exposes this). */
export interface StoredBatch {
  partition: number;
  baseOffset: number;
  lastOffset: number;
  /** none, gzip, snappy, lz4, zstd */
  codec: string;
}

// ---------------------------------------------------------------------------------------------
// The checker.

export interface CheckOptions {
  partitions: number;
  /** Wall-clock window (ms) around the produce step; every CreateTime must fall inside. */
  window: { from: number; to: number };
  /** Stop listing problems after this many. */
  maxProblems?: number;
}

function show(b: Buffer | null): string {
  if (b === null) return 'null';
  const printable = /^[\x20-\x7e]*$/.test(b.toString('latin1'));
  return printable ? JSON.stringify(b.toString('latin1')) : `0x${b.toString('hex')}`;
}

function showHeaders(h: Array<[string, Buffer]>): string {
  return `[${h.map(([k, v]) => `${k}=${show(v)}`).join(', ')}]`;
}

/** Everything wrong with `got` compared with `plan`; [] when all is well. */
export function checkRecords(plan: Plan, got: ConsumedRecord[], opts: CheckOptions): string[] {
  const problems: string[] = [];
  const max = opts.maxProblems ?? 25;
  let more = 0;
  const problem = (s: string) => {
    if (problems.length < max) problems.push(s);
    else more++;
  };

  if (got.length !== plan.records.length)
    problem(`expected ${plan.records.length} records, got ${got.length}`);

  const seen = new Map<number, ConsumedRecord>();
  const byPartition = new Map<number, ConsumedRecord[]>();
  for (const r of got) {
    const where = `p${r.partition}@${r.offset}`;
    if (!Number.isInteger(r.partition) || r.partition < 0 || r.partition >= opts.partitions) {
      problem(`${where}: partition out of range`);
      continue;
    }
    let list = byPartition.get(r.partition);
    if (!list) byPartition.set(r.partition, (list = []));
    list.push(r);

    const m = r.value?.toString('latin1').match(/^value-(\d{6})\|/);
    if (!m) {
      problem(`${where}: unrecognised value ${show(r.value)}`);
      continue;
    }
    const index = Number(m[1]);
    const want = plan.records[index];
    if (!want) {
      problem(`${where}: value index ${index} was never produced`);
      continue;
    }
    if (seen.has(index)) {
      const first = seen.get(index)!;
      problem(`${where}: record ${index} duplicated (also at p${first.partition}@${first.offset})`);
      continue;
    }
    seen.set(index, r);
    const id = `record ${index} (${want.codec}) at ${where}`;
    if (!r.value!.equals(want.value)) problem(`${id}: value ${show(r.value)} != ${show(want.value)}`);
    if (!r.key || !r.key.equals(want.key)) problem(`${id}: key ${show(r.key)} != ${show(want.key)}`);
    const expectedPartition = murmur2Partition(want.key, opts.partitions);
    if (r.partition !== expectedPartition)
      problem(
        `${id}: key ${show(want.key)} landed on partition ${r.partition}, murmur2 picks ${expectedPartition}`,
      );
    const headersOk =
      r.headers.length === want.headers.length &&
      r.headers.every(([k, v], j) => k === want.headers[j][0] && v.equals(want.headers[j][1]));
    if (!headersOk) problem(`${id}: headers ${showHeaders(r.headers)} != ${showHeaders(want.headers)}`);
    if (!Number.isFinite(r.timestamp) || r.timestamp < opts.window.from || r.timestamp > opts.window.to)
      problem(
        `${id}: timestamp ${r.timestamp} outside the produce window [${opts.window.from}, ${opts.window.to}]`,
      );
    if (r.timestampType !== undefined && r.timestampType !== 'CreateTime')
      problem(`${id}: timestamp type ${r.timestampType}, expected CreateTime`);
  }

  const missing = plan.records.filter((r) => !seen.has(r.index));
  if (missing.length)
    problem(
      `${missing.length} records missing, e.g. ${missing
        .slice(0, 5)
        .map((r) => `${r.index} (${r.codec})`)
        .join(', ')}`,
    );

  // Per partition: offsets 0,1,2,... with no gap (no transactions here) and values increasing.
  for (const [p, list] of [...byPartition.entries()].sort((a, b) => a[0] - b[0])) {
    const sorted = [...list].sort((a, b) => a.offset - b.offset);
    const reported = list.map((r) => r.offset);
    if (reported.some((o, j) => j > 0 && o <= reported[j - 1]))
      problem(`partition ${p}: client delivered offsets out of order`);
    const gapAt = sorted.findIndex((x, k) => x.offset !== k);
    if (gapAt >= 0)
      problem(
        `partition ${p}: expected offset ${gapAt}, found ${sorted[gapAt].offset} (offsets must run 0..n-1 without gaps)`,
      );
    let prev = -1;
    for (const r of sorted) {
      const idx = Number(r.value?.toString('latin1').match(/^value-(\d{6})\|/)?.[1] ?? NaN);
      if (!Number.isNaN(idx)) {
        if (idx <= prev) {
          problem(
            `partition ${p}: record ${idx} at offset ${r.offset} comes after record ${prev} (order broken)`,
          );
          break;
        }
        prev = idx;
      }
    }
  }
  if (more) problems.push(`... and ${more} more problems`);
  return problems;
}

/**
 * Each record must sit in a stored batch compressed with the codec it was produced with: proves that
 * the client really compressed (some librdkafka versions silently fell back to none) and the server
 * kept the producer's batches. One allowance: librdkafka sends a batch uncompressed when compressing
 * would not make it smaller (small batches at a chunk's edge), so a record may sit in a `none` batch —
 * as long as most of its codec's records were stored compressed.
 */
export function checkStoredCodecs(
  plan: Plan,
  got: ConsumedRecord[],
  batches: StoredBatch[],
  maxProblems = 10,
): string[] {
  const problems: string[] = [];
  const byPartition = new Map<number, StoredBatch[]>();
  for (const b of batches) {
    let list = byPartition.get(b.partition);
    if (!list) byPartition.set(b.partition, (list = []));
    list.push(b);
  }
  const counts = new Map<string, number>();
  const perCodec = new Map<string, { total: number; asProduced: number }>();
  for (const r of got) {
    const index = Number(r.value?.toString('latin1').match(/^value-(\d{6})\|/)?.[1] ?? NaN);
    const want = plan.records[index];
    if (!want) continue; // checkRecords reports it
    const batch = byPartition
      .get(r.partition)
      ?.find((b) => b.baseOffset <= r.offset && r.offset <= b.lastOffset);
    if (!batch) {
      if (problems.length < maxProblems)
        problems.push(`record ${index} at p${r.partition}@${r.offset}: no stored batch covers it`);
      continue;
    }
    counts.set(batch.codec, (counts.get(batch.codec) ?? 0) + 1);
    const tally = perCodec.get(want.codec) ?? { total: 0, asProduced: 0 };
    tally.total++;
    if (batch.codec === want.codec) tally.asProduced++;
    perCodec.set(want.codec, tally);
    if (batch.codec === 'none' && want.codec !== 'none') continue;
    if (batch.codec !== want.codec && problems.length < maxProblems)
      problems.push(
        `record ${index} at p${r.partition}@${r.offset}: produced with ${want.codec}, stored in a ${batch.codec} batch`,
      );
  }
  for (const [codec, t] of perCodec) {
    if (t.asProduced * 2 < t.total && problems.length < maxProblems)
      problems.push(`only ${t.asProduced} of ${t.total} records produced with ${codec} were stored compressed with it`);
  }
  return problems;
}
