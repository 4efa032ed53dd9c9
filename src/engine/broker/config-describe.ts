import { TOPIC_CONFIGS, type ConfigType } from '../config/topic-configs.js';
import { describeBrokerConfigs } from '../config/broker-config.js';
import type { Broker } from './broker.js';

/** DescribeConfigs ConfigSource values. */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

const CONFIG_TYPE_CODE: Record<ConfigType, number> = {
  boolean: 1,
  string: 2,
  int: 3,
  short: 4,
  long: 5,
  double: 6,
  list: 7,
  class: 8,
  password: 9,
};

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: { name: string; value: string | null; source: number }[];
  configType: number;
  documentation: string | null;
}

/** Every topic config of `topicConfigs` resolved the way Kafka does: topic → broker → default. */
export function topicConfigEntries(broker: Broker, topicConfigs: Map<string, string>): ConfigEntry[] {
  const brokerOverrides = { ...broker.config.overrides };
  const dynamicBroker = broker.image.brokerConfigs.get(String(broker.nodeId));
  return TOPIC_CONFIGS.map((def) => {
    const synonyms: ConfigEntry['synonyms'] = [];
    const topicValue = topicConfigs.get(def.name);
    if (topicValue !== undefined) synonyms.push({ name: def.name, value: topicValue, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    if (def.brokerSynonym) {
      const dyn = dynamicBroker?.get(def.brokerSynonym);
      if (dyn !== undefined) synonyms.push({ name: def.brokerSynonym, value: dyn, source: ConfigSource.DYNAMIC_BROKER_CONFIG });
      const stat = brokerOverrides[def.brokerSynonym];
      if (stat !== undefined) synonyms.push({ name: def.brokerSynonym, value: stat, source: ConfigSource.STATIC_BROKER_CONFIG });
      if (def.name === 'max.message.bytes' && stat === undefined && broker.config.messageMaxBytes !== 1048588) {
        synonyms.push({ name: 'message.max.bytes', value: String(broker.config.messageMaxBytes), source: ConfigSource.STATIC_BROKER_CONFIG });
      }
    }
    synonyms.push({ name: def.brokerSynonym ?? def.name, value: def.defaultValue, source: ConfigSource.DEFAULT_CONFIG });
    const winner = synonyms[0];
    return {
      name: def.name,
      value: def.sensitive ? null : winner.value,
      readOnly: false,
      isDefault: winner.source === ConfigSource.DEFAULT_CONFIG,
      configSource: winner.source,
      isSensitive: !!def.sensitive,
      synonyms,
      configType: CONFIG_TYPE_CODE[def.type],
      documentation: def.documentation,
    };
  });
}

export function brokerConfigEntries(broker: Broker): ConfigEntry[] {
  const dynamic = broker.image.brokerConfigs.get(String(broker.nodeId));
  return describeBrokerConfigs(broker.config).map((e) => {
    const dyn = dynamic?.get(e.name);
    const value = dyn ?? e.value;
    const source = dyn !== undefined ? ConfigSource.DYNAMIC_BROKER_CONFIG : ConfigSource.STATIC_BROKER_CONFIG;
    return {
      name: e.name,
      value,
      readOnly: e.readOnly,
      isDefault: false,
      configSource: source,
      isSensitive: false,
      synonyms: [{ name: e.name, value, source }],
      configType: 0,
      documentation: null,
    };
  });
}
