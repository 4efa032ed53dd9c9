/** Drives a host service's stream directly (no RPC): collects its events and waits for them. */
import type { StreamContext, Teardown } from '../../../src/shared/contract/index.js';
import { until } from '../../helpers/until.js';

export interface Collected<E> {
  ctx: StreamContext<E>;
  events: E[];
  ended: (Error | undefined)[];
  /** Resolves with the first event after `from` (index) that matches. */
  next(match: (e: E) => boolean, what: string, from?: number): Promise<E>;
  stop(): void;
}

export function collect<E>(): Collected<E> {
  const controller = new AbortController();
  const events: E[] = [];
  const ended: (Error | undefined)[] = [];
  let teardown: Teardown | void = undefined;
  const c: Collected<E> & { setTeardown(t: Teardown | void): void } = {
    ctx: {
      signal: controller.signal,
      emit: (e) => events.push(e),
      end: (err) => ended.push(err),
    },
    events,
    ended,
    async next(match, what, from = 0) {
      let found: E | undefined;
      await until(() => {
        found = events.slice(from).find(match);
        return found !== undefined;
      }, what);
      return found as E;
    },
    stop() {
      controller.abort();
      if (typeof teardown === 'function') teardown();
    },
    setTeardown(t) {
      teardown = t;
    },
  };
  return c;
}

/** Subscribes `impl` with a collector; the collector's stop() tears it down. */
export async function subscribe<E, A extends unknown[]>(
  impl: (ctx: StreamContext<E>, ...args: A) => Teardown | void | Promise<Teardown | void>,
  ...args: A
): Promise<Collected<E>> {
  const c = collect<E>() as Collected<E> & { setTeardown(t: Teardown | void): void };
  c.setTeardown(await impl(c.ctx, ...args));
  return c;
}

export const call = { signal: new AbortController().signal };
