/**
 * Captures request frames encoded by two independent Kafka client libraries (kafkajs 2.2.4 and
 * @platformatic/kafka 1.35, both devDependencies) into tests/unit/protocol/fixtures/library-requests.json.
 *
 *   npx tsx scripts/capture-protocol-fixtures.ts
 *
 * Each fixture holds the whole frame as the library would put it on the socket (size prefix, request
 * header, body) plus the values it was built from, in our field naming. The codec is not involved
 * here: tests/unit/protocol/golden.test.ts decodes these frames and re-encodes them. Run it again only
 * when a library version changes; the fixtures are committed.
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYOUTS } from '../tests/unit/protocol/golden/layouts.js';

type X = any;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'tests/unit/protocol/fixtures/library-requests.json');
const require = createRequire(import.meta.url);
const CLIENT_ID = 'eddy-fixture';
const CORRELATION_ID = 0x01020304;
const TIMESTAMP = 1_700_000_000_000;

/** Deep copy that keeps Buffers as Buffers (structuredClone would turn them into Uint8Arrays). */
const clone = (x: X): X => {
  if (Buffer.isBuffer(x)) return Buffer.from(x);
  if (Array.isArray(x)) return x.map(clone);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, clone(v)]));
  return x;
};
const base = (api: string): X => {
  const layout = [...LAYOUTS.values()].find((l) => l.name === api);
  if (!layout) throw new Error(`no layout for ${api}`);
  return clone(layout.request.values);
};

interface Fixture {
  api: string;
  apiKey: number;
  version: number;
  source: 'kafkajs' | 'platformatic';
  clientId: string;
  correlationId: number;
  frame: string;
  values: X;
  /** Bytes the library writes after the body that the spec does not have (a library quirk). */
  trailing?: number;
  note?: string;
}

const fixtures: Fixture[] = [];

// ---------------------------------------------------------------------------------------------
// kafkajs: request modules at kafkajs/src/protocol/requests/<dir>/v<N>/request.js

const kafkajsFrame = require('kafkajs/src/protocol/request') as (a: X) => Promise<{ buffer: Buffer }>;

interface KafkajsCase {
  api: string;
  dir: string;
  versions: number[];
  /** The values the library is asked to encode (our naming). */
  values: (v: number) => X;
  args: (x: X, v: number) => X | Promise<X>;
  note?: string;
}

async function captureKafkajs(c: KafkajsCase): Promise<void> {
  for (const v of c.versions) {
    const values = c.values(v);
    const make = require(`kafkajs/src/protocol/requests/${c.dir}/v${v}/request`) as (a: X) => X;
    const request = make(await c.args(values, v));
    const frame = await kafkajsFrame({ correlationId: CORRELATION_ID, clientId: CLIENT_ID, request });
    const apiKey = request.apiKey as number;
    fixtures.push({ api: c.api, apiKey, version: v, source: 'kafkajs', clientId: CLIENT_ID, correlationId: CORRELATION_ID, frame: frame.buffer.toString('hex'), values, note: c.note });
  }
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

// Produce: record batches come from kafkajs's own MessageSet / RecordBatch encoders.
const MessageSet = require('kafkajs/src/protocol/messageSet') as (a: X) => { buffer: Buffer };
const KRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (a: X) => X;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (a: X) => Promise<{ buffer: Buffer }> };
const kafkajsMessages = [
  { key: 'k1', value: 'v1', timestamp: TIMESTAMP },
  { key: 'k2', value: 'v2', timestamp: TIMESTAMP + 5 },
];
async function kafkajsRecords(v: number, transactionalId: string | null): Promise<Buffer> {
  if (v <= 1) return MessageSet({ messageVersion: 0, entries: kafkajsMessages }).buffer;
  if (v === 2) return MessageSet({ messageVersion: 1, compression: 0, entries: kafkajsMessages }).buffer;
  const records = kafkajsMessages.map((m, i) => KRecord({ ...m, offsetDelta: i, timestampDelta: m.timestamp - TIMESTAMP }));
  const batch = await RecordBatch({
    compression: 0,
    records,
    firstTimestamp: TIMESTAMP,
    maxTimestamp: TIMESTAMP + 5,
    producerId: 4000,
    producerEpoch: 2,
    firstSequence: 7,
    transactional: !!transactionalId,
    lastOffsetDelta: records.length - 1,
  });
  return batch.buffer;
}

