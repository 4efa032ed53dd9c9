// The 'messages' host service (message browser) against a real in-process engine (ports 0): records
// produced with Eddy's own Producer, read back through the browse worker (out/engine/browse-worker.mjs,
// built by `node scripts/build-engine.mjs`).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer, type Compression } from '../../../src/engine/client/index.js';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { asciiFoldSearch } from '../../../src/headless/services/browse-filter.js';
import { startBrowse } from '../../../src/headless/services/browse-host.js';
import type { BrowseQuery } from '../../../src/headless/services/browse-scan.js';
import { embeddedLink, fixedLinks, type ClusterLink } from '../../../src/headless/services/link.js';
import { messagesService } from '../../../src/headless/services/messages.js';
import type { BrowseBatch, MessageRow, StreamContext } from '../../../src/shared/contract/index.js';
import { EddyError } from '../../../src/shared/errors.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const WORKER = fileURLToPath(new URL('../../../out/engine/browse-worker.mjs', import.meta.url));
const tempDir = useTempDirs('eddy-messages-service-');
const call = { signal: new AbortController().signal };

let engine: Engine;
let link: ClusterLink;
let service: ReturnType<typeof messagesService>;
const BASE_TS = 1_700_000_000_000;

async function produce(
  topic: string,
  records: {
    partition?: number;
    key?: string | Buffer | null;
    value: string | Buffer | null;
    headers?: Record<string, string>;
    timestamp?: number;
  }[],
  compression: Compression = 'none',
): Promise<void> {
  const producer = new Producer(link.clusterOptions('test-producer'), { compression, lingerMs: 20 });
  await Promise.all(records.map((r) => producer.send({ topic, ...r })));
  await producer.close();
}

async function createTopic(name: string, partitions: number): Promise<void> {
  const [r] = await link.admin().createTopics([{ name, numPartitions: partitions, replicationFactor: 1 }]);
  expect(r.error).toBeFalsy();
}

interface Browse {
  batches: BrowseBatch[];
  rows: () => MessageRow[];
  ended: () => boolean;
  done: () => boolean;
  stop: () => void;
}

async function browse(query: Partial<BrowseQuery> & { topic: string }, svc = service): Promise<Browse> {
  const batches: BrowseBatch[] = [];
  let ended = false;
  const controller = new AbortController();
  const ctx: StreamContext<BrowseBatch> = {
    signal: controller.signal,
    emit: (b) => batches.push(b),
    end: () => {
      ended = true;
      controller.abort();
    },
  };
  const teardown = await svc.onBrowse(ctx, {
    partitions: null,
    start: { kind: 'beginning' },
    limit: 1000,
    live: false,
    filter: null,
    ...query,
  });
  return {
    batches,
    rows: () => batches.flatMap((b) => b.rows),
    ended: () => ended,
    done: () => batches.some((b) => b.progress.done),
    stop: () => {
      controller.abort();
      if (typeof teardown === 'function') teardown();
    },
  };
}

async function browseAll(query: Partial<BrowseQuery> & { topic: string }, svc = service): Promise<Browse> {
  const b = await browse(query, svc);
  await until(() => b.ended(), `browse of ${query.topic} to end`, 30_000);
  return b;
}

const text = (w: { base64: string } | null) =>
  w === null ? null : Buffer.from(w.base64, 'base64').toString();
const ids = (rows: MessageRow[]) => rows.map((r) => `${r.partition}:${r.offset}`);

beforeAll(async () => {
  engine = await startEngine({
    dataDir: join(tempDir(), 'data'),
    brokers: 1,
    host: '127.0.0.1',
    basePort: 0,
  });
  link = embeddedLink(engine);
  service = messagesService(fixedLinks(link), { workerScript: WORKER });
  // 'orders': 3 partitions × 10 records, keyed, JSON values, headers, timestamps 1 s apart.
  await createTopic('orders', 3);
  const records = [];
  for (let p = 0; p < 3; p++)
    for (let i = 0; i < 10; i++)
      records.push({
        partition: p,
        key: `key-${p}-${i}`,
        value: JSON.stringify({ id: i, partition: p, customer: { name: i % 2 ? 'Alice' : 'bob' }, qty: i }),
        headers: { trace: `t-${p}-${i}`, kind: i === 7 ? '{"special":true}' : 'plain' },
        timestamp: BASE_TS + i * 1000,
      });
  await produce('orders', records);
  await createTopic('mixed', 1);
  await produce('mixed', [
    { partition: 0, key: null, value: 'not json {' },
    { partition: 0, key: '{"k":1}', value: '{"price": 12.5, "tags": ["a","b"]}' },
    { partition: 0, key: 'k', value: null },
    { partition: 0, key: 'k2', value: '[1,2,3]' },
  ]);
}, 60_000);

