import type { MetadataRecord } from './records.js';

export interface BrokerRegistration {
  brokerId: number;
  host: string;
  port: number;
  rack: string | null;
  incarnation: string;
  fenced: boolean;
}

export interface PartitionState {
  partition: number;
  replicas: number[];
  isr: number[];
  /** -1 when no replica can lead. */
  leader: number;
  leaderEpoch: number;
  partitionEpoch: number;
  /** A reassignment in progress adds these replicas (they are also in `replicas`). */
  addingReplicas: number[];
  /** …and removes these once the new ones are in sync. */
  removingReplicas: number[];
}

export interface TopicImage {
  name: string;
  /** 32 hex characters (a Kafka UUID); never all zeros. */
  topicId: string;
  partitions: PartitionState[];
  configs: Map<string, string>;
}

/**
 * The cluster's metadata as of some offset of the metadata log. The controller and every broker
 * hold one and apply the same records in the same order.
 */
export class MetadataImage {
  clusterId = '';
  readonly brokers = new Map<number, BrokerRegistration>();
  readonly topicsByName = new Map<string, TopicImage>();
  readonly topicsById = new Map<string, TopicImage>();
  readonly brokerConfigs = new Map<string, Map<string, string>>();
  nextProducerId = 0;
  /** Number of records applied; brokers report it to show how far they have caught up. */
  offset = 0;

  apply(record: MetadataRecord): void {
    this.offset++;
    switch (record.type) {
      case 'ClusterId':
        this.clusterId = record.clusterId;
        return;
      case 'RegisterBroker':
        this.brokers.set(record.brokerId, {
          brokerId: record.brokerId,
          host: record.host,
          port: record.port,
          rack: record.rack,
          incarnation: record.incarnation,
          fenced: true,
        });
        return;
      case 'FenceBroker':
      case 'UnfenceBroker': {
        const b = this.brokers.get(record.brokerId);
        if (b) b.fenced = record.type === 'FenceBroker';
        return;
      }
      case 'Topic': {
        const topic: TopicImage = { name: record.name, topicId: record.topicId, partitions: [], configs: new Map() };
        this.topicsByName.set(record.name, topic);
        this.topicsById.set(record.topicId, topic);
        return;
      }
      case 'Partition': {
        const topic = this.topicsById.get(record.topicId);
        if (!topic) return;
        topic.partitions[record.partition] = {
          partition: record.partition,
          replicas: [...record.replicas],
          isr: [...record.isr],
          leader: record.leader,
          leaderEpoch: record.leaderEpoch,
          partitionEpoch: record.partitionEpoch,
          addingReplicas: [],
          removingReplicas: [],
        };
        return;
      }
      case 'PartitionChange': {
        const p = this.topicsById.get(record.topicId)?.partitions[record.partition];
        if (!p) return;
        if (record.leader !== undefined) p.leader = record.leader;
        if (record.isr) p.isr = [...record.isr];
        if (record.replicas) p.replicas = [...record.replicas];
        if (record.addingReplicas) p.addingReplicas = [...record.addingReplicas];
        if (record.removingReplicas) p.removingReplicas = [...record.removingReplicas];
        p.leaderEpoch = record.leaderEpoch;
        p.partitionEpoch = record.partitionEpoch;
        return;
      }
      case 'RemoveTopic': {
        const topic = this.topicsById.get(record.topicId);
        if (!topic) return;
        this.topicsById.delete(record.topicId);
        if (this.topicsByName.get(topic.name) === topic) this.topicsByName.delete(topic.name);
        return;
      }
      case 'Config': {
        const target =
          record.resourceType === 'topic'
            ? this.topicsByName.get(record.resourceName)?.configs
            : this.brokerConfigMap(record.resourceName);
        if (!target) return;
        if (record.value === null) target.delete(record.name);
        else target.set(record.name, record.value);
        return;
      }
      case 'ProducerIds':
        this.nextProducerId = Math.max(this.nextProducerId, record.nextProducerId);
        return;
    }
  }

  topic(name: string): TopicImage | undefined {
    return this.topicsByName.get(name);
  }

  liveBrokers(): BrokerRegistration[] {
    return [...this.brokers.values()].filter((b) => !b.fenced).sort((a, b) => a.brokerId - b.brokerId);
  }

  private brokerConfigMap(name: string): Map<string, string> {
    let m = this.brokerConfigs.get(name);
    if (!m) {
      m = new Map();
      this.brokerConfigs.set(name, m);
    }
    return m;
  }
}