const kafkajsCases: KafkajsCase[] = [
  {
    api: 'Produce',
    dir: 'produce',
    versions: range(0, 7),
    values: (v) => ({ ...base('Produce'), transactionalId: v >= 3 ? 'txn-1' : null }),
    args: async (x, v) => {
      const records = await kafkajsRecords(v, x.transactionalId);
      x.topicData[0].partitionData[0].records = records;
      return {
        acks: x.acks,
        timeout: x.timeoutMs,
        transactionalId: x.transactionalId,
        producerId: 4000,
        producerEpoch: 2,
        compression: 0,
        topicData: [{ topic: 'orders', partitions: [{ partition: 2, firstSequence: 7, messages: kafkajsMessages }] }],
      };
    },
  },
  {
    api: 'Fetch',
    dir: 'fetch',
    versions: range(0, 11),
    values: () => ({ ...base('Fetch'), forgottenTopicsData: [{ topic: 'old', partitions: [1, 3] }] }),
    args: (x) => ({
      replicaId: x.replicaId,
      maxWaitTime: x.maxWaitMs,
      minBytes: x.minBytes,
      maxBytes: x.maxBytes,
      isolationLevel: x.isolationLevel,
      sessionId: x.sessionId,
      sessionEpoch: x.sessionEpoch,
      rackId: x.rackId,
      forgottenTopics: x.forgottenTopicsData,
      topics: x.topics.map((t: X) => ({
        topic: t.topic,
        partitions: t.partitions.map((p: X) => ({
          partition: p.partition,
          currentLeaderEpoch: p.currentLeaderEpoch,
          fetchOffset: String(p.fetchOffset),
          logStartOffset: String(p.logStartOffset),
          maxBytes: p.partitionMaxBytes,
        })),
      })),
    }),
  },
  {
    api: 'ListOffsets',
    dir: 'listOffsets',
    versions: range(0, 3),
    values: () => base('ListOffsets'),
    args: (x) => ({
      replicaId: x.replicaId,
      isolationLevel: x.isolationLevel,
      topics: x.topics.map((t: X) => ({
        topic: t.name,
        partitions: t.partitions.map((p: X) => ({ partition: p.partitionIndex, timestamp: p.timestamp, maxNumOffsets: p.maxNumOffsets })),
      })),
    }),
  },
  {
    api: 'Metadata',
    dir: 'metadata',
    versions: range(0, 6),
    values: () => ({ ...base('Metadata'), topics: [{ name: 'orders' }, { name: 'payments' }] }),
    args: (x) => ({ topics: x.topics.map((t: X) => t.name), allowAutoTopicCreation: x.allowAutoTopicCreation }),
  },
  {
    api: 'OffsetCommit',
    dir: 'offsetCommit',
    versions: range(0, 5),
    values: () => base('OffsetCommit'),
    args: (x) => ({
      groupId: x.groupId,
      groupGenerationId: x.generationIdOrMemberEpoch,
      memberId: x.memberId,
      retentionTime: x.retentionTimeMs,
      topics: x.topics.map((t: X) => ({
        topic: t.name,
        partitions: t.partitions.map((p: X) => ({ partition: p.partitionIndex, offset: String(p.committedOffset), timestamp: p.commitTimestamp, metadata: p.committedMetadata })),
      })),
    }),
  },
  {
    api: 'OffsetFetch',
    dir: 'offsetFetch',
    versions: range(1, 4),
    values: () => base('OffsetFetch'),
    args: (x) => ({ groupId: x.groupId, topics: x.topics.map((t: X) => ({ topic: t.name, partitions: t.partitionIndexes.map((p: number) => ({ partition: p })) })) }),
  },
  {
    api: 'FindCoordinator',
    dir: 'findCoordinator',
    versions: range(0, 2),
    values: () => base('FindCoordinator'),
    args: (x) => ({ groupId: x.key, coordinatorKey: x.key, coordinatorType: x.keyType }),
  },
  {
    api: 'JoinGroup',
    dir: 'joinGroup',
    versions: range(0, 5),
    values: () => base('JoinGroup'),
    args: (x) => ({
      groupId: x.groupId,
      sessionTimeout: x.sessionTimeoutMs,
      rebalanceTimeout: x.rebalanceTimeoutMs,
      memberId: x.memberId,
      groupInstanceId: x.groupInstanceId,
      protocolType: x.protocolType,
      groupProtocols: x.protocols,
    }),
  },
  {
    api: 'Heartbeat',
    dir: 'heartbeat',
    versions: range(0, 3),
    values: () => base('Heartbeat'),
    args: (x) => ({ groupId: x.groupId, groupGenerationId: x.generationId, memberId: x.memberId, groupInstanceId: x.groupInstanceId }),
  },
  {
    api: 'LeaveGroup',
    dir: 'leaveGroup',
    versions: range(0, 3),
    values: () => base('LeaveGroup'),
    args: (x) => ({ groupId: x.groupId, memberId: x.memberId, members: x.members }),
  },
  {
    api: 'SyncGroup',
    dir: 'syncGroup',
    versions: range(0, 3),
    values: () => base('SyncGroup'),
    args: (x) => ({
      groupId: x.groupId,
      generationId: x.generationId,
      memberId: x.memberId,
      groupInstanceId: x.groupInstanceId,
      groupAssignment: x.assignments.map((a: X) => ({ memberId: a.memberId, memberAssignment: a.assignment })),
    }),
  },
  {
    api: 'DescribeGroups',
    dir: 'describeGroups',
    versions: range(0, 2),
    values: () => base('DescribeGroups'),
    args: (x) => ({ groupIds: x.groups }),
  },
  { api: 'ListGroups', dir: 'listGroups', versions: range(0, 2), values: () => base('ListGroups'), args: () => ({}) },
  { api: 'SaslHandshake', dir: 'saslHandshake', versions: range(0, 1), values: () => base('SaslHandshake'), args: (x) => ({ mechanism: x.mechanism }) },
  { api: 'ApiVersions', dir: 'apiVersions', versions: range(0, 2), values: () => base('ApiVersions'), args: () => ({}) },
  {
    api: 'CreateTopics',
    dir: 'createTopics',
    versions: range(0, 3),
    values: () => base('CreateTopics'),
    args: (x) => ({
      timeout: x.timeoutMs,
      validateOnly: x.validateOnly,
      topics: x.topics.map((t: X) => ({
        topic: t.name,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
        replicaAssignment: t.assignments.map((a: X) => ({ partition: a.partitionIndex, replicas: a.brokerIds })),
        configEntries: t.configs,
      })),
    }),
  },
  { api: 'DeleteTopics', dir: 'deleteTopics', versions: range(0, 1), values: () => base('DeleteTopics'), args: (x) => ({ topics: x.topicNames, timeout: x.timeoutMs }) },
  {
    api: 'DeleteRecords',
    dir: 'deleteRecords',
    versions: range(0, 1),
    values: () => base('DeleteRecords'),
    args: (x) => ({
      timeout: x.timeoutMs,
      topics: x.topics.map((t: X) => ({ topic: t.name, partitions: t.partitions.map((p: X) => ({ partition: p.partitionIndex, offset: String(p.offset) })) })),
    }),
  },
  {
    api: 'InitProducerId',
    dir: 'initProducerId',
    versions: range(0, 1),
    values: () => base('InitProducerId'),
    args: (x) => ({ transactionalId: x.transactionalId, transactionTimeout: x.transactionTimeoutMs }),
  },
  {
    api: 'AddPartitionsToTxn',
    dir: 'addPartitionsToTxn',
    versions: range(0, 1),
    values: () => base('AddPartitionsToTxn'),
    args: (x) => ({
      transactionalId: x.v3AndBelowTransactionalId,
      producerId: String(x.v3AndBelowProducerId),
      producerEpoch: x.v3AndBelowProducerEpoch,
      topics: x.v3AndBelowTopics.map((t: X) => ({ topic: t.name, partitions: t.partitions })),
    }),
  },
  {
    api: 'AddOffsetsToTxn',
    dir: 'addOffsetsToTxn',
    versions: range(0, 1),
    values: () => base('AddOffsetsToTxn'),
    args: (x) => ({ transactionalId: x.transactionalId, producerId: String(x.producerId), producerEpoch: x.producerEpoch, groupId: x.groupId }),
  },
  {
    api: 'EndTxn',
    dir: 'endTxn',
    versions: range(0, 1),
    values: () => base('EndTxn'),
    args: (x) => ({ transactionalId: x.transactionalId, producerId: String(x.producerId), producerEpoch: x.producerEpoch, transactionResult: x.committed }),
  },
  {
    api: 'TxnOffsetCommit',
    dir: 'txnOffsetCommit',
    versions: range(0, 1),
    values: () => base('TxnOffsetCommit'),
    args: (x) => ({
      transactionalId: x.transactionalId,
      groupId: x.groupId,
      producerId: String(x.producerId),
      producerEpoch: x.producerEpoch,
      topics: x.topics.map((t: X) => ({
        topic: t.name,
        partitions: t.partitions.map((p: X) => ({ partition: p.partitionIndex, offset: String(p.committedOffset), metadata: p.committedMetadata })),
      })),
    }),
  },
  {
    api: 'DescribeAcls',
    dir: 'describeAcls',
    versions: range(0, 1),
    values: () => base('DescribeAcls'),
    args: (x) => ({
      resourceType: x.resourceTypeFilter,
      resourceName: x.resourceNameFilter,
      resourcePatternType: x.patternTypeFilter,
      principal: x.principalFilter,
      host: x.hostFilter,
      operation: x.operation,
      permissionType: x.permissionType,
    }),
  },
  {
    api: 'CreateAcls',
    dir: 'createAcls',
    versions: range(0, 1),
    values: () => base('CreateAcls'),
    args: (x) => ({ creations: x.creations }),
  },
  {
    api: 'DeleteAcls',
    dir: 'deleteAcls',
    versions: range(0, 1),
    values: () => base('DeleteAcls'),
    args: (x) => ({
      filters: x.filters.map((f: X) => ({
        resourceType: f.resourceTypeFilter,
        resourceName: f.resourceNameFilter,
        resourcePatternType: f.patternTypeFilter,
        principal: f.principalFilter,
        host: f.hostFilter,
        operation: f.operation,
        permissionType: f.permissionType,
      })),
    }),
  },
  {
    api: 'DescribeConfigs',
    dir: 'describeConfigs',
    versions: range(0, 2),
    values: () => base('DescribeConfigs'),
    args: (x) => ({
      includeSynonyms: x.includeSynonyms,
      resources: x.resources.map((r: X) => ({ type: r.resourceType, name: r.resourceName, configNames: r.configurationKeys })),
    }),
  },
  {
    api: 'AlterConfigs',
    dir: 'alterConfigs',
    versions: range(0, 1),
    values: () => base('AlterConfigs'),
    args: (x) => ({
      validateOnly: x.validateOnly,
      resources: x.resources.map((r: X) => ({ type: r.resourceType, name: r.resourceName, configEntries: r.configs })),
    }),
  },
  {
    api: 'SaslAuthenticate',
    dir: 'saslAuthenticate',
    versions: range(0, 1),
    values: () => base('SaslAuthenticate'),
    // kafkajs passes authBytes through raw: its SASL mechanisms hand it an already length-prefixed buffer.
    args: (x) => {
      const length = Buffer.alloc(4);
      length.writeInt32BE(x.authBytes.length);
      return { authBytes: Buffer.concat([length, x.authBytes]) };
    },
  },
  {
    api: 'CreatePartitions',
    dir: 'createPartitions',
    versions: range(0, 1),
    values: () => {
      const x = base('CreatePartitions');
      x.topics = [x.topics[0]];
      return x;
    },
    args: (x) => ({
      timeout: x.timeoutMs,
      validateOnly: x.validateOnly,
      topicPartitions: x.topics.map((t: X) => ({ topic: t.name, count: t.count, assignments: t.assignments.map((a: X) => a.brokerIds) })),
    }),
  },
  { api: 'DeleteGroups', dir: 'deleteGroups', versions: range(0, 1), values: () => base('DeleteGroups'), args: (x) => x.groupsNames },
  {
    api: 'AlterPartitionReassignments',
    dir: 'alterPartitionReassignments',
    versions: [0],
    values: () => {
      const x = base('AlterPartitionReassignments');
      x.topics[0].partitions = [x.topics[0].partitions[0]];
      return x;
    },
    args: (x) => ({
      timeout: x.timeoutMs,
      topics: x.topics.map((t: X) => ({ topic: t.name, partitionAssignment: t.partitions.map((p: X) => ({ partition: p.partitionIndex, replicas: p.replicas })) })),
    }),
    note: 'kafkajs writes request header v1 and adds the v2 tag byte at the start of its body',
  },
  {
    api: 'ListPartitionReassignments',
    dir: 'listPartitionReassignments',
    versions: [0],
    values: () => base('ListPartitionReassignments'),
    args: (x) => ({ timeout: x.timeoutMs, topics: x.topics.map((t: X) => ({ topic: t.name, partitions: t.partitionIndexes })) }),
    note: 'kafkajs writes request header v1 and adds the v2 tag byte at the start of its body',
  },
];

