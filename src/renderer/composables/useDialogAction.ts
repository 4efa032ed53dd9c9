/**
 * The state every confirm dialog needs around its one action: `busy` while it runs, the error it
 * failed with (`failure`) and that error as the sentence to show (`failureText`, via useErrorText).
 * `run(action)` clears the last error, runs the action (which closes the dialog and emits on
 * success) and keeps its error instead of throwing.
 */
import { computed, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { useErrorText } from './useErrorText.js';

export interface DialogAction {
  busy: Ref<boolean>;
  failure: ShallowRef<unknown>;
  failureText: ComputedRef<string | null>;
  run: (action: () => Promise<void>) => Promise<void>;
}

export function useDialogAction(): DialogAction {
  const errorText = useErrorText();
  const busy = ref(false);
  const failure = shallowRef<unknown>(null);
  const failureText = computed(() => (failure.value === null ? null : errorText(failure.value)));

  async function run(action: () => Promise<void>): Promise<void> {
    busy.value = true;
    failure.value = null;
    try {
      await action();
    } catch (error) {
      failure.value = error;
    } finally {
      busy.value = false;
    }
  }

  return { busy, failure, failureText, run };
}
