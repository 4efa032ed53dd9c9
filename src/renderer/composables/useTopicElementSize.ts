/**
 * The width and height of an element, kept current with a ResizeObserver, for the virtualized
 * tables (ElTableV2 needs numbers). Until the element has been laid out — or where nothing is laid
 * out at all (tests) — the fallback size is used, so rows still render.
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export function useTopicElementSize(
  target: Ref<HTMLElement | null>,
  fallback: { width: number; height: number },
): { width: Ref<number>; height: Ref<number> } {
  const width = ref(fallback.width);
  const height = ref(fallback.height);
  let observer: ResizeObserver | null = null;

  const measure = () => {
    const el = target.value;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    width.value = rect.width > 0 ? Math.floor(rect.width) : fallback.width;
    height.value = rect.height > 0 ? Math.floor(rect.height) : fallback.height;
  };

  onMounted(() => {
    measure();
    if (typeof ResizeObserver !== 'undefined' && target.value) {
      observer = new ResizeObserver(measure);
      observer.observe(target.value);
    }
  });
  onBeforeUnmount(() => observer?.disconnect());
  return { width, height };
}
