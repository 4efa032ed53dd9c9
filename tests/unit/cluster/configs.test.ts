import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, type Engine } from '../../../src/engine/runtime/engine.js';
import { buildBatch } from '../../../src/engine/protocol/records/index.js';
import { ErrorCode } from '../../../src/engine/protocol/errors.js';
import { BROKER_CONFIG_BY_NAME, BROKER_CONFIGS } from '../../../src/engine/config/broker-config-catalog.js';
import { GROUP_COORDINATOR_DEFAULTS } from '../../../src/engine/groups/config.js';
import { RawClient } from '../../helpers/raw-client.js';

const PRODUCE = 0;
const CREATE_TOPICS = 19;
const DESCRIBE_CONFIGS = 32;
const ALTER_CONFIGS = 33;
const INCREMENTAL_ALTER_CONFIGS = 44;
const TOPIC = 2;
const BROKER = 4;
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;
/** DescribeConfigs ConfigSource. */
const Source = { TOPIC: 1, BROKER: 2, CLUSTER_DEFAULT: 3, STATIC: 4, DEFAULT: 5 };

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let dataDir: string;
let engine: Engine;
const clients: RawClient[] = [];
const startOptions = () => ({
  dataDir,
  brokers: 3,
  host: '127.0.0.1',
  basePort: 0,
  overrides: { 'auto.leader.rebalance.enable': 'false', 'log.retention.check.interval.ms': '600000' },
});

async function connect(brokerId: number): Promise<RawClient> {
  const c = await RawClient.connect(engine.broker(brokerId)!.port);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-configs-'));
  engine = await startEngine(startOptions());
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await engine.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function createTopic(name: string, configs: Record<string, string> = {}, rf = 3) {
  const c = await connect(1);
  const res = await c.request(CREATE_TOPICS, 7, {
    topics: [{ name, numPartitions: 1, replicationFactor: rf, assignments: [], configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })) }],
    timeoutMs: 5000,
  });
  expect(res.topics[0].errorCode).toBe(0);
  const [p] = engine.controller.image.topic(name)!.partitions;
  await until(() => p.replicas.every((id) => engine.broker(id)?.replicas.get(name, 0)?.leaderEpoch === p.leaderEpoch), 'replicas to know their roles');
  return p;
}

type Op = [name: string, value: string | null, op?: number];

async function incremental(brokerId: number, resources: { type: number; name: string; ops: Op[] }[], validateOnly = false) {
  const c = await connect(brokerId);
  const res = await c.request(INCREMENTAL_ALTER_CONFIGS, 1, {
    resources: resources.map((r) => ({
      resourceType: r.type,
      resourceName: r.name,
      configs: r.ops.map(([name, value, op]) => ({ name, value, configOperation: op ?? SET })),
    })),
    validateOnly,
  });
  return res.responses as { resourceType: number; resourceName: string; errorCode: number; errorMessage: string | null }[];
}

async function incrementalOne(brokerId: number, type: number, name: string, ops: Op[], validateOnly = false) {
  return (await incremental(brokerId, [{ type, name, ops }], validateOnly))[0];
}

async function legacy(brokerId: number, type: number, name: string, configs: Record<string, string | null>, version = 2) {
  const c = await connect(brokerId);
  const res = await c.request(ALTER_CONFIGS, version, {
    resources: [{ resourceType: type, resourceName: name, configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })) }],
    validateOnly: false,
  });
  return res.responses[0] as { errorCode: number; errorMessage: string | null };
}

async function describe1(brokerId: number, type: number, name: string, keys: string[] | null = null) {
  const c = await connect(brokerId);
  const res = await c.request(DESCRIBE_CONFIGS, 4, {
    resources: [{ resourceType: type, resourceName: name, configurationKeys: keys }],
    includeSynonyms: true,
    includeDocumentation: false,
  });
  const r = res.results[0];
  expect(r.errorCode).toBe(0);
  return new Map<string, any>((r.configs as any[]).map((e) => [e.name, e]));
}

async function produce(topic: string, valueBytes: number, acks = -1) {
  const leader = engine.controller.image.topic(topic)!.partitions[0].leader;
  const c = await connect(leader);
  const res = await c.request(PRODUCE, 9, {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [
      {
        name: topic,
        partitionData: [{ index: 0, records: buildBatch({ records: [{ key: null, value: Buffer.alloc(valueBytes, 7), headers: [], timestamp: Date.now() }] }) }],
      },
    ],
  });
  return res.responses[0].partitionResponses[0];
}

/** Every broker has applied the metadata up to the controller's. */
const caughtUp = () => engine.brokers.every((b) => b.image.offset === engine.controller.image.offset);