afterAll(async () => {
  await link?.close();
  await engine?.stop();
});

describe('messages service: start positions, partitions, limit', () => {
  it('reads every partition from the beginning and ends when it reached the end', async () => {
    const b = await browseAll({ topic: 'orders' });
    const rows = b.rows();
    expect(rows).toHaveLength(30);
    for (let p = 0; p < 3; p++)
      expect(rows.filter((r) => r.partition === p).map((r) => r.offset)).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
    const r = rows.find((x) => x.partition === 1 && x.offset === 4)!;
    expect(text(r.key)).toBe('key-1-4');
    expect(JSON.parse(text(r.value)!)).toMatchObject({ id: 4, partition: 1 });
    expect(r.timestamp).toBe(BASE_TS + 4000);
    expect(r.timestampType).toBe('CreateTime');
    expect(r.compression).toBe('none');
    expect(r.match).toBeNull();
    expect(r.headers.map((h) => [h.key, text(h.value)])).toEqual([
      ['trace', 't-1-4'],
      ['kind', 'plain'],
    ]);
    expect(r.value).toMatchObject({ truncated: false, size: Buffer.byteLength(text(r.value)!) });
    const final = b.batches.at(-1)!;
    expect(final.progress).toMatchObject({ scannedRecords: 30, matched: 30, caughtUp: true, done: true });
    expect(final.progress.scannedBytes).toBeGreaterThan(30 * 60);
    expect(final.error).toBeNull();
    expect(b.batches.filter((x) => x.progress.done)).toHaveLength(1);
  });

  it('starts at the last N of each partition', async () => {
    const b = await browseAll({ topic: 'orders', start: { kind: 'latest', count: 2 } });
    expect(ids(b.rows()).sort()).toEqual(['0:8', '0:9', '1:8', '1:9', '2:8', '2:9']);
    const none = await browseAll({ topic: 'orders', start: { kind: 'latest', count: 0 } });
    expect(none.rows()).toHaveLength(0);
    expect(none.batches.at(-1)!.progress).toMatchObject({ done: true, caughtUp: true });
  });

  it('starts at an offset (clamped into the log)', async () => {
    const b = await browseAll({ topic: 'orders', start: { kind: 'offset', offset: 7 }, partitions: [0, 2] });
    expect(ids(b.rows()).sort()).toEqual(['0:7', '0:8', '0:9', '2:7', '2:8', '2:9']);
    const past = await browseAll({ topic: 'orders', start: { kind: 'offset', offset: 100 } });
    expect(past.rows()).toHaveLength(0);
    expect(past.batches.at(-1)!.progress.done).toBe(true);
  });

  it('starts at a timestamp (the first record at or after it)', async () => {
    const b = await browseAll({
      topic: 'orders',
      start: { kind: 'timestamp', timestamp: BASE_TS + 5500 },
      partitions: [1],
    });
    expect(ids(b.rows())).toEqual(['1:6', '1:7', '1:8', '1:9']);
    const future = await browseAll({
      topic: 'orders',
      start: { kind: 'timestamp', timestamp: BASE_TS + 10_000_000 },
    });
    expect(future.rows()).toHaveLength(0);
  });

  it('reads only the chosen partitions, and names partitions that do not exist', async () => {
    const b = await browseAll({ topic: 'orders', partitions: [2] });
    expect(new Set(b.rows().map((r) => r.partition))).toEqual(new Set([2]));
    expect(b.rows()).toHaveLength(10);
    const bad = await browseAll({ topic: 'orders', partitions: [1, 7] });
    expect(bad.rows()).toHaveLength(0);
    expect(bad.batches.at(-1)!.error).toBe(
      "Topic 'orders' has no partition 7 (it has 3: 0–2). Pick existing partitions.",
    );
    expect(bad.batches.at(-1)!.progress.done).toBe(true);
  });

  it('stops at the limit', async () => {
    const b = await browseAll({ topic: 'orders', partitions: [0], limit: 4 });
    expect(ids(b.rows())).toEqual(['0:0', '0:1', '0:2', '0:3']);
    expect(b.batches.at(-1)!.progress).toMatchObject({ matched: 4, done: true });
  });

  it('tells when the topic does not exist', async () => {
    const b = await browseAll({ topic: 'no-such-topic' });
    expect(b.batches.at(-1)!.error).toBe(
      "Topic 'no-such-topic' does not exist. Create it first, or enable auto-creation.",
    );
  });
});