// ---------------------------------------------------------------------------------------------
// @platformatic/kafka: API modules at @platformatic/kafka/dist/apis/<group>/<name>-v<N>.js. Each
// exports `api(connection, ...args, callback)`; a stand-in connection records what would be sent
// and the frame is assembled the way the library's Connection.send assembles it.

const PLATFORMATIC = join(ROOT, 'node_modules/@platformatic/kafka/dist');

interface PlatformaticCase {
  api: string;
  module: string;
  versions: number[];
  values: (v: number) => X;
  args: (x: X, v: number) => X[] | Promise<X[]>;
  trailing?: (v: number) => number;
  note?: string;
}

async function capturePlatformatic(c: PlatformaticCase): Promise<void> {
  const { Writer } = (await import(join(PLATFORMATIC, 'protocol/writer.js'))) as X;
  for (const v of c.versions) {
    const values = c.values(v);
    const mod = (await import(join(PLATFORMATIC, `apis/${c.module}-v${v}.js`))) as X;
    let sent: X[] | null = null;
    const connection = { send: (...a: X[]) => (sent = a) };
    mod.api(connection, ...(await c.args(values, v)), () => {});
    if (sent === null) throw new Error(`${c.api} v${v}: nothing sent`);
    const [apiKey, apiVersion, createPayload, , hasRequestHeaderTaggedFields] = sent as X[];
    if (apiVersion !== v) throw new Error(`${c.module} v${v} reports version ${apiVersion}`);
    const writer = Writer.create().appendInt16(apiKey).appendInt16(apiVersion).appendInt32(CORRELATION_ID).appendString(CLIENT_ID, false);
    if (hasRequestHeaderTaggedFields) writer.appendTaggedFields();
    writer.appendFrom(createPayload()).prependLength();
    fixtures.push({
      api: c.api,
      apiKey,
      version: v,
      source: 'platformatic',
      clientId: CLIENT_ID,
      correlationId: CORRELATION_ID,
      frame: Buffer.from(writer.buffer).toString('hex'),
      values,
      trailing: c.trailing?.(v),
      note: c.note,
    });
  }
}

