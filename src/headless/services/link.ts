/**
 * A ClusterLink is how every service reaches the cluster the UI is looking at: Eddy's own Kafka
 * client (Admin, GroupAdmin, Producer, Consumer) over the Kafka protocol — the same code path for
 * the embedded cluster and for an external Apache Kafka — plus, for the embedded cluster only, the
 * Engine itself (broker lifecycle, files on disk, the recorded timeline, pushed statistics).
 *
 * The LinkProvider (connections.ts) owns the active link and replaces it when the user switches
 * clusters; services ask `links.current()` per call and listen to `onChange` to restart streams.
 */
import { Admin, GroupAdmin, KafkaClientError, type ClusterOptions } from '../../engine/client/index.js';
import type { Engine } from '../../engine/runtime/engine.js';
import type { Teardown } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';

export interface ClusterLink {
  /** The connection profile id; 'embedded' for the embedded cluster. */
  readonly id: string;
  readonly kind: 'embedded' | 'external';
  /** The embedded engine; null for external clusters. */
  readonly engine: Engine | null;
  /** Options for a new Producer / Consumer / Cluster on this link (bootstrap, SASL, TLS). */
  clusterOptions(clientId: string): ClusterOptions;
  /** Shared admin clients, created on first use and closed with the link. */
  admin(): Admin;
  groupAdmin(): GroupAdmin;
  close(): Promise<void>;
}

export interface LinkProvider {
  /** The active link; waits for an embedded engine that is still starting. */
  current(): Promise<ClusterLink>;
  /** Called after the active link was replaced (the old one is closed after listeners ran). */
  onChange(listener: (link: ClusterLink) => void): () => void;
  /**
   * Services that talk to the active cluster say whether it answered (null) or not (the error), so
   * the connection's state (`connections.onActive`) follows what they saw. Optional for fixed links.
   */
  reportHealth?(link: ClusterLink, error: unknown): void;
}

/** A link over plain ClusterOptions; the embedded link adds the engine. */
export function clusterLink(
  id: string,
  options: Omit<ClusterOptions, 'clientId'>,
  engine: Engine | null = null,
): ClusterLink {
  let admin: Admin | null = null;
  let groupAdmin: GroupAdmin | null = null;
  let closed = false;
  // A service still holding a link the user switched away from must not reconnect to it.
  const open = () => {
    if (closed)
      throw new EddyError('CLUSTER_UNREACHABLE', {
        message: 'The view switched to another cluster while this was running. Try again.',
        detail: `link ${id} is closed`,
      });
  };
  return {
    id,
    kind: engine ? 'embedded' : 'external',
    engine,
    clusterOptions: (clientId) => ({ ...options, clientId }),
    admin: () => {
      open();
      return (admin ??= new Admin({ ...options, clientId: 'eddy-ui-admin' }));
    },
    groupAdmin: () => {
      open();
      return (groupAdmin ??= new GroupAdmin({ ...options, clientId: 'eddy-ui-groups' }));
    },
    async close() {
      closed = true;
      await Promise.allSettled([admin?.close(), groupAdmin?.close()]);
      admin = null;
      groupAdmin = null;
    },
  };
}

/** The embedded cluster's link: the client bootstraps from every broker the engine runs. */
export function embeddedLink(engine: Engine): ClusterLink {
  return clusterLink('embedded', { bootstrap: engine.bootstrap }, engine);
}

/** A provider with one fixed link (tests, and `eddy serve` before profiles exist). */
export function fixedLinks(link: ClusterLink): LinkProvider {
  return { current: async () => link, onChange: () => () => undefined };
}

/**
 * Runs a stream on the active link and moves it when the user switches clusters: `start` is called
 * for the current link, and again for each new one after the previous run's teardown. A failure to
 * reach the first link (the embedded engine did not start) fails the stream; later switches never
 * end it. Returns the stream's teardown.
 */
export async function followActiveLink(
  links: LinkProvider,
  signal: AbortSignal,
  start: (link: ClusterLink, signal: AbortSignal) => Teardown | void | Promise<Teardown | void>,
  onError: (error: unknown) => void,
): Promise<Teardown> {
  let generation = 0;
  let running: { abort: AbortController; teardown?: Teardown } | null = null;
  let stopped = false;
  const stopRunning = () => {
    const r = running;
    running = null;
    if (!r) return;
    r.abort.abort();
    try {
      r.teardown?.();
    } catch (err) {
      onError(err);
    }
  };
  const run = async (link: ClusterLink) => {
    const gen = ++generation;
    stopRunning();
    const slot: { abort: AbortController; teardown?: Teardown } = { abort: new AbortController() };
    running = slot;
    const teardown = await start(link, slot.abort.signal);
    if (gen !== generation || stopped || running !== slot) {
      teardown?.();
      return;
    }
    if (teardown) slot.teardown = teardown;
  };
  const off = links.onChange((link) => {
    if (!stopped) run(link).catch(onError);
  });
  const teardown = () => {
    stopped = true;
    generation++;
    off();
    stopRunning();
  };
  try {
    const first = await links.current();
    if (generation === 0 && !signal.aborted) await run(first);
  } catch (err) {
    teardown();
    throw err;
  }
  return teardown;
}

const CONNECTION_KINDS = new Set(['connection', 'timeout', 'closed', 'tls']);

/** Kafka's errors for a refused SASL login or TLS handshake. */
const AUTH_ERRORS = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
]);

/** "could not reach …" → "Could not reach ….": the client's messages as sentences. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/**
 * Any failure of a host service as the error that crosses the boundary: EddyErrors pass through;
 * the client's lost connections and timeouts become CLUSTER_UNREACHABLE, refused logins
 * AUTHENTICATION_FAILED, other Kafka errors KAFKA_ERROR (Kafka's name as detail); each with the
 * client's reason as a sentence.
 */
export function toEddyError(err: unknown, action?: string): EddyError {
  if (err instanceof EddyError) return err;
  if (err instanceof KafkaClientError) {
    const why = sentence(action ? `${action}: ${err.message}` : err.message);
    if (err.kind === 'authentication' || AUTH_ERRORS.has(err.type))
      return new EddyError('AUTHENTICATION_FAILED', { message: why, detail: err.type, cause: err });
    if (err.code === 0 && CONNECTION_KINDS.has(err.kind))
      return new EddyError('CLUSTER_UNREACHABLE', { message: why, detail: err.type, cause: err });
    if (err.code !== 0) return new EddyError('KAFKA_ERROR', { message: why, detail: err.type, cause: err });
    return new EddyError('INTERNAL', { message: why, detail: err.type, cause: err });
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return new EddyError('INTERNAL', {
    message: sentence(action ? `${action}: ${e.message}` : e.message),
    cause: e,
  });
}
