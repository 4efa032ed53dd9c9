/**
 * Independent readers for the hand-built response goldens: wherever kafkajs 2.2.4 or
 * @platformatic/kafka 1.35 ships a decoder for a response version, it must read the hand-built
 * bytes without error (platformatic: consuming exactly all of them), and every value it returns must
 * be one the layout wrote (compared as a multiset of leaf values: libraries rename and drop fields,
 * so names are not compared). This is what makes the hand layouts for responses trustworthy.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiSchemas, type ApiSchema } from '../../../src/engine/protocol/index.js';
import { build } from './golden/hand.js';
import { LAYOUTS, copyValues, type ApiLayout } from './golden/layouts.js';


const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KAFKAJS = join(ROOT, 'node_modules/kafkajs/src/protocol/requests');
const PLATFORMATIC = join(ROOT, 'node_modules/@platformatic/kafka/dist');

const lowerFirst = (s: string): string => s[0].toLowerCase() + s.slice(1);
const kebab = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

function platformaticModule(name: string, v: number): string | null {
  for (const group of readdirSync(join(PLATFORMATIC, 'apis'))) {
    const file = join(PLATFORMATIC, 'apis', group, `${kebab(name)}-v${v}.js`);
    if (existsSync(file)) return file;
  }
  return null;
}

function kafkajsModule(name: string, v: number): string | null {
  const file = join(KAFKAJS, lowerFirst(name), `v${v}`, 'response.js');
  return existsSync(file) ? file : null;
}

/** Leaf values as strings (numbers, bigints and numeric strings compare equal; uuids as hex), skipping `ignore` paths. */
function leaves(value: unknown, ignore: ReadonlySet<string>, out: string[] = [], path = ''): string[] {
  if (ignore.has(path) || value === null || value === undefined || typeof value === 'function') return out;
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('hex'));
  else if (typeof value === 'string') out.push(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value.replace(/-/g, '').toLowerCase() : value);
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') out.push(String(value));
  else if (value instanceof Map) {
    for (const [k, v] of value) {
      leaves(k, ignore, out, path);
      leaves(v, ignore, out, path);
    }
  }
  else if (Array.isArray(value)) for (const v of value) leaves(v, ignore, out, path);
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, ignore, out, path ? `${path}.${k}` : k);
  return out;
}

/** Every library leaf must be found among ours (multiset inclusion). Returns the unmatched ones. */
function unmatched(library: string[], ours: string[]): string[] {
  const pool = new Map<string, number>();
  for (const l of ours) pool.set(l, (pool.get(l) ?? 0) + 1);
  const missing: string[] = [];
  for (const l of library) {
    const n = pool.get(l) ?? 0;
    if (n === 0) missing.push(l);
    else pool.set(l, n - 1);
  }
  return missing;
}

interface Quirk {
  /** Paths (dotted, array levels elided) whose values the library computes instead of reading. */
  ignore?: string[];
  /** Bytes before the body's tag section the library does not read (fields it does not support). */
  unread?: number;
  /** The library's decoder for this version does not follow the spec; no comparison possible. */
  skip?: string;
}

/** What each library does differently, found by running this test; each entry says why. */
function quirks(lib: string, api: string, v: number): Quirk {
  const q: Quirk = { ignore: [] };
  const ignore = (...paths: string[]): void => void q.ignore?.push(...paths);
  if (lib === 'kafkajs') {
    ignore('throttleTime'); // the broker value goes to clientSideThrottleTime; throttleTime is a synthesized 0
    if (api === 'Fetch') ignore('responses.partitions.messages'); // decoded record batch
    if (api === 'DescribeConfigs') ignore(v === 0 ? 'resources.configEntries.configSource' : 'resources.configEntries.isDefault'); // derived from each other
    if (api === 'DeleteGroups') ignore('results.error'); // error object built from the code
  } else {
    if (api === 'ApiVersions') ignore('apiKeys.name'); // looked up from the key
    if (api === 'Fetch') ignore('responses.partitions.records'); // decoded record batch
    if (api === 'JoinGroup' && v < 7) ignore('protocolType'); // filled in for versions without it
    if (api === 'JoinGroup' && v < 9) ignore('skipAssignment');
    if (api === 'AddPartitionsToTxn' && v <= 3) ignore('errorCode', 'resultsByTransaction.transactionalId'); // v3 reshaped as v4
    if (api === 'DescribeLogDirs' && v < 4) ignore('results.totalBytes', 'results.usableBytes');
    if (api === 'DescribeLogDirs' && v < 3) ignore('errorCode');
    if (api === 'DescribeCluster' && v < 1) ignore('endpointType');
    if (api === 'Metadata' && v <= 10) q.unread = 4; // does not read ClusterAuthorizedOperations (v8-10)
    if (api === 'Metadata' && v < 10) ignore('topics.topicId'); // filled with the topic name before v10
    if (api === 'ConsumerGroupHeartbeat') q.unread = 1; // skips the tag section of the Assignment struct
    if (api === 'DescribeConfigs' && v === 2) q.skip = 'its v2 parser reads ConfigType and Documentation (v3+)';
    if (api === 'ConsumerGroupDescribe') q.skip = 'it reads SubscribedTopicNames as one string instead of an array';
  }
  return q;
}

