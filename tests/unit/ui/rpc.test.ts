import { describe, expect, it, vi } from 'vitest';
import { method, stream, type ContractImpl } from '../../../src/shared/contract/define.js';
import { eddyContract } from '../../../src/shared/contract/index.js';
import * as s from '../../../src/shared/contract/schema.js';
import { EddyError } from '../../../src/shared/errors.js';
import { RpcClient, createContractClient } from '../../../src/shared/rpc/client.js';
import { serveRpc } from '../../../src/shared/rpc/server.js';
import { memoryPipe } from '../../../src/shared/rpc/transports/memory.js';
import { clusterDescription, fakeEngine } from './fake-engine.js';

// A contract just for these tests, to exercise arguments, cancellation and streams with arguments.
const testContract = {
  math: {
    add: method(s.tuple([s.integer(), s.integer()])).returns<number>(),
    slow: method(s.tuple([])).returns<string>(),
    broken: method(s.tuple([])).returns<void>(),
    ticks: stream(s.tuple([s.integer({ min: 1, max: 10 })])).emits<number>(),
  },
};

function setup(overrides: Partial<ContractImpl<typeof testContract>['math']> = {}) {
  const calls = { slowAborted: false, teardowns: 0, internalErrors: [] as unknown[] };
  const emitters = new Set<(n: number) => void>();
  const impl: ContractImpl<typeof testContract> = {
    math: {
      add: (_ctx, a, b) => a + b,
      slow: (ctx) =>
        new Promise<string>((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            calls.slowAborted = true;
            resolve('too late');
          });
        }),
      broken: () => {
        throw new Error('kaboom with a secret path /home/x');
      },
      ticks: (ctx, step) => {
        const emit = (n: number) => ctx.emit(n * step);
        emitters.add(emit);
        return () => {
          emitters.delete(emit);
          calls.teardowns++;
        };
      },
      ...overrides,
    },
  };
  const pipe = memoryPipe();
  const server = serveRpc(testContract, impl, pipe.server, {
    onInternalError: (e) => calls.internalErrors.push(e),
  });
  const rpc = new RpcClient(pipe.client);
  const client = createContractClient(testContract, rpc);
  const tick = (n: number) => emitters.forEach((e) => e(n));
  return { pipe, server, rpc, client, calls, tick, emitters };
}

describe('RPC over an in-memory transport', () => {
  it('calls a method and returns its result', async () => {
    const { client } = setup();
    await expect(client.math.add(2, 3)).resolves.toBe(5);
  });

  it('checks arguments on the host side', async () => {
    const { rpc } = setup();
    const err = await rpc.call('math.add', [2, 'three'], {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EddyError);
    expect((err as EddyError).code).toBe('INVALID_ARGUMENT');
    expect((err as EddyError).detail).toContain('args[1]');
    await expect(rpc.call('math.add', [1], {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses members that are not in the contract', async () => {
    const { rpc } = setup();
    for (const path of ['math.subtract', 'math.constructor', 'math.ticks'])
      await expect(rpc.call(path, [], {}), path).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
  });

  it('hides internal errors behind INTERNAL and reports them to the host', async () => {
    const { client, calls } = setup();
    const err = (await client.math.broken().catch((e: unknown) => e)) as EddyError;
    expect(err.code).toBe('INTERNAL');
    expect(err.message).not.toContain('secret');
    expect(calls.internalErrors).toHaveLength(1);
  });

  it('cancels a call: the caller gets CANCELLED and the host sees its signal abort', async () => {
    const { client, calls } = setup();
    const controller = new AbortController();
    const pending = client.math.slow({ signal: controller.signal });
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    await vi.waitFor(() => expect(calls.slowAborted).toBe(true));
  });

  it('streams events to a subscriber until it unsubscribes', async () => {
    const { client, calls, tick, emitters } = setup();
    const seen: number[] = [];
    const unsubscribe = client.math.ticks((n) => seen.push(n), 10);
    await vi.waitFor(() => expect(emitters.size).toBe(1));
    tick(1);
    tick(2);
    await vi.waitFor(() => expect(seen).toEqual([10, 20]));
    unsubscribe();
    await vi.waitFor(() => expect(calls.teardowns).toBe(1));
    tick(3);
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([10, 20]);
  });

  it('rejects a stream with bad arguments through its error callback', async () => {
    const { client } = setup();
    const error = vi.fn();
    client.math.ticks({ next: () => undefined, error }, 99);
    await vi.waitFor(() => expect(error).toHaveBeenCalledOnce());
  });

  it('fails pending calls when the link drops, and resubscribes streams when it returns', async () => {
    const { pipe, client, emitters, tick } = setup();
    const seen: number[] = [];
    client.math.ticks((n) => seen.push(n), 1);
    await vi.waitFor(() => expect(emitters.size).toBe(1));
    const pending = client.math.slow();
    await new Promise((r) => setTimeout(r, 5));
    pipe.setState('closed');
    await expect(pending).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE', retriable: true });
    // The host ended the connection's streams; a new connection gets a new server side.
    await vi.waitFor(() => expect(emitters.size).toBe(0));
    await expect(client.math.add(1, 1)).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' });
    pipe.setState('open');
    serveRpc(testContract, setupImplFor(emitters), pipe.server);
    await vi.waitFor(() => expect(emitters.size).toBe(1));
    tick(7);
    await vi.waitFor(() => expect(seen).toEqual([7]));
  });

  it('drops a peer that sends a malformed envelope', async () => {
    const { pipe, calls } = setup();
    const closed = vi.fn();
    pipe.server.onClose(closed);
    pipe.client.send({ type: 'call', id: 1, path: 'math.add', args: [1, 2], extra: true } as never);
    await vi.waitFor(() => expect(closed).toHaveBeenCalled());
    expect(calls.internalErrors).toHaveLength(0);
  });

  it('limits what one connection may have in flight', async () => {
    const pipe = memoryPipe();
    const never = () => new Promise<string>(() => undefined);
    serveRpc(
      testContract,
      { math: { add: (_c, a, b) => a + b, slow: never, broken: () => undefined, ticks: () => undefined } },
      pipe.server,
      { maxInFlight: 2 },
    );
    const client = createContractClient(testContract, new RpcClient(pipe.client));
    void client.math.slow();
    void client.math.slow();
    await expect(client.math.slow()).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

/** The ticks stream alone, feeding the same emitter set (used after a reconnect). */
function setupImplFor(emitters: Set<(n: number) => void>): ContractImpl<typeof testContract> {
  return {
    math: {
      add: (_c, a, b) => a + b,
      slow: () => 'fast',
      broken: () => undefined,
      ticks: (ctx, step) => {
        const emit = (n: number) => ctx.emit(n * step);
        emitters.add(emit);
        return () => emitters.delete(emit);
      },
    },
  };
}

describe('the Eddy contract end to end over RPC', () => {
  it('describes the cluster and streams changes', async () => {
    const engine = fakeEngine();
    const client = createContractClient(eddyContract, new RpcClient(engine.pipe.client));
    await expect(client.cluster.describe()).resolves.toEqual(clusterDescription());
    const seen: string[][] = [];
    client.cluster.onChange((d) => seen.push(d.topics.map((t) => t.name)));
    await vi.waitFor(() => expect(seen).toEqual([['orders']]));
    engine.set(
      clusterDescription({
        topics: [
          ...clusterDescription().topics,
          { name: 'payments', partitions: 1, replicationFactor: 3, internal: false },
        ],
      }),
    );
    await vi.waitFor(() => expect(seen).toEqual([['orders'], ['orders', 'payments']]));
  });
});
