import { ErrorCode } from '../protocol/errors.js';
import { TOPIC_CONFIG_BY_NAME, validateTopicConfigs } from '../config/topic-configs.js';
import { BROKER_CONFIG_BY_NAME, validateDynamicBrokerConfigs } from '../config/broker-config-catalog.js';
import { topicNameProblem } from '../controller/topic-rules.js';
import type { Broker } from './broker.js';

/** ConfigResource types of AlterConfigs / IncrementalAlterConfigs. */
export const CONFIG_RESOURCE = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** IncrementalAlterConfigs operations (AlterConfigOp.OpType). */
export const ALTER_OP = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
const OP_NAMES = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'];

export interface ConfigAlteration {
  name: string;
  /** ALTER_OP; legacy AlterConfigs sends SET for every entry. */
  op: number;
  value: string | null;
}

export interface ResourceAlteration {
  resourceType: number;
  resourceName: string;
  configs: ConfigAlteration[];
}

export interface ResourceAlterResult {
  resourceType: number;
  resourceName: string;
  errorCode: number;
  errorMessage: string | null;
}

/**
 * 'replace': AlterConfigs (legacy) — the request holds the resource's whole dynamic config set; keys
 * it leaves out are removed. 'incremental': IncrementalAlterConfigs — only the named keys change.
 */
export type AlterMode = 'replace' | 'incremental';

class AlterFailure extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

const fail = (errorCode: number, message: string): never => {
  throw new AlterFailure(errorCode, message);
};

/** One alteration at a time per broker: APPEND/SUBTRACT and 'replace' read the current set first. */
const queues = new WeakMap<Broker, Promise<unknown>>();

/**
 * AlterConfigs and IncrementalAlterConfigs with Kafka's validation and error codes. Valid changes go
 * to the controller as Config records (persisted in the metadata log, replayed by every broker, which
 * applies them to its partitions at once); `validateOnly` checks without changing anything.
 */
export function alterConfigs(
  broker: Broker,
  resources: ResourceAlteration[],
  mode: AlterMode,
  validateOnly: boolean,
): Promise<ResourceAlterResult[]> {
  const previous = queues.get(broker) ?? Promise.resolve();
  const run = previous.then(() => alterAll(broker, resources, mode, validateOnly));
  queues.set(
    broker,
    run.catch(() => undefined),
  );
  return run;
}

