// The servers an interop suite runs against: real Apache Kafka (the reference) or Eddy.
import { Kafka, logLevel } from 'kafkajs';
import { eddyCreateTopic, startEddy } from './eddy.js';
import { startKafka } from './kafka.js';
import type { StoredBatch } from './scenario.js';
import type { ToolName } from './tools.js';

export const TARGETS = ['kafka', 'eddy'] as const;
export type TargetKind = (typeof TARGETS)[number];

/** EDDY_INTEROP_TARGETS=kafka,eddy (default both) selects which targets run; the others are skipped. */
export function enabledTargets(): TargetKind[] {
  const raw = process.env.EDDY_INTEROP_TARGETS ?? 'kafka,eddy';
  const wanted = raw
    .split(/[\s,]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const w of wanted) {
    if (!(TARGETS as readonly string[]).includes(w))
      throw new Error(`EDDY_INTEROP_TARGETS: unknown target "${w}" (use kafka, eddy)`);
  }
  return TARGETS.filter((t) => wanted.includes(t));
}

export function targetEnabled(kind: TargetKind): boolean {
  return enabledTargets().includes(kind);
}

/** Tools a target itself needs (beyond the client's). */
export function targetTools(kind: TargetKind): ToolName[] {
  return kind === 'kafka' ? ['java', 'kafka-libs'] : [];
}

export interface Target {
  kind: TargetKind;
  readonly bootstrap: string;
  /** Restart the whole server on the same data and address. */
  restart(): Promise<void>;
  /** Stop and clean up. */
  dispose(): Promise<void>;
  /** Server-side logs for failure messages. */
  logTail(lines?: number): string;
  /** Create a topic without the client under test (for clients with no admin API). */
  createTopic(topic: string, partitions: number): Promise<void>;
  /** The stored record batches of a topic, where the server's storage can be inspected (Kafka only). */
  storedBatches?(topic: string, partitions: number): Promise<StoredBatch[]>;
}

async function kafkajsCreateTopic(bootstrap: string, topic: string, partitions: number): Promise<void> {
  const admin = new Kafka({
    clientId: 'eddy-interop-admin',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`topic ${topic} already exists`);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Wait until every partition of a new topic has a leader that serves it. CreateTopics returns once the
 * controller committed the topic; the broker applies it a moment later (its metadata cache first, its
 * replica manager after), so an immediate Produce can get NOT_LEADER_OR_FOLLOWER on some partitions.
 * ListOffsets on every partition goes to the replica manager, so its success means "ready".
 */
export async function waitForTopic(
  bootstrap: string,
  topic: string,
  partitions: number,
  timeoutMs = 30_000,
): Promise<void> {
  const admin = new Kafka({
    clientId: 'eddy-interop-ready',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 10, initialRetryTime: 50, maxRetryTime: 500 },
  }).admin();
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  await admin.connect();
  try {
    while (Date.now() < deadline) {
      try {
        const md = await admin.fetchTopicMetadata({ topics: [topic] });
        const parts = md.topics[0]?.partitions ?? [];
        if (parts.length === partitions && parts.every((p) => p.leader >= 0)) {
          const offsets = await admin.fetchTopicOffsets(topic);
          if (offsets.length === partitions) return;
          last = `ListOffsets answered for ${offsets.length} of ${partitions} partitions`;
        } else {
          last = `metadata shows ${parts.filter((p) => p.leader >= 0).length} of ${partitions} partitions with a leader`;
        }
      } catch (err) {
        last = String(err); // kafkajs already retried retriable errors with backoff
      }
    }
    throw new Error(`topic ${topic} not ready within ${timeoutMs} ms: ${last}`);
  } finally {
    await admin.disconnect();
  }
}

export async function startTarget(kind: TargetKind, opts: { brokers?: number } = {}): Promise<Target> {
  if (kind === 'kafka') {
    const k = await startKafka();
    return {
      kind,
      get bootstrap() {
        return k.bootstrap;
      },
      restart: () => k.restart(),
      dispose: () => k.dispose(),
      logTail: (n) => k.logTail(n),
      createTopic: (topic, partitions) => kafkajsCreateTopic(k.bootstrap, topic, partitions),
      storedBatches: (topic, partitions) => k.storedBatches(topic, partitions),
    };
  }
  const e = await startEddy({ brokers: opts.brokers });
  return {
    kind,
    get bootstrap() {
      return e.bootstrap;
    },
    restart: () => e.restart(),
    dispose: () => e.dispose(),
    logTail: (n) => e.logTail(n),
    createTopic: (topic, partitions) => eddyCreateTopic(e.bootstrap, topic, partitions),
  };
}
