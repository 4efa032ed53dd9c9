/**
 * Which cluster the UI looks at (`connections.onActive`) and what it can do there (`capabilities`),
 * plus the saved connection profiles for the switcher. Views read `capabilities` to hide
 * embedded-only powers (broker lifecycle, files on disk) on external clusters.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  type ActiveConnection,
  type Capabilities,
  type ConnectionProfileView,
  type ConnectionTestResult,
} from '../../shared/contract/index.js';
import type { connectionProfileSchema } from '../../shared/contract/connections.js';
import type { Infer } from '../../shared/contract/schema.js';
import { EddyError } from '../../shared/errors.js';
import { useEddyApi } from '../api/index.js';

export type ConnectionProfileInput = Infer<typeof connectionProfileSchema>;

/** What an engine that predates the connections service is: the embedded cluster, every power. */
const EMBEDDED_CAPABILITIES: Capabilities = { brokerLifecycle: true, files: true, timeline: true };
const NO_CAPABILITIES: Capabilities = { brokerLifecycle: false, files: false, timeline: false };

export const useConnectionStore = defineStore('connection', () => {
  const api = useEddyApi();
  /** null until the host has said which cluster is active. */
  const active = shallowRef<ActiveConnection | null>(null);
  const profiles = shallowRef<ConnectionProfileView[]>([]);
  const error = shallowRef<EddyError | null>(null);
  /** The host has no connections service (an older engine): only the embedded cluster exists. */
  const embeddedOnly = ref(false);
  let stop: (() => void) | null = null;

  /** What the active cluster allows; nothing until it is known, so embedded-only UI never flashes. */
  const capabilities = computed<Capabilities>(() => {
    if (active.value) return active.value.capabilities;
    return embeddedOnly.value ? EMBEDDED_CAPABILITIES : NO_CAPABILITIES;
  });
  const isEmbedded = computed(() => (active.value ? active.value.kind === 'embedded' : embeddedOnly.value));

  function follow(): void {
    if (stop || api.missingToken) return;
    stop = api.client.connections.onActive({
      next(next) {
        active.value = next;
        error.value = null;
        embeddedOnly.value = false;
      },
      error(err) {
        stop = null;
        const e = err instanceof EddyError ? err : new EddyError('INTERNAL', { detail: err.message });
        if (e.code === 'UNKNOWN_METHOD') embeddedOnly.value = true;
        else error.value = e;
      },
    });
  }

  function unfollow(): void {
    stop?.();
    stop = null;
  }

  async function loadProfiles(): Promise<ConnectionProfileView[]> {
    profiles.value = await api.client.connections.list();
    return profiles.value;
  }

  async function save(profile: ConnectionProfileInput): Promise<ConnectionProfileView> {
    const saved = await api.client.connections.save(profile);
    const rest = profiles.value.filter((p) => p.id !== saved.id);
    profiles.value = [...rest, saved].sort((a, b) => a.name.localeCompare(b.name));
    return saved;
  }

  async function remove(id: string): Promise<void> {
    await api.client.connections.remove(id);
    profiles.value = profiles.value.filter((p) => p.id !== id);
  }

  function test(profile: ConnectionProfileInput): Promise<ConnectionTestResult> {
    return api.client.connections.test(profile);
  }

  async function activate(id: string): Promise<ActiveConnection> {
    const next = await api.client.connections.activate(id);
    active.value = next;
    return next;
  }

  return {
    active,
    profiles,
    error,
    embeddedOnly,
    capabilities,
    isEmbedded,
    follow,
    unfollow,
    loadProfiles,
    save,
    remove,
    test,
    activate,
  };
});
