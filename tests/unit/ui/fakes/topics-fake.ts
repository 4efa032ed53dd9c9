// A stand-in for the host behind the topics views: the cluster, the active connection, the topics
// service and the groups list, with state the test changes at will and a log of every call, served
// over a real RpcClient/serveRpc pair on an in-memory pipe (argument schemas included).
import type {
  ActiveConnection,
  ClusterDescription,
  ConfigEntryView,
  EddyServices,
  GroupDetail,
  GroupRow,
  ReplicaFiles,
  StreamContext,
  TopicDetail,
  TopicRow,
} from '../../../../src/shared/contract/index.js';
import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import type { Component } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { apiOverTransport, EDDY_API } from '../../../../src/renderer/api/index.js';
import { createEddyI18n, type Locale } from '../../../../src/renderer/i18n/index.js';
import { eddyContract } from '../../../../src/shared/contract/index.js';
import { EddyError } from '../../../../src/shared/errors.js';
import { serveRpc } from '../../../../src/shared/rpc/server.js';
import { memoryPipe, type MemoryPipe } from '../../../../src/shared/rpc/transports/memory.js';
import { clusterDescription } from '../fake-engine.js';

export function topicRow(name: string, overrides: Partial<TopicRow> = {}): TopicRow {
  return {
    name,
    internal: false,
    partitions: 3,
    replicationFactor: 2,
    records: 0,
    sizeBytes: 0,
    underReplicatedPartitions: 0,
    offlinePartitions: 0,
    ...overrides,
  };
}

export function topicDetail(name: string, overrides: Partial<TopicDetail> = {}): TopicDetail {
  return {
    name,
    topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
    internal: false,
    brokerIds: [1, 2, 3],
    brokersDown: [],
    partitions: [0, 1, 2].map((partition) => ({
      partition,
      leader: partition + 1,
      leaderEpoch: 0,
      replicas: [partition + 1, ((partition + 1) % 3) + 1],
      isr: [partition + 1, ((partition + 1) % 3) + 1],
      offlineReplicas: [],
      logStartOffset: 0,
      logEndOffset: 10 * (partition + 1),
      highWatermark: 10 * (partition + 1),
      sizeBytes: 1024 * (partition + 1),
    })),
    ...overrides,
  };
}

export function configEntry(name: string, overrides: Partial<ConfigEntryView> = {}): ConfigEntryView {
  return {
    name,
    value: null,
    source: 'DEFAULT_CONFIG',
    isDefault: true,
    readOnly: false,
    sensitive: false,
    type: 'STRING',
    documentation: `About ${name}.`,
    ...overrides,
  };
}

export const DEFAULT_CONFIGS: ConfigEntryView[] = [
  configEntry('cleanup.policy', { value: 'delete', type: 'LIST' }),
  configEntry('retention.ms', { value: '604800000', type: 'LONG' }),
  configEntry('min.insync.replicas', { value: '1', type: 'INT' }),
  configEntry('unclean.leader.election.enable', { value: 'false', type: 'BOOLEAN' }),
  configEntry('min.cleanable.dirty.ratio', { value: '0.5', type: 'DOUBLE' }),
];

export function activeConnection(kind: 'embedded' | 'external'): ActiveConnection {
  const embedded = kind === 'embedded';
  return {
    id: embedded ? 'embedded' : 'lab',
    name: embedded ? 'Embedded cluster' : 'Lab',
    kind,
    bootstrap: '127.0.0.1:9092',
    capabilities: { brokerLifecycle: embedded, files: embedded, timeline: embedded },
    state: 'connected',
    message: null,
  };
}

type Call = { member: string; args: unknown[] };

interface Emitter<E> {
  ctx: Set<StreamContext<E>>;
}

export interface TopicsFake {
  pipe: MemoryPipe;
  calls: Call[];
  callsTo(member: string): unknown[][];
  setTopics(rows: TopicRow[]): void;
  /** Ends every `onTopics` stream with this error, as a failing host would. */
  failTopics(error: EddyError): void;
  setTopic(detail: TopicDetail): void;
  setGroups(rows: GroupRow[]): void;
  setGroup(detail: GroupDetail): void;
  setActive(active: ActiveConnection): void;
  /** The next call to `member` fails with this error (once). */
  failNext(member: string, error: EddyError): void;
  configs: ConfigEntryView[];
  files: ReplicaFiles[];
}

function emitter<E>(): Emitter<E> {
  return { ctx: new Set() };
}

