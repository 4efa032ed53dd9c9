import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/engine/protocol/index.js';
import { Connection, NO_RESPONSE } from '../../../src/engine/client/connection.js';
import { KafkaClientError } from '../../../src/engine/client/errors.js';
import {
  KAFKA_4_RANGES,
  metadataReply,
  startFakeBroker,
  type FakeBroker,
  type Handler,
} from './fake-broker.js';

const open: { brokers: FakeBroker[]; conns: Connection[] } = { brokers: [], conns: [] };

afterEach(async () => {
  for (const c of open.conns) c.close();
  for (const b of open.brokers) await b.close();
  open.brokers = [];
  open.conns = [];
});

async function setup(handler: Handler, ranges = KAFKA_4_RANGES, requestTimeoutMs = 5_000) {
  const broker = await startFakeBroker(handler, ranges);
  open.brokers.push(broker);
  const conn = await Connection.connect({
    host: broker.host,
    port: broker.port,
    requestTimeoutMs,
    clientId: 'unit',
  });
  open.conns.push(conn);
  return { broker, conn };
}

const metadataT: Handler = (req, broker) =>
  req.header.apiKey === ApiKey.Metadata ? metadataReply(broker, { t: 2 }) : null;

describe('Connection: ApiVersions negotiation', () => {
  it('starts at ApiVersions v4 and picks min(our max, broker max) per API', async () => {
    const { broker, conn } = await setup(() => null);
    expect(broker.requests.map((r) => [r.header.apiKey, r.header.apiVersion])).toEqual([
      [ApiKey.ApiVersions, 4],
    ]);
    expect(broker.requests[0].body).toMatchObject({
      clientSoftwareName: 'eddy',
      clientSoftwareVersion: '0.1.0',
    });
    expect(conn.versionFor(ApiKey.Metadata)).toBe(12);
    expect(conn.versionFor(ApiKey.Fetch)).toBe(17);
    expect(conn.versionFor(ApiKey.Produce)).toBe(11);
  });

  it('falls back after UNSUPPORTED_VERSION, reading the v0-encoded error reply', async () => {
    const ranges = {
      ...KAFKA_4_RANGES,
      [ApiKey.ApiVersions]: [0, 2] as [number, number],
      [ApiKey.Metadata]: [0, 9] as [number, number],
    };
    const { broker, conn } = await setup(() => null, ranges);
    expect(broker.requests.map((r) => r.header.apiVersion)).toEqual([4, 2]);
    expect(conn.versionFor(ApiKey.Metadata)).toBe(9);
    expect(conn.brokerVersions.get(ApiKey.Metadata)).toEqual({ min: 0, max: 9 });
  });

  it('refuses an API when the ranges do not overlap, naming both', async () => {
    const ranges = { ...KAFKA_4_RANGES, [ApiKey.Produce]: [0, 2] as [number, number] };
    const { conn } = await setup(() => null, ranges);
    expect(conn.supports(ApiKey.Produce)).toBe(false);
    const err = await conn.send(ApiKey.Produce, { acks: 1, topicData: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaClientError);
    expect((err as KafkaClientError).kind).toBe('version');
    expect((err as KafkaClientError).message).toMatch(
      /no Produce version in common: the client speaks v3-11, broker 127\.0\.0\.1:\d+ v0-2/,
    );
  });

  it('refuses an explicit version outside the broker range without sending it', async () => {
    const { broker, conn } = await setup(() => null);
    await expect(conn.send(ApiKey.Metadata, { topics: [] }, { version: 13 })).rejects.toMatchObject({
      kind: 'version',
    });
    expect(broker.requests).toHaveLength(1);
  });
});

describe('Connection: framing and correlation', () => {
  it('resolves pipelined requests by correlation id even when answered out of order', async () => {
    const release: (() => void)[] = [];
    const { conn, broker } = await setup(async (req, self) => {
      const body = req.body as { topics: { name: string }[] };
      // The first request is held until the second has been answered.
      if (body.topics[0]?.name === 'first') await new Promise<void>((resolve) => release.push(resolve));
      return metadataReply(self, { [body.topics[0]?.name ?? 'none']: 1 });
    });
    const first = conn.send(ApiKey.Metadata, { topics: [{ name: 'first' }] });
    const second = conn.send(ApiKey.Metadata, { topics: [{ name: 'second' }] });
    expect(conn.inFlight).toBe(2);
    expect((await second).topics[0].name).toBe('second');
    release[0]();
    expect((await first).topics[0].name).toBe('first');
    const ids = broker.requests.slice(1).map((r) => r.header.correlationId);
    expect(new Set(ids).size).toBe(2);
  });

  it('reassembles frames delivered one byte at a time', async () => {
    const { conn, broker } = await setup(metadataT);
    broker.writeMode = 'bytewise';
    const answers = await Promise.all([1, 2, 3].map(() => conn.send(ApiKey.Metadata, { topics: null })));
    for (const a of answers) expect(a.topics.map((t) => t.name)).toEqual(['t']);
  });

  it('sends the client id and the negotiated version in the request header', async () => {
    const { conn, broker } = await setup(metadataT);
    await conn.send(ApiKey.Metadata, { topics: null });
    expect(broker.requests[1].header).toMatchObject({
      apiKey: ApiKey.Metadata,
      apiVersion: 12,
      clientId: 'unit',
    });
  });
});

describe('Connection: timeouts, acks=0 and failures', () => {
  it('times a request out and keeps the connection usable; the late answer is dropped', async () => {
    let calls = 0;
    const { conn } = await setup(async (_req, self) => {
      calls++;
      if (calls === 1) await new Promise((r) => setTimeout(r, 300));
      return metadataReply(self, { t: 1 });
    });
    const started = Date.now();
    const err = await conn
      .send(ApiKey.Metadata, { topics: null }, { timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(err).toMatchObject({ kind: 'timeout', retriable: true });
    expect((err as Error).message).toMatch(/Metadata request to 127\.0\.0\.1:\d+ timed out after 100 ms/);
    const next = await conn.send(ApiKey.Metadata, { topics: null });
    expect(next.topics).toHaveLength(1);
    expect(conn.closed).toBe(false);
  });

  it('resolves an acks=0 Produce without waiting for a response', async () => {
    const { broker, conn } = await setup(() => null);
    const res = await conn.send(ApiKey.Produce, {
      acks: 0,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records: null }] }],
    });
    expect(res).toBe(NO_RESPONSE);
    expect(conn.inFlight).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(broker.requests.at(-1)?.header.apiKey).toBe(ApiKey.Produce);
  });

  it('fails every in-flight request with a clear, retriable error when the broker drops the connection', async () => {
    let seen = 0;
    const { conn } = await setup(() => (++seen === 2 ? 'close' : null));
    const closed = new Promise((resolve) => conn.once('close', resolve));
    const a = conn.send(ApiKey.Metadata, { topics: null }).catch((e: unknown) => e);
    const b = conn.send(ApiKey.Metadata, { topics: null }).catch((e: unknown) => e);
    const [ea, eb] = await Promise.all([a, b]);
    for (const e of [ea, eb]) {
      expect(e).toBeInstanceOf(KafkaClientError);
      expect(e).toMatchObject({ kind: 'connection', retriable: true });
      expect((e as Error).message).toMatch(
        /connection to broker 127\.0\.0\.1:\d+ closed with 2 request\(s\) in flight/,
      );
    }
    await closed;
    expect(conn.closed).toBe(true);
    await expect(conn.send(ApiKey.Metadata, { topics: null })).rejects.toMatchObject({ kind: 'connection' });
  });

  it('rejects in-flight requests with kind "closed" when the owner closes it', async () => {
    const { conn } = await setup(() => null);
    const pending = conn.send(ApiKey.Metadata, { topics: null });
    conn.close();
    await expect(pending).rejects.toMatchObject({ kind: 'closed' });
  });

  it('reports a refused connection with the address and a hint', async () => {
    const broker = await startFakeBroker(() => null);
    const port = broker.port;
    await broker.close();
    const err = await Connection.connect({ host: '127.0.0.1', port }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'connection', retriable: true });
    expect((err as Error).message).toBe(
      `could not connect to 127.0.0.1:${port}: connection refused (is a broker listening there?)`,
    );
  });
});
