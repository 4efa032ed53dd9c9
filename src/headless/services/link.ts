/**
 * A ClusterLink is how every service reaches the cluster the UI is looking at: Eddy's own Kafka
 * client (Admin, GroupAdmin, Producer, Consumer) over the Kafka protocol — the same code path for
 * the embedded cluster and for an external Apache Kafka — plus, for the embedded cluster only, the
 * Engine itself (broker lifecycle, files on disk, the recorded timeline, pushed statistics).
 *
 * The LinkProvider (connections.ts) owns the active link and replaces it when the user switches
 * clusters; services ask `links.current()` per call and listen to `onChange` to restart streams.
 */
import { Admin, GroupAdmin, type ClusterOptions } from '../../engine/client/index.js';
import type { Engine } from '../../engine/runtime/engine.js';

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
}

/** A link over plain ClusterOptions; the embedded link adds the engine. */
export function clusterLink(
  id: string,
  options: Omit<ClusterOptions, 'clientId'>,
  engine: Engine | null = null,
): ClusterLink {
  let admin: Admin | null = null;
  let groupAdmin: GroupAdmin | null = null;
  return {
    id,
    kind: engine ? 'embedded' : 'external',
    engine,
    clusterOptions: (clientId) => ({ ...options, clientId }),
    admin: () => (admin ??= new Admin({ ...options, clientId: 'eddy-ui-admin' })),
    groupAdmin: () => (groupAdmin ??= new GroupAdmin({ ...options, clientId: 'eddy-ui-groups' })),
    async close() {
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
