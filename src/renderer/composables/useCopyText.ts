import { onBeforeUnmount, ref } from 'vue';

/** Copies text to the clipboard; `copied` is true for a moment afterwards. */
export function useCopyText(resetMs = 1500) {
  const copied = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  async function copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      return; // no clipboard permission: the text is still selectable on screen
    }
    copied.value = true;
    clearTimeout(timer);
    timer = setTimeout(() => (copied.value = false), resetMs);
  }
  onBeforeUnmount(() => clearTimeout(timer));
  return { copied, copy };
}