interface Case {
  lib: 'kafkajs' | 'platformatic';
  layout: ApiLayout;
  version: number;
  file: string;
}

const cases: Case[] = [];
for (const schema of Object.values(apiSchemas) as ApiSchema[]) {
  const layout = LAYOUTS.get(schema.apiKey) as ApiLayout;
  for (let v = schema.validVersions[0]; v <= schema.validVersions[1]; v++) {
    const k = kafkajsModule(schema.name, v);
    if (k) cases.push({ lib: 'kafkajs', layout, version: v, file: k });
    const p = platformaticModule(schema.name, v);
    if (p) cases.push({ lib: 'platformatic', layout, version: v, file: p });
  }
}

/** A real record batch (magic 2) for Fetch responses: the libraries decode what they fetch. */
async function recordBatch(): Promise<Buffer> {
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0');
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');
  const ts = 1_700_000_000_000;
  const batch = await RecordBatch({
    records: [Record({ key: 'k', value: 'v', offsetDelta: 0, timestampDelta: 0 })],
    firstTimestamp: ts,
    maxTimestamp: ts,
    lastOffsetDelta: 0,
  });
  return batch.buffer as Buffer;
}

async function responseValues(layout: ApiLayout, version: number): Promise<any> {
  const x = copyValues(layout.response.untagged ?? layout.response.values);
  if (layout.name === 'Fetch') {
    // v0-3 carry message sets (magic 0/1), which neither library is fed here: send none.
    const records = version >= 4 ? await recordBatch() : Buffer.alloc(0);
    for (const t of x.responses) for (const p of t.partitions) p.records = records;
  }
  return x;
}

describe('library decoders read the hand-built responses', () => {
  it('covers a good share of the response versions', () => {
    const pairs = new Set(cases.map((c) => `${c.layout.apiKey}:${c.version}`));
    expect(pairs.size).toBeGreaterThan(150);
  });

  // Versions a library decodes wrongly (quirk.skip says how) are left out of the list, not skipped.
  const checkable = cases.filter((c) => !quirks(c.lib, c.layout.name, c.version).skip);
  it.for(checkable.map((c) => [`${c.layout.name} v${c.version} via ${c.lib}`, c] as const))('%s', async ([, c]) => {
    const { layout, version } = c;
    const quirk = quirks(c.lib, layout.name, version);
    const flexible = layout.flexibleFrom !== null && version >= layout.flexibleFrom;
    const values = await responseValues(layout, version);
    const { bytes, expected } = build(flexible, (h) => layout.response.write(h, version, values));
    let out: any;
    if (c.lib === 'kafkajs') {
      let mod = require(c.file);
      if (typeof mod === 'function') mod = mod({ topics: [] }); // some response modules are factories
      // kafkajs reads the response header's tag byte inside decode() for its two flexible APIs.
      const raw = flexible && layout.apiKey !== 18 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
      out = await mod.decode(raw);
      if (layout.name === 'SaslAuthenticate') {
        // kafkajs hands back the auth bytes with their int32 length prefix still attached.
        expect(out.authBytes.readInt32BE(0)).toBe(out.authBytes.length - 4);
        out.authBytes = out.authBytes.subarray(4);
      }
    } else {
      const mod = (await import(c.file)) as { parseResponse: (...a: any[]) => unknown };
      const { Reader } = (await import(join(PLATFORMATIC, 'protocol/reader.js'))) as any;
      const reader = Reader.from(bytes);
      try {
        out = mod.parseResponse(1, layout.apiKey, version, reader);
      } catch (err) {
        // The library throws for non-zero error codes but keeps the decoded response.
        if (!(err as any)?.response) throw err;
        out = (err as any).response;
      }
      // Its parsers leave the body's own (empty) tag section to the caller.
      const tail = flexible && bytes[bytes.length - 1] === 0 ? 1 : 0;
      const end = bytes.length - (quirk.unread ?? 0) - tail;
      expect([end, end + tail], 'bytes consumed').toContain(reader.position);
    }
    const theirs = leaves(out, new Set(quirk.ignore));
    const ours = leaves(expected, new Set());
    expect(unmatched(theirs, ours), JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).toEqual([]);
    // Not vacuous: the library must have returned most of what was written.
    expect(theirs.length).toBeGreaterThanOrEqual(Math.ceil(ours.length / 2));
  });
});
