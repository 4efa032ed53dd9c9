/**
 * Kafka requests the topics and groups services need that Eddy's Admin does not offer (yet):
 * CreatePartitions, DeleteRecords, DescribeLogDirs, IncrementalAlterConfigs, and a batched,
 * failure-tolerant ListOffsets for polling many partitions at once. Each goes over the admin
 * client's own Cluster and Connection with an explicitly chosen version, so nothing in
 * src/engine/client changes. Everything here is batched: one request per broker, sent in parallel.
 */
import { ApiKey } from '../../engine/protocol/index.js';
import { KafkaClientError, type Admin, type Connection } from '../../engine/client/index.js';
import { brokerError } from '../../engine/client/errors.js';

/** The highest version of each API whose request and response layouts this file fills in. */
const OUR_MAX: Record<number, number> = {
  [ApiKey.CreatePartitions]: 3,
  [ApiKey.DeleteRecords]: 2,
  [ApiKey.DescribeLogDirs]: 4,
  [ApiKey.IncrementalAlterConfigs]: 1,
};

/** min(our max, the broker's max); throws kind 'version' when the broker lacks the API. */
export function versionOn(conn: Connection, apiKey: number): number {
  const range = conn.brokerVersions.get(apiKey);
  const ours = OUR_MAX[apiKey] ?? 0;
  if (!range || range.min > ours) {
    throw new KafkaClientError(
      `broker ${conn.address} does not offer API ${apiKey} in a version Eddy speaks`,
      {
        kind: 'version',
        broker: conn.address,
      },
    );
  }
  return Math.min(ours, range.max);
}

export const tpKey = (topic: string, partition: number): string => `${topic}\0${partition}`;

// ---------------------------------------------------------------- CreatePartitions

/** Grows a topic to `count` partitions; throws the broker's error. */
export async function createPartitions(
  admin: Admin,
  topic: string,
  count: number,
  options: { validateOnly?: boolean; timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const cluster = admin.cluster;
  for (let attempt = 0; ; attempt++) {
    const conn = await cluster.retry('finding the controller', () => cluster.controllerConnection());
    const body = await conn.send(
      ApiKey.CreatePartitions,
      {
        topics: [{ name: topic, count, assignments: null }],
        timeoutMs,
        validateOnly: options.validateOnly ?? false,
      },
      { version: versionOn(conn, ApiKey.CreatePartitions), timeoutMs: timeoutMs + 5_000 },
    );
    const r = body.results.find((x) => x.name === topic);
    if (!r) throw new KafkaClientError(`the broker left topic '${topic}' out of its CreatePartitions answer`);
    if (r.errorCode === 0) return;
    const err = brokerError(
      r.errorCode,
      { topic, action: `adding partitions to '${topic}'`, broker: conn.address },
      r.errorMessage,
    );
    if (err.type === 'NOT_CONTROLLER' && attempt < 3) {
      await cluster.backoff(attempt);
      await cluster.refreshMetadata([]);
      continue;
    }
    throw Object.assign(err, { serverMessage: r.errorMessage ?? null });
  }
}

// ---------------------------------------------------------------- DeleteRecords

export interface RecordsDeletion {
  topic: string;
  partition: number;
  /** Delete below this offset; -1 = the high watermark. */
  offset: number;
}

/** DeleteRecords routed to each partition's leader; returns the new low watermarks, throws the first error. */
export async function deleteRecords(
  admin: Admin,
  deletions: RecordsDeletion[],
): Promise<Map<string, number>> {
  const cluster = admin.cluster;
  const out = new Map<string, number>();
  let pending = deletions;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const byLeader = new Map<number, RecordsDeletion[]>();
    for (const d of pending) {
      const p = await cluster.partition(d.topic, d.partition);
      byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), d]);
    }
    const retry: RecordsDeletion[] = [];
    let fatal: KafkaClientError | null = null;
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        const conn = await cluster.brokerConnection(leader);
        const topics = new Map<string, { partitionIndex: number; offset: number }[]>();
        for (const d of list)
          topics.set(d.topic, [
            ...(topics.get(d.topic) ?? []),
            { partitionIndex: d.partition, offset: d.offset },
          ]);
        const body = await conn.send(
          ApiKey.DeleteRecords,
          { topics: [...topics].map(([name, partitions]) => ({ name, partitions })), timeoutMs: 30_000 },
          { version: versionOn(conn, ApiKey.DeleteRecords), timeoutMs: 35_000 },
        );
        for (const t of body.topics) {
          for (const p of t.partitions) {
            if (p.errorCode === 0) {
              out.set(tpKey(t.name, p.partitionIndex), Number(p.lowWatermark));
              continue;
            }
            const err = brokerError(p.errorCode, {
              topic: t.name,
              partition: p.partitionIndex,
              action: 'deleting records',
              broker: conn.address,
            });
            if (err.retriable && attempt < 5)
              retry.push(list.find((d) => d.topic === t.name && d.partition === p.partitionIndex)!);
            else fatal ??= err;
          }
        }
      }),
    );
    if (fatal) throw fatal;
    pending = retry.filter(Boolean);
    if (pending.length > 0) {
      await cluster.backoff(attempt);
      await cluster.refreshMetadata([...new Set(pending.map((d) => d.topic))]).catch(() => undefined);
    }
  }
  return out;
}

