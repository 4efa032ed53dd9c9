/**
 * The 'groups' service over the active cluster link: every group with its lag, one group live with
 * members and per-partition lag, the lag history the host keeps, offset resets (preview, then
 * commit, with Kafka's rules), deleting groups and their offsets. Everything goes through Eddy's
 * GroupAdmin and Admin, so it works on an external Apache Kafka as on the embedded cluster; on the
 * embedded cluster the observer's 'lag' event (committed offsets, high watermarks or group state
 * changed) triggers a read at once instead of waiting for the next poll.
 */
import { resetGroupOffsets, type OffsetResetSpec } from '../../engine/client/index.js';
import type { EddyServices, ResetPreviewRow, StreamContext } from '../../shared/contract/index.js';
import type { ClusterLink, LinkProvider } from './link.js';
import { LagHistory } from './group-lag-history.js';
import { deadGroup, describeOne, endOffsets, readGroupDetail, readGroupRows } from './group-state.js';
import { kafkaError, nonEmptyGroup, toEddyError, translated } from './topic-errors.js';
import { pollStream } from './topic-poll.js';
import { tpKey } from './topic-requests.js';

const EMBEDDED_POLL_MS = 1000;
const EXTERNAL_POLL_MS = 1000;
const pollMs = (link: ClusterLink) => (link.engine ? EMBEDDED_POLL_MS : EXTERNAL_POLL_MS);

/** The embedded observer says when a group's offsets, state or high watermarks changed. */
const onLagChange = (link: ClusterLink, kick: () => void) => {
  const engine = link.engine;
  if (!engine) return () => undefined;
  engine.observer.on('lag', kick);
  engine.controller.on('records', kick);
  return () => {
    engine.observer.off('lag', kick);
    engine.controller.off('records', kick);
  };
};

type ResetSpec = Parameters<EddyServices['groups']['reset']>[2];

function clientSpec(to: ResetSpec['to']): OffsetResetSpec {
  switch (to.kind) {
    case 'earliest':
      return { to: 'earliest' };
    case 'latest':
      return { to: 'latest' };
    case 'offset':
      return { to: 'offset', offset: to.offset };
    case 'timestamp':
      return { to: 'datetime', timestamp: to.timestamp };
    case 'shift':
      return { to: 'shift-by', shift: to.by };
  }
}

export function groupsService(links: LinkProvider): EddyServices['groups'] {
  const history = new LagHistory(links);

  const resetOffsets = async (
    groupId: string,
    spec: ResetSpec,
    execute: boolean,
  ): Promise<ResetPreviewRow[]> => {
    const link = await links.current();
    const ga = link.groupAdmin();
    const action = execute ? 'resetting offsets' : 'previewing a reset';
    const g = await translated(() => describeOne(link, groupId), { groupId });
    if (g.members.length > 0) {
      throw kafkaError('NON_EMPTY_GROUP', nonEmptyGroup(groupId, g.members.length, 'resetting offsets'));
    }
    const before = new Map(
      (await translated(() => ga.fetchOffsets(groupId), { groupId })).map((o) => [
        tpKey(o.topic, o.partition),
        o.offset,
      ]),
    );
    const scope =
      spec.topics.length === 0
        ? { allTopics: true }
        : { topics: [...new Set(spec.topics)].map((topic) => ({ topic })) };
    const result = await translated(
      () => resetGroupOffsets(ga, groupId, clientSpec(spec.to), scope, { execute }),
      { groupId, action, topic: spec.topics.length === 1 ? spec.topics[0] : undefined },
    );
    const bounds = await translated(() => endOffsets(link, result.offsets), { groupId });
    return result.offsets.map((o) => {
      const b = bounds.get(tpKey(o.topic, o.partition));
      return {
        topic: o.topic,
        partition: o.partition,
        current: before.get(tpKey(o.topic, o.partition)) ?? null,
        target: o.offset,
        logStartOffset: b?.logStartOffset ?? o.offset,
        logEndOffset: b?.highWatermark ?? o.offset,
      };
    });
  };

  return {
    onGroups(ctx) {
      return pollStream(ctx, links, { intervalMs: pollMs, read: readGroupRows, trigger: onLagChange });
    },

    onGroup(ctx, groupId) {
      return pollStream(ctx, links, {
        intervalMs: pollMs,
        read: async (link) => {
          try {
            return await readGroupDetail(link, groupId);
          } catch (err) {
            const e = toEddyError(err, { groupId });
            if (e.detail === 'GROUP_ID_NOT_FOUND') return deadGroup(groupId);
            throw e;
          }
        },
        trigger: onLagChange,
      });
    },

    onLag(ctx: StreamContext<{ at: number; totalLag: number }[]>, groupId) {
      const watch = history.watch(groupId, (s) => ctx.emit([s]));
      ctx.emit(watch.history);
      ctx.signal.addEventListener('abort', watch.stop);
      return () => {
        ctx.signal.removeEventListener('abort', watch.stop);
        watch.stop();
      };
    },

    previewReset(_ctx, groupId, spec) {
      return resetOffsets(groupId, spec, false);
    },

    reset(_ctx, groupId, spec) {
      return resetOffsets(groupId, spec, true);
    },

    async delete(_ctx, groupId) {
      const link = await links.current();
      const ga = link.groupAdmin();
      const [r] = await translated(() => ga.deleteGroups([groupId]), { groupId });
      if (!r.error) return;
      let members: number | undefined;
      if (r.error.type === 'NON_EMPTY_GROUP') {
        members = (await describeOne(link, groupId).catch(() => null))?.members.length;
      }
      throw toEddyError(r.error, { groupId, members, action: 'deleting the group' });
    },

    async deleteOffsets(_ctx, groupId, topic, partitions) {
      const link = await links.current();
      const ga = link.groupAdmin();
      let list = partitions === null ? null : [...new Set(partitions)];
      if (list === null) {
        const committed = await translated(() => ga.fetchOffsets(groupId), { groupId });
        list = committed.filter((o) => o.topic === topic).map((o) => o.partition);
        if (list.length === 0) {
          throw kafkaError(
            'UNKNOWN_TOPIC_OR_PARTITION',
            `Group '${groupId}' has no committed offsets for '${topic}'.`,
          );
        }
      }
      const results = await translated(
        () =>
          ga.deleteOffsets(
            groupId,
            list.map((partition) => ({ topic, partition })),
          ),
        { groupId, topic, action: 'deleting its offsets' },
      );
      const failed = results.find((r) => r.error);
      if (failed?.error) throw toEddyError(failed.error, { groupId, topic, action: 'deleting its offsets' });
    },
  };
}
