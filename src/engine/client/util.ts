/** Small helpers shared by the admin client, producer and consumer. */
import { Cluster, type ClusterOptions } from './cluster.js';

/** Kafka's text form of a UUID (topic id): URL-safe base64 without padding; '' for none. */
export function formatUuid(id: Buffer | undefined | null): string {
  if (!id || id.length !== 16 || id.every((b) => b === 0)) return '';
  return id.toString('base64url');
}

/** A client either shares a Cluster it is given or creates (and later closes) its own. */
export function ownCluster(clusterOrOptions: Cluster | ClusterOptions): { cluster: Cluster; owned: boolean } {
  if (clusterOrOptions instanceof Cluster) return { cluster: clusterOrOptions, owned: false };
  return { cluster: new Cluster(clusterOrOptions), owned: true };
}
