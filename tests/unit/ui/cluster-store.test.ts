import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from 'vue';
import { apiOverTransport, EDDY_API, type EddyApi } from '../../../src/renderer/api/index.js';
import { useClusterStore } from '../../../src/renderer/stores/cluster.js';
import { memoryPipe } from '../../../src/shared/rpc/transports/memory.js';
import { clusterDescription, fakeEngine, type FakeEngine } from './fake-engine.js';

/** A fresh app and pinia per test, with the API provided as main.ts does. */
function storeWith(api: EddyApi) {
  const app = createApp({});
  const pinia = createPinia();
  app.use(pinia);
  app.provide(EDDY_API, api);
  setActivePinia(pinia);
  return app.runWithContext(() => useClusterStore());
}

describe('useClusterStore', () => {
  let engine: FakeEngine;
  let store: ReturnType<typeof useClusterStore>;

  beforeEach(() => {
    engine = fakeEngine();
    store = storeWith(apiOverTransport(engine.pipe.client, 'browser'));
  });

  it('is connecting until the first description arrives, then live', async () => {
    expect(store.status).toBe('connecting');
    expect(store.description).toBeNull();
    store.follow();
    await vi.waitFor(() => expect(store.status).toBe('live'));
    expect(store.description?.clusterId).toBe('test-cluster-id');
    expect(store.brokersUp).toBe(2);
    expect(store.bootstrap).toBe('127.0.0.1:9092,127.0.0.1:9093');
  });

  it('follows changes without being asked again', async () => {
    store.follow();
    store.follow(); // idempotent: still one stream
    await vi.waitFor(() => expect(store.status).toBe('live'));
    expect(engine.subscribers()).toBe(1);
    engine.set(
      clusterDescription({
        controllerId: 2,
        brokers: clusterDescription().brokers.map((b) => ({ ...b, up: b.id === 2 })),
      }),
    );
    await vi.waitFor(() => expect(store.description?.controllerId).toBe(2));
    expect(store.brokersUp).toBe(1);
    expect(store.updatedAt).toBeTypeOf('number');
  });

  it('says unreachable when the link drops and is live again after it returns', async () => {
    store.follow();
    await vi.waitFor(() => expect(store.status).toBe('live'));
    engine.pipe.setState('closed');
    expect(store.status).toBe('unreachable');
    engine.pipe.setState('connecting'); // a retry is still unreachable until it opens
    expect(store.status).toBe('unreachable');
    engine.reconnect();
    await vi.waitFor(() => expect(store.status).toBe('live'));
    await vi.waitFor(() => expect(engine.subscribers()).toBe(1));
  });

  it('shows the engine error when the stream fails, and retries on request', async () => {
    store.follow();
    await vi.waitFor(() => expect(store.status).toBe('live'));
    engine.fail('ENGINE_NOT_RUNNING');
    await vi.waitFor(() => expect(store.status).toBe('failed'));
    expect(store.errorCode).toBe('ENGINE_NOT_RUNNING');
    store.retry();
    await vi.waitFor(() => expect(store.status).toBe('live'));
    expect(store.errorCode).toBeNull();
  });

  it('stops the stream on unfollow', async () => {
    store.follow();
    await vi.waitFor(() => expect(engine.subscribers()).toBe(1));
    store.unfollow();
    await vi.waitFor(() => expect(engine.subscribers()).toBe(0));
  });

  it('is unreachable with UNAUTHORIZED when the page has no access token', () => {
    const pipe = memoryPipe('closed');
    const locked = storeWith(apiOverTransport(pipe.client, 'browser', true));
    locked.follow();
    expect(locked.status).toBe('unreachable');
    expect(locked.errorCode).toBe('UNAUTHORIZED');
  });
});