async function alterAll(
  broker: Broker,
  resources: ResourceAlteration[],
  mode: AlterMode,
  validateOnly: boolean,
): Promise<ResourceAlterResult[]> {
  const count = new Map<string, number>();
  const key = (r: ResourceAlteration) => `${r.resourceType}\u0000${r.resourceName}`;
  for (const r of resources) count.set(key(r), (count.get(key(r)) ?? 0) + 1);
  const results: ResourceAlterResult[] = [];
  for (const r of resources) {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    if (count.get(key(r))! > 1) {
      results.push({ ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Each resource must appear at most once.' });
      continue;
    }
    try {
      await alterOne(broker, r, mode, validateOnly);
      results.push({ ...base, errorCode: ErrorCode.NONE, errorMessage: null });
    } catch (err) {
      if (!(err instanceof AlterFailure)) throw err;
      results.push({ ...base, errorCode: err.errorCode, errorMessage: err.message });
    }
  }
  return results;
}

async function alterOne(broker: Broker, r: ResourceAlteration, mode: AlterMode, validateOnly: boolean): Promise<void> {
  const names = r.configs.map((c) => c.name);
  if (new Set(names).size !== names.length) fail(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys');
  const badOp = r.configs.find((c) => OP_NAMES[c.op] === undefined);
  if (badOp) fail(ErrorCode.INVALID_REQUEST, `Unknown operations type ${badOp.op} for config ${badOp.name}.`);
  const nulls = r.configs.filter((c) => c.value === null && c.op !== ALTER_OP.DELETE).map((c) => c.name);
  if (nulls.length > 0) fail(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${nulls.join(', ')}`);

  switch (r.resourceType) {
    case CONFIG_RESOURCE.TOPIC:
      return alterTopic(broker, r, mode, validateOnly);
    case CONFIG_RESOURCE.BROKER:
      return alterBroker(broker, r, mode, validateOnly);
    case CONFIG_RESOURCE.BROKER_LOGGER:
      if (mode === 'replace') fail(ErrorCode.INVALID_REQUEST, `Unknown resource type ${r.resourceType}`);
      checkOwnBrokerId(broker, r.resourceName);
      // Kafka changes log4j levels here. Eddy has no named loggers to adjust.
      if (r.configs.length > 0) fail(ErrorCode.INVALID_CONFIG, `Logger ${r.configs[0].name} does not exist!`);
      return;
    default:
      fail(ErrorCode.INVALID_REQUEST, `Unknown resource type ${r.resourceType}`);
  }
}

async function alterTopic(broker: Broker, r: ResourceAlteration, mode: AlterMode, validateOnly: boolean): Promise<void> {
  const name = r.resourceName;
  if (name === '') fail(ErrorCode.INVALID_REQUEST, 'Default topic resources are not allowed.');
  const nameProblem = topicNameProblem(name);
  if (nameProblem) fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
  const topic = broker.image.topic(name);
  const current = new Map(topic?.configs ?? []);
  const next = applyOps(current, r.configs, mode, (key) => {
    const def = TOPIC_CONFIG_BY_NAME.get(key);
    return def?.type === 'list' ? { defaultValue: def.defaultValue } : null;
  }, (key, op) => `Can't ${OP_NAMES[op]} to key ${key} because its type is not LIST.`);
  const problem = validateTopicConfigs(Object.fromEntries(next));
  if (problem) fail(ErrorCode.INVALID_CONFIG, problem);
  if (!topic) fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
  if (validateOnly) return;
  const changes = diff(current, next);
  if (changes.length > 0) await broker.controller.setConfigs('topic', name, changes);
}

/** A broker resource may name this broker, or be '' (the cluster-wide default). */
function checkOwnBrokerId(broker: Broker, resourceName: string): void {
  if (!/^-?\d+$/.test(resourceName)) fail(ErrorCode.INVALID_REQUEST, `Node id must be an integer, but it is: ${resourceName}`);
  if (Number(resourceName) !== broker.nodeId) {
    fail(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${broker.nodeId}, but received ${resourceName}`);
  }
}

async function alterBroker(broker: Broker, r: ResourceAlteration, mode: AlterMode, validateOnly: boolean): Promise<void> {
  // Kafka's admin clients send a broker id's configs to that broker, and the cluster default to any.
  if (r.resourceName !== '') checkOwnBrokerId(broker, r.resourceName);
  const current = new Map(broker.image.brokerConfigs.get(r.resourceName) ?? []);
  const next = applyOps(current, r.configs, mode, (key) => {
    const def = BROKER_CONFIG_BY_NAME.get(key);
    return def?.type === 'list' ? { defaultValue: def.defaultValue } : null;
  }, (key, op) => `Config value ${op === ALTER_OP.APPEND ? 'append' : 'subtract'} is not allowed for config key: ${key}`);
  const problem = validateDynamicBrokerConfigs(Object.fromEntries(next));
  if (problem) fail(problem.kind === 'unknown' ? ErrorCode.INVALID_CONFIG : ErrorCode.INVALID_REQUEST, problem.message);
  if (validateOnly) return;
  const changes = diff(current, next);
  if (changes.length > 0) await broker.controller.setConfigs('broker', r.resourceName, changes);
}

/**
 * The resource's dynamic configs after the request: 'replace' starts from nothing, 'incremental'
 * from the current set. APPEND adds list items that are not there yet, SUBTRACT removes items; both
 * start from the current value, else the default, and only work on list configs.
 */
function applyOps(
  current: Map<string, string>,
  ops: ConfigAlteration[],
  mode: AlterMode,
  listConfig: (key: string) => { defaultValue: string | null } | null,
  notAList: (key: string, op: number) => string,
): Map<string, string> {
  const next = mode === 'replace' ? new Map<string, string>() : new Map(current);
  for (const c of ops) {
    switch (c.op) {
      case ALTER_OP.SET:
        next.set(c.name, c.value!);
        break;
      case ALTER_OP.DELETE:
        next.delete(c.name);
        break;
      case ALTER_OP.APPEND:
      case ALTER_OP.SUBTRACT: {
        const list = listConfig(c.name);
        if (!list) fail(ErrorCode.INVALID_CONFIG, notAList(c.name, c.op));
        const items = splitList(next.get(c.name) ?? list!.defaultValue ?? '');
        const given = splitList(c.value!);
        const result = c.op === ALTER_OP.APPEND ? [...items, ...given.filter((v) => !items.includes(v))] : items.filter((v) => !given.includes(v));
        next.set(c.name, result.join(','));
        break;
      }
    }
  }
  return next;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Config records that turn `current` into `next` (null removes a key). */
function diff(current: Map<string, string>, next: Map<string, string>): { name: string; value: string | null }[] {
  const changes: { name: string; value: string | null }[] = [];
  for (const [name, value] of next) if (current.get(name) !== value) changes.push({ name, value });
  for (const name of current.keys()) if (!next.has(name)) changes.push({ name, value: null });
  return changes;
}
