/**
 * The 'brokers' service over the active link: broker snapshots with load, the lifecycle buttons
 * (embedded cluster only) and the event timeline.
 *
 * Embedded: process state from the engine, leaders / replicas / controller from the controller's
 * image, disk, connections and traffic from the statistics brokers push (rates are the difference
 * of two samples of one broker). External: the link monitor's metadata plus DescribeLogDirs per
 * broker for disk; rates and connections are unknown (null).
 *
 * Timeline, embedded: the recorded timeline (timeline.jsonl) then live events, plus 'group-state'
 * events derived from the coordinators' group statistics (state or member count changed) since the
 * host started. External: the events the link monitor derived since Eddy connected.
 */
import { EventEmitter } from 'node:events';
import type { Admin, Connection } from '../../engine/client/index.js';
import type { BrokerStats, ClusterEvent } from '../../engine/observe/events.js';
import { ApiKey } from '../../engine/protocol/index.js';
import type { Engine } from '../../engine/runtime/engine.js';
import type {
  BrokersSnapshot,
  BrokerView,
  EddyServices,
  TimelineEvent,
  TimelineEventType,
} from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import { embeddedControllerId } from './cluster.js';
import { monitorOf, type ExternalMonitor } from './external-monitor.js';
import { followActiveLink, sentence, toEddyError, type ClusterLink, type LinkProvider } from './link.js';

const SNAPSHOT_MS = 1000;
const EXTERNAL_SNAPSHOT_MS = 2000;
/** Live timeline events that arrive together (a topic's partitions) go out as one batch. */
const TIMELINE_COALESCE_MS = 20;
/** group-state events kept for the history. */
const GROUP_EVENT_CAPACITY = 2000;

// ---- embedded snapshots --------------------------------------------------------------------------

interface TrafficSample {
  at: number;
  bytesIn: number;
  bytesOut: number;
}

/** Bytes in / out per second of each broker, from consecutive statistics samples. */
class RateTracker {
  private readonly last = new Map<number, TrafficSample>();
  readonly rates = new Map<number, { in: number; out: number }>();

  constructor(initial: BrokerStats[]) {
    for (const s of initial) this.last.set(s.brokerId, RateTracker.sample(s));
  }

  static sample(s: BrokerStats): TrafficSample {
    let bytesIn = 0;
    let bytesOut = 0;
    for (const t of s.traffic) {
      bytesIn += t.bytesIn;
      bytesOut += t.bytesOut;
    }
    return { at: s.at, bytesIn, bytesOut };
  }

  update(s: BrokerStats): void {
    const cur = RateTracker.sample(s);
    const prev = this.last.get(s.brokerId);
    this.last.set(s.brokerId, cur);
    // A restarted broker's counters start again from zero: no rate until the next sample.
    if (!prev || cur.at <= prev.at || cur.bytesIn < prev.bytesIn || cur.bytesOut < prev.bytesOut) {
      this.rates.delete(s.brokerId);
      return;
    }
    const seconds = (cur.at - prev.at) / 1000;
    this.rates.set(s.brokerId, {
      in: (cur.bytesIn - prev.bytesIn) / seconds,
      out: (cur.bytesOut - prev.bytesOut) / seconds,
    });
  }

  forget(brokerId: number): void {
    this.last.delete(brokerId);
    this.rates.delete(brokerId);
  }
}

function totals(brokers: BrokerView[]): Pick<BrokersSnapshot, 'bytesInPerSec' | 'bytesOutPerSec'> {
  const sum = (pick: (b: BrokerView) => number | null) => {
    const known = brokers.map(pick).filter((v): v is number => v !== null);
    return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
  };
  return { bytesInPerSec: sum((b) => b.bytesInPerSec), bytesOutPerSec: sum((b) => b.bytesOutPerSec) };
}

