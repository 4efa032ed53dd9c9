/**
 * The calling end of the RPC: calls with cancellation, and subscriptions that survive reconnects.
 * Knows nothing about the transport beyond `ClientTransport`.
 */
import { EddyError } from '../errors.js';
import type {
  CallOptions,
  ContractClient,
  ContractSpec,
  MemberSpec,
  StreamObserver,
  Unsubscribe,
} from '../contract/define.js';
import type { ClientMessage, ClientTransport, ConnectionState, ServerMessage } from './protocol.js';

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** Sent already; false while waiting for the transport to open. */
  sent: boolean;
  message: ClientMessage & { type: 'call' };
  detachSignal(): void;
}

interface Subscription {
  message: ClientMessage & { type: 'subscribe' };
  observer: StreamObserver<unknown>;
}

export class RpcClient {
  private nextId = 1;
  private readonly calls = new Map<number, PendingCall>();
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly detach: (() => void)[];
  private disposed = false;

  constructor(private readonly transport: ClientTransport) {
    this.detach = [
      transport.onMessage((m) => this.handleMessage(m)),
      transport.onStateChange((s) => this.handleStateChange(s)),
    ];
  }

  get state(): ConnectionState {
    return this.transport.state;
  }

  onStateChange(listener: (state: ConnectionState) => void): Unsubscribe {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  call(path: string, args: unknown[], options: CallOptions = {}): Promise<unknown> {
    if (this.disposed)
      return Promise.reject(new EddyError('ENGINE_UNREACHABLE', { detail: 'client disposed' }));
    if (this.transport.state === 'closed') return Promise.reject(new EddyError('ENGINE_UNREACHABLE'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new EddyError('CANCELLED'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const pending = this.calls.get(id);
        if (!pending) return;
        this.calls.delete(id);
        if (pending.sent && this.transport.state === 'open') this.transport.send({ type: 'cancel', id });
        reject(new EddyError('CANCELLED'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const pending: PendingCall = {
        resolve,
        reject,
        sent: false,
        message: { type: 'call', id, path, args },
        detachSignal: () => signal?.removeEventListener('abort', onAbort),
      };
      this.calls.set(id, pending);
      if (this.transport.state === 'open') this.sendCall(pending);
    });
  }

  subscribe(path: string, args: unknown[], observer: StreamObserver<unknown>): Unsubscribe {
    const id = this.nextId++;
    const sub: Subscription = { message: { type: 'subscribe', id, path, args }, observer };
    this.subscriptions.set(id, sub);
    if (this.transport.state === 'open') this.transport.send(sub.message);
    return () => {
      if (!this.subscriptions.delete(id)) return;
      if (this.transport.state === 'open') this.transport.send({ type: 'unsubscribe', id });
    };
  }

  /** Rejects what is pending, forgets subscriptions and closes the transport. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.failPendingCalls(new EddyError('ENGINE_UNREACHABLE', { detail: 'client disposed' }));
    this.subscriptions.clear();
    for (const d of this.detach) d();
    this.transport.close();
  }

  private sendCall(pending: PendingCall): void {
    pending.sent = true;
    this.transport.send(pending.message);
  }

  private handleMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'result':
      case 'error': {
        const pending = this.calls.get(message.id);
        if (!pending) return; // cancelled meanwhile
        this.calls.delete(message.id);
        pending.detachSignal();
        if (message.type === 'result') pending.resolve(message.value);
        else pending.reject(EddyError.fromWire(message.error));
        return;
      }
      case 'event':
        this.subscriptions.get(message.id)?.observer.next(message.value);
        return;
      case 'end': {
        const sub = this.subscriptions.get(message.id);
        if (!sub) return;
        this.subscriptions.delete(message.id);
        if (message.error) sub.observer.error?.(EddyError.fromWire(message.error));
        return;
      }
    }
  }

  private handleStateChange(state: ConnectionState): void {
    if (state === 'open') {
      // Calls queued while connecting go out now; streams are asked for again after a reconnect.
      for (const pending of this.calls.values()) if (!pending.sent) this.sendCall(pending);
      for (const sub of this.subscriptions.values()) this.transport.send(sub.message);
    } else if (state === 'closed') {
      this.failPendingCalls(new EddyError('ENGINE_UNREACHABLE'));
    }
    for (const listener of [...this.stateListeners]) listener(state);
  }

  private failPendingCalls(error: EddyError): void {
    const pending = [...this.calls.values()];
    this.calls.clear();
    for (const p of pending) {
      p.detachSignal();
      p.reject(error);
    }
  }
}

function argumentCount(spec: MemberSpec): number {
  return spec.args.items.length;
}

function isCallOptions(value: unknown): value is CallOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A typed proxy over an `RpcClient`: `client.cluster.describe()` becomes a call of
 * `cluster.describe`; `client.cluster.onChange(listener)` a subscription.
 */
export function createContractClient<C extends ContractSpec>(contract: C, rpc: RpcClient): ContractClient<C> {
  const client: Record<string, Record<string, unknown>> = {};
  for (const [serviceName, service] of Object.entries(contract)) {
    const members: Record<string, unknown> = {};
    for (const [memberName, spec] of Object.entries(service)) {
      const path = `${serviceName}.${memberName}`;
      const count = argumentCount(spec);
      if (spec.kind === 'method') {
        members[memberName] = (...args: unknown[]) => {
          const options =
            args.length > count && isCallOptions(args[count]) ? (args[count] as CallOptions) : {};
          return rpc.call(path, args.slice(0, count), options);
        };
      } else {
        members[memberName] = (
          observer: StreamObserver<unknown> | ((event: unknown) => void),
          ...args: unknown[]
        ) =>
          rpc.subscribe(
            path,
            args.slice(0, count),
            typeof observer === 'function' ? { next: observer } : observer,
          );
      }
    }
    client[serviceName] = Object.freeze(members);
  }
  return Object.freeze(client) as ContractClient<C>;
}