export function topicsFake(
  options: {
    cluster?: ClusterDescription;
    topics?: TopicRow[];
    details?: TopicDetail[];
    groups?: GroupRow[];
    groupDetails?: GroupDetail[];
    active?: ActiveConnection;
  } = {},
): TopicsFake {
  const cluster = options.cluster ?? clusterDescription();
  let topics = options.topics ?? [];
  const details = new Map((options.details ?? []).map((d) => [d.name, d]));
  let groups = options.groups ?? [];
  const groupDetails = new Map((options.groupDetails ?? []).map((d) => [d.groupId, d]));
  let active = options.active ?? activeConnection('embedded');
  const calls: Call[] = [];
  const failures = new Map<string, EddyError>();

  const topicsStream = emitter<TopicRow[]>();
  const topicStreams = new Map<string, Emitter<TopicDetail>>();
  const groupsStream = emitter<GroupRow[]>();
  const groupStreams = new Map<string, Emitter<GroupDetail>>();
  const activeStream = emitter<ActiveConnection>();

  const record = (member: string, args: unknown[]) => {
    calls.push({ member, args });
    const failure = failures.get(member);
    if (failure) {
      failures.delete(member);
      throw failure;
    }
  };

  function follow<E>(stream: Emitter<E>, ctx: StreamContext<E>, first: E | undefined) {
    stream.ctx.add(ctx);
    if (first !== undefined) ctx.emit(first);
    return () => stream.ctx.delete(ctx);
  }

  const fake: TopicsFake = {
    pipe: memoryPipe(),
    calls,
    callsTo: (member) => calls.filter((c) => c.member === member).map((c) => c.args),
    setTopics(rows) {
      topics = rows;
      for (const ctx of topicsStream.ctx) ctx.emit(rows);
    },
    failTopics(error) {
      for (const ctx of [...topicsStream.ctx]) {
        topicsStream.ctx.delete(ctx);
        ctx.end(error);
      }
    },
    setTopic(detail) {
      details.set(detail.name, detail);
      for (const ctx of topicStreams.get(detail.name)?.ctx ?? []) ctx.emit(detail);
    },
    setGroups(rows) {
      groups = rows;
      for (const ctx of groupsStream.ctx) ctx.emit(rows);
    },
    setGroup(detail) {
      groupDetails.set(detail.groupId, detail);
      for (const ctx of groupStreams.get(detail.groupId)?.ctx ?? []) ctx.emit(detail);
    },
    setActive(next) {
      active = next;
      for (const ctx of activeStream.ctx) ctx.emit(next);
    },
    failNext(member, error) {
      failures.set(member, error);
    },
    configs: [],
    files: [],
  };

  const unknown = new Proxy({} as object, {
    get: () => () => {
      throw new EddyError('UNKNOWN_METHOD');
    },
  });

  const notHere = () => {
    throw new EddyError('UNKNOWN_METHOD');
  };

  const services = {
    brokers: unknown,
    producer: unknown,
    messages: unknown,
    settings: unknown,
    cluster: {
      describe: () => cluster,
      onChange: (ctx: StreamContext<ClusterDescription>) => {
        ctx.emit(cluster);
        return () => undefined;
      },
    },
    connections: {
      onActive: (ctx: StreamContext<ActiveConnection>) => follow(activeStream, ctx, active),
    },
    topics: {
      onTopics: (ctx: StreamContext<TopicRow[]>) => follow(topicsStream, ctx, topics),
      onTopic: (ctx: StreamContext<TopicDetail>, name: string) => {
        record('onTopic', [name]);
        const detail = details.get(name);
        if (!detail) {
          ctx.end(new EddyError('NOT_FOUND'));
          return;
        }
        const stream = topicStreams.get(name) ?? emitter<TopicDetail>();
        topicStreams.set(name, stream);
        return follow(stream, ctx, detail);
      },
      create: (_ctx: unknown, ...args: unknown[]) => record('create', args),
      validateCreate: (_ctx: unknown, ...args: unknown[]) => record('validateCreate', args),
      delete: (_ctx: unknown, ...args: unknown[]) => record('delete', args),
      purge: (_ctx: unknown, ...args: unknown[]) => record('purge', args),
      addPartitions: (_ctx: unknown, ...args: unknown[]) => record('addPartitions', args),
      alterConfigs: (_ctx: unknown, ...args: unknown[]) => record('alterConfigs', args),
      configs: (_ctx: unknown, ...args: unknown[]) => {
        record('configs', args);
        return fake.configs;
      },
      configDefaults: (_ctx: unknown, ...args: unknown[]) => {
        record('configDefaults', args);
        return DEFAULT_CONFIGS;
      },
      files: (_ctx: unknown, ...args: unknown[]) => {
        record('files', args);
        const partition = args[1];
        return fake.files.filter(
          (replica) => partition === undefined || partition === null || replica.partition === partition,
        );
      },
    },
    groups: {
      onGroups: (ctx: StreamContext<GroupRow[]>) => follow(groupsStream, ctx, groups),
      onGroup: (ctx: StreamContext<GroupDetail>, groupId: string) => {
        const stream = groupStreams.get(groupId) ?? emitter<GroupDetail>();
        groupStreams.set(groupId, stream);
        return follow(stream, ctx, groupDetails.get(groupId));
      },
      onLag: notHere,
      previewReset: notHere,
      reset: notHere,
      delete: notHere,
      deleteOffsets: notHere,
    },
  } as unknown as EddyServices;

  serveRpc(eddyContract, services, fake.pipe.server);
  return fake;
}

/** Mounts a view over the fake with a fresh pinia, the app's i18n and an in-memory router. */
export function mountOverFake<C extends Component>(
  component: C,
  fake: TopicsFake,
  options: { props?: Record<string, unknown>; locale?: Locale; path?: string } = {},
) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/topics', name: 'topics', component: { render: () => null } },
      { path: '/topics/:name', name: 'topic', component: { render: () => null } },
      { path: '/groups/:groupId', name: 'group', component: { render: () => null } },
      { path: '/browse', name: 'browse', component: { render: () => null } },
      { path: '/:rest(.*)*', component: { render: () => null } },
    ],
  });
  void router.push(options.path ?? '/topics');
  const api = apiOverTransport(fake.pipe.client, 'desktop');
  const wrapper = mount(component as Component, {
    props: options.props ?? {},
    attachTo: document.body,
    global: {
      plugins: [createPinia(), createEddyI18n(options.locale ?? 'en'), router],
      provide: { [EDDY_API as symbol]: api },
    },
  });
  return { wrapper, router, api };
}
