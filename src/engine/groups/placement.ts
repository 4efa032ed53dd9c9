/** Where a group lives: one partition of `__consumer_offsets`, whose leader is the group's coordinator. */
export const OFFSETS_TOPIC = '__consumer_offsets';

/** Java's String.hashCode: 31·h + c over the UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Kafka's GroupCoordinatorService.partitionFor: `Utils.abs(groupId.hashCode()) % partitions`, where
 * Utils.abs maps Integer.MIN_VALUE to 0. (Not `hash & 0x7fffffff`: that gives another partition for
 * every negative hash, and Kafka's tools and other clusters would disagree with us.)
 */
export function partitionForGroup(groupId: string, partitions: number): number {
  const h = javaStringHashCode(groupId);
  const abs = h === -2147483648 ? 0 : Math.abs(h);
  return abs % partitions;
}