const platformaticCases: PlatformaticCase[] = [
  {
    api: 'Produce',
    module: 'producer/produce',
    versions: range(7, 11),
    values: (v) => ({ ...base('Produce'), transactionalId: v % 2 === 0 ? 'txn-1' : null }),
    args: async (x) => {
      const { createRecordsBatch } = (await import(join(PLATFORMATIC, 'protocol/records.js'))) as X;
      const messages = () => [
        { topic: 'orders', partition: 2, key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: BigInt(TIMESTAMP) },
        { topic: 'orders', partition: 2, key: Buffer.from('k2'), value: Buffer.from('v2'), timestamp: BigInt(TIMESTAMP + 5) },
      ];
      const options = { transactionalId: x.transactionalId ?? undefined, producerId: 4000n, producerEpoch: 2 };
      x.topicData[0].partitionData[0].records = Buffer.from(createRecordsBatch(messages(), { ...options }).buffer);
      return [x.acks, x.timeoutMs, messages(), options];
    },
  },
  {
    api: 'Fetch',
    module: 'consumer/fetch',
    versions: range(12, 17),
    values: (v) => {
      const x = base('Fetch');
      // The library writes ReplicaId -1 and LogStartOffset -1 itself, and no tagged fields.
      x.replicaId = -1;
      x.clusterId = null;
      x.replicaState = { replicaId: -1, replicaEpoch: -1 };
      x.topics[0].partitions[0].logStartOffset = -1;
      x.topics[0].partitions[0].replicaDirectoryId = Buffer.alloc(16);
      // Its v12 writes forgotten topics as uuids (a library bug), so v12 sends none.
      if (v === 12) x.forgottenTopicsData = [];
      return x;
    },
    args: (x, v) => [
      x.maxWaitMs,
      x.minBytes,
      x.maxBytes,
      x.isolationLevel,
      x.sessionId,
      x.sessionEpoch,
      x.topics.map((t: X) => ({
        topicId: v === 12 ? t.topic : t.topicId.toString('hex').replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5'),
        partitions: t.partitions.map((p: X) => ({
          partition: p.partition,
          currentLeaderEpoch: p.currentLeaderEpoch,
          fetchOffset: BigInt(p.fetchOffset),
          lastFetchedEpoch: p.lastFetchedEpoch,
          partitionMaxBytes: p.partitionMaxBytes,
        })),
      })),
      x.forgottenTopicsData.map((t: X) => ({ topic: t.topicId.toString('hex').replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5'), partitions: t.partitions })),
      x.rackId,
    ],
  },
  {
    api: 'ListOffsets',
    module: 'consumer/list-offsets',
    versions: range(5, 9),
    values: () => base('ListOffsets'),
    args: (x) => [
      x.replicaId,
      x.isolationLevel,
      x.topics.map((t: X) => ({ name: t.name, partitions: t.partitions.map((p: X) => ({ ...p, timestamp: BigInt(p.timestamp) })) })),
    ],
  },
  {
    api: 'Metadata',
    module: 'metadata/metadata',
    // Its v11 still writes IncludeClusterAuthorizedOperations (spec: v8-10), so v11 is left out.
    versions: [9, 10, 12],
    values: () => {
      const x = base('Metadata');
      x.topics = x.topics.map((t: X) => ({ topicId: Buffer.alloc(16), name: t.name }));
      x.includeClusterAuthorizedOperations = false;
      return x;
    },
    args: (x) => [x.topics.map((t: X) => t.name), x.allowAutoTopicCreation, x.includeTopicAuthorizedOperations],
  },
  {
    api: 'OffsetCommit',
    module: 'consumer/offset-commit',
    versions: range(8, 9),
    values: () => base('OffsetCommit'),
    args: (x) => [
      x.groupId,
      x.generationIdOrMemberEpoch,
      x.memberId,
      x.groupInstanceId,
      x.topics.map((t: X) => ({ name: t.name, partitions: t.partitions.map((p: X) => ({ ...p, committedOffset: BigInt(p.committedOffset) })) })),
    ],
  },
  { api: 'OffsetFetch', module: 'consumer/offset-fetch', versions: range(8, 9), values: () => base('OffsetFetch'), args: (x) => [x.groups, x.requireStable] },
  { api: 'FindCoordinator', module: 'metadata/find-coordinator', versions: range(4, 6), values: () => base('FindCoordinator'), args: (x) => [x.keyType, x.coordinatorKeys] },
  {
    api: 'JoinGroup',
    module: 'consumer/join-group',
    versions: range(6, 9),
    values: () => base('JoinGroup'),
    args: (x) => [x.groupId, x.sessionTimeoutMs, x.rebalanceTimeoutMs, x.memberId, x.groupInstanceId, x.protocolType, x.protocols, x.reason],
  },
  { api: 'Heartbeat', module: 'consumer/heartbeat', versions: [4], values: () => base('Heartbeat'), args: (x) => [x.groupId, x.generationId, x.memberId, x.groupInstanceId] },
  { api: 'LeaveGroup', module: 'consumer/leave-group', versions: range(4, 5), values: () => base('LeaveGroup'), args: (x) => [x.groupId, x.members] },
  {
    api: 'SyncGroup',
    module: 'consumer/sync-group',
    versions: range(4, 5),
    values: () => base('SyncGroup'),
    args: (x) => [x.groupId, x.generationId, x.memberId, x.groupInstanceId, x.protocolType, x.protocolName, x.assignments],
  },
  { api: 'DescribeGroups', module: 'admin/describe-groups', versions: [5], values: () => base('DescribeGroups'), args: (x) => [x.groups, x.includeAuthorizedOperations] },
  { api: 'ListGroups', module: 'admin/list-groups', versions: range(4, 5), values: () => base('ListGroups'), args: (x) => [x.statesFilter, x.typesFilter] },
  { api: 'SaslHandshake', module: 'security/sasl-handshake', versions: [1], values: () => base('SaslHandshake'), args: (x) => [x.mechanism] },
  {
    api: 'ApiVersions',
    module: 'metadata/api-versions',
    versions: range(3, 4),
    values: () => base('ApiVersions'),
    args: (x) => [x.clientSoftwareName, x.clientSoftwareVersion],
  },
  { api: 'CreateTopics', module: 'admin/create-topics', versions: [7], values: () => base('CreateTopics'), args: (x) => [x.topics, x.timeoutMs, x.validateOnly] },
  {
    api: 'DeleteTopics',
    module: 'admin/delete-topics',
    versions: [6],
    values: () => {
      const x = base('DeleteTopics');
      x.topics = [{ name: 'orders', topicId: Buffer.alloc(16) }];
      return x;
    },
    args: (x) => [x.topics.map((t: X) => ({ name: t.name, topicId: null })), x.timeoutMs],
  },
  {
    api: 'DeleteRecords',
    module: 'admin/delete-records',
    versions: [2],
    values: () => base('DeleteRecords'),
    args: (x) => [x.topics.map((t: X) => ({ name: t.name, partitions: t.partitions.map((p: X) => ({ ...p, offset: BigInt(p.offset) })) })), x.timeoutMs],
  },
  {
    api: 'InitProducerId',
    module: 'producer/init-producer-id',
    versions: range(3, 5),
    values: () => base('InitProducerId'),
    args: (x) => [x.transactionalId, x.transactionTimeoutMs, BigInt(x.producerId), x.producerEpoch],
  },
  {
    api: 'OffsetForLeaderEpoch',
    module: 'consumer/offset-for-leader-epoch',
    versions: [4],
    values: () => base('OffsetForLeaderEpoch'),
    args: (x) => [
      x.replicaId,
      x.topics.map((t: X) => ({ name: t.topic, partitions: t.partitions.map((p: X) => ({ partitionIndex: p.partition, currentLeaderEpoch: p.currentLeaderEpoch, leaderEpoch: p.leaderEpoch })) })),
    ],
  },
  {
    api: 'AddPartitionsToTxn',
    module: 'producer/add-partitions-to-txn',
    versions: range(3, 5),
    values: () => base('AddPartitionsToTxn'),
    args: (x) => [x.transactions.map((t: X) => ({ ...t, producerId: BigInt(t.producerId) }))],
  },
  {
    api: 'AddOffsetsToTxn',
    module: 'producer/add-offsets-to-txn',
    versions: range(1, 4),
    values: () => base('AddOffsetsToTxn'),
    args: (x) => [x.transactionalId, BigInt(x.producerId), x.producerEpoch, x.groupId],
  },
  {
    api: 'EndTxn',
    module: 'producer/end-txn',
    versions: range(3, 4),
    values: () => base('EndTxn'),
    args: (x) => [x.transactionalId, BigInt(x.producerId), x.producerEpoch, x.committed],
  },
  {
    api: 'TxnOffsetCommit',
    module: 'producer/txn-offset-commit',
    versions: range(3, 4),
    values: () => base('TxnOffsetCommit'),
    args: (x) => [
      x.transactionalId,
      x.groupId,
      BigInt(x.producerId),
      x.producerEpoch,
      x.generationId,
      x.memberId,
      x.groupInstanceId,
      x.topics.map((t: X) => ({ name: t.name, partitions: t.partitions.map((p: X) => ({ ...p, committedOffset: BigInt(p.committedOffset) })) })),
    ],
  },
  {
    api: 'DescribeAcls',
    module: 'admin/describe-acls',
    versions: range(2, 3),
    values: () => base('DescribeAcls'),
    args: (x) => [
      {
        resourceType: x.resourceTypeFilter,
        resourceName: x.resourceNameFilter,
        resourcePatternType: x.patternTypeFilter,
        principal: x.principalFilter,
        host: x.hostFilter,
        operation: x.operation,
        permissionType: x.permissionType,
      },
    ],
  },
  { api: 'CreateAcls', module: 'admin/create-acls', versions: range(2, 3), values: () => base('CreateAcls'), args: (x) => [x.creations] },
  {
    api: 'DeleteAcls',
    module: 'admin/delete-acls',
    versions: range(2, 3),
    values: () => base('DeleteAcls'),
    args: (x) => [
      x.filters.map((f: X) => ({
        resourceType: f.resourceTypeFilter,
        resourceName: f.resourceNameFilter,
        resourcePatternType: f.patternTypeFilter,
        principal: f.principalFilter,
        host: f.hostFilter,
        operation: f.operation,
        permissionType: f.permissionType,
      })),
    ],
  },
  {
    api: 'DescribeConfigs',
    module: 'admin/describe-configs',
    versions: range(2, 4),
    values: () => base('DescribeConfigs'),
    args: (x) => [x.resources, x.includeSynonyms, x.includeDocumentation],
    trailing: (v) => (v === 2 ? 1 : 0),
    note: 'the library writes IncludeDocumentation in v2 as well (spec: v3+); that byte trails the v2 body',
  },
  { api: 'AlterConfigs', module: 'admin/alter-configs', versions: [2], values: () => base('AlterConfigs'), args: (x) => [x.resources, x.validateOnly] },
  {
    api: 'DescribeLogDirs',
    module: 'admin/describe-log-dirs',
    versions: range(2, 4),
    values: () => base('DescribeLogDirs'),
    args: (x) => [x.topics.map((t: X) => ({ name: t.topic, partitions: t.partitions }))],
  },
  { api: 'SaslAuthenticate', module: 'security/sasl-authenticate', versions: [2], values: () => base('SaslAuthenticate'), args: (x) => [x.authBytes] },
  {
    api: 'CreatePartitions',
    module: 'admin/create-partitions',
    versions: range(1, 3),
    values: () => {
      const x = base('CreatePartitions');
      x.topics = [x.topics[0]];
      return x;
    },
    args: (x) => [x.topics, x.timeoutMs, x.validateOnly],
  },
  { api: 'DeleteGroups', module: 'admin/delete-groups', versions: [2], values: () => base('DeleteGroups'), args: (x) => [x.groupsNames] },
  { api: 'IncrementalAlterConfigs', module: 'admin/incremental-alter-configs', versions: [1], values: () => base('IncrementalAlterConfigs'), args: (x) => [x.resources, x.validateOnly] },
  {
    api: 'AlterPartitionReassignments',
    module: 'admin/alter-partition-reassignments',
    versions: [0],
    values: () => {
      const x = base('AlterPartitionReassignments');
      x.topics[0].partitions = [x.topics[0].partitions[0]];
      return x;
    },
    args: (x) => [x.timeoutMs, false, x.topics],
  },
  { api: 'ListPartitionReassignments', module: 'admin/list-partition-reassignments', versions: [0], values: () => base('ListPartitionReassignments'), args: (x) => [x.timeoutMs, x.topics] },
  {
    api: 'OffsetDelete',
    module: 'admin/offset-delete',
    versions: [0],
    values: () => base('OffsetDelete'),
    args: (x) => [x.groupId, x.topics],
  },
  {
    api: 'DescribeCluster',
    module: 'admin/describe-cluster',
    versions: range(0, 1),
    values: () => base('DescribeCluster'),
    args: (x) => [x.includeClusterAuthorizedOperations, x.endpointType],
  },
  { api: 'DescribeProducers', module: 'admin/describe-producers', versions: [0], values: () => base('DescribeProducers'), args: (x) => [x.topics] },
  { api: 'DescribeTransactions', module: 'admin/describe-transactions', versions: [0], values: () => base('DescribeTransactions'), args: (x) => [x.transactionalIds] },
  {
    api: 'ListTransactions',
    module: 'admin/list-transactions',
    versions: range(0, 1),
    values: () => base('ListTransactions'),
    args: (x) => [x.stateFilters, x.producerIdFilters.map((p: number) => BigInt(p)), BigInt(x.durationFilter), null],
  },
  {
    api: 'ConsumerGroupHeartbeat',
    module: 'consumer/consumer-group-heartbeat',
    versions: [0],
    values: () => base('ConsumerGroupHeartbeat'),
    args: (x) => [
      x.groupId,
      x.memberId,
      x.memberEpoch,
      x.instanceId,
      x.rackId,
      x.rebalanceTimeoutMs,
      x.subscribedTopicNames,
      x.subscribedTopicRegex,
      x.serverAssignor,
      x.topicPartitions.map((t: X) => ({ topicId: t.topicId.toString('hex').replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5'), partitions: t.partitions })),
    ],
  },
  { api: 'ConsumerGroupDescribe', module: 'admin/consumer-group-describe', versions: [0], values: () => base('ConsumerGroupDescribe'), args: (x) => [x.groupIds, x.includeAuthorizedOperations] },
  {
    api: 'GetTelemetrySubscriptions',
    module: 'telemetry/get-telemetry-subscriptions',
    versions: [0],
    values: () => base('GetTelemetrySubscriptions'),
    args: (x) => [x.clientInstanceId.toString('hex').replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5')],
  },
];

// ---------------------------------------------------------------------------------------------

/** JSON with Buffers as {"$hex": "..."} (revived by the golden test). */
function toJson(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { $hex: value.toString('hex') };
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

async function main(): Promise<void> {
  for (const c of kafkajsCases) await captureKafkajs(c);
  for (const c of platformaticCases) await capturePlatformatic(c);
  fixtures.sort((a, b) => a.apiKey - b.apiKey || a.version - b.version || a.source.localeCompare(b.source));
  const kafkajsVersion = (require('kafkajs/package.json') as { version: string }).version;
  const platformaticVersion = (JSON.parse(readFileSync(join(PLATFORMATIC, '../package.json'), 'utf8')) as { version: string }).version;
  const doc = {
    about: 'Request frames encoded by independent Kafka clients; see scripts/capture-protocol-fixtures.ts.',
    libraries: { kafkajs: kafkajsVersion, '@platformatic/kafka': platformaticVersion },
    fixtures: fixtures.map((f) => toJson(f)),
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(doc, null, 1) + '\n');
  console.log(`captured ${fixtures.length} request frames into ${OUT}`);
}

await main();
