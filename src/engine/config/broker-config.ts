import { TOPIC_CONFIGS } from './topic-configs.js';

/** The broker settings Eddy honours, under Kafka's names where Kafka has one. */
export interface BrokerConfig {
  nodeId: number;
  host: string;
  port: number;
  /** Directory holding this broker's partition directories (log.dirs, one dir). */
  logDir: string;
  numPartitions: number;
  defaultReplicationFactor: number;
  autoCreateTopicsEnable: boolean;
  deleteTopicEnable: boolean;
  messageMaxBytes: number;
  socketRequestMaxBytes: number;
  /** Broker-wide defaults for topic configs, keyed by the broker config name (log.retention.ms …). */
  overrides: Record<string, string>;
}

export const BROKER_DEFAULTS = {
  numPartitions: 1,
  defaultReplicationFactor: 1,
  autoCreateTopicsEnable: true,
  deleteTopicEnable: true,
  messageMaxBytes: 1048588,
  socketRequestMaxBytes: 100 * 1024 * 1024,
} as const;

/** Topic configs as the broker's defaults produce them (synonym override → Kafka default). */
export function brokerTopicDefaults(config: BrokerConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const def of TOPIC_CONFIGS) {
    const fromBroker = def.brokerSynonym ? config.overrides[def.brokerSynonym] : undefined;
    if (fromBroker !== undefined) out[def.name] = fromBroker;
    else if (def.name === 'max.message.bytes') out[def.name] = String(config.messageMaxBytes);
    else if (def.defaultValue !== null) out[def.name] = def.defaultValue;
  }
  return out;
}

/** Broker configs reported by DescribeConfigs for a BROKER resource (name → value, read-only flag). */
export function describeBrokerConfigs(config: BrokerConfig): { name: string; value: string; readOnly: boolean }[] {
  const entries: { name: string; value: string; readOnly: boolean }[] = [
    { name: 'node.id', value: String(config.nodeId), readOnly: true },
    { name: 'broker.id', value: String(config.nodeId), readOnly: true },
    { name: 'listeners', value: `PLAINTEXT://${config.host}:${config.port}`, readOnly: true },
    { name: 'advertised.listeners', value: `PLAINTEXT://${config.host}:${config.port}`, readOnly: true },
    { name: 'log.dirs', value: config.logDir, readOnly: true },
    { name: 'num.partitions', value: String(config.numPartitions), readOnly: false },
    { name: 'default.replication.factor', value: String(config.defaultReplicationFactor), readOnly: false },
    { name: 'auto.create.topics.enable', value: String(config.autoCreateTopicsEnable), readOnly: false },
    { name: 'delete.topic.enable', value: String(config.deleteTopicEnable), readOnly: true },
    { name: 'message.max.bytes', value: String(config.messageMaxBytes), readOnly: false },
    { name: 'socket.request.max.bytes', value: String(config.socketRequestMaxBytes), readOnly: true },
    { name: 'process.roles', value: 'broker', readOnly: true },
  ];
  const seen = new Set(entries.map((e) => e.name));
  for (const def of TOPIC_CONFIGS) {
    if (!def.brokerSynonym || seen.has(def.brokerSynonym)) continue;
    seen.add(def.brokerSynonym);
    const value = config.overrides[def.brokerSynonym] ?? def.defaultValue ?? '';
    entries.push({ name: def.brokerSynonym, value, readOnly: false });
  }
  return entries;
}