export function embeddedSnapshot(engine: Engine, rates: RateTracker | null): BrokersSnapshot {
  const image = engine.controller.image;
  const stats = new Map(engine.observer.brokerStats().map((s) => [s.brokerId, s]));
  const leaders = new Map<number, number>();
  const replicas = new Map<number, number>();
  for (const t of image.topicsByName.values())
    for (const p of t.partitions) {
      if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
      for (const r of p.replicas) replicas.set(r, (replicas.get(r) ?? 0) + 1);
    }
  const controllerId = embeddedControllerId(engine);
  const brokers: BrokerView[] = engine.brokerStates().map((b) => {
    const reg = image.brokers.get(b.id);
    const s = b.up ? stats.get(b.id) : undefined;
    const rate = b.up ? rates?.rates.get(b.id) : undefined;
    return {
      id: b.id,
      host: reg?.host ?? b.host,
      port: b.port,
      rack: reg?.rack ?? null,
      up: reg ? !reg.fenced : false,
      running: b.up,
      controller: b.id === controllerId,
      leaders: leaders.get(b.id) ?? 0,
      replicas: replicas.get(b.id) ?? 0,
      diskBytes: s ? s.replicas.reduce((sum, r) => sum + r.sizeBytes, 0) : null,
      bytesInPerSec: rate ? rate.in : null,
      bytesOutPerSec: rate ? rate.out : null,
      connections: s ? s.connections : null,
    };
  });
  return { at: Date.now(), brokers, ...totals(brokers) };
}

// ---- external snapshots --------------------------------------------------------------------------

/** The newest DescribeLogDirs version the codec knows. */
const DESCRIBE_LOG_DIRS_MAX = 4;

/**
 * Bytes of log on one broker from DescribeLogDirs (all dirs, all partitions, future replicas left
 * out); null when the broker does not offer it or refuses (e.g. no DESCRIBE on the cluster).
 * The client's Admin has no DescribeLogDirs, so this sends it on the broker's pooled connection.
 */
export async function brokerLogBytes(connection: Connection): Promise<number | null> {
  const range = connection.brokerVersions.get(ApiKey.DescribeLogDirs);
  if (!range) return null;
  const version = Math.min(DESCRIBE_LOG_DIRS_MAX, range.max);
  if (version < range.min) return null;
  const body = await connection.send(ApiKey.DescribeLogDirs, { topics: null }, { version });
  if (body.errorCode) return null;
  let total = 0;
  let any = false;
  for (const dir of body.results) {
    if (dir.errorCode !== 0) continue;
    any = true;
    for (const t of dir.topics)
      for (const p of t.partitions) if (!p.isFutureKey) total += Number(p.partitionSize);
  }
  return any ? total : null;
}

async function logBytesByBroker(admin: Admin, ids: number[]): Promise<Map<number, number | null>> {
  const out = new Map<number, number | null>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        out.set(id, await brokerLogBytes(await admin.cluster.brokerConnection(id)));
      } catch {
        out.set(id, null);
      }
    }),
  );
  return out;
}

function externalSnapshot(
  monitor: ExternalMonitor,
  disk: Map<number, number | null>,
): BrokersSnapshot | null {
  const snap = monitor.snapshot;
  if (!snap) return null;
  const live = new Set(snap.brokers.map((b) => b.nodeId));
  const leaders = new Map<number, number>();
  const replicas = new Map<number, number>();
  for (const t of snap.topics)
    for (const p of t.partitions) {
      if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
      for (const r of p.replicas) replicas.set(r, (replicas.get(r) ?? 0) + 1);
    }
  const brokers: BrokerView[] = monitor.knownBrokers().map((b) => ({
    id: b.nodeId,
    host: b.host,
    port: b.port,
    rack: b.rack,
    up: live.has(b.nodeId),
    running: null,
    controller: b.nodeId === snap.controllerId,
    leaders: leaders.get(b.nodeId) ?? 0,
    replicas: replicas.get(b.nodeId) ?? 0,
    diskBytes: live.has(b.nodeId) ? (disk.get(b.nodeId) ?? null) : null,
    bytesInPerSec: null,
    bytesOutPerSec: null,
    connections: null,
  }));
  return { at: snap.at, brokers, bytesInPerSec: null, bytesOutPerSec: null };
}

// ---- the embedded timeline -----------------------------------------------------------------------

/**
 * Numbers the engine's events once (so every subscriber sees the same `seq`) and derives
 * 'group-state' events from the coordinators' statistics. One per engine, for its lifetime.
 */
class EmbeddedTimeline extends EventEmitter {
  private readonly seqOf = new WeakMap<ClusterEvent, number>();
  private nextSeq = 1;
  private readonly groupEvents: TimelineEvent[] = [];
  /** Latest state per group, and which broker reported it. */
  private readonly groups = new Map<string, { state: string; members: number; broker: number }>();

