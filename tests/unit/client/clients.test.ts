// Cluster, producer and consumer logic against the fake broker: metadata retries, batching,
// partitioning, retries after NOT_LEADER_OR_FOLLOWER, and the consumer's handling of batches.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/engine/protocol/index.js';
import { buildBatch, decodeBatches, defaultPartition } from '../../../src/engine/protocol/records/index.js';
import { Cluster, parseBootstrap } from '../../../src/engine/client/cluster.js';
import { Producer } from '../../../src/engine/client/producer.js';
import { Consumer, type ConsumerRecord } from '../../../src/engine/client/consumer.js';
import { metadataReply, startFakeBroker, type FakeBroker, type Handler } from './fake-broker.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function fake(handler: Handler): Promise<FakeBroker> {
  const broker = await startFakeBroker(handler);
  cleanup.push(() => broker.close());
  return broker;
}

function cluster(broker: FakeBroker): Cluster {
  const c = new Cluster({ bootstrap: broker.address, retryBackoffMs: 5, maxRetryBackoffMs: 20 });
  cleanup.push(() => c.close());
  return c;
}

const of = (broker: FakeBroker, key: number) => broker.requests.filter((r) => r.header.apiKey === key);

describe('parseBootstrap', () => {
  it('reads host:port lists, bare hosts and bracketed IPv6', () => {
    expect(parseBootstrap('a:1, b:2')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
    ]);
    expect(parseBootstrap(['localhost'])).toEqual([{ host: 'localhost', port: 9092 }]);
    expect(parseBootstrap('[::1]:9093')).toEqual([{ host: '::1', port: 9093 }]);
  });

  it('rejects nonsense with a sentence', () => {
    expect(() => parseBootstrap('a:b')).toThrow("'a:b' is not a host:port address");
    expect(() => parseBootstrap(' ')).toThrow('the bootstrap server list is empty');
  });
});

describe('Cluster', () => {
  it('retries while a new topic has no leader, then caches it', async () => {
    let calls = 0;
    const broker = await fake((req, self) => {
      if (req.header.apiKey !== ApiKey.Metadata) return null;
      const reply = metadataReply(self, { t: 2 });
      const topics = (reply.body as { topics: { errorCode: number; partitions: unknown[] }[] }).topics;
      if (++calls <= 2) {
        topics[0].errorCode = 5; // LEADER_NOT_AVAILABLE
        topics[0].partitions = [];
      }
      return reply;
    });
    const c = cluster(broker);
    const info = await c.topic('t');
    expect(info.partitions.map((p) => p.leader)).toEqual([1, 1]);
    expect(calls).toBe(3);
    await c.topic('t');
    expect(calls).toBe(3);
  });

  it('fails with UNKNOWN_TOPIC_OR_PARTITION after bounded retries', async () => {
    const broker = await fake((req, self) => {
      if (req.header.apiKey !== ApiKey.Metadata) return null;
      const reply = metadataReply(self, { missing: 0 });
      (reply.body as { topics: { errorCode: number }[] }).topics[0].errorCode = 3;
      return reply;
    });
    const c = new Cluster({ bootstrap: broker.address, retries: 2, retryBackoffMs: 1 });
    cleanup.push(() => c.close());
    await expect(c.topic('missing')).rejects.toMatchObject({
      code: 3,
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
      topic: 'missing',
    });
    expect(of(broker, ApiKey.Metadata)).toHaveLength(3);
  });
});

