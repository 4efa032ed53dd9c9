/**
 * The contract's implementation over an in-process engine. Shared by both hosts: the headless
 * server (`eddy serve`) and the Electron main process. Reads the controller's metadata image; never
 * changes engine state from here yet.
 */
import type { Engine } from '../engine/runtime/engine.js';
import { INTERNAL_TOPICS } from '../engine/controller/topic-rules.js';
import type { ClusterDescription, EddyServices } from '../shared/contract/index.js';
import { EddyError } from '../shared/errors.js';
import { brokersService } from './services/brokers.js';
import { groupsService } from './services/groups.js';
import { embeddedLink, type ClusterLink, type LinkProvider } from './services/link.js';
import { messagesService } from './services/messages.js';
import { producerService } from './services/producer.js';
import { topicsService } from './services/topics.js';

function notYet<S>(): S {
  return new Proxy({} as object, {
    get: () => () => {
      throw new EddyError('UNKNOWN_METHOD');
    },
  }) as S;
}

/** Coalesces a burst of metadata records (a topic with 50 partitions is 52 records) into one event. */
const CHANGE_COALESCE_MS = 20;

export function describeCluster(engine: Engine): ClusterDescription {
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
  // As the brokers answer Metadata and DescribeCluster: the lowest live broker id.
  const controllerId = brokers.find((b) => b.up)?.id ?? -1;
  return { clusterId: image.clusterId, controllerId, brokers, topics };
}

/**
 * `engine` may still be starting (Electron starts the window and the engine together); a failed
 * start turns every call into ENGINE_NOT_RUNNING.
 */
export function engineServices(engine: Engine | Promise<Engine>): EddyServices {
  const ready = async (): Promise<Engine> => {
    try {
      return await engine;
    } catch (err) {
      throw new EddyError('ENGINE_NOT_RUNNING', { detail: (err as Error).message, cause: err });
    }
  };
  let link: Promise<ClusterLink> | null = null;
  const links: LinkProvider = {
    current: () => (link ??= ready().then(embeddedLink)),
    onChange: () => () => undefined,
  };
  return {
    connections: notYet(),
    settings: notYet(),
    brokers: brokersService(links),
    topics: topicsService(links),
    groups: groupsService(links),
    producer: producerService(links),
    messages: messagesService(links),
    cluster: {
      async describe() {
        return describeCluster(await ready());
      },
      async onChange(ctx) {
        const e = await ready();
        if (ctx.signal.aborted) return;
        let timer: ReturnType<typeof setTimeout> | null = null;
        const onRecords = () => {
          if (timer) return;
          timer = setTimeout(() => {
            timer = null;
            ctx.emit(describeCluster(e));
          }, CHANGE_COALESCE_MS);
        };
        e.controller.on('records', onRecords);
        ctx.emit(describeCluster(e));
        return () => {
          e.controller.off('records', onRecords);
          if (timer) clearTimeout(timer);
        };
      },
    },
  };
}
