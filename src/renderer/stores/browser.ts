/**
 * The message browser: the query form, the running `messages.onBrowse` stream, and the rows it
 * delivered. Rows live in a plain (non-reactive) array: 100,000 records made deeply reactive would
 * cost seconds and memory for nothing. Appends bump `version`, which is all the virtualized list
 * needs to recompute its window. Stores do not read each other: the time zone comes in as an argument.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { BrowseBatch, MessageRow, Unsubscribe, WireBytes } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import { useEddyApi } from '../api/index.js';
import {
  buildBrowseQuery,
  defaultForm,
  type BrowseForm,
  type BrowseQuery,
  type QueryProblem,
} from '../decode/query.js';
import type { TimeZoneChoice } from '../format/index.js';

/** Bytes of each key and value the host sends at first; the rest on "Load full value". */
export const PREVIEW_BYTES = 8 * 1024;
/** A live tail keeps at most this many rows; the oldest are dropped beyond it. */
export const MAX_ROWS = 200_000;

/** idle: never run · running: the stream is open · done: the host finished · stopped: the user stopped · failed. */
export type BrowseStatus = 'idle' | 'running' | 'done' | 'stopped' | 'failed';

export const useBrowserStore = defineStore('browser', () => {
  const api = useEddyApi();

  const form = ref<BrowseForm>(defaultForm());
  const problems = ref<QueryProblem[]>([]);
  const status = ref<BrowseStatus>('idle');
  const progress = shallowRef<BrowseBatch['progress'] | null>(null);
  /** The host's sentence from an error batch (a bad JSON path, a Kafka error). */
  const batchError = ref<string | null>(null);
  /** The stream itself failed (engine unreachable, unknown topic…). */
  const streamError = shallowRef<EddyError | null>(null);
  /** The query the rows came from (its topic is what "Load full value" asks about). */
  const lastQuery = shallowRef<BrowseQuery | null>(null);

  let rows: MessageRow[] = markRaw([]);
  /** Per partition, the highest offset held: a stream resubscribed after a reconnect starts over. */
  let highest = new Map<number, number>();
  const version = ref(0);
  const rowCount = ref(0);
  /** Rows dropped from the front of a long live tail. */
  const dropped = ref(0);
  const selectedIndex = ref<number | null>(null);
  let unsubscribe: Unsubscribe | null = null;

  const running = computed(() => status.value === 'running');
  const selectedRow = computed<MessageRow | null>(() => {
    void version.value;
    const i = selectedIndex.value;
    return i === null ? null : (rows[i] ?? null);
  });

  function clearRows(): void {
    rows = markRaw([]);
    highest = new Map();
    rowCount.value = 0;
    dropped.value = 0;
    selectedIndex.value = null;
    version.value++;
  }

  function append(incoming: MessageRow[]): void {
    let added = 0;
    for (const row of incoming) {
      const top = highest.get(row.partition);
      if (top !== undefined && row.offset <= top) continue;
      highest.set(row.partition, row.offset);
      rows.push(row);
      added++;
    }
    if (rows.length > MAX_ROWS) {
      const excess = rows.length - MAX_ROWS;
      rows.splice(0, excess);
      dropped.value += excess;
      if (selectedIndex.value !== null) {
        selectedIndex.value = selectedIndex.value >= excess ? selectedIndex.value - excess : null;
      }
    }
    if (added > 0 || rows.length !== rowCount.value) {
      rowCount.value = rows.length;
      version.value++;
    }
  }

  function onBatch(batch: BrowseBatch): void {
    if (batch.rows.length) append(batch.rows);
    progress.value = batch.progress;
    if (batch.error) {
      batchError.value = batch.error;
      status.value = 'failed';
      detach();
      return;
    }
    if (batch.progress.done) {
      status.value = 'done';
      detach();
    }
  }

  function detach(): void {
    const stop = unsubscribe;
    unsubscribe = null;
    stop?.();
  }

  /**
   * Checks the form and starts the query; false (with `problems` set) when it is not valid.
   * A running query is stopped first; earlier rows are cleared.
   */
  function run(zone: TimeZoneChoice): boolean {
    const built = buildBrowseQuery(form.value, zone, PREVIEW_BYTES);
    problems.value = built.problems;
    if (!built.query) return false;
    detach();
    clearRows();
    progress.value = null;
    batchError.value = null;
    streamError.value = null;
    lastQuery.value = built.query;
    status.value = 'running';
    unsubscribe = api.client.messages.onBrowse(
      {
        next: onBatch,
        error(err) {
          unsubscribe = null;
          streamError.value =
            err instanceof EddyError ? err : new EddyError('INTERNAL', { detail: err.message });
          status.value = 'failed';
        },
      },
      built.query,
    );
    return true;
  }

  /** Stops reading; the rows so far stay. */
  function stop(): void {
    if (!unsubscribe) return;
    detach();
    if (status.value === 'running') status.value = 'stopped';
  }

  /** The rows as held (do not mutate). Read `version` in a computed to follow appends. */
  function allRows(): readonly MessageRow[] {
    return rows;
  }

  function rowAt(index: number): MessageRow | undefined {
    return rows[index];
  }

  function select(index: number | null): void {
    selectedIndex.value =
      index === null || rows.length === 0 ? null : Math.max(0, Math.min(rows.length - 1, index));
  }

  /** j/k and the arrow keys: one row down or up (the first row when nothing is selected). */
  function moveSelection(delta: number): void {
    if (rows.length === 0) return;
    select(selectedIndex.value === null ? 0 : selectedIndex.value + delta);
  }

  /** The whole key or value of a record whose preview was cut. */
  function loadFull(row: MessageRow, field: 'key' | 'value'): Promise<WireBytes | null> {
    const topic = lastQuery.value?.topic ?? form.value.topic;
    return api.client.messages.value(topic, row.partition, row.offset, field);
  }

  /** Opens the browser on a topic (and optionally one partition), from a link or another view. */
  function preselect(topic: string, partition: number | null): void {
    if (form.value.topic !== topic) form.value.partitions = [];
    form.value.topic = topic;
    if (partition !== null) form.value.partitions = [partition];
  }

  return {
    form,
    problems,
    status,
    running,
    progress,
    batchError,
    streamError,
    lastQuery,
    version,
    rowCount,
    dropped,
    selectedIndex,
    selectedRow,
    run,
    stop,
    allRows,
    rowAt,
    select,
    moveSelection,
    loadFull,
    preselect,
  };
});
