// A stand-in for the host behind the shell, the Cluster view and Settings: cluster, connections,
// brokers (snapshots, lifecycle, timeline), settings and the groups list, with state the test
// changes at will and a log of every call, served over a real RpcClient/serveRpc pair on an
// in-memory pipe (argument schemas included).
import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { defineComponent, h, type Component } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { apiOverTransport, EDDY_API, type EddyApi } from '../../../../src/renderer/api/index.js';
import { createEddyI18n, type Locale } from '../../../../src/renderer/i18n/index.js';
import {
  eddyContract,
  type ActiveConnection,
  type BrokersSnapshot,
  type BrokerView,
  type ClusterDescription,
  type ConnectionProfileView,
  type ConnectionTestResult,
  type EddyServices,
  type EngineSettingsView,
  type GroupRow,
  type StreamContext,
  type TimelineBatch,
  type TimelineEvent,
} from '../../../../src/shared/contract/index.js';
import { EddyError } from '../../../../src/shared/errors.js';
import { serveRpc } from '../../../../src/shared/rpc/server.js';
import { memoryPipe, type MemoryPipe } from '../../../../src/shared/rpc/transports/memory.js';
import { clusterDescription } from '../fake-engine.js';

export function brokerView(id: number, overrides: Partial<BrokerView> = {}): BrokerView {
  return {
    id,
    host: '127.0.0.1',
    port: 9091 + id,
    rack: null,
    up: true,
    running: true,
    controller: id === 1,
    leaders: 2,
    replicas: 4,
    diskBytes: 1536,
    bytesInPerSec: 2048,
    bytesOutPerSec: 1024,
    connections: 3,
    ...overrides,
  };
}

export function brokersSnapshot(
  brokers: BrokerView[],
  overrides: Partial<BrokersSnapshot> = {},
): BrokersSnapshot {
  return {
    at: 1_764_000_000_000,
    brokers,
    bytesInPerSec: brokers.reduce((sum, b) => sum + (b.bytesInPerSec ?? 0), 0),
    bytesOutPerSec: brokers.reduce((sum, b) => sum + (b.bytesOutPerSec ?? 0), 0),
    ...overrides,
  };
}

export const EMBEDDED_ACTIVE: ActiveConnection = {
  id: 'embedded',
  name: 'Embedded cluster',
  kind: 'embedded',
  bootstrap: '127.0.0.1:9092,127.0.0.1:9093',
  capabilities: { brokerLifecycle: true, files: true, timeline: true },
  state: 'connected',
  message: null,
};

export function engineSettings(overrides: Partial<EngineSettingsView> = {}): EngineSettingsView {
  return {
    current: { brokers: 3, basePort: 9092, dataDir: '/home/ola/.eddy/data', retentionMs: 604_800_000 },
    editable: true,
    version: '0.1.0',
    shell: 'desktop',
    ...overrides,
  };
}

type Call = { member: string; args: unknown[] };

export interface ShellFake {
  pipe: MemoryPipe;
  api: EddyApi;
  calls: Call[];
  callsTo(member: string): unknown[][];
  setCluster(next: ClusterDescription): void;
  setActive(next: ActiveConnection): void;
  setBrokers(next: BrokersSnapshot): void;
  pushTimeline(events: TimelineEvent[]): void;
  /** Next lifecycle call fails with this error (once). */
  failNextLifecycle(error: EddyError): void;
  /** Lifecycle calls wait until `release()` is called. */
  holdLifecycle(): { release(): void };
  profiles: ConnectionProfileView[];
  testResult: ConnectionTestResult;
  settings: EngineSettingsView;
  groups: GroupRow[];
}

export interface ShellFakeOptions {
  cluster?: ClusterDescription;
  active?: ActiveConnection | null;
  brokers?: BrokersSnapshot | null;
  timeline?: TimelineEvent[];
  /** Services the host does not offer (answer UNKNOWN_METHOD), e.g. ['connections']. */
  missing?: string[];
}