describe('AlterConfigs / IncrementalAlterConfigs validation', () => {
  it("answers Kafka's error codes and changes nothing when a resource is refused or validateOnly is set", async () => {
    await createTopic('v', { 'retention.ms': '100000' });
    const cases: [Op[], string, number, RegExp][] = [
      [[['no.such.config', '1']], 'v', ErrorCode.INVALID_CONFIG, /Unknown topic config name: no\.such\.config/],
      [[['retention.ms', 'soon']], 'v', ErrorCode.INVALID_CONFIG, /Invalid value soon for configuration retention\.ms/],
      [[['segment.bytes', '1000']], 'v', ErrorCode.INVALID_CONFIG, /segment\.bytes/],
      [[['retention.ms', '1000']], 'missing', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, /The topic 'missing' does not exist/],
      [[['retention.ms', '1000', APPEND]], 'v', ErrorCode.INVALID_CONFIG, /Can't APPEND to key retention\.ms because its type is not LIST/],
      [[['retention.ms', null, SET]], 'v', ErrorCode.INVALID_REQUEST, /Null value not supported for : retention\.ms/],
      [[['retention.ms', '1'], ['retention.ms', '2']], 'v', ErrorCode.INVALID_REQUEST, /duplicate config keys/],
      [[['retention.ms', '1', 9]], 'v', ErrorCode.INVALID_REQUEST, /Unknown operations type 9/],
      [[['retention.ms', '1']], '', ErrorCode.INVALID_REQUEST, /Default topic resources are not allowed/],
      [[['retention.ms', '1']], 'bad name', ErrorCode.INVALID_TOPIC_EXCEPTION, /bad name/],
    ];
    for (const [ops, topic, code, message] of cases) {
      const r = await incrementalOne(1, TOPIC, topic, ops);
      expect(r.errorCode, `${topic} ${JSON.stringify(ops)}`).toBe(code);
      expect(r.errorMessage).toMatch(message);
    }
    const brokerCases: [string, Op[], number, RegExp][] = [
      ['1', [['log.dirs', '/elsewhere']], ErrorCode.INVALID_REQUEST, /Cannot update these configs dynamically: log\.dirs/],
      ['', [['num.partitions', '3']], ErrorCode.INVALID_REQUEST, /Cannot update these configs dynamically: num\.partitions/],
      ['', [['log.retention.check.interval.ms', '1000']], ErrorCode.INVALID_REQUEST, /dynamically/],
      ['', [['group.initial.rebalance.delay.ms', '10']], ErrorCode.INVALID_REQUEST, /dynamically/],
      ['', [['log.retention.ms', 'abc']], ErrorCode.INVALID_REQUEST, /Invalid value abc for configuration log\.retention\.ms/],
      ['', [['no.such.broker.config', '1']], ErrorCode.INVALID_CONFIG, /Unknown broker config name: no\.such\.broker\.config/],
      ['', [['log.retention.ms', '1', APPEND]], ErrorCode.INVALID_CONFIG, /Config value append is not allowed for config key: log\.retention\.ms/],
      // A broker id's configs go to that broker (Kafka's admin client sends them there).
      ['2', [['log.retention.ms', '1000']], ErrorCode.INVALID_REQUEST, /Unexpected broker id, expected 1, but received 2/],
      ['x', [['log.retention.ms', '1000']], ErrorCode.INVALID_REQUEST, /Node id must be an integer, but it is: x/],
    ];
    for (const [name, ops, code, message] of brokerCases) {
      const r = await incrementalOne(1, BROKER, name, ops);
      expect(r.errorCode, `broker '${name}' ${JSON.stringify(ops)}`).toBe(code);
      expect(r.errorMessage).toMatch(message);
    }
    expect((await incremental(1, [{ type: 99, name: 'x', ops: [['a', 'b']] }]))[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST });
    // A resource named twice: both refused.
    const twice = await incremental(1, [
      { type: TOPIC, name: 'v', ops: [['retention.ms', '5']] },
      { type: TOPIC, name: 'v', ops: [['retention.ms', '6']] },
    ]);
    expect(twice.map((r) => r.errorCode)).toEqual([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
    // validateOnly checks and stores nothing.
    const records = engine.controller.image.offset;
    expect((await incrementalOne(1, TOPIC, 'v', [['retention.ms', '5000']], true)).errorCode).toBe(0);
    expect((await incrementalOne(1, BROKER, '', [['log.retention.ms', '5000']], true)).errorCode).toBe(0);
    expect(engine.controller.image.offset).toBe(records);
    expect(Object.fromEntries(engine.controller.image.topic('v')!.configs)).toEqual({ 'retention.ms': '100000' });

    // Legacy AlterConfigs: the same rules.
    expect(await legacy(1, TOPIC, 'v', { 'no.such.config': '1' })).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG });
    expect(await legacy(1, TOPIC, 'missing', { 'retention.ms': '1' })).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
    expect(await legacy(1, TOPIC, 'v', { 'retention.ms': null })).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST });
    expect(await legacy(1, BROKER, '1', { 'log.dirs': '/x' }, 0)).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST });
    expect(await legacy(1, 8, '1', { kafka: 'DEBUG' })).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST });
    expect(Object.fromEntries(engine.controller.image.topic('v')!.configs)).toEqual({ 'retention.ms': '100000' });
  });

  it('AlterConfigs replaces the whole dynamic set, IncrementalAlterConfigs only the named keys (APPEND/SUBTRACT on lists)', async () => {
    await createTopic('s', { 'retention.ms': '100000', 'segment.bytes': '2097152' });
    const configs = () => Object.fromEntries(engine.controller.image.topic('s')!.configs);
    expect((await incrementalOne(2, TOPIC, 's', [['max.message.bytes', '50000'], ['segment.bytes', null, DELETE], ['no.such.key', null, DELETE]])).errorCode).toBe(0);
    expect(configs()).toEqual({ 'retention.ms': '100000', 'max.message.bytes': '50000' });
    // APPEND starts from the default ('delete') and skips items already there; SUBTRACT removes.
    expect((await incrementalOne(1, TOPIC, 's', [['cleanup.policy', 'compact', APPEND]])).errorCode).toBe(0);
    expect(configs()['cleanup.policy']).toBe('delete,compact');
    expect((await incrementalOne(1, TOPIC, 's', [['cleanup.policy', 'compact,delete', APPEND]])).errorCode).toBe(0);
    expect(configs()['cleanup.policy']).toBe('delete,compact');
    expect((await incrementalOne(1, TOPIC, 's', [['cleanup.policy', 'delete', SUBTRACT]])).errorCode).toBe(0);
    expect(configs()['cleanup.policy']).toBe('compact');
    // Legacy AlterConfigs: what the request leaves out goes back to the broker's default.
    expect((await legacy(3, TOPIC, 's', { 'retention.ms': '200000' })).errorCode).toBe(0);
    expect(configs()).toEqual({ 'retention.ms': '200000' });
    expect((await legacy(3, TOPIC, 's', {}, 1)).errorCode).toBe(0);
    expect(configs()).toEqual({});

    // The same for the cluster default.
    expect((await incrementalOne(1, BROKER, '', [['log.retention.ms', '7000'], ['log.cleanup.policy', 'compact', APPEND]])).errorCode).toBe(0);
    expect(Object.fromEntries(engine.controller.image.brokerConfigs.get('')!)).toEqual({ 'log.retention.ms': '7000', 'log.cleanup.policy': 'delete,compact' });
    expect((await legacy(2, BROKER, '', { 'message.max.bytes': '2000000' })).errorCode).toBe(0);
    expect(Object.fromEntries(engine.controller.image.brokerConfigs.get('')!)).toEqual({ 'message.max.bytes': '2000000' });
  });
});

