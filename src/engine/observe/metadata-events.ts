import type { MetadataImage } from '../controller/metadata-image.js';
import type { MetadataRecord } from '../controller/records.js';
import type { ClusterEvent } from './events.js';

/**
 * Turns one metadata record into the events a person cares about, given the image *before* the
 * record is applied (to know what changed). Topic creation and added partitions are reported per
 * batch of records by the observer.
 */
export function eventsFor(record: MetadataRecord, before: MetadataImage, at: number): ClusterEvent[] {
  switch (record.type) {
    case 'UnfenceBroker': {
      const b = before.brokers.get(record.brokerId);
      return b && b.fenced ? [{ type: 'broker-up', at, brokerId: b.brokerId, host: b.host, port: b.port }] : [];
    }
    case 'FenceBroker': {
      const b = before.brokers.get(record.brokerId);
      return b && !b.fenced ? [{ type: 'broker-down', at, brokerId: record.brokerId }] : [];
    }
    case 'PartitionChange': {
      const topic = before.topicsById.get(record.topicId);
      const p = topic?.partitions[record.partition];
      if (!topic || !p) return [];
      const out: ClusterEvent[] = [];
      if (record.leader !== undefined && record.leader !== p.leader) {
        out.push({ type: 'leader-changed', at, topic: topic.name, partition: p.partition, leader: record.leader, previousLeader: p.leader, leaderEpoch: record.leaderEpoch });
      }
      if (record.isr && record.isr.join() !== p.isr.join()) {
        out.push({ type: 'isr-changed', at, topic: topic.name, partition: p.partition, isr: record.isr, previousIsr: p.isr });
      }
      if (record.replicas && record.replicas.join() !== p.replicas.join()) {
        out.push({
          type: 'replicas-changed',
          at,
          topic: topic.name,
          partition: p.partition,
          replicas: record.replicas,
          adding: record.addingReplicas ?? [],
          removing: record.removingReplicas ?? [],
        });
      }
      return out;
    }
    case 'RemoveTopic': {
      const topic = before.topicsById.get(record.topicId);
      return topic ? [{ type: 'topic-deleted', at, topic: topic.name }] : [];
    }
    case 'Config':
      return [{ type: 'config-changed', at, resourceType: record.resourceType, resourceName: record.resourceName, name: record.name, value: record.value }];
    default:
      return [];
  }
}
