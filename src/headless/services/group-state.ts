/**
 * What the groups views show, read through Eddy's GroupAdmin on the active link: the list
 * (ListGroups + DescribeGroups + each group's committed offsets + the partitions' high watermarks)
 * and one group with members, assignments and per-partition lag. Requests are batched: one
 * DescribeGroups per coordinator, OffsetFetch per group in parallel, ListOffsets per leader.
 */
import type { CommittedOffset, GroupDescription } from '../../engine/client/index.js';
import type { GroupDetail, GroupPartitionView, GroupRow } from '../../shared/contract/index.js';
import type { ClusterLink } from './link.js';
import { partitionOffsets, tpKey } from './topic-requests.js';
import { readMeta } from './topic-state.js';

/** At most this many OffsetFetch requests in flight while listing groups. */
const FETCH_CONCURRENCY = 16;

/** High watermarks of partitions (null where the leader is missing or the topic is gone). */
export async function endOffsets(
  link: ClusterLink,
  partitions: { topic: string; partition: number }[],
): Promise<Map<string, { logStartOffset: number | null; highWatermark: number | null }>> {
  if (partitions.length === 0) return new Map();
  const meta = await readMeta(link, [...new Set(partitions.map((p) => p.topic))]);
  const leaders = new Map<string, number>();
  for (const t of meta.topics)
    for (const p of t.partitions) leaders.set(tpKey(t.name, p.partition), p.leader);
  return partitionOffsets(
    link.admin(),
    partitions.map((p) => ({ ...p, leader: leaders.get(tpKey(p.topic, p.partition)) ?? -1 })),
  );
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function readGroupRows(link: ClusterLink): Promise<GroupRow[]> {
  const ga = link.groupAdmin();
  const listed = await ga.listGroups();
  if (listed.length === 0) return [];
  const ids = listed.map((l) => l.groupId);
  const described = new Map((await ga.describeGroups(ids)).map((d) => [d.groupId, d]));
  const committed = await mapLimited(ids, FETCH_CONCURRENCY, (id) =>
    ga.fetchOffsets(id).catch(() => null as CommittedOffset[] | null),
  );
  const all = new Map<string, { topic: string; partition: number }>();
  for (const list of committed) for (const o of list ?? []) all.set(tpKey(o.topic, o.partition), o);
  const ends = await endOffsets(link, [...all.values()]);
  return listed
    .map((l, i): GroupRow => {
      const d = described.get(l.groupId);
      const offsets = committed[i];
      let totalLag: number | null = null;
      for (const o of offsets ?? []) {
        const hw = ends.get(tpKey(o.topic, o.partition))?.highWatermark ?? null;
        if (hw !== null) totalLag = (totalLag ?? 0) + Math.max(0, hw - o.offset);
      }
      return {
        groupId: l.groupId,
        state: d && !d.error ? d.state : (l.state ?? 'Unknown'),
        protocolType: d && !d.error ? d.protocolType : l.protocolType,
        members: d && !d.error ? d.members.length : 0,
        topics: [...new Set((offsets ?? []).map((o) => o.topic))].sort(cmp),
        totalLag,
        coordinator: d?.coordinator?.nodeId ?? l.coordinator,
      };
    })
    .sort((a, b) => cmp(a.groupId, b.groupId));
}

/** A group that does not exist reads as state Dead with nothing in it. */
export function deadGroup(groupId: string, coordinator: number | null = null): GroupDetail {
  return {
    groupId,
    state: 'Dead',
    protocolType: '',
    protocol: '',
    coordinator,
    members: [],
    partitions: [],
    totalLag: null,
  };
}

export async function describeOne(link: ClusterLink, groupId: string): Promise<GroupDescription> {
  const [g] = await link.groupAdmin().describeGroups([groupId]);
  if (g.error) throw g.error;
  return g;
}

export async function readGroupDetail(link: ClusterLink, groupId: string): Promise<GroupDetail> {
  const ga = link.groupAdmin();
  const g = await describeOne(link, groupId);
  if (g.state === 'Dead') return deadGroup(groupId, g.coordinator?.nodeId ?? null);
  const committed = new Map((await ga.fetchOffsets(groupId)).map((o) => [tpKey(o.topic, o.partition), o]));
  const owner = new Map<string, { memberId: string; clientId: string }>();
  for (const m of g.members) {
    for (const t of m.assignment?.partitions ?? []) {
      for (const p of t.partitions)
        owner.set(tpKey(t.topic, p), { memberId: m.memberId, clientId: m.clientId });
    }
  }
  const keys = new Map<string, { topic: string; partition: number }>();
  for (const o of committed.values())
    keys.set(tpKey(o.topic, o.partition), { topic: o.topic, partition: o.partition });
  for (const m of g.members) {
    for (const t of m.assignment?.partitions ?? []) {
      for (const p of t.partitions) keys.set(tpKey(t.topic, p), { topic: t.topic, partition: p });
    }
  }
  const list = [...keys.values()].sort((a, b) => cmp(a.topic, b.topic) || a.partition - b.partition);
  const ends = await endOffsets(link, list);
  let totalLag: number | null = null;
  const partitions = list.map((p): GroupPartitionView => {
    const k = tpKey(p.topic, p.partition);
    const c = committed.get(k)?.offset ?? null;
    const end = ends.get(k)?.highWatermark ?? null;
    const lag = c === null || end === null ? null : Math.max(0, end - c);
    if (lag !== null) totalLag = (totalLag ?? 0) + lag;
    const o = owner.get(k);
    return {
      topic: p.topic,
      partition: p.partition,
      committedOffset: c,
      endOffset: end,
      lag,
      memberId: o?.memberId ?? null,
      clientId: o?.clientId ?? null,
    };
  });
  return {
    groupId,
    state: g.state,
    protocolType: g.protocolType,
    protocol: g.protocol,
    coordinator: g.coordinator?.nodeId ?? null,
    members: g.members
      .map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: (m.assignment?.partitions ?? [])
          .map((t) => ({ topic: t.topic, partitions: [...t.partitions].sort((a, b) => a - b) }))
          .sort((a, b) => cmp(a.topic, b.topic)),
      }))
      .sort((a, b) => cmp(a.memberId, b.memberId)),
    partitions,
    totalLag,
  };
}