describe('case-insensitive byte search (ASCII needles)', () => {
  const has = (needle: string, hay: string | Buffer) =>
    asciiFoldSearch(needle.toLowerCase())(typeof hay === 'string' ? Buffer.from(hay) : hay);
  it('finds the needle anywhere, in any case, and nothing that is not there', () => {
    expect(has('abc', 'ABC')).toBe(true);
    expect(has('abc', 'xxaBc')).toBe(true);
    expect(has('abc', 'abxabyAbC')).toBe(true);
    expect(has('abc', 'ab')).toBe(false);
    expect(has('abc', 'abd abe')).toBe(false);
    expect(has('order-42', 'ORDER-42')).toBe(true); // anchored on '-'
    expect(has('order-42', '-42 order-4 ORDER-4')).toBe(false);
    expect(has('x-1', '-1 x-1')).toBe(true); // an anchor hit before the needle can start is skipped
    expect(has('aaa', 'aAbaAa')).toBe(true);
    expect(has('', 'anything')).toBe(true);
    // Bytes of multi-byte UTF-8 characters never fold onto ASCII letters.
    expect(has('a', 'Ä')).toBe(false);
    expect(has('é', Buffer.from('x'))).toBe(false);
  });
});

describe('messages service: filters', () => {
  it('text: case-insensitive by default, case-sensitive when asked, over value, key, headers or any', async () => {
    const ci = await browseAll({
      topic: 'orders',
      filter: { kind: 'text', expression: 'ALICE', field: 'value' },
    });
    expect(ci.rows()).toHaveLength(15);
    expect(ci.rows().every((r) => text(r.value)!.includes('Alice'))).toBe(true);
    expect(ci.batches.at(-1)!.progress).toMatchObject({ scannedRecords: 30, matched: 15 });
    const cs = await browseAll({
      topic: 'orders',
      filter: { kind: 'text', expression: 'ALICE', field: 'value', caseSensitive: true },
    });
    expect(cs.rows()).toHaveLength(0);
    const key = await browseAll({
      topic: 'orders',
      filter: { kind: 'text', expression: 'key-2-', field: 'key' },
    });
    expect(ids(key.rows())).toEqual(Array.from({ length: 10 }, (_, i) => `2:${i}`));
    const header = await browseAll({
      topic: 'orders',
      filter: { kind: 'text', expression: 't-0-3', field: 'headers' },
    });
    expect(ids(header.rows())).toEqual(['0:3']);
    const headerKey = await browseAll({
      topic: 'orders',
      filter: { kind: 'text', expression: 'TRACE', field: 'headers' },
    });
    expect(headerKey.rows()).toHaveLength(30);
    const any = await browseAll({
      topic: 'orders',
      filter: { kind: 'text', expression: 'T-1-9', field: 'any' },
    });
    expect(ids(any.rows())).toEqual(['1:9']);
    const inValueOnly = await browseAll({
      topic: 'orders',
      filter: { kind: 'text', expression: 't-1-9', field: 'value' },
    });
    expect(inValueOnly.rows()).toHaveLength(0);
  });

  it('text: non-ASCII needles fold case too', async () => {
    await createTopic('unicode', 1);
    await produce('unicode', [
      { partition: 0, value: 'Zażółć GĘŚLĄ jaźń' },
      { partition: 0, value: 'plain' },
    ]);
    const b = await browseAll({
      topic: 'unicode',
      filter: { kind: 'text', expression: 'gęślą', field: 'value' },
    });
    expect(ids(b.rows())).toEqual(['0:0']);
  });

  it('regex over key and headers; a bad pattern is an error sentence before any reading', async () => {
    const b = await browseAll({
      topic: 'orders',
      filter: { kind: 'regex', expression: '^key-[01]-[5-6]$', field: 'key' },
    });
    expect(ids(b.rows()).sort()).toEqual(['0:5', '0:6', '1:5', '1:6']);
    const h = await browseAll({
      topic: 'orders',
      filter: { kind: 'regex', expression: '"special":\\s*true', field: 'headers' },
    });
    expect(ids(h.rows()).sort()).toEqual(['0:7', '1:7', '2:7']);
    const bad = await browseAll({
      topic: 'orders',
      filter: { kind: 'regex', expression: 'a(b', field: 'value' },
    });
    expect(bad.batches).toHaveLength(1);
    expect(bad.batches[0].error).toMatch(
      /^The regular expression is not valid \(.*\)\. Check its brackets, escapes and quantifiers\.$/,
    );
    expect(bad.batches[0].progress).toMatchObject({ done: true, scannedRecords: 0 });
  });

  it('JSON path: matches parsed values, shows what matched, skips non-JSON', async () => {
    const b = await browseAll({
      topic: 'orders',
      filter: { kind: 'jsonpath', expression: "$[?(@property === 'qty' && @ > 7)]", field: 'value' },
    });
    expect(ids(b.rows()).sort()).toEqual(['0:8', '0:9', '1:8', '1:9', '2:8', '2:9']);
    expect(b.rows().find((r) => r.offset === 9)!.match).toBe('9');
    expect(b.rows().find((r) => r.offset === 8)!.match).toBe('8');
    const names = await browseAll({
      topic: 'orders',
      filter: { kind: 'jsonpath', expression: "$..[?(@.name == 'Alice')].name", field: 'value' },
    });
    expect(names.rows()).toHaveLength(15);
    expect(names.rows().every((r) => r.match === '"Alice"' && r.offset % 2 === 1)).toBe(true);
    const mixed = await browseAll({
      topic: 'mixed',
      filter: { kind: 'jsonpath', expression: '$.tags', field: 'value' },
    });
    expect(ids(mixed.rows())).toEqual(['0:1']);
    expect(mixed.rows()[0].match).toBe('["a","b"]');
    const keys = await browseAll({
      topic: 'mixed',
      filter: { kind: 'jsonpath', expression: '$.k', field: 'key' },
    });
    expect(ids(keys.rows())).toEqual(['0:1']);
    expect(keys.rows()[0].match).toBe('1');
    const header = await browseAll({
      topic: 'orders',
      partitions: [0],
      filter: { kind: 'jsonpath', expression: '$.special', field: 'any' },
    });
    expect(ids(header.rows())).toEqual(['0:7']);
    expect(header.rows()[0].match).toBe('true');
    const bad = await browseAll({
      topic: 'orders',
      filter: { kind: 'jsonpath', expression: '$.items[?(@.qty > 1)', field: 'value' },
    });
    expect(bad.batches[0].error).toBe("The JSON path has an unclosed '['.");
    const noDollar = await browseAll({
      topic: 'orders',
      filter: { kind: 'jsonpath', expression: 'customer.name', field: 'value' },
    });
    expect(noDollar.batches[0].error).toMatch(/^A JSON path starts with '\$'/);
  });
});

