/**
 * Producing from the UI: single sends, runs (`producer.onRun`) with their progress, the history of
 * what was acknowledged, and where a key lands (`producer.placeKey`). The history lives as long as
 * the app (switching views keeps it); a run keeps going while the user looks elsewhere.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { KeyPlacement, ProduceProgress, ProducedRecord } from '../../shared/contract/index.js';
import type { produceRecordSchema, produceRunSchema } from '../../shared/contract/producer.js';
import type { Infer } from '../../shared/contract/schema.js';
import { EddyError } from '../../shared/errors.js';
import { useEddyApi } from '../api/index.js';

export type ProduceRecord = Infer<typeof produceRecordSchema>;
export type ProduceRun = Infer<typeof produceRunSchema>;

export interface HistoryEntry {
  /** Unique within this page, for list keys. */
  id: number;
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  /** What was typed (templates unexpanded for runs); null for a null key or value. */
  key: string | null;
  value: string | null;
  fromRun: boolean;
}

export interface RunState {
  topic: string;
  count: number;
  ratePerSec: number | null;
  progress: ProduceProgress | null;
  /** running · done (the engine finished) · stopped (the user stopped it) · failed (the stream broke). */
  status: 'running' | 'done' | 'stopped' | 'failed';
  error: EddyError | null;
}

/** The newest history entries kept. */
export const HISTORY_LIMIT = 200;

function asEddyError(err: unknown): EddyError {
  return err instanceof EddyError
    ? err
    : new EddyError('INTERNAL', { detail: err instanceof Error ? err.message : String(err) });
}

function previewOf(payload: ProduceRecord['key']): string | null {
  if (payload === null) return null;
  return payload.encoding === 'base64' ? `base64:${payload.data.slice(0, 200)}` : payload.data.slice(0, 200);
}

export const useProducerStore = defineStore('producer', () => {
  const api = useEddyApi();
  const history = ref<HistoryEntry[]>([]);
  const run = shallowRef<RunState | null>(null);
  const sending = ref(false);
  let nextId = 1;
  let stopRun: (() => void) | null = null;
  /**
   * The highest offset per partition of this run already in the history: progress repeats the last
   * acknowledgements, and offsets only grow within a partition, so this bounds memory for any run.
   */
  let seenInRun = new Map<number, number>();
  let runToken = 0;

  const running = computed(() => run.value?.status === 'running');

  function remember(record: ProduceRecord, produced: ProducedRecord, fromRun: boolean): void {
    const entry: HistoryEntry = {
      id: nextId++,
      topic: record.topic,
      partition: produced.partition,
      offset: produced.offset,
      timestamp: produced.timestamp,
      key: previewOf(record.key),
      value: previewOf(record.value),
      fromRun,
    };
    const next = [entry, ...history.value];
    if (next.length > HISTORY_LIMIT) next.length = HISTORY_LIMIT;
    history.value = next;
  }

  /** Sends one record; resolves with where it landed, rejects with an EddyError. */
  async function send(record: ProduceRecord): Promise<ProducedRecord> {
    sending.value = true;
    try {
      const produced = await api.client.producer.send(record);
      remember(record, produced, false);
      return produced;
    } catch (err) {
      throw asEddyError(err);
    } finally {
      sending.value = false;
    }
  }

  /** Starts a run (stopping any previous one). */
  function start(spec: ProduceRun): void {
    stop();
    seenInRun = new Map();
    const token = ++runToken;
    run.value = {
      topic: spec.record.topic,
      count: spec.count,
      ratePerSec: spec.ratePerSec,
      progress: null,
      status: 'running',
      error: null,
    };
    let finishedEarly = false;
    const unsubscribe = api.client.producer.onRun(
      {
        next(progress) {
          if (token !== runToken || !run.value) return;
          for (const produced of progress.recent) {
            if (produced.offset <= (seenInRun.get(produced.partition) ?? -1)) continue;
            seenInRun.set(produced.partition, produced.offset);
            remember(spec.record, produced, true);
          }
          if (run.value.status !== 'running') return;
          run.value = { ...run.value, progress, status: progress.done ? 'done' : 'running' };
          if (progress.done) {
            if (stopRun) stopRun();
            else finishedEarly = true;
            stopRun = null;
          }
        },
        error(err) {
          if (token !== runToken) return;
          stopRun = null;
          if (run.value?.status !== 'running') return;
          run.value = { ...run.value, status: 'failed', error: asEddyError(err) };
        },
      },
      spec,
    );
    if (finishedEarly) unsubscribe();
    else if (run.value?.status === 'running') stopRun = unsubscribe;
  }

  /** Stops the running run: unsubscribing tells the engine to stop sending. */
  function stop(): void {
    if (stopRun) {
      stopRun();
      stopRun = null;
    }
    if (run.value?.status === 'running') run.value = { ...run.value, status: 'stopped' };
  }

  function clearHistory(): void {
    history.value = [];
  }

  async function placeKey(topic: string, key: ProduceRecord['key']): Promise<KeyPlacement> {
    try {
      return await api.client.producer.placeKey(topic, key);
    } catch (err) {
      throw asEddyError(err);
    }
  }

  return { history, run, running, sending, send, start, stop, clearHistory, placeKey };
});