// ---------------------------------------------------------------- DescribeLogDirs

/**
 * Bytes of each replica's log, by topic\0partition → broker id → bytes, from every broker asked
 * (in parallel). Brokers that cannot be reached are left out. `topics` null = every topic.
 */
export async function describeLogDirs(
  admin: Admin,
  brokerIds: number[],
  topics: { topic: string; partitions: number[] }[] | null,
): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>();
  await Promise.all(
    brokerIds.map(async (id) => {
      try {
        const conn = await admin.cluster.brokerConnection(id);
        const body = await conn.send(
          ApiKey.DescribeLogDirs,
          { topics },
          { version: versionOn(conn, ApiKey.DescribeLogDirs) },
        );
        for (const dir of body.results) {
          if (dir.errorCode !== 0) continue;
          for (const t of dir.topics) {
            for (const p of t.partitions) {
              if (p.isFutureKey) continue;
              const k = tpKey(t.name, p.partitionIndex);
              const m = out.get(k) ?? new Map<number, number>();
              m.set(id, (m.get(id) ?? 0) + Number(p.partitionSize));
              out.set(k, m);
            }
          }
        }
      } catch {
        // A broker that is down or lacks the API has no sizes to give.
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------- IncrementalAlterConfigs

export interface ConfigChange {
  name: string;
  op: 'set' | 'delete';
  value: string | null;
}

/** One IncrementalAlterConfigs for a topic; throws the broker's error (its message kept). */
export async function alterTopicConfigs(admin: Admin, topic: string, changes: ConfigChange[]): Promise<void> {
  const cluster = admin.cluster;
  const conn = await cluster.retry('finding a broker', () => cluster.anyConnection());
  const body = await conn.send(
    ApiKey.IncrementalAlterConfigs,
    {
      resources: [
        {
          resourceType: 2,
          resourceName: topic,
          configs: changes.map((c) => ({
            name: c.name,
            configOperation: c.op === 'set' ? 0 : 1,
            value: c.op === 'set' ? c.value : null,
          })),
        },
      ],
      validateOnly: false,
    },
    { version: versionOn(conn, ApiKey.IncrementalAlterConfigs) },
  );
  const r = body.responses[0];
  if (r && r.errorCode !== 0) {
    throw Object.assign(
      brokerError(
        r.errorCode,
        { topic, action: `changing configs of '${topic}'`, broker: conn.address },
        r.errorMessage,
      ),
      { serverMessage: r.errorMessage ?? null },
    );
  }
}

// ---------------------------------------------------------------- ListOffsets, batched

export interface PartitionOffsets {
  logStartOffset: number | null;
  highWatermark: number | null;
}

/**
 * Earliest and latest offsets of many partitions: for each leader two ListOffsets requests (Kafka
 * refuses a partition twice in one), every leader in parallel. No retries: a partition whose leader
 * is missing, down or refuses comes back with nulls (the next poll asks again).
 */
export async function partitionOffsets(
  admin: Admin,
  partitions: { topic: string; partition: number; leader: number }[],
): Promise<Map<string, PartitionOffsets>> {
  const out = new Map<string, PartitionOffsets>();
  const byLeader = new Map<number, { topic: string; partition: number }[]>();
  for (const p of partitions) {
    out.set(tpKey(p.topic, p.partition), { logStartOffset: null, highWatermark: null });
    if (p.leader < 0) continue;
    byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p]);
  }
  const ask = async (leader: number, list: { topic: string; partition: number }[], timestamp: number) => {
    const conn = await admin.cluster.brokerConnection(leader);
    const topics = new Map<
      string,
      { partitionIndex: number; currentLeaderEpoch: number; timestamp: number; maxNumOffsets: number }[]
    >();
    for (const p of list) {
      const parts = topics.get(p.topic) ?? [];
      parts.push({ partitionIndex: p.partition, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 });
      topics.set(p.topic, parts);
    }
    const body = await conn.send(ApiKey.ListOffsets, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [...topics].map(([name, ps]) => ({ name, partitions: ps })),
      timeoutMs: 30_000,
    });
    for (const t of body.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== 0) continue;
        const entry = out.get(tpKey(t.name, p.partitionIndex));
        if (!entry) continue;
        if (timestamp === -2) entry.logStartOffset = Number(p.offset);
        else entry.highWatermark = Number(p.offset);
      }
    }
  };
  await Promise.all(
    [...byLeader].flatMap(([leader, list]) => [
      ask(leader, list, -2).catch(() => undefined),
      ask(leader, list, -1).catch(() => undefined),
    ]),
  );
  return out;
}