  constructor(private readonly engine: Engine) {
    super();
    this.setMaxListeners(0);
    for (const e of engine.observer.timeline.since(0)) this.seqOf.set(e, this.nextSeq++);
    for (const s of engine.observer.brokerStats())
      for (const g of s.groups ?? [])
        this.groups.set(g.groupId, { state: g.state, members: g.members, broker: s.brokerId });
    engine.observer.on('event', (e: ClusterEvent) => {
      const seq = this.nextSeq++;
      this.seqOf.set(e, seq);
      this.emit('event', { ...e, seq } as TimelineEvent);
    });
    engine.observer.on('stats', (s: BrokerStats) => this.onStats(s));
  }

  private onStats(s: BrokerStats): void {
    if (!s.groups) return;
    const at = s.at;
    const reported = new Set<string>();
    for (const g of s.groups) {
      reported.add(g.groupId);
      const prev = this.groups.get(g.groupId);
      this.groups.set(g.groupId, { state: g.state, members: g.members, broker: s.brokerId });
      if (prev && prev.state === g.state && prev.members === g.members) continue;
      this.record({
        seq: 0,
        type: 'group-state',
        at,
        groupId: g.groupId,
        state: g.state,
        members: g.members,
      });
    }
    // A group this coordinator reported before and no broker reports now was deleted.
    const elsewhere = new Set(
      this.engine.observer
        .brokerStats()
        .filter((o) => o.brokerId !== s.brokerId)
        .flatMap((o) => (o.groups ?? []).map((g) => g.groupId)),
    );
    for (const [groupId, g] of this.groups) {
      if (g.broker !== s.brokerId || reported.has(groupId) || elsewhere.has(groupId)) continue;
      this.groups.delete(groupId);
      this.record({ seq: 0, type: 'group-state', at, groupId, state: 'Dead', members: 0 });
    }
  }

  private record(e: TimelineEvent): void {
    const event = { ...e, seq: this.nextSeq++ };
    this.groupEvents.push(event);
    if (this.groupEvents.length > GROUP_EVENT_CAPACITY) this.groupEvents.shift();
    this.emit('event', event);
  }

  /** Every remembered event, oldest first. */
  history(): TimelineEvent[] {
    const recorded: TimelineEvent[] = [];
    for (const e of this.engine.observer.timeline.since(0)) {
      let seq = this.seqOf.get(e);
      if (seq === undefined) {
        seq = this.nextSeq++;
        this.seqOf.set(e, seq);
      }
      recorded.push({ ...e, seq } as TimelineEvent);
    }
    return [...recorded, ...this.groupEvents].sort((a, b) => a.seq - b.seq);
  }
}

const timelines = new WeakMap<Engine, EmbeddedTimeline>();
function timelineOf(engine: Engine): EmbeddedTimeline {
  let t = timelines.get(engine);
  if (!t) timelines.set(engine, (t = new EmbeddedTimeline(engine)));
  return t;
}

// ---- the service ---------------------------------------------------------------------------------

/** Start the group-state tracking of an engine now, so its history begins when the host starts. */
export function trackEngineTimeline(engine: Engine): void {
  timelineOf(engine);
}

