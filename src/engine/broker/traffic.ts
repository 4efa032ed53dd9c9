import type { TopicTraffic } from '../observe/events.js';

/** Cumulative per-topic traffic counters of one broker (Kafka's BytesIn/BytesOut/MessagesIn). */
export class TrafficCounters {
  private readonly byTopic = new Map<string, TopicTraffic>();

  private of(topic: string): TopicTraffic {
    let t = this.byTopic.get(topic);
    if (!t) {
      t = { topic, bytesIn: 0, recordsIn: 0, bytesOut: 0, replicationBytesIn: 0, replicationBytesOut: 0 };
      this.byTopic.set(topic, t);
    }
    return t;
  }

  produced(topic: string, bytes: number, records: number): void {
    const t = this.of(topic);
    t.bytesIn += bytes;
    t.recordsIn += records;
  }

  fetched(topic: string, bytes: number, byFollower: boolean): void {
    if (bytes === 0) return;
    const t = this.of(topic);
    if (byFollower) t.replicationBytesOut += bytes;
    else t.bytesOut += bytes;
  }

  replicated(topic: string, bytes: number): void {
    this.of(topic).replicationBytesIn += bytes;
  }

  snapshot(): TopicTraffic[] {
    return [...this.byTopic.values()].map((t) => ({ ...t }));
  }

  forget(topic: string): void {
    this.byTopic.delete(topic);
  }
}
