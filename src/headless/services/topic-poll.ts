/**
 * A polled stream: read the state, emit it when it differs from what was last emitted, wait,
 * again. A `trigger` (the embedded controller's metadata records) can ask for a read at once,
 * coalesced. The active link is asked for on every read, so a cluster switch is followed. Reads
 * that fail with a transient error are retried on the next tick; `fatal` errors end the stream.
 * Shared by the topics and groups services.
 */
import type { StreamContext, Teardown } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import type { ClusterLink, LinkProvider } from './link.js';
import { toEddyError } from './topic-errors.js';

export interface PollSpec<T> {
  /** Time between reads (the embedded cluster is local and cheap to ask). */
  intervalMs(link: ClusterLink): number;
  read(link: ClusterLink): Promise<T>;
  /** Subscribe to something that means "read now"; returns the unsubscribe. */
  trigger?(link: ClusterLink, kick: () => void): () => void;
  /** Called with each value that was emitted (after emitting). */
  emitted?(value: T): void;
}

/** How long a kick waits so that a burst of records causes one read. */
const KICK_COALESCE_MS = 20;

export function isFatal(err: EddyError): boolean {
  return err.code === 'NOT_FOUND' || err.code === 'EMBEDDED_ONLY' || err.code === 'INVALID_ARGUMENT';
}

export function pollStream<T>(ctx: StreamContext<T>, links: LinkProvider, spec: PollSpec<T>): Teardown {
  let stopped = false;
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastKey: string | null = null;
  let triggered: { link: ClusterLink; off: () => void } | null = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void tick();
    }, ms);
  };
  const kick = () => {
    if (stopped) return;
    if (running) again = true;
    else schedule(KICK_COALESCE_MS);
  };
  const tick = async () => {
    if (stopped) return;
    running = true;
    let interval = 1000;
    let link: ClusterLink | null = null;
    try {
      link = await links.current();
      interval = spec.intervalMs(link);
      if (triggered?.link !== link) {
        triggered?.off();
        triggered = spec.trigger ? { link, off: spec.trigger(link, kick) } : { link, off: () => undefined };
      }
      const value = await spec.read(link);
      links.reportHealth?.(link, null);
      if (stopped) return;
      const key = JSON.stringify(value);
      if (key !== lastKey) {
        lastKey = key;
        ctx.emit(value);
        spec.emitted?.(value);
      }
    } catch (err) {
      const e = toEddyError(err);
      // The connection's state follows what the streams saw (a refusal still means it answered).
      if (link && (e.code === 'CLUSTER_UNREACHABLE' || e.code === 'AUTHENTICATION_FAILED'))
        links.reportHealth?.(link, err);
      if (isFatal(e)) {
        stop();
        ctx.end(e);
        return;
      }
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      schedule(KICK_COALESCE_MS);
    } else schedule(interval);
  };
  const offChange = links.onChange(() => kick());
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    triggered?.off();
    offChange();
    ctx.signal.removeEventListener('abort', stop);
  };
  ctx.signal.addEventListener('abort', stop);
  void tick();
  return stop;
}
