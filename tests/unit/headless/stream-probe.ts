/** A StreamContext for calling a host service's stream directly, recording what it emits. */
import type { StreamContext, Teardown } from '../../../src/shared/contract/index.js';
import { until } from '../../helpers/until.js';

export interface StreamProbe<E> {
  ctx: StreamContext<E>;
  events: E[];
  /** The error (or undefined) the stream ended with, once it ended. */
  ended: { error: Error | undefined } | null;
  /** Resolves with the first event (from index `from`) that satisfies `test`. */
  next(test: (e: E) => boolean, what: string, from?: number): Promise<E>;
  /** Unsubscribes (aborts the context and runs the teardown). */
  close(): void;
  setTeardown(t: Teardown | void): void;
}

export function streamProbe<E>(): StreamProbe<E> {
  const abort = new AbortController();
  let teardown: Teardown | void;
  const probe: StreamProbe<E> = {
    events: [],
    ended: null,
    ctx: {
      signal: abort.signal,
      emit: (e) => probe.events.push(structuredClone(e)),
      end: (error) => {
        probe.ended = { error };
      },
    },
    async next(test, what, from = 0) {
      let found: E | undefined;
      await until(
        () => {
          found = probe.events.slice(from).find(test);
          return found !== undefined;
        },
        what,
        30_000,
      );
      return found as E;
    },
    close() {
      abort.abort();
      if (teardown) teardown();
    },
    setTeardown(t) {
      teardown = t;
    },
  };
  return probe;
}

/** Subscribes `stream(ctx, ...args)` and returns the probe. */
export async function subscribe<E, A extends unknown[]>(
  stream: (ctx: StreamContext<E>, ...args: A) => Teardown | void | Promise<Teardown | void>,
  ...args: A
): Promise<StreamProbe<E>> {
  const probe = streamProbe<E>();
  probe.setTeardown(await stream(probe.ctx, ...args));
  return probe;
}