describe('Producer', () => {
  it('batches records per partition during linger, keys with murmur2, and returns offsets', async () => {
    const broker = await fake((req, self) => {
      if (req.header.apiKey === ApiKey.Metadata) return metadataReply(self, { t: 3 });
      if (req.header.apiKey === ApiKey.Produce) {
        const body = req.body as { topicData: { name: string; partitionData: { index: number }[] }[] };
        return {
          body: {
            responses: body.topicData.map((t) => ({
              name: t.name,
              partitionResponses: t.partitionData.map((p) => ({
                index: p.index,
                errorCode: 0,
                baseOffset: 100 * p.index,
                logAppendTimeMs: -1,
                logStartOffset: 0,
              })),
            })),
          },
        };
      }
      return null;
    });
    const producer = new Producer(cluster(broker), { lingerMs: 30 });
    const keys = ['foobar', 'abc', '21', 'foobar', 'abc'];
    const acks = await Promise.all(
      keys.map((key, i) => producer.send({ topic: 't', key, value: `v${i}`, headers: { h: 'x' } })),
    );
    const expected = keys.map((k) => defaultPartition(Buffer.from(k), 3));
    expect(acks.map((a) => a.partition)).toEqual(expected);
    // One batch per partition; offsets count up from the batch's base offset in send order.
    const seen = new Map<number, number>();
    const offsets = expected.map((p) => {
      const n = seen.get(p) ?? 0;
      seen.set(p, n + 1);
      return 100 * p + n;
    });
    expect(acks.map((a) => a.offset)).toEqual(offsets);
    const produces = of(broker, ApiKey.Produce);
    expect(produces).toHaveLength(1);
    const partitionData = (
      produces[0].body as { topicData: { partitionData: { index: number; records: Buffer }[] }[] }
    ).topicData[0].partitionData;
    const batches = partitionData.map((p) => decodeBatches(p.records));
    expect(batches.flat().reduce((n, b) => n + b.records.length, 0)).toBe(5);
    expect(batches.flat()[0].records[0].headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
    await producer.close();
  });

  it('refreshes metadata and retries after NOT_LEADER_OR_FOLLOWER', async () => {
    let produceCalls = 0;
    const broker = await fake((req, self) => {
      if (req.header.apiKey === ApiKey.Metadata) return metadataReply(self, { t: 1 });
      if (req.header.apiKey !== ApiKey.Produce) return null;
      produceCalls++;
      return {
        body: {
          responses: [
            {
              name: 't',
              partitionResponses: [
                {
                  index: 0,
                  errorCode: produceCalls === 1 ? 6 : 0,
                  baseOffset: produceCalls === 1 ? -1 : 42,
                  logAppendTimeMs: -1,
                },
              ],
            },
          ],
        },
      };
    });
    const producer = new Producer(cluster(broker), { lingerMs: 0 });
    const meta = await producer.send({ topic: 't', value: 'x' });
    expect(meta).toMatchObject({ topic: 't', partition: 0, offset: 42 });
    expect(produceCalls).toBe(2);
    expect(of(broker, ApiKey.Metadata).length).toBeGreaterThanOrEqual(2);
    // The retry resends exactly the same batch bytes.
    const [a, b] = of(broker, ApiKey.Produce).map(
      (r) =>
        (r.body as { topicData: { partitionData: { records: Buffer }[] }[] }).topicData[0].partitionData[0]
          .records,
    );
    expect(a.equals(b)).toBe(true);
    await producer.close();
  });

  it('fails records with the broker error when it is not retriable', async () => {
    const broker = await fake((req, self) => {
      if (req.header.apiKey === ApiKey.Metadata) return metadataReply(self, { t: 1 });
      if (req.header.apiKey !== ApiKey.Produce) return null;
      return {
        body: {
          responses: [
            {
              name: 't',
              partitionResponses: [{ index: 0, errorCode: 10, baseOffset: -1, errorMessage: 'too big' }],
            },
          ],
        },
      };
    });
    const producer = new Producer(cluster(broker), { lingerMs: 0 });
    await expect(producer.send({ topic: 't', value: 'x' })).rejects.toMatchObject({
      code: 10,
      type: 'MESSAGE_TOO_LARGE',
      partition: 0,
    });
    await producer.close();
  });

  it('sends InitProducerId and sequences per partition when idempotent', async () => {
    const broker = await fake((req, self) => {
      if (req.header.apiKey === ApiKey.Metadata) return metadataReply(self, { t: 1 });
      if (req.header.apiKey === ApiKey.InitProducerId)
        return { body: { errorCode: 0, producerId: 77, producerEpoch: 3 } };
      if (req.header.apiKey !== ApiKey.Produce) return null;
      return {
        body: { responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 0 }] }] },
      };
    });
    const producer = new Producer(cluster(broker), { lingerMs: 0, idempotent: true });
    await producer.send({ topic: 't', value: 'a' });
    await Promise.all([producer.send({ topic: 't', value: 'b' }), producer.send({ topic: 't', value: 'c' })]);
    const batches = of(broker, ApiKey.Produce).map(
      (r) =>
        decodeBatches(
          (r.body as { topicData: { partitionData: { records: Buffer }[] }[] }).topicData[0].partitionData[0]
            .records,
        )[0],
    );
    expect(batches.map((b) => [b.producerId, b.producerEpoch, b.baseSequence, b.records.length])).toEqual([
      [77, 3, 0, 1],
      [77, 3, 1, 2],
    ]);
    await producer.close();
  });
});