describe('config changes take effect at once on every replica', () => {
  it('max.message.bytes, min.insync.replicas, message.timestamp.type, retention.ms and segment.bytes', async () => {
    const p = await createTopic('live', { 'min.insync.replicas': '2' });
    expect((await produce('live', 20_000)).errorCode).toBe(0);

    expect((await incrementalOne(2, TOPIC, 'live', [['max.message.bytes', '10000'], ['retention.ms', '3600000'], ['segment.bytes', '2097152']])).errorCode).toBe(0);
    await until(caughtUp, 'brokers to apply the change');
    expect((await produce('live', 20_000)).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect((await produce('live', 2_000)).errorCode).toBe(0);
    for (const id of p.replicas) {
      const log = engine.broker(id)!.replicas.get('live', 0)!.log;
      expect(log.config).toMatchObject({ maxMessageBytes: 10000, retentionMs: 3600000, segmentBytes: 2097152 });
    }

    // min.insync.replicas=3 with one replica gone: acks=all is refused; back to 2 and it works again.
    expect((await incrementalOne(1, TOPIC, 'live', [['min.insync.replicas', '3']])).errorCode).toBe(0);
    const follower = p.replicas.find((id) => id !== p.leader)!;
    await engine.stopBroker(follower);
    expect(engine.controller.image.topic('live')!.partitions[0].isr).toHaveLength(2);
    await until(() => engine.broker(p.leader)!.replicas.get('live', 0)!.isr.length === 2, 'the leader to see the ISR shrink');
    expect((await produce('live', 100)).errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
    expect((await produce('live', 100, 1)).errorCode).toBe(0);
    expect((await incrementalOne(p.leader, TOPIC, 'live', [['min.insync.replicas', '2']])).errorCode).toBe(0);
    expect((await produce('live', 100)).errorCode).toBe(0);

    // message.timestamp.type=LogAppendTime: the broker stamps its own time from now on.
    expect((await incrementalOne(p.leader, TOPIC, 'live', [['message.timestamp.type', 'LogAppendTime']])).errorCode).toBe(0);
    const stamped = await produce('live', 100);
    expect(stamped.errorCode).toBe(0);
    expect(stamped.logAppendTimeMs).toBeGreaterThan(0);
  });

  it("broker configs: '' is the cluster default on every broker, a broker id overrides it there; DescribeConfigs reports the sources", async () => {
    await createTopic('b');
    await createTopic('own', { 'retention.ms': '123456' });
    expect((await incrementalOne(3, BROKER, '', [['log.retention.ms', '7000'], ['message.max.bytes', '20000']])).errorCode).toBe(0);
    expect((await incrementalOne(2, BROKER, '2', [['log.retention.ms', '5000']])).errorCode).toBe(0);
    await until(caughtUp, 'brokers to apply the change');
    for (const b of engine.brokers) {
      const log = b.replicas.get('b', 0)!.log;
      expect(log.config.retentionMs, `broker ${b.nodeId}`).toBe(b.nodeId === 2 ? 5000 : 7000);
      expect(log.config.maxMessageBytes).toBe(20000);
      // A topic's own value wins over every broker-level one.
      expect(b.replicas.get('own', 0)!.log.config.retentionMs).toBe(123456);
    }
    expect((await produce('b', 30_000)).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);

    const onBroker2 = await describe1(2, TOPIC, 'b', ['retention.ms', 'max.message.bytes', 'cleanup.policy']);
    expect(onBroker2.get('retention.ms')).toMatchObject({ value: '5000', configSource: Source.BROKER });
    expect(onBroker2.get('retention.ms').synonyms).toEqual([
      { name: 'log.retention.ms', value: '5000', source: Source.BROKER },
      { name: 'log.retention.ms', value: '7000', source: Source.CLUSTER_DEFAULT },
      { name: 'log.retention.ms', value: '604800000', source: Source.DEFAULT },
    ]);
    expect(onBroker2.get('max.message.bytes')).toMatchObject({ value: '20000', configSource: Source.CLUSTER_DEFAULT });
    expect(onBroker2.get('cleanup.policy')).toMatchObject({ value: 'delete', configSource: Source.DEFAULT });
    expect((await describe1(1, TOPIC, 'b', ['retention.ms'])).get('retention.ms')).toMatchObject({ value: '7000', configSource: Source.CLUSTER_DEFAULT });
    const own = (await describe1(1, TOPIC, 'own', ['retention.ms'])).get('retention.ms');
    expect(own).toMatchObject({ value: '123456', configSource: Source.TOPIC });
    expect(own.synonyms.map((s: any) => s.source)).toEqual([Source.TOPIC, Source.CLUSTER_DEFAULT, Source.DEFAULT]);

    // Broker resource '': only the dynamic cluster defaults, as Kafka answers.
    const clusterDefault = await describe1(1, BROKER, '');
    expect([...clusterDefault.keys()].sort()).toEqual(['log.retention.ms', 'message.max.bytes']);
    expect(clusterDefault.get('log.retention.ms')).toMatchObject({ value: '7000', configSource: Source.CLUSTER_DEFAULT, readOnly: false });
    // Broker id: every config, with its source; read-only ones flagged; group coordinator configs included.
    const b2 = await describe1(2, BROKER, '2');
    expect(b2.get('log.retention.ms')).toMatchObject({ value: '5000', configSource: Source.BROKER, readOnly: false, configType: 5 });
    expect(b2.get('message.max.bytes')).toMatchObject({ value: '20000', configSource: Source.CLUSTER_DEFAULT });
    expect(b2.get('log.dirs')).toMatchObject({ readOnly: true, configSource: Source.STATIC });
    expect(b2.get('log.retention.check.interval.ms')).toMatchObject({ value: '600000', readOnly: true, configSource: Source.STATIC });
    expect(b2.get('group.initial.rebalance.delay.ms')).toMatchObject({ value: '0', readOnly: true, configSource: Source.DEFAULT });
    expect(b2.get('offsets.retention.minutes')).toMatchObject({ value: '10080', readOnly: true });
    expect(b2.get('num.partitions')).toMatchObject({ readOnly: true });
    expect((await describe1(1, BROKER, '1', ['log.retention.ms'])).get('log.retention.ms')).toMatchObject({ value: '7000', configSource: Source.CLUSTER_DEFAULT });

    // Removing the per-broker value falls back to the cluster default.
    expect((await incrementalOne(2, BROKER, '2', [['log.retention.ms', null, DELETE]])).errorCode).toBe(0);
    await until(caughtUp, 'brokers to apply the change');
    expect(engine.broker(2)!.replicas.get('b', 0)!.log.config.retentionMs).toBe(7000);
  });

  it('survives an engine restart (the changes are records in the metadata log)', async () => {
    await createTopic('p');
    expect((await incrementalOne(1, TOPIC, 'p', [['retention.ms', '42000'], ['cleanup.policy', 'compact,delete']])).errorCode).toBe(0);
    expect((await incrementalOne(1, BROKER, '', [['log.segment.bytes', '3145728']])).errorCode).toBe(0);
    expect((await incrementalOne(3, BROKER, '3', [['log.retention.bytes', '9999999']])).errorCode).toBe(0);
    for (const c of clients.splice(0)) c.close();
    await engine.stop();

    engine = await startEngine(startOptions());
    await until(() => engine.brokers.every((b) => b.replicas.get('p', 0)?.log.config.retentionMs === 42000), 'replicas to reopen');
    for (const b of engine.brokers) {
      const config = b.replicas.get('p', 0)!.log.config;
      expect(config.cleanupPolicy).toEqual(['compact', 'delete']);
      expect(config.segmentBytes).toBe(3145728);
      expect(config.retentionBytes).toBe(b.nodeId === 3 ? 9999999 : -1);
    }
    const described = await describe1(3, TOPIC, 'p', ['retention.ms', 'segment.bytes', 'retention.bytes']);
    expect(described.get('retention.ms')).toMatchObject({ value: '42000', configSource: Source.TOPIC });
    expect(described.get('segment.bytes')).toMatchObject({ value: '3145728', configSource: Source.CLUSTER_DEFAULT });
    expect(described.get('retention.bytes')).toMatchObject({ value: '9999999', configSource: Source.BROKER });
  });
});

describe('broker config catalog', () => {
  it('lists the group coordinator configs with the defaults the coordinator uses, read-only as in Kafka', () => {
    const expected: Record<string, number> = {
      'group.initial.rebalance.delay.ms': GROUP_COORDINATOR_DEFAULTS.initialRebalanceDelayMs,
      'group.min.session.timeout.ms': GROUP_COORDINATOR_DEFAULTS.minSessionTimeoutMs,
      'group.max.session.timeout.ms': GROUP_COORDINATOR_DEFAULTS.maxSessionTimeoutMs,
      'group.max.size': GROUP_COORDINATOR_DEFAULTS.maxGroupSize,
      'offsets.topic.num.partitions': GROUP_COORDINATOR_DEFAULTS.offsetsTopicNumPartitions,
      'offsets.topic.replication.factor': GROUP_COORDINATOR_DEFAULTS.offsetsTopicReplicationFactor,
      'offsets.topic.segment.bytes': GROUP_COORDINATOR_DEFAULTS.offsetsTopicSegmentBytes,
      'offsets.retention.minutes': GROUP_COORDINATOR_DEFAULTS.offsetsRetentionMs / 60_000,
      'offsets.retention.check.interval.ms': GROUP_COORDINATOR_DEFAULTS.offsetsRetentionCheckIntervalMs,
      'offset.metadata.max.bytes': GROUP_COORDINATOR_DEFAULTS.offsetMetadataMaxBytes,
      'offsets.commit.timeout.ms': GROUP_COORDINATOR_DEFAULTS.offsetCommitTimeoutMs,
    };
    for (const [name, value] of Object.entries(expected)) {
      expect(BROKER_CONFIG_BY_NAME.get(name), name).toMatchObject({ defaultValue: String(value), dynamic: false });
    }
    expect(BROKER_CONFIGS.filter((d) => d.dynamic).map((d) => d.name)).toEqual(
      expect.arrayContaining(['log.retention.ms', 'log.retention.bytes', 'log.segment.bytes', 'message.max.bytes', 'min.insync.replicas', 'log.cleanup.policy']),
    );
  });
});
