/**
 * What Eddy sees of an external cluster: one Metadata request every 2 s while the cluster is the
 * active one. It keeps the latest answer (brokers, controller, topics with leaders and ISRs), the
 * brokers seen since connecting (a broker that left the metadata shows as down), and the events it
 * derives by comparing two answers (broker up/down, topics created/deleted, partitions added,
 * leader, ISR and replica changes) — the external cluster's timeline, since Eddy connected.
 */
import { EventEmitter } from 'node:events';
import { Admin, type BrokerInfo, type TopicInfo } from '../../engine/client/index.js';
import type { ClusterDescription, TimelineEvent } from '../../shared/contract/index.js';
import type { ClusterLink } from './link.js';

export const EXTERNAL_POLL_MS = 2000;
/** Events kept for the timeline's history. */
const EVENT_CAPACITY = 10_000;

export interface ExternalSnapshot {
  at: number;
  clusterId: string;
  controllerId: number;
  /** Brokers in the latest metadata (alive and unfenced). */
  brokers: BrokerInfo[];
  topics: TopicInfo[];
}

type TimelineEventBody = TimelineEvent extends infer E ? (E extends unknown ? Omit<E, 'seq'> : never) : never;

const sameList = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

/** Events that turn snapshot `before` into `after`. */
export function diffSnapshots(before: ExternalSnapshot, after: ExternalSnapshot): TimelineEventBody[] {
  const at = after.at;
  const out: TimelineEventBody[] = [];
  const oldBrokers = new Map(before.brokers.map((b) => [b.nodeId, b]));
  const newBrokers = new Map(after.brokers.map((b) => [b.nodeId, b]));
  for (const b of after.brokers)
    if (!oldBrokers.has(b.nodeId))
      out.push({ type: 'broker-up', at, brokerId: b.nodeId, host: b.host, port: b.port });
  for (const b of before.brokers)
    if (!newBrokers.has(b.nodeId)) out.push({ type: 'broker-down', at, brokerId: b.nodeId });
  const oldTopics = new Map(before.topics.map((t) => [t.name, t]));
  const newTopics = new Map(after.topics.map((t) => [t.name, t]));
  for (const t of after.topics) {
    const old = oldTopics.get(t.name);
    if (!old) {
      out.push({
        type: 'topic-created',
        at,
        topic: t.name,
        partitions: t.partitions.length,
        replicationFactor: t.partitions[0]?.replicas.length ?? 0,
      });
      continue;
    }
    if (t.partitions.length > old.partitions.length)
      out.push({ type: 'partitions-added', at, topic: t.name, partitions: t.partitions.length });
    const oldParts = new Map(old.partitions.map((p) => [p.partition, p]));
    for (const p of t.partitions) {
      const o = oldParts.get(p.partition);
      if (!o) continue;
      if (o.leader !== p.leader)
        out.push({
          type: 'leader-changed',
          at,
          topic: t.name,
          partition: p.partition,
          leader: p.leader,
          previousLeader: o.leader,
          leaderEpoch: p.leaderEpoch,
        });
      if (!sameList(sorted(o.isr), sorted(p.isr)))
        out.push({
          type: 'isr-changed',
          at,
          topic: t.name,
          partition: p.partition,
          isr: p.isr,
          previousIsr: o.isr,
        });
      if (!sameList(o.replicas, p.replicas))
        out.push({
          type: 'replicas-changed',
          at,
          topic: t.name,
          partition: p.partition,
          replicas: p.replicas,
          adding: p.replicas.filter((r) => !o.replicas.includes(r)),
          removing: o.replicas.filter((r) => !p.replicas.includes(r)),
        });
    }
  }
  for (const t of before.topics)
    if (!newTopics.has(t.name)) out.push({ type: 'topic-deleted', at, topic: t.name });
  return out;
}

/**
 * Polls one external link. Events: 'change' (ClusterDescription, only when it differs from the
 * last one), 'snapshot' (ExternalSnapshot, after every successful poll), 'events' (TimelineEvent[]),
 * 'health' (null after a successful poll, the error after a failed one).
 */
export class ExternalMonitor extends EventEmitter {
  snapshot: ExternalSnapshot | null = null;
  /** Every broker seen since connecting, by id. */
  private readonly seen = new Map<number, BrokerInfo>();
  private readonly events: TimelineEvent[] = [];
  private nextSeq = 1;
  private lastKey = '';
  private polling: Promise<ExternalSnapshot> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly admin: Admin;

