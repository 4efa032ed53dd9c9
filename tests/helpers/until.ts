/**
 * Resolves when `condition` holds, checking on every turn of a short timer; fails after `timeoutMs`.
 * `what` may be a function, evaluated only on timeout, to describe the state that was reached.
 */
export async function until(
  condition: () => boolean,
  what: string | (() => string),
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
