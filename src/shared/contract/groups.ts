/** Consumer groups: list, one group live with lag, lag history, reset offsets with preview, delete. */
import { method, stream } from './define.js';
import { groupId, offset, partitionIndex, topicName } from './common.js';
import { array, discriminated, integer, literal, nullable, object, tuple } from './schema.js';

export interface GroupRow {
  groupId: string;
  /** Empty, Stable, PreparingRebalance, CompletingRebalance, Dead. */
  state: string;
  /** consumer, or '' for offsets-only groups. */
  protocolType: string;
  members: number;
  /** Topics the group has committed offsets for. */
  topics: string[];
  /** Sum of partition lags; null when unknown. */
  totalLag: number | null;
  coordinator: number | null;
}

export interface GroupMemberView {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  host: string;
  assignment: { topic: string; partitions: number[] }[];
}

export interface GroupPartitionView {
  topic: string;
  partition: number;
  /** null: nothing committed for this partition. */
  committedOffset: number | null;
  /** The leader's high watermark. */
  endOffset: number | null;
  lag: number | null;
  /** Who consumes it now; null when unassigned. */
  memberId: string | null;
  clientId: string | null;
}

export interface GroupDetail {
  groupId: string;
  state: string;
  protocolType: string;
  /** range, roundrobin, cooperative-sticky … while Stable. */
  protocol: string;
  coordinator: number | null;
  members: GroupMemberView[];
  partitions: GroupPartitionView[];
  totalLag: number | null;
}

export interface LagSample {
  at: number;
  totalLag: number;
}

/** Where a reset moves the group, per partition. */
export const resetSpecSchema = object({
  /** Topics to reset; every topic the group has offsets for when empty. */
  topics: array(topicName(), { maxItems: 1000 }),
  to: discriminated('kind', {
    earliest: object({ kind: literal('earliest') }),
    latest: object({ kind: literal('latest') }),
    offset: object({ kind: literal('offset'), offset: offset() }),
    timestamp: object({ kind: literal('timestamp'), timestamp: integer({ min: 0 }) }),
    shift: object({ kind: literal('shift'), by: integer() }),
  }),
});

export interface ResetPreviewRow {
  topic: string;
  partition: number;
  current: number | null;
  target: number;
  logStartOffset: number;
  logEndOffset: number;
}

export const groupsContract = {
  /** Every group on subscribe, then about once a second when anything changed. */
  onGroups: stream(tuple([])).emits<GroupRow[]>(),
  /** One group live: members, per-partition offsets and lag. */
  onGroup: stream(tuple([groupId()])).emits<GroupDetail>(),
  /**
   * Lag over time. The host samples a group's total lag once a second while anyone watches it and
   * keeps the last 15 minutes (900 samples) per group for as long as it runs (a gap while nobody
   * watched; cleared when the active cluster changes; seconds whose lag is unknown are skipped).
   * First event: the whole history so far (possibly []); then each new sample alone, as [sample].
   */
  onLag: stream(tuple([groupId()])).emits<LagSample[]>(),
  /** What a reset would do, without doing it (refused like reset while the group has members, as Kafka's --dry-run). */
  previewReset: method(tuple([groupId(), resetSpecSchema])).returns<ResetPreviewRow[]>(),
  /** Commits the preview's targets; Kafka refuses while the group has members (GROUP_NOT_EMPTY… as Kafka says). */
  reset: method(tuple([groupId(), resetSpecSchema])).returns<ResetPreviewRow[]>(),
  delete: method(tuple([groupId()])).returns<void>(),
  /** Deletes the group's committed offsets for one topic (OffsetDelete). */
  deleteOffsets: method(
    tuple([groupId(), topicName(), nullable(array(partitionIndex(), { maxItems: 10_000 }))]),
  ).returns<void>(),
};
