import { EventEmitter } from 'node:events';
import type { Controller } from '../controller/controller.js';
import { MetadataImage } from '../controller/metadata-image.js';
import type { MetadataRecord } from '../controller/records.js';
import type { BrokerStats, ClusterEvent, GroupLag } from './events.js';
import { eventsFor } from './metadata-events.js';
import { computeGroupLag } from './group-lag.js';
import { Timeline } from './timeline.js';

/**
 * The engine's observation stream, on the supervising thread: cluster events as the controller
 * commits metadata (recorded in a replayable timeline), and the statistics brokers push.
 *
 * Events: 'event' (ClusterEvent), 'stats' (BrokerStats), 'lag' (GroupLag[], whenever any group's
 * lag, committed offsets or state changed).
 */
export class EngineObserver extends EventEmitter {
  private readonly image = new MetadataImage();
  readonly timeline: Timeline;
  private readonly stats = new Map<number, BrokerStats>();
  private readonly onRecords = (records: MetadataRecord[]) => {
    this.apply(records);
    this.refreshLag();
  };
  private lagKey = '[]';

  constructor(
    private readonly controller: Controller,
    timelineFile: string | null,
  ) {
    super();
    this.timeline = new Timeline(timelineFile);
    for (const r of controller.snapshot()) this.image.apply(r);
    controller.on('records', this.onRecords);
  }

  /** The latest statistics of every broker that reported. */
  brokerStats(): BrokerStats[] {
    return [...this.stats.values()].sort((a, b) => a.brokerId - b.brokerId);
  }

  updateStats(stats: BrokerStats): void {
    this.stats.set(stats.brokerId, stats);
    this.emit('stats', stats);
    this.refreshLag();
  }

  /** A broker that stopped reporting (stopped or killed) has no current statistics. */
  forgetStats(brokerId: number): void {
    this.stats.delete(brokerId);
    this.refreshLag();
  }

  /**
   * Lag per consumer group and partition from the latest broker statistics: the leader's high
   * watermark (kafka-consumer-groups' LOG-END-OFFSET) minus the committed offset. Only partitions
   * with a committed offset appear. One group, or every group the coordinators reported.
   */
  groupLag(groupId?: string): GroupLag[] {
    const all = computeGroupLag(this.brokerStats(), this.image);
    return groupId === undefined ? all : all.filter((g) => g.groupId === groupId);
  }

  private refreshLag(): void {
    if (this.listenerCount('lag') === 0) return;
    const lag = this.groupLag();
    const key = JSON.stringify(lag);
    if (key === this.lagKey) return;
    this.lagKey = key;
    this.emit('lag', lag);
  }

  close(): void {
    this.controller.off('records', this.onRecords);
    this.timeline.close();
  }

  private apply(records: MetadataRecord[]): void {
    const at = Date.now();
    const events: ClusterEvent[] = [];
    const created = new Set<string>();
    const grown = new Set<string>();
    for (const r of records) {
      if (r.type === 'Topic') created.add(r.topicId);
      if (r.type === 'Partition' && !created.has(r.topicId)) grown.add(r.topicId);
      events.push(...eventsFor(r, this.image, at));
      this.image.apply(r);
    }
    for (const id of created) {
      const t = this.image.topicsById.get(id);
      if (t) {
        events.push({
          type: 'topic-created',
          at,
          topic: t.name,
          partitions: t.partitions.length,
          replicationFactor: t.partitions[0]?.replicas.length ?? 0,
        });
      }
    }
    for (const id of grown) {
      const t = this.image.topicsById.get(id);
      if (t) events.push({ type: 'partitions-added', at, topic: t.name, partitions: t.partitions.length });
    }
    for (const e of events) {
      this.timeline.record(e);
      this.emit('event', e);
    }
  }
}
