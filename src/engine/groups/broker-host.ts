import { ErrorCode } from '../protocol/errors.js';
import { validateBatches } from '../protocol/records/index.js';
import { LogError } from '../storage/errors.js';
import type { Broker } from '../broker/broker.js';
import { partitionKey } from '../broker/replica-manager.js';
import type { MetadataRecord } from '../controller/records.js';
import { groupCoordinatorConfig, type GroupCoordinatorConfig } from './config.js';
import { GroupCoordinator, type CoordinatorHost } from './coordinator.js';
import { OFFSETS_TOPIC } from './placement.js';

/** The group coordinator of `broker`, configured from its overrides (group.*, offsets.*). */
export function createGroupCoordinator(broker: Broker): GroupCoordinator {
  const config = groupCoordinatorConfig(broker.config.overrides);
  return new GroupCoordinator(brokerCoordinatorHost(broker, config), config, broker.logger);
}

/** The coordinator's view of its broker: the `__consumer_offsets` replicas, metadata and controller. */
export function brokerCoordinatorHost(broker: Broker, config: GroupCoordinatorConfig): CoordinatorHost {
  let creating: Promise<void> | null = null;
  const leaderReplica = (partition: number) => {
    const p = broker.replicas.get(OFFSETS_TOPIC, partition);
    return p && p.isLeader ? p : undefined;
  };

  return {
    offsetsPartitionCount() {
      return broker.image.topic(OFFSETS_TOPIC)?.partitions.length || config.offsetsTopicNumPartitions;
    },

    leaderEpoch(partition) {
      return leaderReplica(partition)?.leaderEpoch ?? null;
    },

    logStartOffset(partition) {
      return broker.replicas.get(OFFSETS_TOPIC, partition)?.logStartOffset ?? 0;
    },

    read(partition, offset, maxBytes) {
      const p = broker.replicas.get(OFFSETS_TOPIC, partition);
      if (!p) return { records: Buffer.alloc(0), nextOffset: offset };
      const read = p.log.read(offset, maxBytes, { minOneMessage: true });
      return { records: read.records, nextOffset: read.nextOffset };
    },

    /**
     * The coordinator's own write path: the batch skips the client-produce rules (it is ours) but
     * takes the leader's append, and answers as an acks=all produce would — once the high watermark
     * passes it, within offsets.commit.timeout.ms.
     */
    async append(partition, batch) {
      const p = leaderReplica(partition);
      if (!p) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
      if (p.isr.length < p.minInsyncReplicas) return ErrorCode.NOT_ENOUGH_REPLICAS;
      const now = Date.now();
      const validation = validateBatches(batch, {
        origin: 'internal',
        maxMessageBytes: p.validationConfig.maxMessageBytes,
      });
      if (!validation.ok) return validation.errorCode;
      let lastOffset: number;
      try {
        const result = p.appendAsLeader(
          batch,
          validation.batches.map((b) => ({
            position: b.position,
            producerId: b.producerId,
            producerEpoch: b.producerEpoch,
            baseSequence: b.baseSequence,
            recordsCount: b.recordsCount,
            maxTimestamp: b.maxRecordTimestamp,
          })),
          now,
        );
        if (result.errorCode !== ErrorCode.NONE) return result.errorCode;
        lastOffset = result.lastOffset;
      } catch (err) {
        if (err instanceof LogError) {
          broker.logger.error(`append to ${OFFSETS_TOPIC}-${partition} failed: ${err.message}`);
          return err.errorCode;
        }
        throw err;
      }
      const replicated = () => {
        const current = broker.replicas.get(OFFSETS_TOPIC, partition);
        return current !== p || !p.isLeader || p.highWatermark > lastOffset;
      };
      if (!replicated()) {
        await broker.fetchWaiters.wait(
          [partitionKey(OFFSETS_TOPIC, partition)],
          config.offsetCommitTimeoutMs,
          replicated,
        );
      }
      if (broker.replicas.get(OFFSETS_TOPIC, partition) !== p || !p.isLeader)
        return ErrorCode.NOT_LEADER_OR_FOLLOWER;
      if (p.highWatermark <= lastOffset) return ErrorCode.REQUEST_TIMED_OUT;
      if (p.isr.length < p.minInsyncReplicas) return ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
      return ErrorCode.NONE;
    },

    onMetadataChange(listener) {
      // RemoveTopic records carry only the topic id; remember names to say which topics went away.
      const names = new Map([...broker.image.topicsById.values()].map((t) => [t.topicId, t.name]));
      const onMetadata = (records: MetadataRecord[]) => {
        const removed: string[] = [];
        for (const r of records) {
          if (r.type === 'Topic') names.set(r.topicId, r.name);
          else if (r.type === 'RemoveTopic') {
            const name = names.get(r.topicId);
            names.delete(r.topicId);
            if (name !== undefined && !broker.image.topicsByName.has(name)) removed.push(name);
          }
        }
        listener(removed);
      };
      broker.on('metadata', onMetadata);
      return () => broker.off('metadata', onMetadata);
    },

    ensureOffsetsTopic() {
      if (broker.image.topic(OFFSETS_TOPIC)) return Promise.resolve();
      creating ??= (async () => {
        const live = broker.image.liveBrokers().length;
        const [result] = await broker.controller.createTopics(
          [
            {
              name: OFFSETS_TOPIC,
              numPartitions: config.offsetsTopicNumPartitions,
              replicationFactor: Math.max(1, Math.min(config.offsetsTopicReplicationFactor, live)),
              assignments: [],
              // Kafka's settings for the offsets topic: only the latest record per key matters.
              configs: {
                'cleanup.policy': 'compact',
                'compression.type': 'producer',
                'segment.bytes': String(config.offsetsTopicSegmentBytes),
              },
            },
          ],
          false,
        );
        if (
          result &&
          result.errorCode !== ErrorCode.NONE &&
          result.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS
        ) {
          broker.logger.warn(
            `creating ${OFFSETS_TOPIC} failed: ${result.errorMessage ?? `error ${result.errorCode}`}`,
          );
        }
      })()
        .catch((err: Error) => broker.logger.warn(`creating ${OFFSETS_TOPIC} failed: ${err.message}`))
        .finally(() => {
          creating = null;
        });
      return creating;
    },

    partitionLeader(partition) {
      const state = broker.image.topic(OFFSETS_TOPIC)?.partitions[partition];
      if (!state || state.leader < 0) return null;
      const b = broker.image.brokers.get(state.leader);
      if (!b || b.fenced) return null;
      return { nodeId: b.brokerId, host: b.host, port: b.port };
    },
  };
}
