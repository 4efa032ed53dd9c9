/**
 * What kafka-consumer-groups does with a group's offsets, on top of GroupAdmin and Admin: describe
 * them with lag (committed offset against the partition's log end offset, per member), and reset
 * them for an inactive group (to earliest, latest, an offset, a shift, a point in time, or where they
 * are), previewed or applied. Used by `eddy groups` and the engine's control service.
 */
import { Admin } from './admin.js';
import { ErrorCode } from './protocol.js';
import { KafkaClientError } from './errors.js';
import type { CommittedOffset, GroupAdmin, GroupDescription } from './groups-admin.js';

/** One line of kafka-consumer-groups --describe. */
export interface GroupOffsetRow {
  groupId: string;
  topic: string;
  partition: number;
  /** The committed offset; null when there is none. */
  currentOffset: number | null;
  /** The high watermark (ListOffsets latest); null when the partition has no leader or is gone. */
  logEndOffset: number | null;
  /** logEndOffset − currentOffset; null when either is unknown. */
  lag: number | null;
  /** The member the partition is assigned to; null when no member has it. */
  consumerId: string | null;
  host: string | null;
  clientId: string | null;
}

export interface GroupOffsets {
  group: GroupDescription;
  /** False when the group does not exist (state Dead). */
  exists: boolean;
  /**
   * Kafka's order: members with the most partitions first, each member's partitions by topic and
   * partition; then committed partitions no member has.
   */
  rows: GroupOffsetRow[];
}

export type OffsetResetSpec =
  | { to: 'earliest' }
  | { to: 'latest' }
  /** Committed offsets stay; partitions without one get the log end offset. */
  | { to: 'current' }
  | { to: 'offset'; offset: number }
  | { to: 'shift-by'; shift: number }
  /** The first offset whose timestamp is at or after this time (ms since the epoch); the log end when none. */
  | { to: 'datetime'; timestamp: number };

export interface OffsetResetScope {
  /** Every partition the group has committed offsets for. */
  allTopics?: boolean;
  /** These topics: all their partitions, or the ones listed. */
  topics?: { topic: string; partitions?: number[] }[];
}

export interface OffsetResetResult {
  groupId: string;
  /** The group's state when it was checked: Empty, or Dead for a group that does not exist yet. */
  state: string;
  /** The new offsets, by topic and partition. */
  offsets: { topic: string; partition: number; offset: number }[];
  /** True when they were committed, false for a preview. */
  executed: boolean;
  /** Adjustments worth telling (an offset moved into the log's range, an empty partition). */
  notes: string[];
}

type TP = { topic: string; partition: number };
const tpKey = (topic: string, partition: number) => `${topic}\0${partition}`;

/** The group with a row per partition: committed offset, log end offset, lag and owner. */
export async function describeGroupOffsets(groups: GroupAdmin, groupId: string): Promise<GroupOffsets> {
  const [group] = await groups.describeGroups([groupId]);
  if (group.error) throw group.error;
  if (group.state === 'Dead') return { group, exists: false, rows: [] };
  const committed = new Map(
    (await groups.fetchOffsets(groupId)).map((o) => [tpKey(o.topic, o.partition), o]),
  );
  const owned: { member: GroupDescription['members'][number]; partitions: TP[] }[] = [];
  for (const m of group.members) {
    const partitions = (m.assignment?.partitions ?? []).flatMap((t) =>
      t.partitions.map((partition) => ({ topic: t.topic, partition })),
    );
    if (partitions.length > 0) owned.push({ member: m, partitions: partitions.sort(byTopicPartition) });
  }
  owned.sort((a, b) => b.partitions.length - a.partitions.length);
  const assigned = new Set(owned.flatMap((o) => o.partitions.map((p) => tpKey(p.topic, p.partition))));
  const unassigned = [...committed.values()]
    .filter((o) => !assigned.has(tpKey(o.topic, o.partition)))
    .map((o) => ({ topic: o.topic, partition: o.partition }))
    .sort(byTopicPartition);
  const ends = await logEndOffsets(groups, [...owned.flatMap((o) => o.partitions), ...unassigned]);
  const row = (tp: TP, member: GroupDescription['members'][number] | null): GroupOffsetRow => {
    const current = committed.get(tpKey(tp.topic, tp.partition))?.offset ?? null;
    const end = ends.get(tpKey(tp.topic, tp.partition)) ?? null;
    return {
      groupId,
      topic: tp.topic,
      partition: tp.partition,
      currentOffset: current,
      logEndOffset: end,
      lag: current === null || current === -1 || end === null ? null : end - current,
      consumerId: member?.memberId ?? null,
      host: member?.clientHost ?? null,
      clientId: member?.clientId ?? null,
    };
  };
  return {
    group,
    exists: true,
    rows: [
      ...owned.flatMap((o) => o.partitions.map((p) => row(p, o.member))),
      ...unassigned.map((p) => row(p, null)),
    ],
  };
}

