/**
 * What the active cluster can do, for the topic view (Files only on the embedded cluster). Follows
 * `connections.onActive` itself; read defensively: until the host answers — or if it cannot — the
 * embedded-only powers stay hidden rather than failing on click.
 */
import { computed, type ComputedRef } from 'vue';
import type { ActiveConnection } from '../../shared/contract/index.js';
import { useEddyApi } from '../api/index.js';
import { useStream } from './useStream.js';

export function useTopicCapabilities(): {
  active: ComputedRef<ActiveConnection | null>;
  files: ComputedRef<boolean>;
} {
  const api = useEddyApi();
  const { data } = useStream(api.client.connections.onActive, () => [] as []);
  const active = computed(() => data.value);
  const files = computed(() => data.value?.capabilities?.files === true);
  return { active, files };
}
