import { TOPIC_CONFIGS, type ConfigType } from './topic-configs.js';
import { BROKER_CONFIGS } from './broker-config-catalog.js';

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

/** One broker config as this broker has it from its start-up settings (before dynamic changes). */
export interface StaticBrokerConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  type: ConfigType;
  /** Set at start-up (`--config`, or by Eddy itself) rather than left at the default. */
  isStatic: boolean;
  defaultValue: string | null;
}

/** Broker configs reported by DescribeConfigs for a BROKER resource, from the catalog and the start-up settings. */
export function describeBrokerConfigs(config: BrokerConfig): StaticBrokerConfigEntry[] {
  const listener = `PLAINTEXT://${config.host}:${config.port}`;
  const fromEngine: Record<string, string> = {
    'node.id': String(config.nodeId),
    'broker.id': String(config.nodeId),
    'process.roles': 'broker',
    listeners: listener,
    'advertised.listeners': listener,
    'log.dirs': config.logDir,
    'num.partitions': String(config.numPartitions),
    'default.replication.factor': String(config.defaultReplicationFactor),
    'auto.create.topics.enable': String(config.autoCreateTopicsEnable),
    'delete.topic.enable': String(config.deleteTopicEnable),
    'message.max.bytes': String(config.messageMaxBytes),
    'socket.request.max.bytes': String(config.socketRequestMaxBytes),
  };
  return BROKER_CONFIGS.map((def) => {
    const override = config.overrides[def.name];
    const value = override ?? fromEngine[def.name] ?? def.defaultValue;
    return {
      name: def.name,
      value,
      readOnly: !def.dynamic,
      type: def.type,
      isStatic: override !== undefined || (def.name in fromEngine && value !== def.defaultValue),
      defaultValue: def.defaultValue,
    };
  });
}
