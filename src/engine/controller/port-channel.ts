import type { MessagePort } from 'node:worker_threads';
import type { Controller } from './controller.js';
import type { ControllerChannel } from './channel.js';
import type { MetadataRecord } from './records.js';

/**
 * The controller channel across threads: a broker worker holds one end of a MessagePort, the
 * controller's thread the other. Calls are request/response messages with ids; metadata records
 * are pushed to every subscribed broker as the controller commits them.
 */
type Method = Exclude<keyof ControllerChannel, 'subscribe'>;

interface CallMessage {
  kind: 'call';
  id: number;
  method: Method;
  args: unknown[];
}
interface SubscribeMessage {
  kind: 'subscribe';
  id: number;
}
type ToController = CallMessage | SubscribeMessage;

type ToBroker =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'records'; records: MetadataRecord[] };

/** The broker's side: a ControllerChannel whose calls travel over `port`. */
export function portChannel(port: MessagePort): ControllerChannel {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let listener: ((records: MetadataRecord[]) => void) | null = null;
  port.on('message', (msg: ToBroker) => {
    if (msg.kind === 'records') {
      listener?.(msg.records);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.kind === 'result') p.resolve(msg.value);
    else p.reject(new Error(msg.message));
  });
  const send = (message: ToController) =>
    new Promise<any>((resolve, reject) => {
      pending.set(message.id, { resolve, reject });
      port.postMessage(message);
    });
  const call =
    (method: Method) =>
    (...args: unknown[]) =>
      send({ kind: 'call', id: nextId++, method, args });
  return {
    registerBroker: call('registerBroker'),
    createTopics: call('createTopics'),
    deleteTopics: call('deleteTopics'),
    allocateProducerIds: call('allocateProducerIds'),
    setConfigs: call('setConfigs'),
    brokerShutdown: call('brokerShutdown'),
    alterPartition: call('alterPartition'),
    electPreferredLeaders: call('electPreferredLeaders'),
    electUncleanLeaders: call('electUncleanLeaders'),
    createPartitions: call('createPartitions'),
    reassignPartition: call('reassignPartition'),
    ongoingReassignments: call('ongoingReassignments'),
    async subscribe(l) {
      listener = l;
      const history: MetadataRecord[] = await send({ kind: 'subscribe', id: nextId++ });
      return {
        history,
        unsubscribe: () => {
          listener = null;
        },
      };
    },
  } as ControllerChannel;
}

/**
 * The controller's side: answers calls arriving on `port` with `channel` (normally the in-process
 * channel around the controller) and forwards new records after the broker subscribed.
 * Returns a function that detaches the port.
 */
export function servePort(controller: Controller, channel: ControllerChannel, port: MessagePort): () => void {
  let forward: ((records: MetadataRecord[]) => void) | null = null;
  const onMessage = async (msg: ToController) => {
    try {
      if (msg.kind === 'subscribe') {
        // History and subscription happen in one turn of the controller's loop: no record is missed.
        const history = controller.snapshot();
        forward = (records) => port.postMessage({ kind: 'records', records } satisfies ToBroker);
        controller.on('records', forward);
        port.postMessage({ kind: 'result', id: msg.id, value: history } satisfies ToBroker);
        return;
      }
      const fn = channel[msg.method] as (...a: unknown[]) => Promise<unknown>;
      const value = await fn(...msg.args);
      port.postMessage({ kind: 'result', id: msg.id, value } satisfies ToBroker);
    } catch (err) {
      port.postMessage({ kind: 'error', id: msg.id, message: (err as Error).message } satisfies ToBroker);
    }
  };
  port.on('message', onMessage);
  return () => {
    port.off('message', onMessage);
    if (forward) controller.off('records', forward);
    port.close();
  };
}
