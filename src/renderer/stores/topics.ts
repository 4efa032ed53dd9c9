/**
 * The topics list, live from `topics.onTopics`, with the list view's filter, internal-topics toggle
 * and sort; plus the topic-level actions (create, validate, delete, purge, add partitions) so every
 * view asks the engine the same way. Sorting 5,000 rows is one pass of a shared collator.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { TopicRow } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import { useEddyApi } from '../api/index.js';

export type TopicSortKey = 'name' | 'partitions' | 'replicationFactor' | 'records' | 'sizeBytes' | 'state';
export type SortOrder = 'asc' | 'desc';

export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: { name: string; value: string }[];
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Worse state sorts higher: offline before under-replicated before healthy. */
function stateRank(row: TopicRow): number {
  return row.offlinePartitions * 1_000_000 + row.underReplicatedPartitions;
}

function compareBy(key: TopicSortKey): (a: TopicRow, b: TopicRow) => number {
  if (key === 'name') return (a, b) => collator.compare(a.name, b.name);
  if (key === 'state') return (a, b) => stateRank(a) - stateRank(b) || collator.compare(a.name, b.name);
  // Unknown figures (null) sort below every known one.
  return (a, b) => (a[key] ?? -1) - (b[key] ?? -1) || collator.compare(a.name, b.name);
}

export const useTopicsStore = defineStore('topics', () => {
  const api = useEddyApi();
  const rows = shallowRef<TopicRow[] | null>(null);
  const error = shallowRef<EddyError | null>(null);
  const filter = ref('');
  const showInternal = ref(false);
  const sortKey = ref<TopicSortKey>('name');
  const sortOrder = ref<SortOrder>('asc');
  let stop: (() => void) | null = null;
  let followers = 0;

  const names = computed(() => (rows.value ?? []).map((row) => row.name));
  const internalCount = computed(() => (rows.value ?? []).filter((row) => row.internal).length);
  const userTopicCount = computed(() => (rows.value ?? []).length - internalCount.value);

  const visible = computed<TopicRow[]>(() => {
    const needle = filter.value.trim().toLowerCase();
    const kept = (rows.value ?? []).filter(
      (row) =>
        (showInternal.value || !row.internal) && (needle === '' || row.name.toLowerCase().includes(needle)),
    );
    const compare = compareBy(sortKey.value);
    kept.sort(sortOrder.value === 'asc' ? compare : (a, b) => compare(b, a));
    return kept;
  });

  function subscribe(): void {
    error.value = null;
    stop = api.client.topics.onTopics({
      next(next) {
        rows.value = next;
        error.value = null;
      },
      error(err) {
        stop = null;
        error.value = err instanceof EddyError ? err : new EddyError('INTERNAL', { detail: err.message });
      },
    });
  }

  /** Starts following the list (counted: the last `unfollow` stops it). */
  function follow(): void {
    followers++;
    if (!stop) subscribe();
  }

  function unfollow(): void {
    followers = Math.max(0, followers - 1);
    if (followers === 0) {
      stop?.();
      stop = null;
    }
  }

  function retry(): void {
    stop?.();
    stop = null;
    subscribe();
  }

  function sortBy(key: TopicSortKey, order: SortOrder): void {
    sortKey.value = key;
    sortOrder.value = order;
  }

  const validateCreate = (topic: NewTopic) => api.client.topics.validateCreate(topic);
  const create = (topic: NewTopic) => api.client.topics.create(topic);
  const remove = (name: string) => api.client.topics.delete(name);
  /** Deletes the records below the high watermark of every partition. */
  const purge = (name: string) => api.client.topics.purge(name, null);
  const addPartitions = (name: string, total: number) => api.client.topics.addPartitions(name, total);

  return {
    rows,
    error,
    filter,
    showInternal,
    sortKey,
    sortOrder,
    names,
    internalCount,
    userTopicCount,
    visible,
    follow,
    unfollow,
    retry,
    sortBy,
    validateCreate,
    create,
    remove,
    purge,
    addPartitions,
  };
});
