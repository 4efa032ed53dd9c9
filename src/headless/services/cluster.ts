/**
 * The 'cluster' service over the active link. Embedded: the controller's metadata image, with a
 * burst of metadata records coalesced into one change. External: the link's monitor (one Metadata
 * request every 2 s), re-emitted only when something changed. Streams move to the new cluster when
 * the user switches.
 */
import { INTERNAL_TOPICS } from '../../engine/controller/topic-rules.js';
import type { Engine } from '../../engine/runtime/engine.js';
import type { ClusterDescription, EddyServices } from '../../shared/contract/index.js';
import { monitorOf } from './external-monitor.js';
import { followActiveLink, toEddyError, type ClusterLink, type LinkProvider } from './link.js';

/** Coalesces a burst of metadata records (a topic with 50 partitions is 52 records) into one event. */
const CHANGE_COALESCE_MS = 20;

/** As the brokers answer Metadata and DescribeCluster: the lowest live broker id, -1 when none. */
export function embeddedControllerId(engine: Engine): number {
  let id = -1;
  for (const b of engine.controller.image.brokers.values())
    if (!b.fenced && (id < 0 || b.brokerId < id)) id = b.brokerId;
  return id;
}

export function describeEmbedded(engine: Engine): ClusterDescription {
  const image = engine.controller.image;
  const brokers = [...image.brokers.values()]
    .map((b) => ({ id: b.brokerId, host: b.host, port: b.port, up: !b.fenced }))
    .sort((a, b) => a.id - b.id);
  const topics = [...image.topicsByName.values()]
    .map((t) => ({
      name: t.name,
      partitions: t.partitions.length,
      replicationFactor: t.partitions[0]?.replicas.length ?? 0,
      internal: INTERNAL_TOPICS.has(t.name),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { clusterId: image.clusterId, controllerId: embeddedControllerId(engine), brokers, topics };
}

/** The description of any link, asked now. */
export async function describeLink(link: ClusterLink): Promise<ClusterDescription> {
  if (link.engine) return describeEmbedded(link.engine);
  const monitor = monitorOf(link);
  try {
    return monitor.describe(await monitor.refresh());
  } catch (err) {
    throw toEddyError(err, 'Asking the cluster for its metadata failed');
  }
}

/** Follows one link: calls `emit` with the description now and after every change. */
async function watchLink(link: ClusterLink, emit: (d: ClusterDescription) => void, signal: AbortSignal) {
  const engine = link.engine;
  if (engine) {
    let timer: NodeJS.Timeout | null = null;
    const onRecords = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        emit(describeEmbedded(engine));
      }, CHANGE_COALESCE_MS);
    };
    engine.controller.on('records', onRecords);
    emit(describeEmbedded(engine));
    return () => {
      engine.controller.off('records', onRecords);
      if (timer) clearTimeout(timer);
    };
  }
  const monitor = monitorOf(link);
  monitor.on('change', emit);
  // The latest answer at once when there is one; otherwise the first poll's 'change' brings it.
  if (monitor.snapshot) emit(monitor.describe(monitor.snapshot));
  else void monitor.refresh().catch(() => undefined);
  if (signal.aborted) monitor.off('change', emit);
  return () => monitor.off('change', emit);
}

export function clusterService(links: LinkProvider): EddyServices['cluster'] {
  return {
    async describe() {
      return describeLink(await links.current());
    },
    async onChange(ctx) {
      let last = '';
      // After a switch the new cluster's description comes at once, even if it looks the same.
      let lastLink: ClusterLink | null = null;
      return followActiveLink(
        links,
        ctx.signal,
        (link, signal) =>
          watchLink(
            link,
            (d) => {
              const key = JSON.stringify(d);
              if (key === last && lastLink === link) return;
              last = key;
              lastLink = link;
              ctx.emit(d);
            },
            signal,
          ),
        (err) => ctx.end(toEddyError(err)),
      );
    },
  };
}