describe('messages service: previews, codecs, value()', () => {
  it('cuts large values to previewBytes and value() returns the whole bytes', async () => {
    await createTopic('large', 1);
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    await produce('large', [
      { partition: 0, key: 'big', value: big },
      { partition: 0, key: null, value: 'small' },
    ]);
    const b = await browseAll({ topic: 'large', previewBytes: 1024 });
    const [first, second] = b.rows();
    expect(first.value).toMatchObject({ size: 300_000, truncated: true });
    expect(Buffer.from(first.value!.base64, 'base64').equals(big.subarray(0, 1024))).toBe(true);
    expect(second.value).toEqual({
      base64: Buffer.from('small').toString('base64'),
      size: 5,
      truncated: false,
    });
    const full = await service.value(call, 'large', 0, 0, 'value');
    expect(full).toMatchObject({ size: 300_000, truncated: false });
    expect(Buffer.from(full!.base64, 'base64').equals(big)).toBe(true);
    expect(await service.value(call, 'large', 0, 0, 'key')).toEqual({
      base64: Buffer.from('big').toString('base64'),
      size: 3,
      truncated: false,
    });
    expect(await service.value(call, 'large', 0, 1, 'key')).toBeNull();
    const missing = await Promise.resolve()
      .then(() => service.value(call, 'large', 0, 5, 'value'))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(EddyError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    expect((missing as Error).message).toBe(
      'Offset 5 is not in large-0 (it holds 0–1); the record may have been deleted by retention.',
    );
  });

  it('reads gzip and zstd batches and names their codec', async () => {
    await createTopic('codecs', 2);
    await produce(
      'codecs',
      Array.from({ length: 20 }, (_, i) => ({
        partition: 0,
        key: `g${i}`,
        value: `gzip value ${i} `.repeat(20),
      })),
      'gzip',
    );
    await produce(
      'codecs',
      Array.from({ length: 20 }, (_, i) => ({
        partition: 1,
        key: `z${i}`,
        value: `zstd value ${i} `.repeat(20),
      })),
      'zstd',
    );
    const b = await browseAll({
      topic: 'codecs',
      filter: { kind: 'text', expression: 'value 1', field: 'value' },
    });
    const rows = b.rows();
    // i = 1 and 10..19 on each partition.
    expect(rows).toHaveLength(22);
    for (const r of rows) {
      expect(r.compression).toBe(r.partition === 0 ? 'gzip' : 'zstd');
      expect(text(r.value)).toContain(r.partition === 0 ? 'gzip value 1' : 'zstd value 1');
    }
  });
});

describe('messages service: live and stopping', () => {
  it('live: caught up, then new records arrive; unsubscribing ends it', async () => {
    await createTopic('tail', 2);
    await produce('tail', [
      { partition: 0, value: 'old-0' },
      { partition: 1, value: 'old-1' },
    ]);
    const b = await browse({ topic: 'tail', live: true });
    await until(
      () => b.rows().length === 2 && b.batches.some((x) => x.progress.caughtUp),
      'the old records and caught up',
    );
    await produce('tail', [
      { partition: 0, value: 'new-0' },
      { partition: 1, value: 'new-1' },
      { partition: 1, value: 'skip me' },
    ]);
    await until(() => b.rows().length === 5, 'the new records');
    expect(
      b
        .rows()
        .map((r) => text(r.value))
        .sort(),
    ).toEqual(['new-0', 'new-1', 'old-0', 'old-1', 'skip me']);
    expect(b.done()).toBe(false);
    b.stop();
    expect(b.ended()).toBe(false);
  });

  it('live with a limit: after the limit it follows only new, matching records', async () => {
    await createTopic('tail2', 1);
    await produce(
      'tail2',
      Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `old ${i}` })),
    );
    const b = await browse({
      topic: 'tail2',
      live: true,
      limit: 3,
      filter: { kind: 'text', expression: 'o', field: 'value' },
    });
    await until(() => b.rows().length === 3, 'the first three');
    await until(() => b.batches.some((x) => x.progress.caughtUp), 'caught up');
    await produce('tail2', [
      { partition: 0, value: 'new x' },
      { partition: 0, value: 'new o' },
    ]);
    await until(() => b.rows().length === 4, 'the new matching record');
    expect(b.rows().map((r) => text(r.value))).toEqual(['old 0', 'old 1', 'old 2', 'new o']);
    expect(b.rows()[3].offset).toBe(11);
    b.stop();
  });

  it('runs in the worker; stop() ends the read promptly and nothing comes after it', async () => {
    await createTopic('many', 1);
    await produce(
      'many',
      Array.from({ length: 20_000 }, (_, i) => ({ partition: 0, value: `record number ${i} `.repeat(10) })),
    );
    const batches: BrowseBatch[] = [];
    const handle = startBrowse(
      {
        topic: 'many',
        partitions: null,
        start: { kind: 'beginning' },
        limit: 1_000_000,
        live: true,
        filter: null,
      },
      link.clusterOptions('test-browse'),
      (batch) => batches.push(batch),
      { workerScript: WORKER },
    );
    expect(handle.inWorker).toBe(true);
    await until(() => batches.length >= 2, 'the first batches');
    handle.stop();
    const seen = batches.length;
    await handle.finished;
    expect(batches.length).toBe(seen);
    expect(batches.some((x) => x.progress.done)).toBe(false);
    expect(batches.every((x) => x.rows.length <= 500)).toBe(true);
  });

  it('reads on this thread when asked (workerScript: false) with the same results', async () => {
    const local = messagesService(fixedLinks(link), { workerScript: false });
    const b = await browseAll(
      { topic: 'orders', filter: { kind: 'regex', expression: 'key-1-[0-2]', field: 'key' } },
      local,
    );
    expect(ids(b.rows())).toEqual(['1:0', '1:1', '1:2']);
  });
});
