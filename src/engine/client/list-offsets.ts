/**
 * ListOffsets routed to each partition's leader, with retries for the partitions whose leader
 * moved. Used by the admin client (offset queries) and the consumer (seek to beginning / end /
 * timestamp).
 */
import type { Cluster } from './cluster.js';
import { API, type ListOffsetsResponseListOffsetsPartitionResponse } from './protocol.js';
import { KafkaClientError, brokerError, isRetriable, needsMetadataRefresh } from './errors.js';

/** earliest = log start offset, latest = log end offset (high watermark), max-timestamp = the record with the largest timestamp. */
export type OffsetSpec = 'earliest' | 'latest' | 'max-timestamp' | { timestamp: number };

export interface OffsetQuery {
  topic: string;
  partition: number;
  spec: OffsetSpec;
}

export interface ListedOffset {
  topic: string;
  partition: number;
  /** -1 when no record matches (a timestamp after the last record). */
  offset: number;
  /** Timestamp of the matched record; -1 for earliest/latest. */
  timestamp: number;
  leaderEpoch: number;
}

export type IsolationLevel = 'read_uncommitted' | 'read_committed';

const LATEST = -1;
const EARLIEST = -2;
const MAX_TIMESTAMP = -3;

export function specTimestamp(spec: OffsetSpec): number {
  if (spec === 'earliest') return EARLIEST;
  if (spec === 'latest') return LATEST;
  if (spec === 'max-timestamp') return MAX_TIMESTAMP;
  if (!Number.isFinite(spec.timestamp) || spec.timestamp < 0) {
    throw new KafkaClientError(
      `offset timestamp must be a non-negative number of ms, got ${spec.timestamp}`,
      { kind: 'config' },
    );
  }
  return spec.timestamp;
}

/** Resolves every query, in the order given. */
export async function listOffsets(
  cluster: Cluster,
  queries: OffsetQuery[],
  isolation: IsolationLevel = 'read_uncommitted',
): Promise<ListedOffset[]> {
  const results = new Map<string, ListedOffset>();
  // Identical queries are asked once; a partition may appear only once per request (Kafka
  // refuses duplicates), so several specs for one partition go out in separate requests.
  const unique = new Map(
    queries.map((q) => [
      `${q.topic}\0${q.partition}\0${specTimestamp(q.spec)}`,
      { ...q, timestamp: specTimestamp(q.spec) },
    ]),
  );
  let remaining = [...unique.values()];
  for (let attempt = 0; remaining.length > 0; attempt++) {
    const requests = new Map<string, { leader: number; list: typeof remaining }>();
    const waves = new Map<string, number>();
    const failed: { query: (typeof remaining)[number]; error: unknown }[] = [];
    for (const q of remaining) {
      try {
        const p = await cluster.partition(q.topic, q.partition);
        const tp = `${q.topic}\0${q.partition}`;
        const wave = waves.get(tp) ?? 0;
        waves.set(tp, wave + 1);
        const request = requests.get(`${p.leader}/${wave}`) ?? { leader: p.leader, list: [] };
        request.list.push(q);
        requests.set(`${p.leader}/${wave}`, request);
      } catch (error) {
        failed.push({ query: q, error });
      }
    }
    await Promise.all(
      [...requests.values()].map(async ({ leader, list }) => {
        try {
          const conn = await cluster.brokerConnection(leader);
          const version = conn.versionFor(API.ListOffsets);
          if (version < 7 && list.some((q) => q.timestamp === MAX_TIMESTAMP)) {
            throw new KafkaClientError(
              `broker ${conn.address} cannot look up the max-timestamp offset (needs ListOffsets v7+, it has v${version})`,
              {
                kind: 'version',
              },
            );
          }
          const topics = new Map<
            string,
            { partitionIndex: number; currentLeaderEpoch: number; timestamp: number; maxNumOffsets: number }[]
          >();
          for (const q of list) {
            const parts = topics.get(q.topic) ?? [];
            parts.push({
              partitionIndex: q.partition,
              currentLeaderEpoch: -1,
              timestamp: q.timestamp,
              maxNumOffsets: 1,
            });
            topics.set(q.topic, parts);
          }
          const body = await conn.send(API.ListOffsets, {
            replicaId: -1,
            isolationLevel: isolation === 'read_committed' ? 1 : 0,
            topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
            timeoutMs: 30_000,
          });
          const answered = new Map<string, ListOffsetsResponseListOffsetsPartitionResponse>();
          for (const t of body.topics)
            for (const p of t.partitions) answered.set(`${t.name}\0${p.partitionIndex}`, p);
          for (const q of list) {
            const p = answered.get(`${q.topic}\0${q.partition}`);
            if (!p) {
              failed.push({
                query: q,
                error: new KafkaClientError(
                  `broker ${conn.address} left ${q.topic}-${q.partition} out of its ListOffsets answer`,
                ),
              });
            } else if (p.errorCode !== 0) {
              failed.push({
                query: q,
                error: brokerError(p.errorCode, {
                  topic: q.topic,
                  partition: q.partition,
                  broker: conn.address,
                  action: 'listing offsets',
                }),
              });
            } else {
              results.set(`${q.topic}\0${q.partition}\0${q.timestamp}`, {
                topic: q.topic,
                partition: q.partition,
                offset: p.offset,
                timestamp: p.timestamp,
                leaderEpoch: p.leaderEpoch ?? -1,
              });
            }
          }
        } catch (error) {
          for (const q of list) failed.push({ query: q, error });
        }
      }),
    );
    if (failed.length === 0) break;
    const fatal = failed.find((f) => !isRetriable(f.error));
    if (fatal) throw fatal.error;
    if (attempt >= 5) throw failed[0].error;
    await cluster.backoff(attempt);
    if (failed.some((f) => needsMetadataRefresh(f.error))) {
      await cluster.refreshMetadata([...new Set(failed.map((f) => f.query.topic))]).catch(() => undefined);
    }
    remaining = failed.map((f) => f.query);
  }
  return queries.map(
    (q) => results.get(`${q.topic}\0${q.partition}\0${specTimestamp(q.spec)}`) as ListedOffset,
  );
}
