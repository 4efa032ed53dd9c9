// A stand-in for the host behind the message browser: the cluster (from fake-engine.ts) plus a
// messages service whose browse streams the test feeds batch by batch, served over a real
// RpcClient/serveRpc pair on an in-memory pipe (argument schemas checked as in production).
import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import type { Component } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { apiOverTransport, EDDY_API, type EddyApi } from '../../../../src/renderer/api/index.js';
import { createEddyI18n, type Locale } from '../../../../src/renderer/i18n/index.js';
import type {
  BrowseBatch,
  MessageRow,
  StreamContext,
  WireBytes,
} from '../../../../src/shared/contract/index.js';
import { bytesToBase64 } from '../../../../src/renderer/decode/bytes.js';
import type { BrowseQuery } from '../../../../src/renderer/decode/query.js';
import { clusterDescription, fakeEngine, type FakeEngine } from '../fake-engine.js';

const encoder = new TextEncoder();

/** Bytes as the host sends them; `previewBytes` cuts them as a long value's preview. */
export function wireBytes(content: string | Uint8Array, previewBytes?: number): WireBytes {
  const bytes = typeof content === 'string' ? encoder.encode(content) : content;
  const shown =
    previewBytes !== undefined && bytes.length > previewBytes ? bytes.subarray(0, previewBytes) : bytes;
  return { base64: bytesToBase64(shown), size: bytes.length, truncated: shown.length < bytes.length };
}

export function messageRow(
  partition: number,
  offset: number,
  overrides: Partial<MessageRow> = {},
): MessageRow {
  return {
    partition,
    offset,
    timestamp: Date.UTC(2026, 10, 25, 12, 0, 0) + offset,
    timestampType: 'CreateTime',
    key: wireBytes(`key-${offset}`),
    value: wireBytes(JSON.stringify({ id: offset, partition })),
    headers: [],
    compression: 'none',
    match: null,
    ...overrides,
  };
}

export function browseBatch(
  rows: MessageRow[],
  progress: Partial<BrowseBatch['progress']> = {},
  error: string | null = null,
): BrowseBatch {
  return {
    rows,
    progress: {
      scannedRecords: rows.length,
      scannedBytes: rows.length * 100,
      matched: rows.length,
      caughtUp: false,
      done: false,
      ...progress,
    },
    error,
  };
}

export interface MessagesFake {
  engine: FakeEngine;
  api: EddyApi;
  /** Every query the host was asked, in order. */
  queries: BrowseQuery[];
  /** Browse streams open now. */
  open(): number;
  /** Sends a batch to the newest open stream. */
  emit(batch: BrowseBatch): void;
  /** Ends the newest stream with an error (as a failing host would). */
  fail(error: Error): void;
  /** `messages.value` calls, and what they answer. */
  valueCalls: { topic: string; partition: number; offset: number; field: 'key' | 'value' }[];
  answerValue: (call: MessagesFake['valueCalls'][number]) => WireBytes | null | Promise<WireBytes | null>;
}

export function messagesFake(): MessagesFake {
  const engine = fakeEngine(
    clusterDescription({
      topics: [
        { name: 'orders', partitions: 3, replicationFactor: 2, internal: false },
        { name: 'payments', partitions: 6, replicationFactor: 3, internal: false },
      ],
    }),
  );
  const streams: StreamContext<BrowseBatch>[] = [];
  const fake: MessagesFake = {
    engine,
    api: apiOverTransport(engine.pipe.client, 'desktop'),
    queries: [],
    open: () => streams.length,
    emit(batch) {
      const ctx = streams.at(-1);
      if (!ctx) throw new Error('no browse stream is open');
      ctx.emit(batch);
    },
    fail(error) {
      const ctx = streams.at(-1);
      if (!ctx) throw new Error('no browse stream is open');
      ctx.end(error);
    },
    valueCalls: [],
    answerValue: () => null,
  };
  // The server looks services up per call, so the messages service can be put in after serveRpc.
  (engine.services as unknown as Record<string, unknown>).messages = {
    onBrowse(ctx: StreamContext<BrowseBatch>, query: BrowseQuery) {
      fake.queries.push(query);
      streams.push(ctx);
      const forget = () => {
        const i = streams.indexOf(ctx);
        if (i >= 0) streams.splice(i, 1);
      };
      ctx.signal.addEventListener('abort', forget);
      return forget;
    },
    value(_ctx: unknown, topic: string, partition: number, offset: number, field: 'key' | 'value') {
      const call = { topic, partition, offset, field };
      fake.valueCalls.push(call);
      return fake.answerValue(call);
    },
  };
  return fake;
}

/** Mounts a component with a fresh pinia, i18n, a memory router at `path`, and the fake's API. */
export async function mountWithFake(
  component: Component,
  fake: MessagesFake,
  path = '/browse',
  locale: Locale = 'en',
) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/browse', component },
      { path: '/:rest(.*)*', component },
    ],
  });
  await router.push(path);
  await router.isReady();
  const wrapper = mount(component, {
    attachTo: document.body,
    global: {
      plugins: [createPinia(), createEddyI18n(locale), router],
      provide: { [EDDY_API as symbol]: fake.api },
    },
  });
  return { wrapper, router };
}
