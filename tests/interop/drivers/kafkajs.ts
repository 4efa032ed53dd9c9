// kafkajs 2.2.4, in process. Partitioners.DefaultPartitioner is the Java-compatible murmur2 one.
// Codecs: none and gzip are built in (snappy/lz4/zstd would need third-party codec plugins).
// kafkajs has no manual assignment, so reading back uses a fresh consumer group from the beginning.
import { CompressionTypes, Kafka, Partitioners, logLevel, type IHeaders } from 'kafkajs';
import type { Codec, ConsumedRecord, Plan } from '../harness/scenario.js';
import type { ClientDriver, DriverContext, ProduceResult } from '../harness/suite.js';

const CODECS: Partial<Record<Codec, CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
};
const SLICE = 500;
const CONSUME_TIMEOUT_MS = 90_000;

function client(ctx: DriverContext): Kafka {
  return new Kafka({
    clientId: 'eddy-interop-kafkajs',
    brokers: [ctx.bootstrap],
    logLevel: logLevel.ERROR,
    retry: { retries: 5 },
  });
}

function headerEntries(h: IHeaders | undefined): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (const [k, v] of Object.entries(h ?? {})) {
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) if (x !== undefined) out.push([k, Buffer.isBuffer(x) ? x : Buffer.from(x)]);
  }
  return out;
}

export const kafkajsDriver: ClientDriver = {
  name: 'kafkajs',
  tools: [],
  codecs: ['none', 'gzip'],
  headerProfile: 'binary',

  async createTopic(ctx, topic, partitions) {
    const admin = client(ctx).admin();
    await admin.connect();
    try {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      if (!created) throw new Error(`topic ${topic} already existed`);
    } finally {
      await admin.disconnect();
    }
  },

  async produce(ctx, topic, plan: Plan): Promise<ProduceResult> {
    const producer = client(ctx).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    let produced = 0;
    try {
      for (const chunk of plan.chunks) {
        const compression = CODECS[chunk.codec];
        if (compression === undefined) throw new Error(`kafkajs driver: no codec ${chunk.codec}`);
        for (let i = 0; i < chunk.records.length; i += SLICE) {
          const slice = chunk.records.slice(i, i + SLICE);
          await producer.send({
            topic,
            acks: -1,
            compression,
            messages: slice.map((r) => ({
              key: r.key,
              value: r.value,
              headers: Object.fromEntries(r.headers),
            })),
          });
          produced += slice.length;
        }
      }
    } finally {
      await producer.disconnect();
    }
    return {
      produced,
      notes: [`kafkajs: ${plan.chunks.map((c) => `${c.codec} ${c.records.length}`).join(', ')}`],
    };
  },

  async consume(ctx, topic): Promise<ConsumedRecord[]> {
    const kafka = client(ctx);
    const admin = kafka.admin();
    await admin.connect();
    const end = new Map<number, number>();
    try {
      for (const o of await admin.fetchTopicOffsets(topic)) end.set(o.partition, Number(o.high));
    } finally {
      await admin.disconnect();
    }
    const next = new Map<number, number>([...end.keys()].map((p) => [p, 0]));
    const done = () => [...end].every(([p, high]) => (next.get(p) ?? 0) >= high);
    const out: ConsumedRecord[] = [];
    const consumer = kafka.consumer({
      groupId: `eddy-interop-kafkajs-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      maxWaitTimeInMs: 250,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `kafkajs consume timed out: next offsets ${JSON.stringify([...next])}, end ${JSON.stringify([...end])}`,
              ),
            ),
          CONSUME_TIMEOUT_MS,
        );
        const finish = () => {
          clearTimeout(timer);
          resolve();
        };
        if (done()) finish();
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              for (const m of batch.messages) {
                out.push({
                  partition: batch.partition,
                  offset: Number(m.offset),
                  key: m.key ?? null,
                  value: m.value ?? null,
                  headers: headerEntries(m.headers),
                  timestamp: Number(m.timestamp),
                });
                next.set(batch.partition, Number(m.offset) + 1);
              }
              if (done()) finish();
            },
          })
          .catch((err: unknown) => {
            clearTimeout(timer);
            reject(err instanceof Error ? err : new Error(String(err)));
          });
      });
    } finally {
      await consumer.disconnect();
    }
    return out;
  },
};
