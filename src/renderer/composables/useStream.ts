/**
 * Follows one contract stream for as long as the calling component lives, or until the arguments
 * change (then it resubscribes). `data` is the last event, `error` the stream's error as an
 * EddyError. The RPC client resubscribes by itself after a reconnect.
 */
import { onScopeDispose, shallowRef, watch, type Ref, type WatchSource } from 'vue';
import type { StreamObserver, Unsubscribe } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';

export interface StreamState<E> {
  data: Ref<E | null>;
  error: Ref<EddyError | null>;
  /** Drops the subscription and subscribes again (after an error). */
  restart(): void;
}

export function useStream<E, A extends unknown[]>(
  subscribe: (observer: StreamObserver<E>, ...args: A) => Unsubscribe,
  args: WatchSource<A | null> | (() => A | null),
  onEvent?: (event: E) => void,
): StreamState<E> {
  const data = shallowRef<E | null>(null) as Ref<E | null>;
  const error = shallowRef<EddyError | null>(null) as Ref<EddyError | null>;
  let stop: Unsubscribe | null = null;
  let current: A | null = null;

  const start = () => {
    stop?.();
    stop = null;
    error.value = null;
    if (current === null) return;
    stop = subscribe(
      {
        next(event) {
          data.value = event;
          error.value = null;
          onEvent?.(event);
        },
        error(err) {
          stop = null;
          error.value = err instanceof EddyError ? err : new EddyError('INTERNAL', { detail: err.message });
        },
      },
      ...current,
    );
  };

  watch(
    args as WatchSource<A | null>,
    (next) => {
      current = next;
      data.value = null;
      start();
    },
    { immediate: true, deep: true },
  );
  onScopeDispose(() => {
    stop?.();
    stop = null;
  });
  return { data, error, restart: start };
}