describe('Consumer', () => {
  const batchAt = (baseOffset: number, values: string[], opts: { control?: boolean } = {}) => {
    const b = buildBatch({
      records: values.map((v, i) => ({ key: null, value: v, timestamp: 1_000 + i })),
      control: opts.control,
    });
    b.writeBigInt64BE(BigInt(baseOffset), 0); // baseOffset is not covered by the CRC
    return b;
  };

  async function consumerWith(
    fetchAnswer: (
      fetchOffset: number,
      call: number,
    ) => { errorCode?: number; records: Buffer | null; highWatermark?: number },
  ) {
    let calls = 0;
    const broker = await fake((req, self) => {
      if (req.header.apiKey === ApiKey.Metadata) return metadataReply(self, { t: 1 });
      if (req.header.apiKey === ApiKey.ListOffsets) {
        const earliest =
          (req.body as { topics: { partitions: { timestamp: number }[] }[] }).topics[0].partitions[0]
            .timestamp === -2;
        return {
          body: {
            topics: [
              {
                name: 't',
                partitions: [
                  {
                    partitionIndex: 0,
                    errorCode: 0,
                    timestamp: -1,
                    offset: earliest ? 0 : 10,
                    leaderEpoch: 0,
                  },
                ],
              },
            ],
          },
        };
      }
      if (req.header.apiKey !== ApiKey.Fetch) return null;
      const body = req.body as {
        topics: {
          topic: string;
          topicId: Buffer;
          partitions: { partition: number; fetchOffset: number }[];
        }[];
      };
      const p = body.topics[0].partitions[0];
      const answer = fetchAnswer(p.fetchOffset, ++calls);
      return {
        body: {
          errorCode: 0,
          responses: [
            {
              topic: body.topics[0].topic,
              topicId: body.topics[0].topicId,
              partitions: [
                {
                  partitionIndex: 0,
                  errorCode: answer.errorCode ?? 0,
                  highWatermark: answer.highWatermark ?? 10,
                  logStartOffset: 0,
                  records: answer.records,
                },
              ],
            },
          ],
        },
      };
    });
    const consumer = new Consumer(cluster(broker), { maxWaitMs: 10 });
    cleanup.push(() => consumer.close());
    return { broker, consumer };
  }

  it('skips records below the position and control batches, drops a partial trailing batch, and goes on from there', async () => {
    const first = Buffer.concat([
      batchAt(0, ['a', 'b', 'c', 'd']),
      batchAt(4, ['marker'], { control: true }),
      batchAt(5, ['e', 'f']),
    ]);
    const partial = batchAt(7, ['g', 'h']).subarray(0, 30);
    const { broker, consumer } = await consumerWith((offset) => {
      if (offset === 2) return { records: Buffer.concat([first, partial]) };
      if (offset === 7) return { records: batchAt(7, ['g', 'h']) };
      return { records: Buffer.alloc(0) };
    });
    consumer.assign([{ topic: 't', partition: 0 }], 2);
    const got: ConsumerRecord[] = [];
    for await (const r of consumer) {
      got.push(r);
      if (got.length === 5) break;
    }
    expect(got.map((r) => [r.offset, r.value?.toString()])).toEqual([
      [2, 'c'],
      [3, 'd'],
      [5, 'e'],
      [6, 'f'],
      [7, 'g'],
    ]);
    expect(got[0]).toMatchObject({
      topic: 't',
      partition: 0,
      timestamp: 1_002,
      timestampType: 'create-time',
      key: null,
      headers: [],
    });
    const offsets = of(broker, ApiKey.Fetch).map(
      (r) =>
        (r.body as { topics: { partitions: { fetchOffset: number }[] }[] }).topics[0].partitions[0]
          .fetchOffset,
    );
    expect(offsets.slice(0, 2)).toEqual([2, 7]);
    // Topic ids came from Metadata, so the newest Fetch version (by id) was used.
    expect(of(broker, ApiKey.Fetch)[0].header.apiVersion).toBe(17);
  });

  it('surfaces OFFSET_OUT_OF_RANGE with the partition and offsets', async () => {
    const { consumer } = await consumerWith(() => ({ errorCode: 1, records: null, highWatermark: 5 }));
    consumer.assign([{ topic: 't', partition: 0 }], 50);
    const it = consumer.records();
    await expect(it.next()).rejects.toMatchObject({
      code: 1,
      type: 'OFFSET_OUT_OF_RANGE',
      topic: 't',
      partition: 0,
    });
  });

  it('resets to earliest on OFFSET_OUT_OF_RANGE when told to', async () => {
    const { broker } = await consumerWith((offset) =>
      offset === 50 ? { errorCode: 1, records: null } : { records: batchAt(0, ['x']) },
    );
    const consumer = new Consumer(cluster(broker), { maxWaitMs: 10, autoOffsetReset: 'earliest' });
    cleanup.push(() => consumer.close());
    consumer.assign([{ topic: 't', partition: 0 }], 50);
    const first = await consumer.records().next();
    expect(first.value).toMatchObject({ offset: 0 });
    expect(
      (of(broker, ApiKey.ListOffsets)[0].body as { topics: { partitions: { timestamp: number }[] }[] })
        .topics[0].partitions[0].timestamp,
    ).toBe(-2);
  });

  it('close() ends the iterator while a fetch is waiting', async () => {
    const { consumer } = await consumerWith(() => ({ records: Buffer.alloc(0) }));
    consumer.assign([{ topic: 't', partition: 0 }], 0);
    const done = (async () => {
      for await (const _ of consumer) void _;
      return 'ended';
    })();
    await new Promise((r) => setTimeout(r, 50));
    await consumer.close();
    await expect(done).resolves.toBe('ended');
  });
});
