import { TOPIC_CONFIGS, type ConfigType } from './topic-configs.js';

/**
 * The broker configs Eddy knows, under Kafka's names, with Kafka's update mode: `dynamic` ones can be
 * changed while the cluster runs (AlterConfigs / IncrementalAlterConfigs on a BROKER resource, for
 * the cluster default `''` or one broker id), the others only with `eddy serve --config NAME=VALUE`.
 * Kafka calls the two modes "cluster-wide" and "read-only"; the read-only flags below are those a
 * Kafka 4.2 broker reports in DescribeConfigs.
 */
export interface BrokerConfigDefinition {
  name: string;
  type: ConfigType;
  /** The default when nothing sets it (Eddy's where it differs from Kafka's, said in the docs); null: none. */
  defaultValue: string | null;
  dynamic: boolean;
  /** Returns a problem sentence, or null when the value is fine (dynamic configs only). */
  validate?: (value: string) => string | null;
  documentation: string;
}

const readOnly = (name: string, type: ConfigType, defaultValue: string | null, documentation: string): BrokerConfigDefinition => ({
  name,
  type,
  defaultValue,
  dynamic: false,
  documentation,
});

/** Broker configs that are not the broker-level default of a topic config. */
const OWN_CONFIGS: BrokerConfigDefinition[] = [
  readOnly('node.id', 'int', null, 'id of this broker in the cluster'),
  readOnly('broker.id', 'int', '-1', 'same as node.id'),
  readOnly('process.roles', 'list', null, 'roles of this node (Eddy brokers are brokers; the controller runs beside them)'),
  readOnly('listeners', 'list', null, 'address the broker listens on'),
  readOnly('advertised.listeners', 'list', null, 'address clients are told to use'),
  readOnly('log.dirs', 'list', null, "directory holding this broker's partitions"),
  readOnly('num.partitions', 'int', '1', 'partitions of a topic created without a count'),
  readOnly('default.replication.factor', 'int', '1', 'replication factor of a topic created without one'),
  readOnly('auto.create.topics.enable', 'boolean', 'true', 'create a topic when a client asks for an unknown one'),
  readOnly('delete.topic.enable', 'boolean', 'true', 'allow DeleteTopics'),
  readOnly('socket.request.max.bytes', 'int', '104857600', 'largest request the broker reads'),
  readOnly('log.retention.check.interval.ms', 'long', '300000', 'how often each broker applies retention to its replicas'),
  readOnly('replica.lag.time.max.ms', 'long', '30000', 'a follower that has not caught up for this long leaves the ISR'),
  readOnly('replica.fetch.wait.max.ms', 'int', '500', "how long a follower's fetch waits for new data"),
  readOnly('auto.leader.rebalance.enable', 'boolean', 'true', 'move leadership back to preferred replicas'),
  readOnly('leader.imbalance.check.interval.ms', 'long', '5000', 'Eddy: how often preferred leaders are restored (Kafka: leader.imbalance.check.interval.seconds, 300)'),
  // The group coordinator's configs (src/engine/groups/config.ts reads them; a test keeps the defaults equal).
  readOnly('group.initial.rebalance.delay.ms', 'int', '0', 'wait for more members before the first rebalance of an empty group (Eddy: 0, Kafka: 3000)'),
  readOnly('group.min.session.timeout.ms', 'int', '6000', 'smallest session timeout a consumer may ask for'),
  readOnly('group.max.session.timeout.ms', 'int', '1800000', 'largest session timeout a consumer may ask for'),
  readOnly('group.max.size', 'int', '2147483647', 'most members a classic group may have'),
  readOnly('offsets.topic.num.partitions', 'int', '50', 'partitions of __consumer_offsets'),
  readOnly('offsets.topic.replication.factor', 'short', '3', 'replication factor of __consumer_offsets (capped by the live brokers)'),
  readOnly('offsets.topic.segment.bytes', 'int', '104857600', 'segment size of __consumer_offsets'),
  readOnly('offsets.retention.minutes', 'int', '10080', 'how long committed offsets of an empty group are kept'),
  readOnly('offsets.retention.check.interval.ms', 'long', '600000', 'how often expired offsets are removed'),
  readOnly('offset.metadata.max.bytes', 'int', '4096', 'largest metadata string of a committed offset'),
  readOnly('offsets.commit.timeout.ms', 'int', '5000', 'how long an offset commit waits for the in-sync replicas'),
];

function buildCatalog(): BrokerConfigDefinition[] {
  const out = [...OWN_CONFIGS];
  const seen = new Set(out.map((d) => d.name));
  // The broker-level synonym of every topic config is dynamic in Kafka ("cluster-wide").
  for (const def of TOPIC_CONFIGS) {
    if (!def.brokerSynonym || seen.has(def.brokerSynonym)) continue;
    seen.add(def.brokerSynonym);
    out.push({
      name: def.brokerSynonym,
      type: def.type,
      defaultValue: def.defaultValue,
      dynamic: true,
      validate: def.validate,
      documentation: `default of topic config ${def.name}: ${def.documentation}`,
    });
  }
  return out;
}

export const BROKER_CONFIGS: readonly BrokerConfigDefinition[] = buildCatalog();
export const BROKER_CONFIG_BY_NAME: ReadonlyMap<string, BrokerConfigDefinition> = new Map(BROKER_CONFIGS.map((d) => [d.name, d]));

/**
 * Checks dynamic broker configs as Kafka does before storing them. Returns Kafka's error class
 * (`unknown` → INVALID_CONFIG; `read-only` and `invalid` → INVALID_REQUEST, KAFKA-13609) and a
 * sentence, or null. Names whose value is null (being removed) are not checked.
 */
export function validateDynamicBrokerConfigs(
  configs: Record<string, string | null>,
): { kind: 'unknown' | 'read-only' | 'invalid'; message: string } | null {
  const set = Object.entries(configs).filter((e): e is [string, string] => e[1] !== null);
  const unknown = set.filter(([name]) => !BROKER_CONFIG_BY_NAME.has(name)).map(([name]) => name);
  if (unknown.length > 0) {
    return { kind: 'unknown', message: `Unknown broker config name${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.` };
  }
  const fixed = set.filter(([name]) => !BROKER_CONFIG_BY_NAME.get(name)!.dynamic).map(([name]) => name);
  if (fixed.length > 0) {
    return {
      kind: 'read-only',
      message: `Cannot update these configs dynamically: ${fixed.join(', ')} (set them with \`eddy serve --config NAME=VALUE\`).`,
    };
  }
  for (const [name, value] of set) {
    const problem = BROKER_CONFIG_BY_NAME.get(name)!.validate?.(value);
    if (problem) return { kind: 'invalid', message: `Invalid value ${value} for configuration ${name}: ${problem}` };
  }
  return null;
}

/**
 * The broker configs in force on one broker, Kafka's order of precedence: the dynamic config of this
 * broker id over the dynamic cluster default (resource name '') over the start-up settings.
 */
export function mergeBrokerOverrides(
  staticOverrides: Readonly<Record<string, string>>,
  clusterDefault: ReadonlyMap<string, string> | undefined,
  perBroker: ReadonlyMap<string, string> | undefined,
): Record<string, string> {
  const merged = { ...staticOverrides };
  for (const dynamic of [clusterDefault, perBroker]) if (dynamic) for (const [k, v] of dynamic) merged[k] = v;
  return merged;
}
