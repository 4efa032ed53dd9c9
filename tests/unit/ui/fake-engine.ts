// A stand-in for the engine behind the UI contract: a cluster description the test changes at will,
// served over a real RpcClient/serveRpc pair on an in-memory transport.
import type { ClusterDescription, EddyServices, StreamContext } from '../../../src/shared/contract/index.js';
import { EddyError } from '../../../src/shared/errors.js';
import { serveRpc } from '../../../src/shared/rpc/server.js';
import { memoryPipe, type MemoryPipe } from '../../../src/shared/rpc/transports/memory.js';
import { eddyContract } from '../../../src/shared/contract/index.js';

export function clusterDescription(overrides: Partial<ClusterDescription> = {}): ClusterDescription {
  return {
    clusterId: 'test-cluster-id',
    controllerId: 1,
    brokers: [
      { id: 1, host: '127.0.0.1', port: 9092, up: true },
      { id: 2, host: '127.0.0.1', port: 9093, up: true },
      { id: 3, host: '127.0.0.1', port: 9094, up: false },
    ],
    topics: [{ name: 'orders', partitions: 3, replicationFactor: 2, internal: false }],
    ...overrides,
  };
}

export interface FakeEngine {
  services: EddyServices;
  pipe: MemoryPipe;
  /** Changes the cluster and tells every subscriber. */
  set(next: ClusterDescription): void;
  /** Ends every stream with this error, as a failed engine would. */
  fail(code: 'ENGINE_NOT_RUNNING' | 'INTERNAL'): void;
  subscribers(): number;
  /** Reconnects the pipe with a fresh server side (as a new WebSocket would be). */
  reconnect(): void;
}

export function fakeEngine(initial: ClusterDescription = clusterDescription()): FakeEngine {
  let state = initial;
  const streams = new Set<{ emit(d: ClusterDescription): void; end(e?: Error): void }>();
  // Only the cluster service is faked here; other services answer UNKNOWN_METHOD unless a test adds them.
  const unknown = new Proxy({} as object, {
    get: () => () => {
      throw new EddyError('UNKNOWN_METHOD');
    },
  });
  const services = {
    connections: unknown,
    brokers: unknown,
    topics: unknown,
    groups: unknown,
    producer: unknown,
    messages: unknown,
    settings: unknown,
    cluster: {
      describe: () => state,
      onChange(ctx: StreamContext<ClusterDescription>) {
        streams.add(ctx);
        ctx.emit(state);
        return () => streams.delete(ctx);
      },
    },
  } as unknown as EddyServices;
  const pipe = memoryPipe();
  serveRpc(eddyContract, services, pipe.server);
  return {
    services,
    pipe,
    set(next) {
      state = next;
      for (const s of streams) s.emit(next);
    },
    fail(code) {
      for (const s of [...streams]) s.end(new EddyError(code));
    },
    subscribers: () => streams.size,
    reconnect() {
      pipe.setState('open');
      serveRpc(eddyContract, services, pipe.server);
    },
  };
}
