/**
 * Consumer groups, live: the list (`groups.onGroups`) and the one group a view looks at
 * (`groups.onGroup` + `groups.onLag`), plus the operations on a group. Views follow and unfollow;
 * they never call the API themselves.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { GroupDetail, GroupRow, LagSample, ResetPreviewRow } from '../../shared/contract/index.js';
import type { resetSpecSchema } from '../../shared/contract/groups.js';
import type { Infer } from '../../shared/contract/schema.js';
import { EddyError } from '../../shared/errors.js';
import { useEddyApi } from '../api/index.js';

export type ResetSpec = Infer<typeof resetSpecSchema>;

function asEddyError(err: unknown): EddyError {
  return err instanceof EddyError
    ? err
    : new EddyError('INTERNAL', { detail: err instanceof Error ? err.message : String(err) });
}

/** The most lag samples kept for the chart (an hour at one a second). */
export const LAG_HISTORY_LIMIT = 3600;

/**
 * `groups.onLag` sends the history on subscribe and then new samples as they come: samples newer
 * than the last one held are appended; anything else is a fresh history and replaces it.
 */
export function mergeLag(held: LagSample[], incoming: LagSample[]): LagSample[] {
  if (incoming.length === 0) return held;
  const last = held.length ? held[held.length - 1].at : -Infinity;
  const next = incoming[0].at > last ? [...held, ...incoming] : [...incoming];
  return next.length > LAG_HISTORY_LIMIT ? next.slice(next.length - LAG_HISTORY_LIMIT) : next;
}

export const useGroupsStore = defineStore('groups', () => {
  const api = useEddyApi();

  // The list
  const rows = shallowRef<GroupRow[] | null>(null);
  const listError = shallowRef<EddyError | null>(null);
  let stopList: (() => void) | null = null;
  let listFollowers = 0;

  function followList(): void {
    listFollowers++;
    if (stopList) return;
    listError.value = null;
    stopList = api.client.groups.onGroups({
      next(next) {
        rows.value = next;
        listError.value = null;
      },
      error(err) {
        stopList = null;
        listError.value = asEddyError(err);
      },
    });
  }

  function unfollowList(): void {
    listFollowers = Math.max(0, listFollowers - 1);
    if (listFollowers > 0) return;
    stopList?.();
    stopList = null;
  }

  function retryList(): void {
    stopList?.();
    stopList = null;
    listFollowers = Math.max(0, listFollowers - 1);
    followList();
  }

  // One group
  const groupId = ref<string | null>(null);
  const detail = shallowRef<GroupDetail | null>(null);
  const detailError = shallowRef<EddyError | null>(null);
  const lag = shallowRef<LagSample[]>([]);
  let stopDetail: (() => void) | null = null;
  let stopLag: (() => void) | null = null;

  function followGroup(id: string): void {
    if (groupId.value === id && stopDetail) return;
    unfollowGroup();
    groupId.value = id;
    detailError.value = null;
    stopDetail = api.client.groups.onGroup(
      {
        next(next) {
          if (groupId.value !== id) return;
          detail.value = next;
          detailError.value = null;
        },
        error(err) {
          stopDetail = null;
          if (groupId.value === id) detailError.value = asEddyError(err);
        },
      },
      id,
    );
    stopLag = api.client.groups.onLag(
      {
        next(samples) {
          if (groupId.value === id) lag.value = mergeLag(lag.value, samples);
        },
        // The chart is an extra: without history the page still shows the live lag.
        error() {
          stopLag = null;
        },
      },
      id,
    );
  }

  function unfollowGroup(): void {
    stopDetail?.();
    stopLag?.();
    stopDetail = null;
    stopLag = null;
    groupId.value = null;
    detail.value = null;
    detailError.value = null;
    lag.value = [];
  }

  function retryGroup(): void {
    const id = groupId.value;
    if (id === null) return;
    unfollowGroup();
    followGroup(id);
  }

  // Operations (errors are thrown as EddyError for the caller to show)
  async function previewReset(id: string, spec: ResetSpec): Promise<ResetPreviewRow[]> {
    try {
      return await api.client.groups.previewReset(id, spec);
    } catch (err) {
      throw asEddyError(err);
    }
  }

  async function reset(id: string, spec: ResetSpec): Promise<ResetPreviewRow[]> {
    try {
      return await api.client.groups.reset(id, spec);
    } catch (err) {
      throw asEddyError(err);
    }
  }

  async function deleteGroup(id: string): Promise<void> {
    try {
      await api.client.groups.delete(id);
    } catch (err) {
      throw asEddyError(err);
    }
  }

  async function deleteOffsets(id: string, topic: string, partitions: number[] | null = null): Promise<void> {
    try {
      await api.client.groups.deleteOffsets(id, topic, partitions);
    } catch (err) {
      throw asEddyError(err);
    }
  }

  return {
    rows,
    listError,
    followList,
    unfollowList,
    retryList,
    groupId,
    detail,
    detailError,
    lag,
    followGroup,
    unfollowGroup,
    retryGroup,
    previewReset,
    reset,
    deleteGroup,
    deleteOffsets,
  };
});
