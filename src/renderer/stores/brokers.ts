/**
 * The brokers with their load, live from `brokers.onBrokers` (one snapshot a second), plus the last
 * minute of in/out rates per broker for the sparklines. The status strip reads the totals.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { BrokersSnapshot } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import { useEddyApi } from '../api/index.js';

/** Samples kept per broker: about a minute at one snapshot a second. */
export const RATE_HISTORY = 60;

export interface RateHistory {
  /** Seconds since epoch, as uPlot wants them. */
  at: number[];
  bytesIn: (number | null)[];
  bytesOut: (number | null)[];
}

export const useBrokersStore = defineStore('brokers', () => {
  const api = useEddyApi();
  const snapshot = shallowRef<BrokersSnapshot | null>(null);
  const history = shallowRef<Map<number, RateHistory>>(new Map());
  const error = shallowRef<EddyError | null>(null);
  let stop: (() => void) | null = null;

  function record(next: BrokersSnapshot): void {
    const map = new Map<number, RateHistory>();
    for (const broker of next.brokers) {
      const old = history.value.get(broker.id);
      const keep = (values: (number | null)[] | number[] | undefined) =>
        (values ?? []).slice(-(RATE_HISTORY - 1));
      map.set(broker.id, {
        at: [...(keep(old?.at) as number[]), next.at / 1000],
        bytesIn: [...keep(old?.bytesIn), broker.bytesInPerSec],
        bytesOut: [...keep(old?.bytesOut), broker.bytesOutPerSec],
      });
    }
    history.value = map;
  }

  function follow(): void {
    if (stop || api.missingToken) return;
    error.value = null;
    stop = api.client.brokers.onBrokers({
      next(next) {
        snapshot.value = next;
        error.value = null;
        record(next);
      },
      error(err) {
        stop = null;
        error.value = err instanceof EddyError ? err : new EddyError('INTERNAL', { detail: err.message });
      },
    });
  }

  function retry(): void {
    stop?.();
    stop = null;
    follow();
  }

  function unfollow(): void {
    stop?.();
    stop = null;
  }

  /** Forget what belonged to the previous cluster (after a switch). */
  function clear(): void {
    snapshot.value = null;
    history.value = new Map();
  }

  const byId = computed(() => new Map((snapshot.value?.brokers ?? []).map((b) => [b.id, b])));

  return { snapshot, history, error, byId, follow, retry, unfollow, clear };
});
