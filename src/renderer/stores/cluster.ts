/**
 * The cluster as the engine last described it, kept live by `cluster.onChange`, plus whether the
 * engine can be reached at all. The view never calls the API itself.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ClusterDescription } from '../../shared/contract/index.js';
import { EddyError, type ErrorCode } from '../../shared/errors.js';
import { useEddyApi } from '../api/index.js';

/**
 * connecting: first contact not made yet · live: data is current · unreachable: the link is down
 * (and retrying) · failed: the engine answered with an error.
 */
export type ClusterStatus = 'connecting' | 'live' | 'unreachable' | 'failed';

export const useClusterStore = defineStore('cluster', () => {
  const api = useEddyApi();
  const description = shallowRef<ClusterDescription | null>(null);
  const link = ref<'connecting' | 'open' | 'unreachable'>(api.missingToken ? 'unreachable' : 'connecting');
  const errorCode = ref<ErrorCode | null>(api.missingToken ? 'UNAUTHORIZED' : null);
  /** When the last change arrived (ms since epoch), for "updated" hints. */
  const updatedAt = ref<number | null>(null);
  let stopStream: (() => void) | null = null;
  let stopState: (() => void) | null = null;

  const onState = (state: 'connecting' | 'open' | 'closed') => {
    if (state === 'open') link.value = 'open';
    else if (state === 'closed') link.value = 'unreachable';
    // 'connecting' after a drop is a retry: still unreachable until it opens.
    else if (link.value !== 'unreachable') link.value = 'connecting';
  };

  const status = computed<ClusterStatus>(() => {
    if (api.missingToken || link.value === 'unreachable') return 'unreachable';
    if (errorCode.value) return 'failed';
    if (link.value === 'connecting' || !description.value) return 'connecting';
    return 'live';
  });

  const brokersUp = computed(() => description.value?.brokers.filter((b) => b.up).length ?? 0);
  const bootstrap = computed(
    () =>
      description.value?.brokers
        .filter((b) => b.up)
        .map((b) => `${b.host}:${b.port}`)
        .join(',') ?? '',
  );

  /** Starts following the cluster; safe to call more than once. */
  function follow(): void {
    if (api.missingToken) return;
    if (!stopState) {
      stopState = api.onConnectionStateChange(onState);
      onState(api.connectionState());
    }
    if (stopStream) return;
    errorCode.value = null;
    stopStream = api.client.cluster.onChange({
      next(next) {
        description.value = next;
        errorCode.value = null;
        updatedAt.value = Date.now();
      },
      error(err) {
        stopStream = null;
        errorCode.value = err instanceof EddyError ? err.code : 'INTERNAL';
      },
    });
  }

  /** After a failure: ask again. */
  function retry(): void {
    stopStream?.();
    stopStream = null;
    follow();
  }

  function unfollow(): void {
    stopStream?.();
    stopStream = null;
    stopState?.();
    stopState = null;
  }

  return { description, status, errorCode, updatedAt, brokersUp, bootstrap, follow, retry, unfollow };
});
