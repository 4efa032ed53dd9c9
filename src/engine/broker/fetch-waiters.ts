/**
 * Long-poll Fetch requests parked until enough data arrives or their max wait expires (Kafka's
 * fetch purgatory). Appends call `notify(key)`; each waiter re-checks its own condition.
 */
interface Waiter {
  keys: string[];
  check: () => boolean;
  resolve: () => void;
  timer: NodeJS.Timeout;
}

export class FetchWaiters {
  private readonly byKey = new Map<string, Set<Waiter>>();

  /** Resolves when `check()` turns true after a notify on one of `keys`, or after `maxWaitMs`. */
  wait(keys: string[], maxWaitMs: number, check: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        keys,
        check,
        resolve: () => {
          clearTimeout(waiter.timer);
          for (const k of keys) this.byKey.get(k)?.delete(waiter);
          resolve();
        },
        timer: setTimeout(() => waiter.resolve(), Math.max(0, maxWaitMs)),
      };
      for (const k of keys) {
        let set = this.byKey.get(k);
        if (!set) {
          set = new Set();
          this.byKey.set(k, set);
        }
        set.add(waiter);
      }
    });
  }

  notify(key: string): void {
    const set = this.byKey.get(key);
    if (!set) return;
    for (const w of [...set]) {
      if (w.check()) w.resolve();
    }
    if (set.size === 0) this.byKey.delete(key);
  }

  cancelAll(): void {
    for (const set of this.byKey.values()) for (const w of [...set]) w.resolve();
    this.byKey.clear();
  }
}