export function shellFake(options: ShellFakeOptions = {}): ShellFake {
  let cluster = options.cluster ?? clusterDescription();
  let active = options.active === undefined ? EMBEDDED_ACTIVE : options.active;
  let brokers =
    options.brokers === undefined
      ? brokersSnapshot([
          brokerView(1),
          brokerView(2),
          brokerView(3, { up: false, running: false, leaders: 0 }),
        ])
      : options.brokers;
  const timeline = [...(options.timeline ?? [])];
  const calls: Call[] = [];
  const clusterStreams = new Set<StreamContext<ClusterDescription>>();
  const activeStreams = new Set<StreamContext<ActiveConnection>>();
  const brokerStreams = new Set<StreamContext<BrokersSnapshot>>();
  const timelineStreams = new Set<StreamContext<TimelineBatch>>();
  let nextLifecycleError: EddyError | null = null;
  let hold: Promise<void> | null = null;

  const log = (member: string, args: unknown[]) => calls.push({ member, args });
  const fake: ShellFake = {
    pipe: memoryPipe(),
    api: undefined as unknown as EddyApi,
    calls,
    callsTo: (member) => calls.filter((c) => c.member === member).map((c) => c.args),
    setCluster(next) {
      cluster = next;
      for (const s of clusterStreams) s.emit(next);
    },
    setActive(next) {
      active = next;
      for (const s of activeStreams) s.emit(next);
    },
    setBrokers(next) {
      brokers = next;
      for (const s of brokerStreams) s.emit(next);
    },
    pushTimeline(events) {
      timeline.push(...events);
      for (const s of timelineStreams) s.emit({ history: false, events });
    },
    failNextLifecycle(error) {
      nextLifecycleError = error;
    },
    holdLifecycle() {
      let release!: () => void;
      hold = new Promise<void>((resolve) => (release = resolve));
      return {
        release: () => {
          hold = null;
          release();
        },
      };
    },
    profiles: [],
    testResult: { ok: true, clusterId: 'ext-cluster', brokers: 3, message: null },
    settings: engineSettings(),
    groups: [],
  };

  const lifecycle = (member: string) => async (_ctx: unknown, id: number) => {
    log(member, [id]);
    if (hold) await hold;
    const error = nextLifecycleError;
    nextLifecycleError = null;
    if (error) throw error;
  };

  const services = {
    cluster: {
      describe: () => cluster,
      onChange(ctx: StreamContext<ClusterDescription>) {
        clusterStreams.add(ctx);
        ctx.emit(cluster);
        return () => clusterStreams.delete(ctx);
      },
    },
    connections: {
      list: () => fake.profiles,
      save(_ctx: unknown, profile: Record<string, unknown>) {
        log('connections.save', [profile]);
        const sasl = profile.sasl as { mechanism: 'PLAIN'; username: string; password: string } | null;
        const view: ConnectionProfileView = {
          id: (profile.id as string | undefined) ?? `p-${fake.profiles.length + 1}`,
          name: profile.name as string,
          bootstrap: profile.bootstrap as string,
          sasl: sasl
            ? { mechanism: sasl.mechanism, username: sasl.username, hasPassword: sasl.password !== '' }
            : null,
          tls: profile.tls as ConnectionProfileView['tls'],
        };
        fake.profiles = [...fake.profiles.filter((p) => p.id !== view.id), view];
        return view;
      },
      remove(_ctx: unknown, id: string) {
        log('connections.remove', [id]);
        fake.profiles = fake.profiles.filter((p) => p.id !== id);
      },
      test(_ctx: unknown, profile: unknown) {
        log('connections.test', [profile]);
        return fake.testResult;
      },
      activate(_ctx: unknown, id: string) {
        log('connections.activate', [id]);
        const profile = fake.profiles.find((p) => p.id === id);
        const next: ActiveConnection = profile
          ? {
              id,
              name: profile.name,
              kind: 'external',
              bootstrap: profile.bootstrap,
              capabilities: { brokerLifecycle: false, files: false, timeline: false },
              state: 'connected',
              message: null,
            }
          : EMBEDDED_ACTIVE;
        fake.setActive(next);
        return next;
      },
      onActive(ctx: StreamContext<ActiveConnection>) {
        activeStreams.add(ctx);
        if (active) ctx.emit(active);
        return () => activeStreams.delete(ctx);
      },
    },
    brokers: {
      onBrokers(ctx: StreamContext<BrokersSnapshot>) {
        brokerStreams.add(ctx);
        if (brokers) ctx.emit(brokers);
        return () => brokerStreams.delete(ctx);
      },
      stop: lifecycle('brokers.stop'),
      kill: lifecycle('brokers.kill'),
      start: lifecycle('brokers.start'),
      onTimeline(ctx: StreamContext<TimelineBatch>, args: { limit: number }) {
        log('brokers.onTimeline', [args]);
        timelineStreams.add(ctx);
        ctx.emit({ history: true, events: timeline.slice(-args.limit) });
        return () => timelineStreams.delete(ctx);
      },
    },
    settings: {
      get: () => fake.settings,
      apply(_ctx: unknown, next: EngineSettingsView['current']) {
        log('settings.apply', [next]);
        fake.settings = { ...fake.settings, current: next };
        return fake.settings;
      },
    },
    groups: {
      onGroups(ctx: StreamContext<GroupRow[]>) {
        ctx.emit(fake.groups);
      },
    },
  } as Record<string, unknown>;
  const unknown = new Proxy({} as object, {
    get: () => () => {
      throw new EddyError('UNKNOWN_METHOD');
    },
  });
  for (const name of Object.keys(eddyContract)) {
    if (!services[name] || options.missing?.includes(name)) services[name] = unknown;
  }
  serveRpc(eddyContract, services as unknown as EddyServices, fake.pipe.server);
  fake.api = apiOverTransport(fake.pipe.client, 'desktop');
  return fake;
}

