import { TOPIC_CONFIGS, type ConfigType } from '../config/topic-configs.js';
import { describeBrokerConfigs } from '../config/broker-config.js';
import { BROKER_CONFIG_BY_NAME } from '../config/broker-config-catalog.js';
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

/** The dynamic broker configs this broker sees: for its own id, and the cluster default (''). */
function dynamicBrokerConfigs(broker: Broker): { perBroker?: Map<string, string>; clusterDefault?: Map<string, string> } {
  return {
    perBroker: broker.image.brokerConfigs.get(String(broker.nodeId)),
    clusterDefault: broker.image.brokerConfigs.get(''),
  };
}

/**
 * Every topic config of `topicConfigs` resolved the way Kafka does: topic → dynamic config of this
 * broker → dynamic cluster default → start-up setting → default; the synonyms list them in that order.
 */
export function topicConfigEntries(broker: Broker, topicConfigs: Map<string, string>): ConfigEntry[] {
  const brokerOverrides = { ...broker.config.overrides };
  const { perBroker, clusterDefault } = dynamicBrokerConfigs(broker);
  return TOPIC_CONFIGS.map((def) => {
    const synonyms: ConfigEntry['synonyms'] = [];
    const topicValue = topicConfigs.get(def.name);
    if (topicValue !== undefined) synonyms.push({ name: def.name, value: topicValue, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    if (def.brokerSynonym) {
      const dyn = perBroker?.get(def.brokerSynonym);
      if (dyn !== undefined) synonyms.push({ name: def.brokerSynonym, value: dyn, source: ConfigSource.DYNAMIC_BROKER_CONFIG });
      const dynDefault = clusterDefault?.get(def.brokerSynonym);
      if (dynDefault !== undefined) {
        synonyms.push({ name: def.brokerSynonym, value: dynDefault, source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG });
      }
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

/**
 * Broker configs as Kafka's DescribeConfigs reports them. For a broker id (`scope` 'broker'): every
 * config, from the dynamic config of this broker, the dynamic cluster default, the start-up setting
 * or the default, in that order. For the cluster default (resource name '', `scope` 'cluster-default'):
 * only the configs that have a dynamic cluster default, as Kafka answers.
 */
export function brokerConfigEntries(broker: Broker, scope: 'broker' | 'cluster-default' = 'broker'): ConfigEntry[] {
  const { perBroker, clusterDefault } = dynamicBrokerConfigs(broker);
  const entries: ConfigEntry[] = [];
  for (const e of describeBrokerConfigs(broker.config)) {
    if (scope === 'cluster-default' && !clusterDefault?.has(e.name)) continue;
    const synonyms: ConfigEntry['synonyms'] = [];
    const dyn = scope === 'broker' ? perBroker?.get(e.name) : undefined;
    if (dyn !== undefined) synonyms.push({ name: e.name, value: dyn, source: ConfigSource.DYNAMIC_BROKER_CONFIG });
    const dynDefault = clusterDefault?.get(e.name);
    if (dynDefault !== undefined) synonyms.push({ name: e.name, value: dynDefault, source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG });
    if (e.isStatic) synonyms.push({ name: e.name, value: e.value, source: ConfigSource.STATIC_BROKER_CONFIG });
    if (e.defaultValue !== null) synonyms.push({ name: e.name, value: e.defaultValue, source: ConfigSource.DEFAULT_CONFIG });
    const winner = synonyms[0] ?? { value: e.value, source: ConfigSource.DEFAULT_CONFIG };
    entries.push({
      name: e.name,
      value: winner.value,
      readOnly: e.readOnly,
      isDefault: winner.source === ConfigSource.DEFAULT_CONFIG,
      configSource: winner.source,
      isSensitive: false,
      synonyms,
      configType: CONFIG_TYPE_CODE[e.type],
      documentation: BROKER_CONFIG_BY_NAME.get(e.name)?.documentation ?? null,
    });
  }
  return entries;
}
