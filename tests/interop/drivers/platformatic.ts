// @platformatic/kafka 1.35, in process.
// Its default partitioner is NOT Java-compatible (unsigned murmur2 % n); `compatibilityPartitioner`
// (murmur2 & 0x7fffffff) is, so we pass that. Codecs: none, gzip, snappy, lz4 (WASM); zstd needs
// Node's zlib zstd, i.e. Node >= 22.15, so it is left out on Node 20.
// Quirk seen against Kafka 4.2: when a Produce answer has an error on some partitions (e.g.
// NOT_LEADER_OR_FOLLOWER right after CreateTopics), it re-sends the whole request, so the partitions
// that had succeeded get duplicates (non-idempotent); and some such answers fail to parse (OUT_OF_BOUNDS).
// The harness waits for the topic's leaders before producing (waitForTopic), as a real app should.
import {
  Admin,
  Consumer,
  MessagesStreamModes,
  Producer,
  compatibilityPartitioner,
  type Message,
} from '@platformatic/kafka';
import type { ConsumedRecord, Plan } from '../harness/scenario.js';
import type { ClientDriver, ProduceResult } from '../harness/suite.js';

const SLICE = 500;
const CONSUME_TIMEOUT_MS = 90_000;
const CLIENT_ID = 'eddy-interop-platformatic';

export const platformaticDriver: ClientDriver = {
  name: 'platformatic',
  tools: [],
  codecs: ['none', 'gzip', 'snappy', 'lz4'],
  headerProfile: 'binary',

  async createTopic(ctx, topic, partitions) {
    const admin = new Admin({ clientId: CLIENT_ID, bootstrapBrokers: [ctx.bootstrap] });
    try {
      await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
    } finally {
      await admin.close();
    }
  },

  async produce(ctx, topic, plan: Plan): Promise<ProduceResult> {
    const producer = new Producer({
      clientId: CLIENT_ID,
      bootstrapBrokers: [ctx.bootstrap],
      partitioner: compatibilityPartitioner,
      acks: -1,
      autocreateTopics: false,
      // Not idempotent (its default). A failed request is re-sent whole, so keep the request timeout
      // well above what a loaded 2-core CI machine needs, or a late answer turns into duplicates.
      timeout: 30_000,
    });
    let produced = 0;
    try {
      for (const chunk of plan.chunks) {
        for (let i = 0; i < chunk.records.length; i += SLICE) {
          const slice = chunk.records.slice(i, i + SLICE);
          await producer.send({
            compression: chunk.codec,
            messages: slice.map((r) => ({
              topic,
              key: r.key,
              value: r.value,
              headers: new Map(r.headers.map(([k, v]) => [Buffer.from(k), v] as [Buffer, Buffer])),
            })),
          });
          produced += slice.length;
        }
      }
    } finally {
      await producer.close();
    }
    return { produced };
  },

  async consume(ctx, topic): Promise<ConsumedRecord[]> {
    const consumer = new Consumer({
      clientId: CLIENT_ID,
      groupId: `eddy-interop-platformatic-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      bootstrapBrokers: [ctx.bootstrap],
      autocommit: false,
      maxWaitTime: 250,
    });
    const out: ConsumedRecord[] = [];
    try {
      const offsets = await consumer.listOffsets({ topics: [topic] });
      const end = (offsets.get(topic) ?? []).map(Number);
      const next = end.map(() => 0);
      const done = () => end.every((high, p) => next[p] >= high);
      if (done()) return out;
      const stream = await consumer.consume({
        topics: [topic],
        mode: MessagesStreamModes.EARLIEST,
        autocommit: false,
      });
      const timer = setTimeout(
        () =>
          stream.destroy(
            new Error(
              `platformatic consume timed out: next ${JSON.stringify(next)}, end ${JSON.stringify(end)}`,
            ),
          ),
        CONSUME_TIMEOUT_MS,
      );
      try {
        for await (const raw of stream) {
          const m = raw as Message<Buffer, Buffer, Buffer, Buffer>;
          out.push({
            partition: m.partition,
            offset: Number(m.offset),
            key: m.key ?? null,
            value: m.value ?? null,
            headers: [...m.headers].map(([k, v]) => [k.toString('utf8'), v] as [string, Buffer]),
            timestamp: Number(m.timestamp),
          });
          next[m.partition] = Number(m.offset) + 1;
          if (done()) break;
        }
      } finally {
        clearTimeout(timer);
        await stream.close().catch(() => undefined);
      }
      if (!done())
        throw new Error(
          `platformatic stream ended early: next ${JSON.stringify(next)}, end ${JSON.stringify(end)}`,
        );
    } finally {
      await consumer.close(true);
    }
    return out;
  },
};