  constructor(
    link: ClusterLink,
    private readonly pollMs = EXTERNAL_POLL_MS,
  ) {
    super();
    this.setMaxListeners(0);
    // Its own client with few retries: a cluster that went away shows as failed within seconds.
    this.admin = new Admin({
      ...link.clusterOptions('eddy-ui-monitor'),
      retries: 1,
      connectTimeoutMs: 5000,
      requestTimeoutMs: 10_000,
    });
  }

  /** Starts polling (the first poll at once). */
  start(): void {
    if (this.timer || this.stopped) return;
    const tick = () => {
      this.timer = null;
      if (this.stopped) return;
      this.refresh()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.pollMs).unref();
        });
    };
    tick();
  }

  /** One poll now (shared with one already running); rejects with the client's error. */
  refresh(): Promise<ExternalSnapshot> {
    this.polling ??= this.poll().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /** The cluster as the contract describes it, from the latest snapshot. */
  describe(snapshot: ExternalSnapshot): ClusterDescription {
    const live = new Set(snapshot.brokers.map((b) => b.nodeId));
    const brokers = [...this.seen.values()]
      .map((b) => ({ id: b.nodeId, host: b.host, port: b.port, up: live.has(b.nodeId) }))
      .sort((a, b) => a.id - b.id);
    const topics = snapshot.topics
      .map((t) => ({
        name: t.name,
        partitions: t.partitions.length,
        replicationFactor: t.partitions[0]?.replicas.length ?? 0,
        internal: t.isInternal,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { clusterId: snapshot.clusterId, controllerId: snapshot.controllerId, brokers, topics };
  }

  /** Every broker seen since connecting (some may be down now). */
  knownBrokers(): BrokerInfo[] {
    return [...this.seen.values()].sort((a, b) => a.nodeId - b.nodeId);
  }

  /** Derived events, oldest first. */
  history(): TimelineEvent[] {
    return [...this.events];
  }

  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.removeAllListeners();
    return this.admin.close();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private async poll(): Promise<ExternalSnapshot> {
    try {
      const md = await this.admin.cluster.retry('loading the cluster metadata', () =>
        this.admin.cluster.refreshMetadata(null),
      );
      const previous = this.snapshot;
      const liveIds = new Set(md.brokers.map((b) => b.nodeId));
      // KRaft brokers name a random live broker as "controller" in every answer; keep the one we
      // showed while it is alive so the view does not flicker.
      const controllerId =
        previous &&
        previous.controllerId >= 0 &&
        liveIds.has(previous.controllerId) &&
        liveIds.has(md.controllerId)
          ? previous.controllerId
          : md.controllerId;
      const snapshot: ExternalSnapshot = {
        at: Date.now(),
        clusterId: md.clusterId ?? '',
        controllerId,
        brokers: [...md.brokers].sort((a, b) => a.nodeId - b.nodeId),
        topics: md.topics,
      };
      if (this.stopped) return snapshot;
      for (const b of snapshot.brokers) this.seen.set(b.nodeId, b);
      this.snapshot = snapshot;
      if (previous) {
        const fresh = diffSnapshots(previous, snapshot).map(
          (e) => ({ ...e, seq: this.nextSeq++ }) as TimelineEvent,
        );
        if (fresh.length > 0) {
          this.events.push(...fresh);
          if (this.events.length > EVENT_CAPACITY) this.events.splice(0, this.events.length - EVENT_CAPACITY);
          this.emit('events', fresh);
        }
      }
      this.emit('health', null);
      this.emit('snapshot', snapshot);
      const description = this.describe(snapshot);
      const key = JSON.stringify(description);
      if (key !== this.lastKey) {
        this.lastKey = key;
        this.emit('change', description);
      }
      return snapshot;
    } catch (err) {
      if (!this.stopped) this.emit('health', err);
      throw err;
    }
  }
}

const monitors = new WeakMap<ClusterLink, ExternalMonitor>();

/**
 * The monitor of an external link: the one the connection registered when it activated the link,
 * or (for links made without one, as in tests) a new one, started.
 */
export function monitorOf(link: ClusterLink): ExternalMonitor {
  let m = monitors.get(link);
  if (!m || m.isStopped) {
    m = new ExternalMonitor(link);
    monitors.set(link, m);
    m.start();
  }
  return m;
}

export function registerMonitor(link: ClusterLink, monitor: ExternalMonitor): void {
  monitors.set(link, monitor);
}
