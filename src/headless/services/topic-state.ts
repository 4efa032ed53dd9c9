/**
 * What the topics views show, read from the active link: metadata (the controller's image on the
 * embedded cluster — current the moment a leader moves; Metadata over the client elsewhere), then
 * offsets (ListOffsets earliest / latest) and sizes (DescribeLogDirs), batched per broker. The
 * embedded list takes offsets and sizes from what the leaders report to the observer instead.
 */
import { INTERNAL_TOPICS } from '../../engine/controller/topic-rules.js';
import type { PartitionRow, TopicDetail, TopicRow } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import type { ClusterLink } from './link.js';
import type { BrokerStats } from '../../engine/observe/events.js';
import { ErrorCode, KafkaClientError } from '../../engine/client/index.js';
import { describeLogDirs, partitionOffsets, tpKey, type PartitionOffsets } from './topic-requests.js';

export interface PartitionMeta {
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicMeta {
  name: string;
  topicId: string;
  internal: boolean;
  partitions: PartitionMeta[];
}

export interface ClusterMeta {
  /** Every broker id known (live ones and those named as replicas), sorted. */
  brokerIds: number[];
  brokersDown: number[];
  topics: TopicMeta[];
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** One partition's metadata; first notes each of its replicas' brokers in `ids`. */
function partitionMeta(
  p: {
    partition: number;
    leader: number;
    leaderEpoch: number;
    replicas: readonly number[];
    isr: readonly number[];
  },
  ids: Set<number>,
  offlineReplicas: () => number[],
): PartitionMeta {
  for (const r of p.replicas) ids.add(r);
  return {
    partition: p.partition,
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    replicas: [...p.replicas],
    isr: [...p.isr],
    offlineReplicas: offlineReplicas(),
  };
}

/** Metadata of every topic (`names` null) or of the named ones (unknown names are left out). */
export async function readMeta(link: ClusterLink, names: string[] | null): Promise<ClusterMeta> {
  const engine = link.engine;
  if (engine) {
    const image = engine.controller.image;
    const states = engine.brokerStates();
    const down = new Set<number>();
    for (const s of states) if (!s.up || image.brokers.get(s.id)?.fenced !== false) down.add(s.id);
    const ids = new Set(states.map((s) => s.id));
    const wanted =
      names === null
        ? [...image.topicsByName.values()]
        : names.flatMap((n) => image.topicsByName.get(n) ?? []);
    const topics = wanted.map((t) => ({
      name: t.name,
      topicId: Buffer.from(t.topicId, 'hex').toString('base64url'),
      internal: INTERNAL_TOPICS.has(t.name),
      partitions: t.partitions.map((p) =>
        partitionMeta(p, ids, () => p.replicas.filter((r) => down.has(r) || !ids.has(r))),
      ),
    }));
    return {
      brokerIds: [...ids].sort((a, b) => a - b),
      brokersDown: [...down].sort((a, b) => a - b),
      topics: topics.sort(byName),
    };
  }
  const cluster = link.admin().cluster;
  const snapshot = await cluster.retry('reading metadata', () => cluster.refreshMetadata(names), {
    refreshMetadata: false,
  });
  const live = new Set(snapshot.brokers.map((b) => b.nodeId));
  const ids = new Set(live);
  if (names !== null) {
    // A topic still being created (or deleted) answers with an error and no partitions: not "gone".
    for (const n of names) {
      const code = snapshot.topicErrors.get(n) ?? 0;
      if (
        code !== 0 &&
        code !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION &&
        !snapshot.topics.some((t) => t.name === n)
      ) {
        throw new KafkaClientError(`topic '${n}' is not ready (error ${code})`, {
          code,
          retriable: true,
          topic: n,
        });
      }
    }
  }
  const wanted = names === null ? snapshot.topics : snapshot.topics.filter((t) => names.includes(t.name));
  const topics = wanted.map((t) => ({
    name: t.name,
    topicId: t.topicId.every((b) => b === 0) ? '' : t.topicId.toString('base64url'),
    internal: t.isInternal,
    partitions: t.partitions.map((p) => partitionMeta(p, ids, () => [...p.offlineReplicas])),
  }));
  return {
    brokerIds: [...ids].sort((a, b) => a - b),
    brokersDown: [...ids].filter((id) => !live.has(id)).sort((a, b) => a - b),
    topics: [...topics].sort(byName),
  };
}

/** Bytes of the leader's log of each partition (topic\0partition → bytes). */
function leaderSizes(meta: ClusterMeta, sizes: Map<string, Map<number, number>>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const t of meta.topics) {
    for (const p of t.partitions) {
      const k = tpKey(t.name, p.partition);
      out.set(k, p.leader >= 0 ? (sizes.get(k)?.get(p.leader) ?? null) : null);
    }
  }
  return out;
}

interface LeaderReport {
  leader: number;
  logStartOffset: number;
  highWatermark: number;
  sizeBytes: number;
}

/** What each partition's current leader last reported about its log (embedded brokers only). */
function leaderReports(
  stats: BrokerStats[],
  partitions: { topic: string; partition: number; leader: number }[],
): Map<string, LeaderReport> {
  const byBroker = new Map<number, Map<string, BrokerStats['replicas'][number]>>();
  for (const s of stats) {
    const m = new Map<string, BrokerStats['replicas'][number]>();
    for (const r of s.replicas) if (r.isLeader) m.set(tpKey(r.topic, r.partition), r);
    byBroker.set(s.brokerId, m);
  }
  const out = new Map<string, LeaderReport>();
  for (const p of partitions) {
    const k = tpKey(p.topic, p.partition);
    const r = p.leader >= 0 ? byBroker.get(p.leader)?.get(k) : undefined;
    if (r)
      out.set(k, {
        leader: p.leader,
        logStartOffset: r.logStartOffset,
        highWatermark: r.highWatermark,
        sizeBytes: r.sizeBytes,
      });
  }
  return out;
}

function topicsOf(
  partitions: { topic: string; partition: number }[],
): { topic: string; partitions: number[] }[] {
  const m = new Map<string, number[]>();
  for (const p of partitions) m.set(p.topic, [...(m.get(p.topic) ?? []), p.partition]);
  return [...m].map(([topic, ps]) => ({ topic, partitions: ps }));
}

const liveBrokers = (meta: ClusterMeta) => meta.brokerIds.filter((id) => !meta.brokersDown.includes(id));

/** The topics list: every topic with its figures, sorted by name. */
export async function readTopicRows(link: ClusterLink): Promise<TopicRow[]> {
  const meta = await readMeta(link, null);
  const admin = link.admin();
  const partitions = meta.topics.flatMap((t) =>
    t.partitions.map((p) => ({ topic: t.name, partition: p.partition, leader: p.leader })),
  );
  // Embedded: the leaders' own reports (pushed about once a second) cost nothing to read; only
  // partitions whose leader has not reported yet are asked for over the wire.
  const reported = link.engine
    ? leaderReports(link.engine.observer.brokerStats(), partitions)
    : new Map<string, LeaderReport>();
  const missing = partitions.filter((p) => !reported.has(tpKey(p.topic, p.partition)));
  const [offsets, sizes] =
    missing.length === 0
      ? [new Map<string, PartitionOffsets>(), new Map<string, Map<number, number>>()]
      : await Promise.all([
          partitionOffsets(admin, missing),
          describeLogDirs(
            admin,
            liveBrokers(meta),
            missing.length === partitions.length ? null : topicsOf(missing),
          ),
        ]);
  for (const [k, r] of reported) {
    offsets.set(k, { logStartOffset: r.logStartOffset, highWatermark: r.highWatermark });
    sizes.set(k, new Map([[r.leader, r.sizeBytes]]));
  }
  const leaderBytes = leaderSizes(meta, sizes);
  return meta.topics.map((t) => {
    let records: number | null = null;
    let bytes: number | null = null;
    for (const p of t.partitions) {
      const k = tpKey(t.name, p.partition);
      const o = offsets.get(k);
      if (o && o.highWatermark !== null && o.logStartOffset !== null) {
        records = (records ?? 0) + Math.max(0, o.highWatermark - o.logStartOffset);
      }
      const b = leaderBytes.get(k);
      if (b !== null && b !== undefined) bytes = (bytes ?? 0) + b;
    }
    if (t.partitions.length === 0) records = bytes = 0;
    return {
      name: t.name,
      internal: t.internal,
      partitions: t.partitions.length,
      replicationFactor: t.partitions[0]?.replicas.length ?? 0,
      records,
      sizeBytes: bytes,
      underReplicatedPartitions: t.partitions.filter((p) => p.isr.length < p.replicas.length).length,
      offlinePartitions: t.partitions.filter((p) => p.leader < 0).length,
    };
  });
}

/** One topic live; NOT_FOUND when it does not exist. */
export async function readTopicDetail(link: ClusterLink, name: string): Promise<TopicDetail> {
  const meta = await readMeta(link, [name]);
  const t = meta.topics.find((x) => x.name === name);
  if (!t)
    throw new EddyError('NOT_FOUND', {
      message: `There is no topic named '${name}' (any more).`,
      detail: name,
    });
  const admin = link.admin();
  const hosting = [...new Set(t.partitions.flatMap((p) => p.replicas))].filter(
    (id) => !meta.brokersDown.includes(id),
  );
  const [offsets, sizes] = await Promise.all([
    partitionOffsets(
      admin,
      t.partitions.map((p) => ({ topic: name, partition: p.partition, leader: p.leader })),
    ),
    describeLogDirs(admin, hosting, [{ topic: name, partitions: t.partitions.map((p) => p.partition) }]),
  ]);
  // The leader's log end offset: the embedded brokers report it; Kafka's clients only see the HW.
  const stats = link.engine?.observer.brokerStats() ?? [];
  const leo = new Map<string, number>();
  for (const s of stats) {
    for (const r of s.replicas)
      if (r.topic === name && r.isLeader) leo.set(`${s.brokerId}\0${r.partition}`, r.logEndOffset);
  }
  const partitions: PartitionRow[] = t.partitions.map((p) => {
    const o = offsets.get(tpKey(name, p.partition));
    const hw = o?.highWatermark ?? null;
    const reported = leo.get(`${p.leader}\0${p.partition}`);
    return {
      partition: p.partition,
      leader: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicas: p.replicas,
      isr: p.isr,
      offlineReplicas: p.offlineReplicas,
      logStartOffset: o?.logStartOffset ?? null,
      logEndOffset: hw === null ? null : Math.max(hw, reported ?? hw),
      highWatermark: hw,
      sizeBytes: p.leader >= 0 ? (sizes.get(tpKey(name, p.partition))?.get(p.leader) ?? null) : null,
    };
  });
  return {
    name,
    topicId: t.topicId,
    internal: t.internal,
    partitions,
    brokerIds: meta.brokerIds,
    brokersDown: meta.brokersDown,
  };
}
