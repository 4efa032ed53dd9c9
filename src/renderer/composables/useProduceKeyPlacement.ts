/**
 * Where the record's key will land, asked of the engine (`producer.placeKey`: murmur2 as the Java
 * client computes it) a moment after the user stops typing. A chosen partition or a templated key
 * needs no question.
 */
import { onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { KeyPlacement } from '../../shared/contract/index.js';
import { useProducerStore } from '../stores/producer.js';
import { hasTemplate } from './useProduceForm.js';

export type PlacementState =
  | { kind: 'none' }
  | { kind: 'computing' }
  | { kind: 'chosen'; partition: number }
  | { kind: 'templated' }
  | { kind: 'placed'; placement: KeyPlacement }
  | { kind: 'unavailable' };

export interface PlacementInput {
  /** A topic the cluster has, else null (nothing to ask). */
  topic: string | null;
  partition: number | null;
  key: string | null;
  template: boolean;
}

export function useProduceKeyPlacement(input: () => PlacementInput, debounceMs = 250) {
  const store = useProducerStore();
  const state = shallowRef<PlacementState>({ kind: 'none' });
  const asked = ref(0);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  watch(
    () => JSON.stringify(input()),
    () => {
      clearTimeout(timer);
      const { topic, partition, key, template } = input();
      const mine = ++generation;
      if (!topic) {
        state.value = { kind: 'none' };
        return;
      }
      if (partition !== null) {
        state.value = { kind: 'chosen', partition };
        return;
      }
      if (key !== null && template && hasTemplate(key)) {
        state.value = { kind: 'templated' };
        return;
      }
      state.value = { kind: 'computing' };
      timer = setTimeout(async () => {
        asked.value++;
        try {
          const placement = await store.placeKey(
            topic,
            key === null ? null : { encoding: 'text', data: key },
          );
          if (mine === generation) state.value = { kind: 'placed', placement };
        } catch {
          if (mine === generation) state.value = { kind: 'unavailable' };
        }
      }, debounceMs);
    },
    { immediate: true },
  );
  onScopeDispose(() => clearTimeout(timer));
  return { state, asked };
}
