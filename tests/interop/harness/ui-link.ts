// For the interop tests of the GUI's host services on an external cluster: a single-node Kafka and
// the Kafka-connected ClusterLink the GUI would use for it. The caller disposes both (afterAll).
import { clusterLink, type ClusterLink } from '../../../src/headless/services/link.js';
import { startKafka, type KafkaServer } from './kafka.js';
import { requireTool } from './tools.js';

/** Skips the test (fails under CI) without java or the Kafka jars; else starts Kafka and links to it. */
export async function startKafkaLink(
  ctx: NonNullable<Parameters<typeof requireTool>[2]>,
): Promise<{ kafka: KafkaServer; link: ClusterLink }> {
  requireTool('java', undefined, ctx);
  requireTool('kafka-libs', undefined, ctx);
  const kafka = await startKafka();
  return { kafka, link: clusterLink('ext', { bootstrap: kafka.bootstrap }) };
}
