import type { MetadataImage } from '../controller/metadata-image.js';
import type { BrokerStats, GroupLag, GroupStats, PartitionLag, ReplicaStats } from './events.js';

const OFFSETS_TOPIC = '__consumer_offsets';

/**
 * Consumer lag from the brokers' latest statistics. A group is taken from its coordinator: the broker
 * the metadata names leader of the group's `__consumer_offsets` partition, or, while that broker has
 * not reported yet, the most recent report that claims the group. A partition's log end offset is the
 * high watermark its leader reports (what ListOffsets(latest) answers a consumer, and what
 * kafka-consumer-groups prints as LOG-END-OFFSET); lag = log end offset − committed offset, unclamped,
 * as Kafka computes it.
 */
export function computeGroupLag(stats: BrokerStats[], image: MetadataImage): GroupLag[] {
  const leaderOf = (topic: string, partition: number): number =>
    image.topicsByName.get(topic)?.partitions[partition]?.leader ?? -1;

  // The report to trust for each group.
  const chosen = new Map<string, { group: GroupStats; brokerId: number; preferred: boolean; at: number }>();
  for (const s of stats) {
    for (const group of s.groups ?? []) {
      const preferred = leaderOf(OFFSETS_TOPIC, group.offsetsPartition) === s.brokerId;
      const current = chosen.get(group.groupId);
      if (
        !current ||
        (preferred && !current.preferred) ||
        (preferred === current.preferred && s.at > current.at)
      ) {
        chosen.set(group.groupId, { group, brokerId: s.brokerId, preferred, at: s.at });
      }
    }
  }

  // High watermarks: the metadata's leader's report, else the newest report from a replica that says it leads.
  const leaderReplica = new Map<string, { replica: ReplicaStats; preferred: boolean; at: number }>();
  for (const s of stats) {
    for (const r of s.replicas) {
      if (!r.isLeader) continue;
      const key = `${r.topic}\0${r.partition}`;
      const preferred = leaderOf(r.topic, r.partition) === s.brokerId;
      const current = leaderReplica.get(key);
      if (
        !current ||
        (preferred && !current.preferred) ||
        (preferred === current.preferred && s.at > current.at)
      ) {
        leaderReplica.set(key, { replica: r, preferred, at: s.at });
      }
    }
  }

  const out: GroupLag[] = [];
  for (const { group, brokerId } of chosen.values()) {
    const partitions: PartitionLag[] = group.offsets
      .map((o) => {
        const leo = leaderReplica.get(`${o.topic}\0${o.partition}`)?.replica.highWatermark ?? null;
        return {
          topic: o.topic,
          partition: o.partition,
          committedOffset: o.offset,
          logEndOffset: leo,
          lag: leo === null || o.offset < 0 ? null : leo - o.offset,
        };
      })
      .sort((a, b) => cmp(a.topic, b.topic) || a.partition - b.partition);
    out.push({
      groupId: group.groupId,
      state: group.state,
      protocolType: group.protocolType,
      protocol: group.protocol,
      members: group.members,
      coordinator: brokerId,
      partitions,
      totalLag: partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0),
    });
  }
  return out.sort((a, b) => cmp(a.groupId, b.groupId));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
