import type { Broker } from './broker.js';

/**
 * Kafka's auto.create.topics.enable: a Metadata (or Produce-driven) request for an unknown topic
 * creates it with num.partitions and default.replication.factor (capped by the live brokers).
 */
export async function autoCreateTopics(broker: Broker, names: string[]): Promise<void> {
  const liveCount = broker.image.liveBrokers().length;
  const rf = Math.max(1, Math.min(broker.config.defaultReplicationFactor, liveCount));
  await broker.controller.createTopics(
    names.map((name) => ({
      name,
      numPartitions: broker.config.numPartitions,
      replicationFactor: rf,
      assignments: [],
      configs: {},
    })),
    false,
  );
}
