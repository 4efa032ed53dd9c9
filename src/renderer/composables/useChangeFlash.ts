import { onBeforeUnmount, ref, watch, type Ref, type WatchSource } from 'vue';

/**
 * Marks rows whose content changed (or that are new) for a moment, so the eye catches a live update.
 * `source` yields key → signature; a key is flashed when its signature differs from last time.
 * Nothing flashes on the first sight of the data.
 */
export function useChangeFlash(
  source: WatchSource<Map<string, string>>,
  durationMs = 1600,
): Ref<Set<string>> {
  const flashing = ref(new Set<string>());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let previous: Map<string, string> | null = null;

  watch(
    source,
    (next) => {
      if (previous) {
        for (const [key, signature] of next) {
          if (previous.get(key) === signature) continue;
          clearTimeout(timers.get(key));
          flashing.value = new Set(flashing.value).add(key);
          timers.set(
            key,
            setTimeout(() => {
              timers.delete(key);
              const rest = new Set(flashing.value);
              rest.delete(key);
              flashing.value = rest;
            }, durationMs),
          );
        }
      }
      previous = next;
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    for (const t of timers.values()) clearTimeout(t);
  });
  return flashing;
}
