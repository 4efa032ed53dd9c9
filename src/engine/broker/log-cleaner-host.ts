import {
  cleanerBrokerSettings,
  cleanerConfigFrom,
  LogCleaner,
  type CleanerTarget,
} from '../storage/cleaner/index.js';
import type { Broker } from './broker.js';
import type { Partition } from './partition.js';

/**
 * The broker's log cleaner: compacts its local replicas of topics whose cleanup.policy includes
 * compact, leaders and followers alike (each replica cleans its own copy, as in Kafka). Settings come
 * from the broker's overrides: log.cleaner.enable (true), log.cleaner.backoff.ms (15000),
 * log.cleaner.dedupe.buffer.size, log.cleaner.io.buffer.size. Returns null when disabled.
 */
export function startBrokerLogCleaner(broker: Broker): LogCleaner | null {
  const settings = cleanerBrokerSettings(broker.config.overrides);
  if (!settings.enable) return null;
  const cleaner = new LogCleaner({
    backoffMs: settings.backoffMs,
    maxMapEntries: settings.maxMapEntries,
    stepBytes: settings.stepBytes,
    logger: broker.logger,
    targets: () => {
      const targets: CleanerTarget[] = [];
      for (const p of broker.replicas.all()) {
        if (!p.log.config.cleanupPolicy.includes('compact')) continue;
        const topic = broker.image.topicsByName.get(p.topic);
        if (!topic || topic.topicId !== p.topicId) continue;
        targets.push({
          name: `${p.topic}-${p.partition}`,
          log: p.log,
          config: cleanerConfigFrom(broker.replicas.resolvedConfigs(topic)),
          producerLastOffsets: () => producerLastOffsets(p),
        });
      }
      return targets;
    },
  });
  cleaner.start();
  return cleaner;
}

/** Last offset of each idempotent producer's last batch, from the partition's producer state. */
function producerLastOffsets(p: Partition): Map<number, number> {
  const last = new Map<number, number>();
  for (const entry of p.producerState.entries()) {
    const tail = entry.batches[entry.batches.length - 1];
    if (tail) last.set(entry.producerId, tail.lastOffset);
  }
  return last;
}