export function brokersService(links: LinkProvider): EddyServices['brokers'] {
  /** Tells running snapshot streams that a lifecycle call finished. */
  const lifecycle = new EventEmitter();
  lifecycle.setMaxListeners(0);

  const embeddedEngine = async (): Promise<Engine> => {
    const link = await links.current();
    if (!link.engine)
      throw new EddyError('EMBEDDED_ONLY', {
        message:
          'Brokers of an external cluster are started and stopped where that cluster runs; Eddy can only watch them.',
      });
    return link.engine;
  };

  const lifecycleCall = async (id: number, verb: 'stop' | 'kill' | 'start') => {
    const engine = await embeddedEngine();
    const states = engine.brokerStates();
    const state = states.find((b) => b.id === id);
    if (!state)
      throw new EddyError('NOT_FOUND', {
        message: `There is no broker ${id} in this cluster; its brokers are ${states.map((b) => b.id).join(', ')}.`,
        detail: `broker ${id}`,
      });
    try {
      if (verb === 'stop') await engine.stopBroker(id);
      else if (verb === 'kill') await engine.killBroker(id);
      else if (!state.up) await engine.startBroker(id);
    } catch (err) {
      const what = verb === 'start' ? 'start' : verb === 'stop' ? 'stop' : 'be killed';
      throw new EddyError('INTERNAL', {
        message: sentence(`Broker ${id} did not ${what}: ${(err as Error).message}`),
        cause: err,
      });
    } finally {
      lifecycle.emit('changed');
    }
  };

  const watchSnapshots = (link: ClusterLink, emit: (s: BrokersSnapshot) => void): (() => void) => {
    const engine = link.engine;
    if (engine) {
      const rates = new RateTracker(engine.observer.brokerStats());
      const send = () => emit(embeddedSnapshot(engine, rates));
      let soon: NodeJS.Immediate | null = null;
      const sendSoon = () => {
        soon ??= setImmediate(() => {
          soon = null;
          send();
        });
      };
      const onStats = (s: BrokerStats) => rates.update(s);
      const onEvent = (e: ClusterEvent) => {
        if (e.type === 'broker-up' || e.type === 'broker-down') {
          if (e.type === 'broker-down') rates.forget(e.brokerId);
          sendSoon();
        }
      };
      engine.observer.on('stats', onStats);
      engine.observer.on('event', onEvent);
      lifecycle.on('changed', sendSoon);
      const timer = setInterval(send, SNAPSHOT_MS).unref();
      send();
      return () => {
        clearInterval(timer);
        if (soon) clearImmediate(soon);
        engine.observer.off('stats', onStats);
        engine.observer.off('event', onEvent);
        lifecycle.off('changed', sendSoon);
      };
    }
    const monitor = monitorOf(link);
    let disk = new Map<number, number | null>();
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    const send = () => {
      const s = externalSnapshot(monitor, disk);
      if (s) emit(s);
    };
    const poll = async () => {
      timer = null;
      try {
        const snap = monitor.snapshot ?? (await monitor.refresh());
        disk = await logBytesByBroker(
          link.admin(),
          snap.brokers.map((b) => b.nodeId),
        );
        if (!stopped) send();
      } catch {
        // the monitor reports the cluster's health; the next poll tries again
      } finally {
        if (!stopped) timer = setTimeout(() => void poll(), EXTERNAL_SNAPSHOT_MS).unref();
      }
    };
    const onBrokerEvents = (events: TimelineEvent[]) => {
      if (events.some((e) => e.type === 'broker-up' || e.type === 'broker-down')) send();
    };
    monitor.on('events', onBrokerEvents);
    send();
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      monitor.off('events', onBrokerEvents);
    };
  };

  return {
    async onBrokers(ctx) {
      return followActiveLink(
        links,
        ctx.signal,
        (link) => watchSnapshots(link, (s) => ctx.emit(s)),
        (err) => ctx.end(toEddyError(err)),
      );
    },
    stop: (_ctx, id) => lifecycleCall(id, 'stop'),
    kill: (_ctx, id) => lifecycleCall(id, 'kill'),
    start: (_ctx, id) => lifecycleCall(id, 'start'),
    async onTimeline(ctx, { limit, types }) {
      const wanted = types && types.length > 0 ? new Set<TimelineEventType>(types) : null;
      const keep = (e: TimelineEvent) => wanted === null || wanted.has(e.type);
      return followActiveLink(
        links,
        ctx.signal,
        (link) => {
          let pending: TimelineEvent[] = [];
          let timer: NodeJS.Timeout | null = null;
          const flush = () => {
            timer = null;
            const events = pending;
            pending = [];
            if (events.length > 0) ctx.emit({ history: false, events });
          };
          const onEvents = (events: TimelineEvent[]) => {
            const kept = events.filter(keep);
            if (kept.length === 0) return;
            pending.push(...kept);
            timer ??= setTimeout(flush, TIMELINE_COALESCE_MS);
          };
          const onEvent = (e: TimelineEvent) => onEvents([e]);
          const source: EventEmitter = link.engine ? timelineOf(link.engine) : monitorOf(link);
          const history = link.engine ? timelineOf(link.engine).history() : monitorOf(link).history();
          const kept = history.filter(keep);
          ctx.emit({ history: true, events: limit === 0 ? [] : kept.slice(-limit) });
          if (link.engine) source.on('event', onEvent);
          else source.on('events', onEvents);
          return () => {
            if (timer) clearTimeout(timer);
            source.off('event', onEvent);
            source.off('events', onEvents);
          };
        },
        (err) => ctx.end(toEddyError(err)),
      );
    },
  };
}
