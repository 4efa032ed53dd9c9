import type { GroupCoordinator } from '../groups/coordinator.js';
import type { GroupStats } from '../observe/events.js';

/**
 * The groups a broker coordinates, for its statistics: state, protocol, member count and the
 * committed offsets (the observer pairs them with the leaders' high watermarks to get lag). Built
 * from the coordinator's public calls, the same answers ListGroups / DescribeGroups give.
 */
export function groupStats(coordinator: GroupCoordinator): GroupStats[] {
  const listed = coordinator.listGroups().groups;
  if (listed.length === 0) return [];
  const described = new Map(
    coordinator.describeGroups(listed.map((g) => g.groupId)).map((d) => [d.groupId, d]),
  );
  const offsets = new Map<string, GroupStats['offsets']>();
  for (const o of coordinator.committedOffsets()) {
    let list = offsets.get(o.groupId);
    if (!list) offsets.set(o.groupId, (list = []));
    list.push({ topic: o.topic, partition: o.partition, offset: o.offset });
  }
  return listed.map((g) => {
    const d = described.get(g.groupId);
    return {
      groupId: g.groupId,
      state: g.groupState,
      protocolType: g.protocolType,
      protocol: d?.protocolData ?? '',
      members: d?.members.length ?? 0,
      offsetsPartition: coordinator.partitionFor(g.groupId),
      offsets: offsets.get(g.groupId) ?? [],
    };
  });
}