/**
 * Works out new offsets for an inactive group and, with `execute`, commits them. Kafka's rules: only
 * an Empty group (or one that does not exist yet) may be reset; explicit offsets and shifts are
 * moved into [log start, log end]; a time with no later record means the log end.
 */
export async function resetGroupOffsets(
  groups: GroupAdmin,
  groupId: string,
  spec: OffsetResetSpec,
  scope: OffsetResetScope,
  options: { execute?: boolean } = {},
): Promise<OffsetResetResult> {
  const [group] = await groups.describeGroups([groupId]);
  if (group.error) throw group.error;
  if (group.state !== 'Empty' && group.state !== 'Dead') {
    throw new KafkaClientError(
      `Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${group.state}. Stop its consumers first.`,
      { code: ErrorCode.NON_EMPTY_GROUP, retriable: false },
    );
  }
  const admin = new Admin(groups.cluster);
  const needsCommitted = scope.allTopics || spec.to === 'shift-by' || spec.to === 'current';
  const committed = new Map<string, CommittedOffset>(
    needsCommitted ? (await groups.fetchOffsets(groupId)).map((o) => [tpKey(o.topic, o.partition), o]) : [],
  );
  const partitions = await partitionsToReset(admin, scope, committed);
  const notes: string[] = [];
  const query = async (spec2: 'earliest' | 'latest' | { timestamp: number }, list: TP[]) => {
    const listed = await admin.listOffsets(list.map((p) => ({ ...p, spec: spec2 })));
    return new Map(listed.map((l) => [tpKey(l.topic, l.partition), l.offset]));
  };
  const clamp = async (wanted: Map<string, number>) => {
    const [starts, ends] = await Promise.all([query('earliest', partitions), query('latest', partitions)]);
    for (const p of partitions) {
      const k = tpKey(p.topic, p.partition);
      const w = wanted.get(k)!;
      const start = starts.get(k)!;
      const end = ends.get(k)!;
      if (w > end) {
        notes.push(
          `New offset (${w}) is higher than latest offset for ${p.topic}-${p.partition}. Value will be set to ${end}.`,
        );
        wanted.set(k, end);
      } else if (w < start) {
        notes.push(
          `New offset (${w}) is lower than earliest offset for ${p.topic}-${p.partition}. Value will be set to ${start}.`,
        );
        wanted.set(k, start);
      }
    }
    return wanted;
  };
  let target: Map<string, number>;
  switch (spec.to) {
    case 'earliest':
      target = await query('earliest', partitions);
      break;
    case 'latest':
      target = await query('latest', partitions);
      break;
    case 'offset':
      target = await clamp(new Map(partitions.map((p) => [tpKey(p.topic, p.partition), spec.offset])));
      break;
    case 'shift-by': {
      const wanted = new Map<string, number>();
      for (const p of partitions) {
        const current = committed.get(tpKey(p.topic, p.partition));
        if (!current) {
          throw new KafkaClientError(
            `Cannot shift offset for partition ${p.topic}-${p.partition} since there is no current committed offset`,
            { kind: 'config' },
          );
        }
        wanted.set(tpKey(p.topic, p.partition), current.offset + spec.shift);
      }
      target = await clamp(wanted);
      break;
    }
    case 'datetime': {
      target = await query({ timestamp: spec.timestamp }, partitions);
      const empty = partitions.filter((p) => target.get(tpKey(p.topic, p.partition))! < 0);
      if (empty.length > 0) {
        const ends = await query('latest', empty);
        for (const p of empty) {
          notes.push(
            `Partition ${p.partition} from topic ${p.topic} has no record at or after that time. Falling back to latest known offset.`,
          );
          target.set(tpKey(p.topic, p.partition), ends.get(tpKey(p.topic, p.partition))!);
        }
      }
      break;
    }
    case 'current': {
      const missing = partitions.filter((p) => !committed.has(tpKey(p.topic, p.partition)));
      const ends = missing.length > 0 ? await query('latest', missing) : new Map<string, number>();
      target = new Map(
        partitions.map((p) => {
          const k = tpKey(p.topic, p.partition);
          return [k, committed.get(k)?.offset ?? ends.get(k)!];
        }),
      );
      break;
    }
  }
  const offsets = partitions.map((p) => ({ ...p, offset: target.get(tpKey(p.topic, p.partition))! }));
  if (options.execute && offsets.length > 0) {
    const results = await groups.alterOffsets(groupId, offsets);
    const failed = results.find((r) => r.error);
    if (failed?.error) throw failed.error;
  }
  return {
    groupId,
    state: group.state,
    offsets,
    executed: options.execute === true && offsets.length > 0,
    notes,
  };
}

