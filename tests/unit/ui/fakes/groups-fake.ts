// A stand-in for the host's groups service, served over the real RPC pipe of fake-engine.ts: the
// test sets the list, one group's detail and its lag history, and decides what reset and delete
// answer (including Kafka's refusal while members are connected).
import type {
  EddyServices,
  GroupDetail,
  GroupRow,
  LagSample,
  ResetPreviewRow,
  StreamContext,
} from '../../../../src/shared/contract/index.js';
import { EddyError } from '../../../../src/shared/errors.js';
import type { ResetSpec } from '../../../../src/renderer/stores/groups.js';
import { fakeEngine, type FakeEngine } from '../fake-engine.js';

export function groupRow(overrides: Partial<GroupRow> = {}): GroupRow {
  return {
    groupId: 'billing',
    state: 'Stable',
    protocolType: 'consumer',
    members: 2,
    topics: ['orders'],
    totalLag: 15,
    coordinator: 1,
    ...overrides,
  };
}

export function groupDetail(overrides: Partial<GroupDetail> = {}): GroupDetail {
  return {
    groupId: 'billing',
    state: 'Stable',
    protocolType: 'consumer',
    protocol: 'range',
    coordinator: 1,
    members: [
      {
        memberId: 'billing-1-6b3c',
        groupInstanceId: null,
        clientId: 'billing-1',
        host: '/127.0.0.1',
        assignment: [{ topic: 'orders', partitions: [1, 0] }],
      },
      {
        memberId: 'billing-2-9f1a',
        groupInstanceId: null,
        clientId: 'billing-2',
        host: '/127.0.0.1',
        assignment: [{ topic: 'orders', partitions: [2] }],
      },
    ],
    partitions: [
      {
        topic: 'orders',
        partition: 0,
        committedOffset: 100,
        endOffset: 110,
        lag: 10,
        memberId: 'billing-1-6b3c',
        clientId: 'billing-1',
      },
      {
        topic: 'orders',
        partition: 1,
        committedOffset: 50,
        endOffset: 55,
        lag: 5,
        memberId: 'billing-1-6b3c',
        clientId: 'billing-1',
      },
      {
        topic: 'orders',
        partition: 2,
        committedOffset: null,
        endOffset: 0,
        lag: null,
        memberId: 'billing-2-9f1a',
        clientId: 'billing-2',
      },
    ],
    totalLag: 15,
    ...overrides,
  };
}

/** Kafka's answer to a reset or delete while consumers are connected, as the host sends it. */
export function groupInUseError(): EddyError {
  return new EddyError('KAFKA_ERROR', {
    message: 'The group "billing" has active members; Kafka resets offsets only when they have stopped.',
    detail: 'NON_EMPTY_GROUP',
  });
}

export interface GroupsFake {
  engine: FakeEngine;
  setGroups(rows: GroupRow[]): void;
  /** Sets (and streams) one group's detail; null ends its streams with NOT_FOUND. */
  setGroup(detail: GroupDetail): void;
  missingGroup(groupId: string): void;
  pushLag(groupId: string, samples: LagSample[]): void;
  listSubscribers(): number;
  groupSubscribers(): number;
  /** What previewReset/reset answer; an error makes them throw it. */
  resetAnswer: ResetPreviewRow[] | EddyError;
  applyAnswer: ResetPreviewRow[] | EddyError | null;
  deleteAnswer: EddyError | null;
  calls: {
    previewReset: [string, ResetSpec][];
    reset: [string, ResetSpec][];
    delete: string[];
    deleteOffsets: [string, string, number[] | null][];
  };
}

export function groupsFake(
  rows: GroupRow[] = [groupRow()],
  detail: GroupDetail | null = groupDetail(),
): GroupsFake {
  const engine = fakeEngine();
  let list = rows;
  const details = new Map<string, GroupDetail>(detail ? [[detail.groupId, detail]] : []);
  const lagHistory = new Map<string, LagSample[]>();
  const listStreams = new Set<StreamContext<GroupRow[]>>();
  const groupStreams = new Map<StreamContext<GroupDetail>, string>();
  const lagStreams = new Map<StreamContext<LagSample[]>, string>();

  const fake: GroupsFake = {
    engine,
    setGroups(next) {
      list = next;
      for (const s of listStreams) s.emit(next);
    },
    setGroup(next) {
      details.set(next.groupId, next);
      for (const [s, id] of groupStreams) if (id === next.groupId) s.emit(next);
    },
    missingGroup(groupId) {
      details.delete(groupId);
      for (const [s, id] of [...groupStreams])
        if (id === groupId) s.end(new EddyError('NOT_FOUND', { detail: 'GROUP_ID_NOT_FOUND' }));
    },
    pushLag(groupId, samples) {
      lagHistory.set(groupId, samples);
      for (const [s, id] of lagStreams) if (id === groupId) s.emit(samples);
    },
    listSubscribers: () => listStreams.size,
    groupSubscribers: () => groupStreams.size,
    resetAnswer: [],
    applyAnswer: null,
    deleteAnswer: null,
    calls: { previewReset: [], reset: [], delete: [], deleteOffsets: [] },
  };

  const service: EddyServices['groups'] = {
    onGroups(ctx) {
      listStreams.add(ctx);
      ctx.emit(list);
      return () => listStreams.delete(ctx);
    },
    onGroup(ctx, groupId) {
      const found = details.get(groupId);
      if (!found) {
        ctx.end(new EddyError('NOT_FOUND', { detail: 'GROUP_ID_NOT_FOUND' }));
        return;
      }
      groupStreams.set(ctx, groupId);
      ctx.emit(found);
      return () => groupStreams.delete(ctx);
    },
    onLag(ctx, groupId) {
      lagStreams.set(ctx, groupId);
      ctx.emit(lagHistory.get(groupId) ?? []);
      return () => lagStreams.delete(ctx);
    },
    previewReset(_ctx, groupId, spec) {
      fake.calls.previewReset.push([groupId, spec]);
      if (fake.resetAnswer instanceof EddyError) throw fake.resetAnswer;
      return fake.resetAnswer;
    },
    reset(_ctx, groupId, spec) {
      fake.calls.reset.push([groupId, spec]);
      const answer = fake.applyAnswer ?? fake.resetAnswer;
      if (answer instanceof EddyError) throw answer;
      return answer;
    },
    delete(_ctx, groupId) {
      fake.calls.delete.push(groupId);
      if (fake.deleteAnswer) throw fake.deleteAnswer;
    },
    deleteOffsets(_ctx, groupId, topic, partitions) {
      fake.calls.deleteOffsets.push([groupId, topic, partitions]);
      if (fake.deleteAnswer) throw fake.deleteAnswer;
    },
  };
  (engine.services as { groups: EddyServices['groups'] }).groups = service;
  return fake;
}
