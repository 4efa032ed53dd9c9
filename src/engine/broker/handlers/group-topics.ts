import { ErrorCode } from '../../protocol/errors.js';
import type { Broker } from '../broker.js';

/**
 * Kafka's request layer checks the topic-partitions of OffsetCommit and OffsetDelete against the
 * metadata before the coordinator sees them: unknown ones are answered UNKNOWN_TOPIC_OR_PARTITION.
 * Splits a request's topics into the known part (for the coordinator) and per-partition errors.
 */
export function splitKnownPartitions<P extends { partitionIndex: number }>(
  broker: Broker,
  topics: { name: string; partitions: P[] }[],
): { known: { name: string; partitions: P[] }[]; unknown: Map<string, Set<number>> } {
  const known: { name: string; partitions: P[] }[] = [];
  const unknown = new Map<string, Set<number>>();
  for (const t of topics) {
    const image = broker.image.topic(t.name);
    const ok: P[] = [];
    for (const p of t.partitions) {
      if (image && image.partitions[p.partitionIndex]) ok.push(p);
      else {
        const set = unknown.get(t.name) ?? new Set<number>();
        set.add(p.partitionIndex);
        unknown.set(t.name, set);
      }
    }
    if (ok.length > 0) known.push({ name: t.name, partitions: ok });
  }
  return { known, unknown };
}

/** Puts the coordinator's per-partition answers and the unknown partitions back in request order. */
export function mergePartitionErrors(
  requested: { name: string; partitions: { partitionIndex: number }[] }[],
  answered: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[],
  unknown: Map<string, Set<number>>,
): { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] {
  const byTopic = new Map<string, Map<number, number>>();
  for (const t of answered) {
    const m = byTopic.get(t.name) ?? new Map<number, number>();
    for (const p of t.partitions) m.set(p.partitionIndex, p.errorCode);
    byTopic.set(t.name, m);
  }
  return requested.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partitionIndex,
      errorCode: unknown.get(t.name)?.has(p.partitionIndex)
        ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        : (byTopic.get(t.name)?.get(p.partitionIndex) ?? ErrorCode.NONE),
    })),
  }));
}
