/** Time for the coordinator: the wall clock in production, a manual one in tests. */
export interface Clock {
  now(): number;
  setTimer(delayMs: number, fn: () => void): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  // Session and rebalance timers must not keep a stopping process alive.
  setTimer: (delayMs, fn) => setTimeout(fn, Math.max(0, delayMs)).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Timers by key, as Kafka's coordinator timer: scheduling a key again replaces its timer, so
 * "reschedule the member's heartbeat expiration" is one call.
 */
export class KeyedTimers {
  private readonly timers = new Map<string, unknown>();

  constructor(private readonly clock: Clock) {}

  schedule(key: string, delayMs: number, fn: () => void): void {
    this.cancel(key);
    const handle = this.clock.setTimer(delayMs, () => {
      if (this.timers.get(key) !== handle) return;
      this.timers.delete(key);
      fn();
    });
    this.timers.set(key, handle);
  }

  cancel(key: string): void {
    const handle = this.timers.get(key);
    if (handle === undefined) return;
    this.timers.delete(key);
    this.clock.clearTimer(handle);
  }

  has(key: string): boolean {
    return this.timers.has(key);
  }

  cancelAll(): void {
    for (const handle of this.timers.values()) this.clock.clearTimer(handle);
    this.timers.clear();
  }
}