const stubView = (name: string) =>
  defineComponent({ name, render: () => h('section', { 'data-test': `view-${name}` }) });

/** The app's routes with the other helpers' views stubbed (their own tests cover them). */
export function testRouter(views: Partial<Record<string, Component>> = {}): Router {
  const view = (name: string) => views[name] ?? stubView(name);
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', redirect: '/cluster' },
      { path: '/cluster', name: 'cluster', component: view('cluster') },
      { path: '/topics', name: 'topics', component: view('topics') },
      { path: '/topics/:name', name: 'topic', component: view('topic') },
      { path: '/groups', name: 'groups', component: view('groups') },
      { path: '/groups/:groupId', name: 'group', component: view('group') },
      { path: '/produce', name: 'produce', component: view('produce') },
      { path: '/browse', name: 'browse', component: view('browse') },
      { path: '/settings', name: 'settings', component: view('settings') },
    ],
  });
}

export async function mountWith(
  component: Component,
  fake: ShellFake,
  options: { locale?: Locale; router?: Router; path?: string; attachTo?: HTMLElement } = {},
) {
  const router = options.router ?? testRouter();
  await router.push(options.path ?? '/cluster');
  await router.isReady();
  const wrapper = mount(component, {
    attachTo: options.attachTo,
    global: {
      plugins: [createPinia(), createEddyI18n(options.locale ?? 'en'), router],
      provide: { [EDDY_API as symbol]: fake.api },
    },
  });
  return { wrapper, router };
}

/** The <input> (or <textarea>) behind an Element Plus field with this data-test. */
export function field(
  wrapper: { find(selector: string): import('@vue/test-utils').DOMWrapper<Element> },
  test: string,
) {
  const el = wrapper.find(`[data-test=${test}]`);
  if (el.exists() && ['INPUT', 'TEXTAREA'].includes(el.element.tagName)) return el;
  const inner = wrapper.find(`[data-test=${test}] input, [data-test=${test}] textarea`);
  return inner.exists() ? inner : el;
}