/** Which partitions a reset covers; they must exist and have a leader (Kafka's checks). */
async function partitionsToReset(
  admin: Admin,
  scope: OffsetResetScope,
  committed: Map<string, CommittedOffset>,
): Promise<TP[]> {
  const wanted = new Map<string, TP>();
  if (scope.allTopics) {
    for (const o of committed.values())
      wanted.set(tpKey(o.topic, o.partition), { topic: o.topic, partition: o.partition });
  }
  const topics = scope.topics ?? [];
  if (!scope.allTopics && topics.length === 0) {
    throw new KafkaClientError('One of the reset scopes should be defined: all topics, or a topic.', {
      kind: 'config',
    });
  }
  const names = [...new Set([...topics.map((t) => t.topic), ...[...wanted.values()].map((p) => p.topic)])];
  const described = names.length > 0 ? await admin.describeTopics(names) : [];
  const info = new Map(described.map((d) => [d.name, d]));
  for (const t of topics) {
    const d = info.get(t.topic);
    const partitions = t.partitions ?? (d && !d.error ? d.partitions.map((p) => p.partition) : []);
    if (!t.partitions && (!d || d.error)) {
      throw new KafkaClientError(`The topic '${t.topic}' does not exist`, {
        code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        retriable: false,
      });
    }
    for (const partition of partitions) wanted.set(tpKey(t.topic, partition), { topic: t.topic, partition });
  }
  const list = [...wanted.values()].sort(byTopicPartition);
  const missing = list.filter((p) => {
    const d = info.get(p.topic);
    return !d || d.error || !d.partitions.some((x) => x.partition === p.partition);
  });
  if (missing.length > 0) {
    throw new KafkaClientError(
      `The partitions "${missing.map((p) => `${p.topic}-${p.partition}`).join(',')}" do not exist`,
      {
        code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        retriable: false,
      },
    );
  }
  const leaderless = list.filter(
    (p) => (info.get(p.topic)!.partitions.find((x) => x.partition === p.partition)?.leader ?? -1) < 0,
  );
  if (leaderless.length > 0) {
    throw new KafkaClientError(
      `The partitions "${leaderless.map((p) => `${p.topic}-${p.partition}`).join(',')}" have no leader`,
      { code: ErrorCode.LEADER_NOT_AVAILABLE, retriable: false },
    );
  }
  return list;
}

/** Log end offsets (high watermarks); null for partitions without a leader or of topics that are gone. */
async function logEndOffsets(groups: GroupAdmin, partitions: TP[]): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  if (partitions.length === 0) return out;
  const admin = new Admin(groups.cluster);
  const described = await admin.describeTopics([...new Set(partitions.map((p) => p.topic))]);
  const info = new Map(described.map((d) => [d.name, d]));
  const led = partitions.filter((p) => {
    const d = info.get(p.topic);
    const leader = d && !d.error ? (d.partitions.find((x) => x.partition === p.partition)?.leader ?? -1) : -1;
    if (leader < 0) out.set(tpKey(p.topic, p.partition), null);
    return leader >= 0;
  });
  if (led.length > 0) {
    for (const l of await admin.listOffsets(led.map((p) => ({ ...p, spec: 'latest' as const })))) {
      out.set(tpKey(l.topic, l.partition), l.offset);
    }
  }
  return out;
}

function byTopicPartition(a: TP, b: TP): number {
  return (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) || a.partition - b.partition;
}
