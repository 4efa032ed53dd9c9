/**
 * Hand-written wire layouts of every request and response body, one function per message with the
 * version rules spelled out field by field (read off the Kafka message specs by a person, not by
 * the generator). Each layout, given a version and a set of values, writes the bytes with `Hand`
 * and records the body a decoder has to return. `flexibleFrom` is the first flexible version as
 * listed in the spec pack's README (§8 table), again independent of the generated schemas.
 *
 * Values are chosen so that every field holds a distinct, non-default value where possible:
 * a decoder that reads a field at the wrong place or with the wrong width cannot pass by luck.
 */
import { Hand } from './hand.js';

type X = any;

export interface MessageLayout {
  /** Values for every field of every version; a layout picks what its version carries. */
  values: X;
  /** The same values with every tagged field at its default (nothing in the tag sections). */
  untagged?: X;
  write(h: Hand, v: number, x: X): void;
}

export interface ApiLayout {
  name: string;
  apiKey: number;
  /** First flexible version, or null when the API has none. */
  flexibleFrom: number | null;
  request: MessageLayout;
  response: MessageLayout;
}

export const uuid = (hex: string): Buffer => Buffer.from(hex.replace(/-/g, ''), 'hex');
const ID_A = uuid('0123456789abcdef0123456789abcdef');
const ID_B = uuid('fedcba98765432100f1e2d3c4b5a6978');
const ZERO = Buffer.alloc(16);
/** Stand-in for a record batch; the codec never looks inside `records`. */
export const FAKE_RECORDS = Buffer.from('000000000000000000000031ffffffff02a1b2c3d4' + '00'.repeat(40), 'hex');

const layouts: ApiLayout[] = [];
const def = (l: ApiLayout): void => {
  layouts.push(l);
};

// ----------------------------------------------------------------------------------------- 0
def({
  name: 'Produce',
  apiKey: 0,
  flexibleFrom: 9,
  request: {
    values: {
      transactionalId: 'txn-1',
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: 'orders', partitionData: [{ index: 2, records: FAKE_RECORDS }] }],
    },
    write(h, v, x) {
      if (v >= 3) h.string('transactionalId', x.transactionalId);
      h.int16('acks', x.acks).int32('timeoutMs', x.timeoutMs);
      h.array('topicData', x.topicData, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitionData', t.partitionData, (h, p: X) => h.int32('index', p.index).bytes('records', p.records));
      });
    },
  },
  response: {
    values: {
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            {
              index: 2,
              errorCode: 0,
              baseOffset: 1234567890123,
              logAppendTimeMs: 1700000000000,
              logStartOffset: 17,
              recordErrors: [{ batchIndex: 3, batchIndexErrorMessage: 'bad record' }],
              errorMessage: 'partial failure',
              currentLeader: { leaderId: 4, leaderEpoch: 9 },
            },
          ],
        },
      ],
      throttleTimeMs: 25,
      nodeEndpoints: [{ nodeId: 4, host: 'broker-4', port: 9095, rack: 'rack-b' }],
    },
    write(h, v, x) {
      h.array('responses', x.responses, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitionResponses', t.partitionResponses, (h, p: X) => {
          h.int32('index', p.index).int16('errorCode', p.errorCode).int64('baseOffset', p.baseOffset);
          if (v >= 2) h.int64('logAppendTimeMs', p.logAppendTimeMs);
          if (v >= 5) h.int64('logStartOffset', p.logStartOffset);
          if (v >= 8) {
            h.array('recordErrors', p.recordErrors, (h, e: X) =>
              h.int32('batchIndex', e.batchIndex).string('batchIndexErrorMessage', e.batchIndexErrorMessage),
            );
            h.string('errorMessage', p.errorMessage);
          }
          if (v >= 10 && (p.currentLeader.leaderId !== -1 || p.currentLeader.leaderEpoch !== -1)) {
            h.tags([[0, (h) => h.struct('currentLeader', p.currentLeader, (h, c: X) => h.int32('leaderId', c.leaderId).int32('leaderEpoch', c.leaderEpoch))]]);
          }
        });
      });
      if (v >= 1) h.int32('throttleTimeMs', x.throttleTimeMs);
      if (v >= 10 && x.nodeEndpoints.length > 0) {
        h.tags([[0, (h) => h.array('nodeEndpoints', x.nodeEndpoints, (h, n: X) => h.int32('nodeId', n.nodeId).string('host', n.host).int32('port', n.port).string('rack', n.rack))]]);
      }
    },
  },
});

// ----------------------------------------------------------------------------------------- 1
def({
  name: 'Fetch',
  apiKey: 1,
  flexibleFrom: 12,
  request: {
    values: {
      clusterId: 'cluster-x',
      replicaId: -1,
      replicaState: { replicaId: 3, replicaEpoch: 77 },
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 1,
      sessionId: 12,
      sessionEpoch: 6,
      topics: [
        {
          topic: 'orders',
          topicId: ID_A,
          partitions: [
            {
              partition: 2,
              currentLeaderEpoch: 5,
              fetchOffset: 100,
              lastFetchedEpoch: 4,
              logStartOffset: 8,
              partitionMaxBytes: 1048576,
              replicaDirectoryId: ID_B,
            },
          ],
        },
      ],
      forgottenTopicsData: [{ topic: 'old', topicId: ID_B, partitions: [1, 3] }],
      rackId: 'rack-a',
    },
    write(h, v, x) {
      if (v <= 14) h.int32('replicaId', x.replicaId);
      h.int32('maxWaitMs', x.maxWaitMs).int32('minBytes', x.minBytes);
      if (v >= 3) h.int32('maxBytes', x.maxBytes);
      if (v >= 4) h.int8('isolationLevel', x.isolationLevel);
      if (v >= 7) h.int32('sessionId', x.sessionId).int32('sessionEpoch', x.sessionEpoch);
      h.array('topics', x.topics, (h, t: X) => {
        if (v <= 12) h.string('topic', t.topic);
        if (v >= 13) h.uuid('topicId', t.topicId);
        h.array('partitions', t.partitions, (h, p: X) => {
          h.int32('partition', p.partition);
          if (v >= 9) h.int32('currentLeaderEpoch', p.currentLeaderEpoch);
          h.int64('fetchOffset', p.fetchOffset);
          if (v >= 12) h.int32('lastFetchedEpoch', p.lastFetchedEpoch);
          if (v >= 5) h.int64('logStartOffset', p.logStartOffset);
          h.int32('partitionMaxBytes', p.partitionMaxBytes);
          if (v >= 17 && !p.replicaDirectoryId.equals(ZERO)) h.tags([[0, (h) => h.uuid('replicaDirectoryId', p.replicaDirectoryId)]]);
        });
      });
      if (v >= 7) {
        h.array('forgottenTopicsData', x.forgottenTopicsData, (h, t: X) => {
          if (v <= 12) h.string('topic', t.topic);
          if (v >= 13) h.uuid('topicId', t.topicId);
          h.int32s('partitions', t.partitions);
        });
      }
      if (v >= 11) h.string('rackId', x.rackId);
      if (v >= 12) {
        const tags: Array<[number, (h: Hand) => void]> = [];
        if (x.clusterId !== null) tags.push([0, (h) => h.string('clusterId', x.clusterId)]);
        if (v >= 15 && (x.replicaState.replicaId !== -1 || x.replicaState.replicaEpoch !== -1)) {
          tags.push([1, (h) => h.struct('replicaState', x.replicaState, (h, s: X) => h.int32('replicaId', s.replicaId).int64('replicaEpoch', s.replicaEpoch))]);
        }
        h.tags(tags);
      }
    },
  },
  response: {
    values: {
      throttleTimeMs: 7,
      errorCode: 0,
      sessionId: 99,
      responses: [
        {
          topic: 'orders',
          topicId: ID_A,
          partitions: [
            {
              partitionIndex: 2,
              errorCode: 0,
              highWatermark: 500,
              lastStableOffset: 480,
              logStartOffset: 10,
              divergingEpoch: { epoch: 3, endOffset: 400 },
              currentLeader: { leaderId: 1, leaderEpoch: 5 },
              snapshotId: { endOffset: 300, epoch: 2 },
              abortedTransactions: [{ producerId: 9001, firstOffset: 450 }],
              preferredReadReplica: 2,
              records: FAKE_RECORDS,
            },
          ],
        },
      ],
      nodeEndpoints: [{ nodeId: 1, host: 'broker-1', port: 9092, rack: null }],
    },
    write(h, v, x) {
      if (v >= 1) h.int32('throttleTimeMs', x.throttleTimeMs);
      if (v >= 7) h.int16('errorCode', x.errorCode).int32('sessionId', x.sessionId);
      h.array('responses', x.responses, (h, t: X) => {
        if (v <= 12) h.string('topic', t.topic);
        if (v >= 13) h.uuid('topicId', t.topicId);
        h.array('partitions', t.partitions, (h, p: X) => {
          h.int32('partitionIndex', p.partitionIndex).int16('errorCode', p.errorCode).int64('highWatermark', p.highWatermark);
          if (v >= 4) h.int64('lastStableOffset', p.lastStableOffset);
          if (v >= 5) h.int64('logStartOffset', p.logStartOffset);
          if (v >= 4) h.array('abortedTransactions', p.abortedTransactions, (h, a: X) => h.int64('producerId', a.producerId).int64('firstOffset', a.firstOffset));
          if (v >= 11) h.int32('preferredReadReplica', p.preferredReadReplica);
          h.bytes('records', p.records);
          if (v >= 12) {
            // Tagged structs are sent only when some field differs from its default (all -1 here).
            const set = (o: X): boolean => Object.values(o).some((f) => f !== -1);
            const tags: Array<[number, (h: Hand) => void]> = [];
            if (set(p.divergingEpoch)) tags.push([0, (h) => h.struct('divergingEpoch', p.divergingEpoch, (h, d: X) => h.int32('epoch', d.epoch).int64('endOffset', d.endOffset))]);
            if (set(p.currentLeader)) tags.push([1, (h) => h.struct('currentLeader', p.currentLeader, (h, c: X) => h.int32('leaderId', c.leaderId).int32('leaderEpoch', c.leaderEpoch))]);
            if (set(p.snapshotId)) tags.push([2, (h) => h.struct('snapshotId', p.snapshotId, (h, s: X) => h.int64('endOffset', s.endOffset).int32('epoch', s.epoch))]);
            h.tags(tags);
          }
        });
      });
      if (v >= 16 && x.nodeEndpoints.length > 0) {
        h.tags([[0, (h) => h.array('nodeEndpoints', x.nodeEndpoints, (h, n: X) => h.int32('nodeId', n.nodeId).string('host', n.host).int32('port', n.port).string('rack', n.rack))]]);
      }
    },
  },
});

// ----------------------------------------------------------------------------------------- 2
def({
  name: 'ListOffsets',
  apiKey: 2,
  flexibleFrom: 6,
  request: {
    values: {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 2, currentLeaderEpoch: 5, timestamp: -2, maxNumOffsets: 3 }] }],
      timeoutMs: 1500,
    },
    write(h, v, x) {
      h.int32('replicaId', x.replicaId);
      if (v >= 2) h.int8('isolationLevel', x.isolationLevel);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) => {
          h.int32('partitionIndex', p.partitionIndex);
          if (v >= 4) h.int32('currentLeaderEpoch', p.currentLeaderEpoch);
          h.int64('timestamp', p.timestamp);
          if (v === 0) h.int32('maxNumOffsets', p.maxNumOffsets);
        });
      });
      if (v >= 10) h.int32('timeoutMs', x.timeoutMs);
    },
  },
  response: {
    values: {
      throttleTimeMs: 3,
      topics: [
        {
          name: 'orders',
          partitions: [{ partitionIndex: 2, errorCode: 0, oldStyleOffsets: [40, 20], timestamp: 1700000000000, offset: 42, leaderEpoch: 5 }],
        },
      ],
    },
    write(h, v, x) {
      if (v >= 2) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) => {
          h.int32('partitionIndex', p.partitionIndex).int16('errorCode', p.errorCode);
          if (v === 0) h.int64s('oldStyleOffsets', p.oldStyleOffsets);
          if (v >= 1) h.int64('timestamp', p.timestamp).int64('offset', p.offset);
          if (v >= 4) h.int32('leaderEpoch', p.leaderEpoch);
        });
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 3
def({
  name: 'Metadata',
  apiKey: 3,
  flexibleFrom: 9,
  request: {
    values: {
      topics: [
        { topicId: ID_A, name: 'orders' },
        { topicId: ZERO, name: 'payments' },
      ],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: true,
      includeTopicAuthorizedOperations: true,
    },
    write(h, v, x) {
      h.array('topics', x.topics, (h, t: X) => {
        if (v >= 10) h.uuid('topicId', t.topicId);
        h.string('name', t.name);
      });
      if (v >= 4) h.bool('allowAutoTopicCreation', x.allowAutoTopicCreation);
      if (v >= 8 && v <= 10) h.bool('includeClusterAuthorizedOperations', x.includeClusterAuthorizedOperations);
      if (v >= 8) h.bool('includeTopicAuthorizedOperations', x.includeTopicAuthorizedOperations);
    },
  },
  response: {
    values: {
      throttleTimeMs: 11,
      brokers: [
        { nodeId: 1, host: 'broker-1', port: 9092, rack: 'rack-a' },
        { nodeId: 2, host: 'broker-2', port: 9093, rack: null },
      ],
      clusterId: 'eddy-cluster',
      controllerId: 2,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          topicId: ID_A,
          isInternal: true,
          partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 7, replicaNodes: [1, 2], isrNodes: [1], offlineReplicas: [2] }],
          topicAuthorizedOperations: 248,
        },
      ],
      clusterAuthorizedOperations: 3064,
    },
    write(h, v, x) {
      if (v >= 3) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('brokers', x.brokers, (h, b: X) => {
        h.int32('nodeId', b.nodeId).string('host', b.host).int32('port', b.port);
        if (v >= 1) h.string('rack', b.rack);
      });
      if (v >= 2) h.string('clusterId', x.clusterId);
      if (v >= 1) h.int32('controllerId', x.controllerId);
      h.array('topics', x.topics, (h, t: X) => {
        h.int16('errorCode', t.errorCode).string('name', t.name);
        if (v >= 10) h.uuid('topicId', t.topicId);
        if (v >= 1) h.bool('isInternal', t.isInternal);
        h.array('partitions', t.partitions, (h, p: X) => {
          h.int16('errorCode', p.errorCode).int32('partitionIndex', p.partitionIndex).int32('leaderId', p.leaderId);
          if (v >= 7) h.int32('leaderEpoch', p.leaderEpoch);
          h.int32s('replicaNodes', p.replicaNodes).int32s('isrNodes', p.isrNodes);
          if (v >= 5) h.int32s('offlineReplicas', p.offlineReplicas);
        });
        if (v >= 8) h.int32('topicAuthorizedOperations', t.topicAuthorizedOperations);
      });
      if (v >= 8 && v <= 10) h.int32('clusterAuthorizedOperations', x.clusterAuthorizedOperations);
    },
  },
});

// ----------------------------------------------------------------------------------------- 8
def({
  name: 'OffsetCommit',
  apiKey: 8,
  flexibleFrom: 8,
  request: {
    values: {
      groupId: 'group-1',
      generationIdOrMemberEpoch: 4,
      memberId: 'member-1',
      groupInstanceId: 'instance-1',
      retentionTimeMs: 86400000,
      topics: [
        {
          name: 'orders',
          partitions: [{ partitionIndex: 2, committedOffset: 1001, committedLeaderEpoch: 6, commitTimestamp: 1700000000001, committedMetadata: 'meta' }],
        },
      ],
    },
    write(h, v, x) {
      h.string('groupId', x.groupId);
      if (v >= 1) h.int32('generationIdOrMemberEpoch', x.generationIdOrMemberEpoch).string('memberId', x.memberId);
      if (v >= 7) h.string('groupInstanceId', x.groupInstanceId);
      if (v >= 2 && v <= 4) h.int64('retentionTimeMs', x.retentionTimeMs);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) => {
          h.int32('partitionIndex', p.partitionIndex).int64('committedOffset', p.committedOffset);
          if (v >= 6) h.int32('committedLeaderEpoch', p.committedLeaderEpoch);
          if (v === 1) h.int64('commitTimestamp', p.commitTimestamp);
          h.string('committedMetadata', p.committedMetadata);
        });
      });
    },
  },
  response: {
    values: { throttleTimeMs: 8, topics: [{ name: 'orders', partitions: [{ partitionIndex: 2, errorCode: 0 }, { partitionIndex: 3, errorCode: 0 }] }] },
    write(h, v, x) {
      if (v >= 3) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) => h.int32('partitionIndex', p.partitionIndex).int16('errorCode', p.errorCode));
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 9
def({
  name: 'OffsetFetch',
  apiKey: 9,
  flexibleFrom: 6,
  request: {
    values: {
      groupId: 'group-1',
      topics: [{ name: 'orders', partitionIndexes: [0, 2] }],
      groups: [{ groupId: 'group-1', memberId: 'member-1', memberEpoch: 12, topics: [{ name: 'orders', partitionIndexes: [0, 2] }] }],
      requireStable: true,
    },
    write(h, v, x) {
      if (v <= 7) {
        h.string('groupId', x.groupId);
        h.array('topics', x.topics, (h, t: X) => h.string('name', t.name).int32s('partitionIndexes', t.partitionIndexes));
      }
      if (v >= 8) {
        h.array('groups', x.groups, (h, g: X) => {
          h.string('groupId', g.groupId);
          if (v >= 9) h.string('memberId', g.memberId).int32('memberEpoch', g.memberEpoch);
          h.array('topics', g.topics, (h, t: X) => h.string('name', t.name).int32s('partitionIndexes', t.partitionIndexes));
        });
      }
      if (v >= 7) h.bool('requireStable', x.requireStable);
    },
  },
  response: {
    values: {
      throttleTimeMs: 4,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 2, committedOffset: 777, committedLeaderEpoch: 3, metadata: 'm', errorCode: 0 }] }],
      errorCode: 0,
      groups: [
        {
          groupId: 'group-1',
          topics: [{ name: 'orders', partitions: [{ partitionIndex: 2, committedOffset: 777, committedLeaderEpoch: 3, metadata: null, errorCode: 0 }] }],
          errorCode: 0,
        },
      ],
    },
    write(h, v, x) {
      if (v >= 3) h.int32('throttleTimeMs', x.throttleTimeMs);
      if (v <= 7) {
        h.array('topics', x.topics, (h, t: X) => {
          h.string('name', t.name);
          h.array('partitions', t.partitions, (h, p: X) => {
            h.int32('partitionIndex', p.partitionIndex).int64('committedOffset', p.committedOffset);
            if (v >= 5) h.int32('committedLeaderEpoch', p.committedLeaderEpoch);
            h.string('metadata', p.metadata).int16('errorCode', p.errorCode);
          });
        });
        if (v >= 2) h.int16('errorCode', x.errorCode);
      }
      if (v >= 8) {
        h.array('groups', x.groups, (h, g: X) => {
          h.string('groupId', g.groupId);
          h.array('topics', g.topics, (h, t: X) => {
            h.string('name', t.name);
            h.array('partitions', t.partitions, (h, p: X) =>
              h
                .int32('partitionIndex', p.partitionIndex)
                .int64('committedOffset', p.committedOffset)
                .int32('committedLeaderEpoch', p.committedLeaderEpoch)
                .string('metadata', p.metadata)
                .int16('errorCode', p.errorCode),
            );
          });
          h.int16('errorCode', g.errorCode);
        });
      }
    },
  },
});

// ----------------------------------------------------------------------------------------- 10
def({
  name: 'FindCoordinator',
  apiKey: 10,
  flexibleFrom: 3,
  request: {
    values: { key: 'group-1', keyType: 1, coordinatorKeys: ['group-1', 'group-2'] },
    write(h, v, x) {
      if (v <= 3) h.string('key', x.key);
      if (v >= 1) h.int8('keyType', x.keyType);
      if (v >= 4) h.strings('coordinatorKeys', x.coordinatorKeys);
    },
  },
  response: {
    values: {
      throttleTimeMs: 2,
      errorCode: 0,
      errorMessage: 'none',
      nodeId: 3,
      host: 'broker-3',
      port: 9094,
      coordinators: [{ key: 'group-1', nodeId: 3, host: 'broker-3', port: 9094, errorCode: 0, errorMessage: null }],
    },
    write(h, v, x) {
      if (v >= 1) h.int32('throttleTimeMs', x.throttleTimeMs);
      if (v <= 3) {
        h.int16('errorCode', x.errorCode);
        if (v >= 1) h.string('errorMessage', x.errorMessage);
        h.int32('nodeId', x.nodeId).string('host', x.host).int32('port', x.port);
      }
      if (v >= 4) {
        h.array('coordinators', x.coordinators, (h, c: X) =>
          h.string('key', c.key).int32('nodeId', c.nodeId).string('host', c.host).int32('port', c.port).int16('errorCode', c.errorCode).string('errorMessage', c.errorMessage),
        );
      }
    },
  },
});

// ----------------------------------------------------------------------------------------- 11
def({
  name: 'JoinGroup',
  apiKey: 11,
  flexibleFrom: 6,
  request: {
    values: {
      groupId: 'group-1',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: 'member-1',
      groupInstanceId: 'instance-1',
      protocolType: 'consumer',
      protocols: [
        { name: 'range', metadata: Buffer.from('0001000000010006746f706963', 'hex') },
        { name: 'roundrobin', metadata: Buffer.from('00', 'hex') },
      ],
      reason: 'rejoin',
    },
    write(h, v, x) {
      h.string('groupId', x.groupId).int32('sessionTimeoutMs', x.sessionTimeoutMs);
      if (v >= 1) h.int32('rebalanceTimeoutMs', x.rebalanceTimeoutMs);
      h.string('memberId', x.memberId);
      if (v >= 5) h.string('groupInstanceId', x.groupInstanceId);
      h.string('protocolType', x.protocolType);
      h.array('protocols', x.protocols, (h, p: X) => h.string('name', p.name).bytes('metadata', p.metadata));
      if (v >= 8) h.string('reason', x.reason);
    },
  },
  response: {
    values: {
      throttleTimeMs: 5,
      errorCode: 0,
      generationId: 3,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: 'member-1',
      skipAssignment: true,
      memberId: 'member-2',
      members: [{ memberId: 'member-1', groupInstanceId: 'instance-1', metadata: Buffer.from('cafe', 'hex') }],
    },
    write(h, v, x) {
      if (v >= 2) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.int16('errorCode', x.errorCode).int32('generationId', x.generationId);
      if (v >= 7) h.string('protocolType', x.protocolType);
      h.string('protocolName', x.protocolName).string('leader', x.leader);
      if (v >= 9) h.bool('skipAssignment', x.skipAssignment);
      h.string('memberId', x.memberId);
      h.array('members', x.members, (h, m: X) => {
        h.string('memberId', m.memberId);
        if (v >= 5) h.string('groupInstanceId', m.groupInstanceId);
        h.bytes('metadata', m.metadata);
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 12
def({
  name: 'Heartbeat',
  apiKey: 12,
  flexibleFrom: 4,
  request: {
    values: { groupId: 'group-1', generationId: 3, memberId: 'member-1', groupInstanceId: 'instance-1' },
    write(h, v, x) {
      h.string('groupId', x.groupId).int32('generationId', x.generationId).string('memberId', x.memberId);
      if (v >= 3) h.string('groupInstanceId', x.groupInstanceId);
    },
  },
  response: {
    values: { throttleTimeMs: 9, errorCode: 27 },
    write(h, v, x) {
      if (v >= 1) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.int16('errorCode', x.errorCode);
    },
  },
});

// ----------------------------------------------------------------------------------------- 13
def({
  name: 'LeaveGroup',
  apiKey: 13,
  flexibleFrom: 4,
  request: {
    values: {
      groupId: 'group-1',
      memberId: 'member-1',
      members: [
        { memberId: 'member-1', groupInstanceId: 'instance-1', reason: 'shutting down' },
        { memberId: 'member-2', groupInstanceId: null, reason: null },
      ],
    },
    write(h, v, x) {
      h.string('groupId', x.groupId);
      if (v <= 2) h.string('memberId', x.memberId);
      if (v >= 3) {
        h.array('members', x.members, (h, m: X) => {
          h.string('memberId', m.memberId).string('groupInstanceId', m.groupInstanceId);
          if (v >= 5) h.string('reason', m.reason);
        });
      }
    },
  },
  response: {
    values: { throttleTimeMs: 1, errorCode: 0, members: [{ memberId: 'member-1', groupInstanceId: 'instance-1', errorCode: 25 }] },
    write(h, v, x) {
      if (v >= 1) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.int16('errorCode', x.errorCode);
      if (v >= 3) h.array('members', x.members, (h, m: X) => h.string('memberId', m.memberId).string('groupInstanceId', m.groupInstanceId).int16('errorCode', m.errorCode));
    },
  },
});

// ----------------------------------------------------------------------------------------- 14
def({
  name: 'SyncGroup',
  apiKey: 14,
  flexibleFrom: 4,
  request: {
    values: {
      groupId: 'group-1',
      generationId: 3,
      memberId: 'member-1',
      groupInstanceId: 'instance-1',
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: 'member-1', assignment: Buffer.from('00010000', 'hex') }],
    },
    write(h, v, x) {
      h.string('groupId', x.groupId).int32('generationId', x.generationId).string('memberId', x.memberId);
      if (v >= 3) h.string('groupInstanceId', x.groupInstanceId);
      if (v >= 5) h.string('protocolType', x.protocolType).string('protocolName', x.protocolName);
      h.array('assignments', x.assignments, (h, a: X) => h.string('memberId', a.memberId).bytes('assignment', a.assignment));
    },
  },
  response: {
    values: { throttleTimeMs: 6, errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.from('0001000000010006', 'hex') },
    write(h, v, x) {
      if (v >= 1) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.int16('errorCode', x.errorCode);
      if (v >= 5) h.string('protocolType', x.protocolType).string('protocolName', x.protocolName);
      h.bytes('assignment', x.assignment);
    },
  },
});

// ----------------------------------------------------------------------------------------- 15
def({
  name: 'DescribeGroups',
  apiKey: 15,
  flexibleFrom: 5,
  request: {
    values: { groups: ['group-1', 'group-2'], includeAuthorizedOperations: true },
    write(h, v, x) {
      h.strings('groups', x.groups);
      if (v >= 3) h.bool('includeAuthorizedOperations', x.includeAuthorizedOperations);
    },
  },
  response: {
    values: {
      throttleTimeMs: 10,
      groups: [
        {
          errorCode: 0,
          groupId: 'group-1',
          groupState: 'Stable',
          protocolType: 'consumer',
          protocolData: 'range',
          members: [
            {
              memberId: 'member-1',
              groupInstanceId: 'instance-1',
              clientId: 'client-1',
              clientHost: '/127.0.0.1',
              memberMetadata: Buffer.from('0102', 'hex'),
              memberAssignment: Buffer.from('0304', 'hex'),
            },
          ],
          authorizedOperations: 1234,
        },
      ],
    },
    write(h, v, x) {
      if (v >= 1) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('groups', x.groups, (h, g: X) => {
        h.int16('errorCode', g.errorCode).string('groupId', g.groupId).string('groupState', g.groupState).string('protocolType', g.protocolType).string('protocolData', g.protocolData);
        h.array('members', g.members, (h, m: X) => {
          h.string('memberId', m.memberId);
          if (v >= 4) h.string('groupInstanceId', m.groupInstanceId);
          h.string('clientId', m.clientId).string('clientHost', m.clientHost).bytes('memberMetadata', m.memberMetadata).bytes('memberAssignment', m.memberAssignment);
        });
        if (v >= 3) h.int32('authorizedOperations', g.authorizedOperations);
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 16
def({
  name: 'ListGroups',
  apiKey: 16,
  flexibleFrom: 3,
  request: {
    values: { statesFilter: ['Stable', 'Empty'], typesFilter: ['classic'] },
    write(h, v, x) {
      if (v >= 4) h.strings('statesFilter', x.statesFilter);
      if (v >= 5) h.strings('typesFilter', x.typesFilter);
    },
  },
  response: {
    values: { throttleTimeMs: 12, errorCode: 0, groups: [{ groupId: 'group-1', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' }] },
    write(h, v, x) {
      if (v >= 1) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.int16('errorCode', x.errorCode);
      h.array('groups', x.groups, (h, g: X) => {
        h.string('groupId', g.groupId).string('protocolType', g.protocolType);
        if (v >= 4) h.string('groupState', g.groupState);
        if (v >= 5) h.string('groupType', g.groupType);
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 17
def({
  name: 'SaslHandshake',
  apiKey: 17,
  flexibleFrom: null,
  request: {
    values: { mechanism: 'SCRAM-SHA-256' },
    write(h, _v, x) {
      h.string('mechanism', x.mechanism);
    },
  },
  response: {
    values: { errorCode: 33, mechanisms: ['PLAIN', 'SCRAM-SHA-512'] },
    write(h, _v, x) {
      h.int16('errorCode', x.errorCode).strings('mechanisms', x.mechanisms);
    },
  },
});

// ----------------------------------------------------------------------------------------- 18
def({
  name: 'ApiVersions',
  apiKey: 18,
  flexibleFrom: 3,
  request: {
    values: { clientSoftwareName: 'eddy-client', clientSoftwareVersion: '1.2.3' },
    write(h, v, x) {
      if (v >= 3) h.string('clientSoftwareName', x.clientSoftwareName).string('clientSoftwareVersion', x.clientSoftwareVersion);
    },
  },
  response: {
    values: {
      errorCode: 0,
      apiKeys: [
        { apiKey: 0, minVersion: 3, maxVersion: 11 },
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
      ],
      throttleTimeMs: 13,
      supportedFeatures: [{ name: 'metadata.version', minVersion: 1, maxVersion: 21 }],
      finalizedFeaturesEpoch: 42,
      finalizedFeatures: [{ name: 'metadata.version', maxVersionLevel: 21, minVersionLevel: 21 }],
      zkMigrationReady: true,
    },
    write(h, v, x) {
      h.int16('errorCode', x.errorCode);
      h.array('apiKeys', x.apiKeys, (h, k: X) => h.int16('apiKey', k.apiKey).int16('minVersion', k.minVersion).int16('maxVersion', k.maxVersion));
      if (v >= 1) h.int32('throttleTimeMs', x.throttleTimeMs);
      if (v >= 3) {
        const tags: Array<[number, (h: Hand) => void]> = [];
        if (x.supportedFeatures.length > 0) {
          tags.push([0, (h) => h.array('supportedFeatures', x.supportedFeatures, (h, f: X) => h.string('name', f.name).int16('minVersion', f.minVersion).int16('maxVersion', f.maxVersion))]);
        }
        if (x.finalizedFeaturesEpoch !== -1) tags.push([1, (h) => h.int64('finalizedFeaturesEpoch', x.finalizedFeaturesEpoch)]);
        if (x.finalizedFeatures.length > 0) {
          tags.push([2, (h) => h.array('finalizedFeatures', x.finalizedFeatures, (h, f: X) => h.string('name', f.name).int16('maxVersionLevel', f.maxVersionLevel).int16('minVersionLevel', f.minVersionLevel))]);
        }
        if (x.zkMigrationReady) tags.push([3, (h) => h.bool('zkMigrationReady', x.zkMigrationReady)]);
        h.tags(tags);
      }
    },
  },
});

// ----------------------------------------------------------------------------------------- 19
def({
  name: 'CreateTopics',
  apiKey: 19,
  flexibleFrom: 5,
  request: {
    values: {
      topics: [
        {
          name: 'orders',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
          configs: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'retention.ms', value: null },
          ],
        },
        { name: 'payments', numPartitions: 6, replicationFactor: 3, assignments: [], configs: [] },
      ],
      timeoutMs: 15000,
      validateOnly: true,
    },
    write(h, v, x) {
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name).int32('numPartitions', t.numPartitions).int16('replicationFactor', t.replicationFactor);
        h.array('assignments', t.assignments, (h, a: X) => h.int32('partitionIndex', a.partitionIndex).int32s('brokerIds', a.brokerIds));
        h.array('configs', t.configs, (h, c: X) => h.string('name', c.name).string('value', c.value));
      });
      h.int32('timeoutMs', x.timeoutMs);
      if (v >= 1) h.bool('validateOnly', x.validateOnly);
    },
  },
  response: {
    values: {
      throttleTimeMs: 14,
      topics: [
        {
          name: 'orders',
          topicId: ID_A,
          errorCode: 0,
          errorMessage: 'ok',
          topicConfigErrorCode: 29,
          numPartitions: 6,
          replicationFactor: 3,
          configs: [{ name: 'cleanup.policy', value: 'compact', readOnly: false, configSource: 5, isSensitive: true }],
        },
      ],
    },
    write(h, v, x) {
      if (v >= 2) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        if (v >= 7) h.uuid('topicId', t.topicId);
        h.int16('errorCode', t.errorCode);
        if (v >= 1) h.string('errorMessage', t.errorMessage);
        if (v >= 5) {
          h.int32('numPartitions', t.numPartitions).int16('replicationFactor', t.replicationFactor);
          h.array('configs', t.configs, (h, c: X) =>
            h.string('name', c.name).string('value', c.value).bool('readOnly', c.readOnly).int8('configSource', c.configSource).bool('isSensitive', c.isSensitive),
          );
          if (t.topicConfigErrorCode !== 0) h.tags([[0, (h) => h.int16('topicConfigErrorCode', t.topicConfigErrorCode)]]);
        }
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 20
def({
  name: 'DeleteTopics',
  apiKey: 20,
  flexibleFrom: 4,
  request: {
    values: {
      topics: [
        { name: 'orders', topicId: ZERO },
        { name: null, topicId: ID_B },
      ],
      topicNames: ['orders', 'payments'],
      timeoutMs: 20000,
    },
    write(h, v, x) {
      if (v >= 6) h.array('topics', x.topics, (h, t: X) => h.string('name', t.name).uuid('topicId', t.topicId));
      if (v <= 5) h.strings('topicNames', x.topicNames);
      h.int32('timeoutMs', x.timeoutMs);
    },
  },
  response: {
    values: { throttleTimeMs: 15, responses: [{ name: 'orders', topicId: ID_A, errorCode: 3, errorMessage: 'gone' }] },
    write(h, v, x) {
      if (v >= 1) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('responses', x.responses, (h, r: X) => {
        h.string('name', r.name);
        if (v >= 6) h.uuid('topicId', r.topicId);
        h.int16('errorCode', r.errorCode);
        if (v >= 5) h.string('errorMessage', r.errorMessage);
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 21
def({
  name: 'DeleteRecords',
  apiKey: 21,
  flexibleFrom: 2,
  request: {
    values: { topics: [{ name: 'orders', partitions: [{ partitionIndex: 2, offset: 5000 }] }], timeoutMs: 5000 },
    write(h, _v, x) {
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) => h.int32('partitionIndex', p.partitionIndex).int64('offset', p.offset));
      });
      h.int32('timeoutMs', x.timeoutMs);
    },
  },
  response: {
    values: { throttleTimeMs: 16, topics: [{ name: 'orders', partitions: [{ partitionIndex: 2, lowWatermark: 5000, errorCode: 0 }] }] },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) => h.int32('partitionIndex', p.partitionIndex).int64('lowWatermark', p.lowWatermark).int16('errorCode', p.errorCode));
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 22
def({
  name: 'InitProducerId',
  apiKey: 22,
  flexibleFrom: 2,
  request: {
    values: { transactionalId: 'txn-1', transactionTimeoutMs: 60000, producerId: 4000, producerEpoch: 2 },
    write(h, v, x) {
      h.string('transactionalId', x.transactionalId).int32('transactionTimeoutMs', x.transactionTimeoutMs);
      if (v >= 3) h.int64('producerId', x.producerId).int16('producerEpoch', x.producerEpoch);
    },
  },
  response: {
    values: { throttleTimeMs: 17, errorCode: 0, producerId: 4001, producerEpoch: 3 },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs).int16('errorCode', x.errorCode).int64('producerId', x.producerId).int16('producerEpoch', x.producerEpoch);
    },
  },
});

// ----------------------------------------------------------------------------------------- 23
def({
  name: 'OffsetForLeaderEpoch',
  apiKey: 23,
  flexibleFrom: 4,
  request: {
    values: { replicaId: -1, topics: [{ topic: 'orders', partitions: [{ partition: 2, currentLeaderEpoch: 6, leaderEpoch: 5 }] }] },
    write(h, v, x) {
      if (v >= 3) h.int32('replicaId', x.replicaId);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('topic', t.topic);
        h.array('partitions', t.partitions, (h, p: X) => {
          h.int32('partition', p.partition);
          if (v >= 2) h.int32('currentLeaderEpoch', p.currentLeaderEpoch);
          h.int32('leaderEpoch', p.leaderEpoch);
        });
      });
    },
  },
  response: {
    values: { throttleTimeMs: 18, topics: [{ topic: 'orders', partitions: [{ errorCode: 0, partition: 2, leaderEpoch: 5, endOffset: 900 }] }] },
    write(h, v, x) {
      if (v >= 2) h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('topic', t.topic);
        h.array('partitions', t.partitions, (h, p: X) => {
          h.int16('errorCode', p.errorCode).int32('partition', p.partition);
          if (v >= 1) h.int32('leaderEpoch', p.leaderEpoch);
          h.int64('endOffset', p.endOffset);
        });
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 24
def({
  name: 'AddPartitionsToTxn',
  apiKey: 24,
  flexibleFrom: 3,
  request: {
    values: {
      transactions: [{ transactionalId: 'txn-1', producerId: 4000, producerEpoch: 2, verifyOnly: true, topics: [{ name: 'orders', partitions: [0, 2] }] }],
      v3AndBelowTransactionalId: 'txn-1',
      v3AndBelowProducerId: 4000,
      v3AndBelowProducerEpoch: 2,
      v3AndBelowTopics: [{ name: 'orders', partitions: [0, 2] }],
    },
    write(h, v, x) {
      if (v >= 4) {
        h.array('transactions', x.transactions, (h, t: X) => {
          h.string('transactionalId', t.transactionalId).int64('producerId', t.producerId).int16('producerEpoch', t.producerEpoch).bool('verifyOnly', t.verifyOnly);
          h.array('topics', t.topics, (h, tp: X) => h.string('name', tp.name).int32s('partitions', tp.partitions));
        });
      }
      if (v <= 3) {
        h.string('v3AndBelowTransactionalId', x.v3AndBelowTransactionalId).int64('v3AndBelowProducerId', x.v3AndBelowProducerId).int16('v3AndBelowProducerEpoch', x.v3AndBelowProducerEpoch);
        h.array('v3AndBelowTopics', x.v3AndBelowTopics, (h, tp: X) => h.string('name', tp.name).int32s('partitions', tp.partitions));
      }
    },
  },
  response: {
    values: {
      throttleTimeMs: 19,
      errorCode: 0,
      resultsByTransaction: [{ transactionalId: 'txn-1', topicResults: [{ name: 'orders', resultsByPartition: [{ partitionIndex: 2, partitionErrorCode: 48 }] }] }],
      resultsByTopicV3AndBelow: [{ name: 'orders', resultsByPartition: [{ partitionIndex: 2, partitionErrorCode: 48 }] }],
    },
    write(h, v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      const topicResult = (h: Hand, t: X): void => {
        h.string('name', t.name);
        h.array('resultsByPartition', t.resultsByPartition, (h, p: X) => h.int32('partitionIndex', p.partitionIndex).int16('partitionErrorCode', p.partitionErrorCode));
      };
      if (v >= 4) {
        h.int16('errorCode', x.errorCode);
        h.array('resultsByTransaction', x.resultsByTransaction, (h, r: X) => h.string('transactionalId', r.transactionalId).array('topicResults', r.topicResults, topicResult));
      }
      if (v <= 3) h.array('resultsByTopicV3AndBelow', x.resultsByTopicV3AndBelow, topicResult);
    },
  },
});

// ----------------------------------------------------------------------------------------- 25
def({
  name: 'AddOffsetsToTxn',
  apiKey: 25,
  flexibleFrom: 3,
  request: {
    values: { transactionalId: 'txn-1', producerId: 4000, producerEpoch: 2, groupId: 'group-1' },
    write(h, _v, x) {
      h.string('transactionalId', x.transactionalId).int64('producerId', x.producerId).int16('producerEpoch', x.producerEpoch).string('groupId', x.groupId);
    },
  },
  response: {
    values: { throttleTimeMs: 20, errorCode: 51 },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs).int16('errorCode', x.errorCode);
    },
  },
});

// ----------------------------------------------------------------------------------------- 26
def({
  name: 'EndTxn',
  apiKey: 26,
  flexibleFrom: 3,
  request: {
    values: { transactionalId: 'txn-1', producerId: 4000, producerEpoch: 2, committed: true },
    write(h, _v, x) {
      h.string('transactionalId', x.transactionalId).int64('producerId', x.producerId).int16('producerEpoch', x.producerEpoch).bool('committed', x.committed);
    },
  },
  response: {
    values: { throttleTimeMs: 21, errorCode: 0, producerId: 4000, producerEpoch: 3 },
    write(h, v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs).int16('errorCode', x.errorCode);
      if (v >= 5) h.int64('producerId', x.producerId).int16('producerEpoch', x.producerEpoch);
    },
  },
});

// ----------------------------------------------------------------------------------------- 28
def({
  name: 'TxnOffsetCommit',
  apiKey: 28,
  flexibleFrom: 3,
  request: {
    values: {
      transactionalId: 'txn-1',
      groupId: 'group-1',
      producerId: 4000,
      producerEpoch: 2,
      generationId: 3,
      memberId: 'member-1',
      groupInstanceId: 'instance-1',
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 2, committedOffset: 1001, committedLeaderEpoch: 6, committedMetadata: 'meta' }] }],
    },
    write(h, v, x) {
      h.string('transactionalId', x.transactionalId).string('groupId', x.groupId).int64('producerId', x.producerId).int16('producerEpoch', x.producerEpoch);
      if (v >= 3) h.int32('generationId', x.generationId).string('memberId', x.memberId).string('groupInstanceId', x.groupInstanceId);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) => {
          h.int32('partitionIndex', p.partitionIndex).int64('committedOffset', p.committedOffset);
          if (v >= 2) h.int32('committedLeaderEpoch', p.committedLeaderEpoch);
          h.string('committedMetadata', p.committedMetadata);
        });
      });
    },
  },
  response: {
    values: { throttleTimeMs: 22, topics: [{ name: 'orders', partitions: [{ partitionIndex: 2, errorCode: 0 }] }] },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) => h.int32('partitionIndex', p.partitionIndex).int16('errorCode', p.errorCode));
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 29
def({
  name: 'DescribeAcls',
  apiKey: 29,
  flexibleFrom: 2,
  request: {
    values: { resourceTypeFilter: 2, resourceNameFilter: 'orders', patternTypeFilter: 3, principalFilter: 'User:alice', hostFilter: null, operation: 3, permissionType: 3 },
    write(h, v, x) {
      h.int8('resourceTypeFilter', x.resourceTypeFilter).string('resourceNameFilter', x.resourceNameFilter);
      if (v >= 1) h.int8('patternTypeFilter', x.patternTypeFilter);
      h.string('principalFilter', x.principalFilter).string('hostFilter', x.hostFilter).int8('operation', x.operation).int8('permissionType', x.permissionType);
    },
  },
  response: {
    values: {
      throttleTimeMs: 23,
      errorCode: 0,
      errorMessage: null,
      resources: [{ resourceType: 2, resourceName: 'orders', patternType: 3, acls: [{ principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }] }],
    },
    write(h, v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs).int16('errorCode', x.errorCode).string('errorMessage', x.errorMessage);
      h.array('resources', x.resources, (h, r: X) => {
        h.int8('resourceType', r.resourceType).string('resourceName', r.resourceName);
        if (v >= 1) h.int8('patternType', r.patternType);
        h.array('acls', r.acls, (h, a: X) => h.string('principal', a.principal).string('host', a.host).int8('operation', a.operation).int8('permissionType', a.permissionType));
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 30
def({
  name: 'CreateAcls',
  apiKey: 30,
  flexibleFrom: 2,
  request: {
    values: { creations: [{ resourceType: 2, resourceName: 'orders', resourcePatternType: 3, principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }] },
    write(h, v, x) {
      h.array('creations', x.creations, (h, c: X) => {
        h.int8('resourceType', c.resourceType).string('resourceName', c.resourceName);
        if (v >= 1) h.int8('resourcePatternType', c.resourcePatternType);
        h.string('principal', c.principal).string('host', c.host).int8('operation', c.operation).int8('permissionType', c.permissionType);
      });
    },
  },
  response: {
    values: { throttleTimeMs: 24, results: [{ errorCode: 0, errorMessage: null }, { errorCode: 54, errorMessage: 'security disabled' }] },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('results', x.results, (h, r: X) => h.int16('errorCode', r.errorCode).string('errorMessage', r.errorMessage));
    },
  },
});

// ----------------------------------------------------------------------------------------- 31
def({
  name: 'DeleteAcls',
  apiKey: 31,
  flexibleFrom: 2,
  request: {
    values: { filters: [{ resourceTypeFilter: 2, resourceNameFilter: 'orders', patternTypeFilter: 3, principalFilter: 'User:alice', hostFilter: '*', operation: 3, permissionType: 3 }] },
    write(h, v, x) {
      h.array('filters', x.filters, (h, f: X) => {
        h.int8('resourceTypeFilter', f.resourceTypeFilter).string('resourceNameFilter', f.resourceNameFilter);
        if (v >= 1) h.int8('patternTypeFilter', f.patternTypeFilter);
        h.string('principalFilter', f.principalFilter).string('hostFilter', f.hostFilter).int8('operation', f.operation).int8('permissionType', f.permissionType);
      });
    },
  },
  response: {
    values: {
      throttleTimeMs: 25,
      filterResults: [
        {
          errorCode: 0,
          errorMessage: null,
          matchingAcls: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders', patternType: 3, principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }],
        },
      ],
    },
    write(h, v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('filterResults', x.filterResults, (h, r: X) => {
        h.int16('errorCode', r.errorCode).string('errorMessage', r.errorMessage);
        h.array('matchingAcls', r.matchingAcls, (h, a: X) => {
          h.int16('errorCode', a.errorCode).string('errorMessage', a.errorMessage).int8('resourceType', a.resourceType).string('resourceName', a.resourceName);
          if (v >= 1) h.int8('patternType', a.patternType);
          h.string('principal', a.principal).string('host', a.host).int8('operation', a.operation).int8('permissionType', a.permissionType);
        });
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 32
def({
  name: 'DescribeConfigs',
  apiKey: 32,
  flexibleFrom: 4,
  request: {
    values: { resources: [{ resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms', 'cleanup.policy'] }], includeSynonyms: true, includeDocumentation: true },
    write(h, v, x) {
      h.array('resources', x.resources, (h, r: X) => h.int8('resourceType', r.resourceType).string('resourceName', r.resourceName).strings('configurationKeys', r.configurationKeys));
      if (v >= 1) h.bool('includeSynonyms', x.includeSynonyms);
      if (v >= 3) h.bool('includeDocumentation', x.includeDocumentation);
    },
  },
  response: {
    values: {
      throttleTimeMs: 26,
      results: [
        {
          errorCode: 0,
          errorMessage: null,
          resourceType: 2,
          resourceName: 'orders',
          configs: [
            {
              name: 'retention.ms',
              value: '604800000',
              readOnly: false,
              isDefault: true,
              configSource: 5,
              isSensitive: false,
              synonyms: [{ name: 'log.retention.ms', value: null, source: 4 }],
              configType: 5,
              documentation: 'how long',
            },
          ],
        },
      ],
    },
    write(h, v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('results', x.results, (h, r: X) => {
        h.int16('errorCode', r.errorCode).string('errorMessage', r.errorMessage).int8('resourceType', r.resourceType).string('resourceName', r.resourceName);
        h.array('configs', r.configs, (h, c: X) => {
          h.string('name', c.name).string('value', c.value).bool('readOnly', c.readOnly);
          if (v === 0) h.bool('isDefault', c.isDefault);
          if (v >= 1) h.int8('configSource', c.configSource);
          h.bool('isSensitive', c.isSensitive);
          if (v >= 1) h.array('synonyms', c.synonyms, (h, s: X) => h.string('name', s.name).string('value', s.value).int8('source', s.source));
          if (v >= 3) h.int8('configType', c.configType).string('documentation', c.documentation);
        });
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 33
def({
  name: 'AlterConfigs',
  apiKey: 33,
  flexibleFrom: 2,
  request: {
    values: { resources: [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '1000' }, { name: 'x', value: null }] }], validateOnly: true },
    write(h, _v, x) {
      h.array('resources', x.resources, (h, r: X) => {
        h.int8('resourceType', r.resourceType).string('resourceName', r.resourceName);
        h.array('configs', r.configs, (h, c: X) => h.string('name', c.name).string('value', c.value));
      });
      h.bool('validateOnly', x.validateOnly);
    },
  },
  response: {
    values: { throttleTimeMs: 27, responses: [{ errorCode: 40, errorMessage: 'bad value', resourceType: 2, resourceName: 'orders' }] },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('responses', x.responses, (h, r: X) => h.int16('errorCode', r.errorCode).string('errorMessage', r.errorMessage).int8('resourceType', r.resourceType).string('resourceName', r.resourceName));
    },
  },
});

// ----------------------------------------------------------------------------------------- 35
def({
  name: 'DescribeLogDirs',
  apiKey: 35,
  flexibleFrom: 2,
  request: {
    values: { topics: [{ topic: 'orders', partitions: [0, 1] }] },
    write(h, _v, x) {
      h.array('topics', x.topics, (h, t: X) => h.string('topic', t.topic).int32s('partitions', t.partitions));
    },
  },
  response: {
    values: {
      throttleTimeMs: 28,
      errorCode: 0,
      results: [
        {
          errorCode: 0,
          logDir: '/var/eddy/data',
          topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, partitionSize: 4096, offsetLag: 0, isFutureKey: false }] }],
          totalBytes: 1000000,
          usableBytes: 500000,
        },
      ],
    },
    write(h, v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      if (v >= 3) h.int16('errorCode', x.errorCode);
      h.array('results', x.results, (h, r: X) => {
        h.int16('errorCode', r.errorCode).string('logDir', r.logDir);
        h.array('topics', r.topics, (h, t: X) => {
          h.string('name', t.name);
          h.array('partitions', t.partitions, (h, p: X) => h.int32('partitionIndex', p.partitionIndex).int64('partitionSize', p.partitionSize).int64('offsetLag', p.offsetLag).bool('isFutureKey', p.isFutureKey));
        });
        if (v >= 4) h.int64('totalBytes', r.totalBytes).int64('usableBytes', r.usableBytes);
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 36
def({
  name: 'SaslAuthenticate',
  apiKey: 36,
  flexibleFrom: 2,
  request: {
    values: { authBytes: Buffer.from('\u0000alice\u0000secret') },
    write(h, _v, x) {
      h.bytes('authBytes', x.authBytes);
    },
  },
  response: {
    values: { errorCode: 0, errorMessage: null, authBytes: Buffer.from('server-final'), sessionLifetimeMs: 3600000 },
    write(h, v, x) {
      h.int16('errorCode', x.errorCode).string('errorMessage', x.errorMessage).bytes('authBytes', x.authBytes);
      if (v >= 1) h.int64('sessionLifetimeMs', x.sessionLifetimeMs);
    },
  },
});

// ----------------------------------------------------------------------------------------- 37
def({
  name: 'CreatePartitions',
  apiKey: 37,
  flexibleFrom: 2,
  request: {
    values: {
      topics: [
        { name: 'orders', count: 8, assignments: [{ brokerIds: [1, 2] }, { brokerIds: [2, 3] }] },
        { name: 'payments', count: 4, assignments: null },
      ],
      timeoutMs: 10000,
      validateOnly: true,
    },
    write(h, _v, x) {
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name).int32('count', t.count);
        h.array('assignments', t.assignments, (h, a: X) => h.int32s('brokerIds', a.brokerIds));
      });
      h.int32('timeoutMs', x.timeoutMs).bool('validateOnly', x.validateOnly);
    },
  },
  response: {
    values: { throttleTimeMs: 29, results: [{ name: 'orders', errorCode: 37, errorMessage: 'must increase' }] },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('results', x.results, (h, r: X) => h.string('name', r.name).int16('errorCode', r.errorCode).string('errorMessage', r.errorMessage));
    },
  },
});

// ----------------------------------------------------------------------------------------- 42
def({
  name: 'DeleteGroups',
  apiKey: 42,
  flexibleFrom: 2,
  request: {
    values: { groupsNames: ['group-1', 'group-2'] },
    write(h, _v, x) {
      h.strings('groupsNames', x.groupsNames);
    },
  },
  response: {
    values: { throttleTimeMs: 30, results: [{ groupId: 'group-1', errorCode: 68 }] },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('results', x.results, (h, r: X) => h.string('groupId', r.groupId).int16('errorCode', r.errorCode));
    },
  },
});

// ----------------------------------------------------------------------------------------- 43
def({
  name: 'ElectLeaders',
  apiKey: 43,
  flexibleFrom: 2,
  request: {
    values: { electionType: 1, topicPartitions: [{ topic: 'orders', partitions: [0, 1] }], timeoutMs: 30000 },
    write(h, v, x) {
      if (v >= 1) h.int8('electionType', x.electionType);
      h.array('topicPartitions', x.topicPartitions, (h, t: X) => h.string('topic', t.topic).int32s('partitions', t.partitions));
      h.int32('timeoutMs', x.timeoutMs);
    },
  },
  response: {
    values: {
      throttleTimeMs: 31,
      errorCode: 0,
      replicaElectionResults: [{ topic: 'orders', partitionResult: [{ partitionId: 0, errorCode: 84, errorMessage: 'not needed' }] }],
    },
    write(h, v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      if (v >= 1) h.int16('errorCode', x.errorCode);
      h.array('replicaElectionResults', x.replicaElectionResults, (h, r: X) => {
        h.string('topic', r.topic);
        h.array('partitionResult', r.partitionResult, (h, p: X) => h.int32('partitionId', p.partitionId).int16('errorCode', p.errorCode).string('errorMessage', p.errorMessage));
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 44
def({
  name: 'IncrementalAlterConfigs',
  apiKey: 44,
  flexibleFrom: 1,
  request: {
    values: { resources: [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }, { name: 'x', configOperation: 1, value: null }] }], validateOnly: false },
    write(h, _v, x) {
      h.array('resources', x.resources, (h, r: X) => {
        h.int8('resourceType', r.resourceType).string('resourceName', r.resourceName);
        h.array('configs', r.configs, (h, c: X) => h.string('name', c.name).int8('configOperation', c.configOperation).string('value', c.value));
      });
      h.bool('validateOnly', x.validateOnly);
    },
  },
  response: {
    values: { throttleTimeMs: 32, responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders' }] },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('responses', x.responses, (h, r: X) => h.int16('errorCode', r.errorCode).string('errorMessage', r.errorMessage).int8('resourceType', r.resourceType).string('resourceName', r.resourceName));
    },
  },
});

// ----------------------------------------------------------------------------------------- 45
def({
  name: 'AlterPartitionReassignments',
  apiKey: 45,
  flexibleFrom: 0,
  request: {
    values: {
      timeoutMs: 60001,
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, replicas: [1, 2, 3] },
            { partitionIndex: 1, replicas: null },
          ],
        },
      ],
    },
    write(h, _v, x) {
      h.int32('timeoutMs', x.timeoutMs);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) => h.int32('partitionIndex', p.partitionIndex).int32s('replicas', p.replicas));
      });
    },
  },
  response: {
    values: {
      throttleTimeMs: 33,
      errorCode: 0,
      errorMessage: null,
      responses: [{ name: 'orders', partitions: [{ partitionIndex: 1, errorCode: 85, errorMessage: 'nothing to cancel' }] }],
    },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs).int16('errorCode', x.errorCode).string('errorMessage', x.errorMessage);
      h.array('responses', x.responses, (h, r: X) => {
        h.string('name', r.name);
        h.array('partitions', r.partitions, (h, p: X) => h.int32('partitionIndex', p.partitionIndex).int16('errorCode', p.errorCode).string('errorMessage', p.errorMessage));
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 46
def({
  name: 'ListPartitionReassignments',
  apiKey: 46,
  flexibleFrom: 0,
  request: {
    values: { timeoutMs: 60002, topics: [{ name: 'orders', partitionIndexes: [0, 1] }] },
    write(h, _v, x) {
      h.int32('timeoutMs', x.timeoutMs);
      h.array('topics', x.topics, (h, t: X) => h.string('name', t.name).int32s('partitionIndexes', t.partitionIndexes));
    },
  },
  response: {
    values: {
      throttleTimeMs: 34,
      errorCode: 0,
      errorMessage: null,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, replicas: [1, 2, 3], addingReplicas: [3], removingReplicas: [4] }] }],
    },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs).int16('errorCode', x.errorCode).string('errorMessage', x.errorMessage);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) =>
          h.int32('partitionIndex', p.partitionIndex).int32s('replicas', p.replicas).int32s('addingReplicas', p.addingReplicas).int32s('removingReplicas', p.removingReplicas),
        );
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 47
def({
  name: 'OffsetDelete',
  apiKey: 47,
  flexibleFrom: null,
  request: {
    values: { groupId: 'group-1', topics: [{ name: 'orders', partitions: [{ partitionIndex: 0 }, { partitionIndex: 2 }] }] },
    write(h, _v, x) {
      h.string('groupId', x.groupId);
      h.array('topics', x.topics, (h, t: X) => h.string('name', t.name).array('partitions', t.partitions, (h, p: X) => h.int32('partitionIndex', p.partitionIndex)));
    },
  },
  response: {
    values: { errorCode: 0, throttleTimeMs: 35, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 86 }] }] },
    write(h, _v, x) {
      h.int16('errorCode', x.errorCode).int32('throttleTimeMs', x.throttleTimeMs);
      h.array('topics', x.topics, (h, t: X) => h.string('name', t.name).array('partitions', t.partitions, (h, p: X) => h.int32('partitionIndex', p.partitionIndex).int16('errorCode', p.errorCode)));
    },
  },
});

// ----------------------------------------------------------------------------------------- 60
def({
  name: 'DescribeCluster',
  apiKey: 60,
  flexibleFrom: 0,
  request: {
    values: { includeClusterAuthorizedOperations: true, endpointType: 2 },
    write(h, v, x) {
      h.bool('includeClusterAuthorizedOperations', x.includeClusterAuthorizedOperations);
      if (v >= 1) h.int8('endpointType', x.endpointType);
    },
  },
  response: {
    values: {
      throttleTimeMs: 36,
      errorCode: 0,
      errorMessage: null,
      endpointType: 2,
      clusterId: 'eddy-cluster',
      controllerId: 1,
      brokers: [{ brokerId: 1, host: 'broker-1', port: 9092, rack: 'rack-a' }],
      clusterAuthorizedOperations: 3064,
    },
    write(h, v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs).int16('errorCode', x.errorCode).string('errorMessage', x.errorMessage);
      if (v >= 1) h.int8('endpointType', x.endpointType);
      h.string('clusterId', x.clusterId).int32('controllerId', x.controllerId);
      h.array('brokers', x.brokers, (h, b: X) => h.int32('brokerId', b.brokerId).string('host', b.host).int32('port', b.port).string('rack', b.rack));
      h.int32('clusterAuthorizedOperations', x.clusterAuthorizedOperations);
    },
  },
});

// ----------------------------------------------------------------------------------------- 61
def({
  name: 'DescribeProducers',
  apiKey: 61,
  flexibleFrom: 0,
  request: {
    values: { topics: [{ name: 'orders', partitionIndexes: [0, 2] }] },
    write(h, _v, x) {
      h.array('topics', x.topics, (h, t: X) => h.string('name', t.name).int32s('partitionIndexes', t.partitionIndexes));
    },
  },
  response: {
    values: {
      throttleTimeMs: 37,
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              errorMessage: null,
              activeProducers: [{ producerId: 4000, producerEpoch: 2, lastSequence: 99, lastTimestamp: 1700000000002, coordinatorEpoch: 1, currentTxnStartOffset: 800 }],
            },
          ],
        },
      ],
    },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('topics', x.topics, (h, t: X) => {
        h.string('name', t.name);
        h.array('partitions', t.partitions, (h, p: X) => {
          h.int32('partitionIndex', p.partitionIndex).int16('errorCode', p.errorCode).string('errorMessage', p.errorMessage);
          h.array('activeProducers', p.activeProducers, (h, s: X) =>
            h
              .int64('producerId', s.producerId)
              .int32('producerEpoch', s.producerEpoch)
              .int32('lastSequence', s.lastSequence)
              .int64('lastTimestamp', s.lastTimestamp)
              .int32('coordinatorEpoch', s.coordinatorEpoch)
              .int64('currentTxnStartOffset', s.currentTxnStartOffset),
          );
        });
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 65
def({
  name: 'DescribeTransactions',
  apiKey: 65,
  flexibleFrom: 0,
  request: {
    values: { transactionalIds: ['txn-1', 'txn-2'] },
    write(h, _v, x) {
      h.strings('transactionalIds', x.transactionalIds);
    },
  },
  response: {
    values: {
      throttleTimeMs: 38,
      transactionStates: [
        {
          errorCode: 0,
          transactionalId: 'txn-1',
          transactionState: 'Ongoing',
          transactionTimeoutMs: 60000,
          transactionStartTimeMs: 1700000000003,
          producerId: 4000,
          producerEpoch: 2,
          topics: [{ topic: 'orders', partitions: [0, 2] }],
        },
      ],
    },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('transactionStates', x.transactionStates, (h, s: X) => {
        h.int16('errorCode', s.errorCode).string('transactionalId', s.transactionalId).string('transactionState', s.transactionState);
        h.int32('transactionTimeoutMs', s.transactionTimeoutMs).int64('transactionStartTimeMs', s.transactionStartTimeMs).int64('producerId', s.producerId).int16('producerEpoch', s.producerEpoch);
        h.array('topics', s.topics, (h, t: X) => h.string('topic', t.topic).int32s('partitions', t.partitions));
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 66
def({
  name: 'ListTransactions',
  apiKey: 66,
  flexibleFrom: 0,
  request: {
    values: { stateFilters: ['Ongoing'], producerIdFilters: [4000, 4001], durationFilter: 120000 },
    write(h, v, x) {
      h.strings('stateFilters', x.stateFilters).int64s('producerIdFilters', x.producerIdFilters);
      if (v >= 1) h.int64('durationFilter', x.durationFilter);
    },
  },
  response: {
    values: { throttleTimeMs: 39, errorCode: 0, unknownStateFilters: ['Bogus'], transactionStates: [{ transactionalId: 'txn-1', producerId: 4000, transactionState: 'Ongoing' }] },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs).int16('errorCode', x.errorCode).strings('unknownStateFilters', x.unknownStateFilters);
      h.array('transactionStates', x.transactionStates, (h, s: X) => h.string('transactionalId', s.transactionalId).int64('producerId', s.producerId).string('transactionState', s.transactionState));
    },
  },
});

// ----------------------------------------------------------------------------------------- 68
def({
  name: 'ConsumerGroupHeartbeat',
  apiKey: 68,
  flexibleFrom: 0,
  request: {
    values: {
      groupId: 'group-1',
      memberId: 'member-1',
      memberEpoch: 5,
      instanceId: 'instance-1',
      rackId: 'rack-a',
      rebalanceTimeoutMs: 45000,
      subscribedTopicNames: ['orders', 'payments'],
      subscribedTopicRegex: 'ord.*',
      serverAssignor: 'uniform',
      topicPartitions: [{ topicId: ID_A, partitions: [0, 1] }],
    },
    write(h, v, x) {
      h.string('groupId', x.groupId).string('memberId', x.memberId).int32('memberEpoch', x.memberEpoch).string('instanceId', x.instanceId).string('rackId', x.rackId);
      h.int32('rebalanceTimeoutMs', x.rebalanceTimeoutMs).strings('subscribedTopicNames', x.subscribedTopicNames);
      if (v >= 1) h.string('subscribedTopicRegex', x.subscribedTopicRegex);
      h.string('serverAssignor', x.serverAssignor);
      h.array('topicPartitions', x.topicPartitions, (h, t: X) => h.uuid('topicId', t.topicId).int32s('partitions', t.partitions));
    },
  },
  response: {
    values: {
      throttleTimeMs: 40,
      errorCode: 0,
      errorMessage: null,
      memberId: 'member-1',
      memberEpoch: 6,
      heartbeatIntervalMs: 5000,
      assignment: { topicPartitions: [{ topicId: ID_B, partitions: [3] }] },
    },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs).int16('errorCode', x.errorCode).string('errorMessage', x.errorMessage).string('memberId', x.memberId);
      h.int32('memberEpoch', x.memberEpoch).int32('heartbeatIntervalMs', x.heartbeatIntervalMs);
      h.nullableStruct('assignment', x.assignment, (h, a: X) => h.array('topicPartitions', a.topicPartitions, (h, t: X) => h.uuid('topicId', t.topicId).int32s('partitions', t.partitions)));
    },
  },
});

// ----------------------------------------------------------------------------------------- 69
def({
  name: 'ConsumerGroupDescribe',
  apiKey: 69,
  flexibleFrom: 0,
  request: {
    values: { groupIds: ['group-1'], includeAuthorizedOperations: true },
    write(h, _v, x) {
      h.strings('groupIds', x.groupIds).bool('includeAuthorizedOperations', x.includeAuthorizedOperations);
    },
  },
  response: {
    values: {
      throttleTimeMs: 41,
      groups: [
        {
          errorCode: 0,
          errorMessage: null,
          groupId: 'group-1',
          groupState: 'Stable',
          groupEpoch: 7,
          assignmentEpoch: 7,
          assignorName: 'uniform',
          members: [
            {
              memberId: 'member-1',
              instanceId: null,
              rackId: 'rack-a',
              memberEpoch: 7,
              clientId: 'client-1',
              clientHost: '/127.0.0.1',
              subscribedTopicNames: ['orders'],
              subscribedTopicRegex: null,
              assignment: { topicPartitions: [{ topicId: ID_A, topicName: 'orders', partitions: [0] }] },
              targetAssignment: { topicPartitions: [{ topicId: ID_A, topicName: 'orders', partitions: [0, 1] }] },
            },
          ],
          authorizedOperations: 456,
        },
      ],
    },
    write(h, _v, x) {
      const assignment = (h: Hand, a: X): void => {
        h.array('topicPartitions', a.topicPartitions, (h, t: X) => h.uuid('topicId', t.topicId).string('topicName', t.topicName).int32s('partitions', t.partitions));
      };
      h.int32('throttleTimeMs', x.throttleTimeMs);
      h.array('groups', x.groups, (h, g: X) => {
        h.int16('errorCode', g.errorCode).string('errorMessage', g.errorMessage).string('groupId', g.groupId).string('groupState', g.groupState);
        h.int32('groupEpoch', g.groupEpoch).int32('assignmentEpoch', g.assignmentEpoch).string('assignorName', g.assignorName);
        h.array('members', g.members, (h, m: X) => {
          h.string('memberId', m.memberId).string('instanceId', m.instanceId).string('rackId', m.rackId).int32('memberEpoch', m.memberEpoch);
          h.string('clientId', m.clientId).string('clientHost', m.clientHost).strings('subscribedTopicNames', m.subscribedTopicNames).string('subscribedTopicRegex', m.subscribedTopicRegex);
          h.struct('assignment', m.assignment, assignment).struct('targetAssignment', m.targetAssignment, assignment);
        });
        h.int32('authorizedOperations', g.authorizedOperations);
      });
    },
  },
});

// ----------------------------------------------------------------------------------------- 71
def({
  name: 'GetTelemetrySubscriptions',
  apiKey: 71,
  flexibleFrom: 0,
  request: {
    values: { clientInstanceId: ID_B },
    write(h, _v, x) {
      h.uuid('clientInstanceId', x.clientInstanceId);
    },
  },
  response: {
    values: {
      throttleTimeMs: 42,
      errorCode: 0,
      clientInstanceId: ID_B,
      subscriptionId: 1234,
      acceptedCompressionTypes: [0, 4],
      pushIntervalMs: 30000,
      telemetryMaxBytes: 1048576,
      deltaTemporality: true,
      requestedMetrics: ['org.apache.kafka.producer.'],
    },
    write(h, _v, x) {
      h.int32('throttleTimeMs', x.throttleTimeMs).int16('errorCode', x.errorCode).uuid('clientInstanceId', x.clientInstanceId).int32('subscriptionId', x.subscriptionId);
      h.int8s('acceptedCompressionTypes', x.acceptedCompressionTypes).int32('pushIntervalMs', x.pushIntervalMs).int32('telemetryMaxBytes', x.telemetryMaxBytes);
      h.bool('deltaTemporality', x.deltaTemporality).strings('requestedMetrics', x.requestedMetrics);
    },
  },
});

// ------------------------------------------------------------------------------------------
// Response values without tagged fields, for decoders that cannot read tag sections.

/** Deep copy that keeps Buffers as Buffers. */
export function copyValues(x: X): X {
  if (Buffer.isBuffer(x)) return Buffer.from(x);
  if (Array.isArray(x)) return x.map(copyValues);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copyValues(v)]));
  return x;
}

function untagged(apiKey: number, strip: (x: X) => void): void {
  const layout = layouts.find((l) => l.apiKey === apiKey) as ApiLayout;
  const x = copyValues(layout.response.values);
  strip(x);
  layout.response.untagged = x;
}

untagged(0, (x) => {
  for (const t of x.responses) for (const p of t.partitionResponses) p.currentLeader = { leaderId: -1, leaderEpoch: -1 };
  x.nodeEndpoints = [];
});
untagged(1, (x) => {
  for (const t of x.responses) {
    for (const p of t.partitions) {
      p.divergingEpoch = { epoch: -1, endOffset: -1 };
      p.currentLeader = { leaderId: -1, leaderEpoch: -1 };
      p.snapshotId = { endOffset: -1, epoch: -1 };
    }
  }
  x.nodeEndpoints = [];
});
untagged(18, (x) => {
  x.supportedFeatures = [];
  x.finalizedFeaturesEpoch = -1;
  x.finalizedFeatures = [];
  x.zkMigrationReady = false;
});
untagged(19, (x) => {
  for (const t of x.topics) t.topicConfigErrorCode = 0;
});

export const LAYOUTS: ReadonlyMap<number, ApiLayout> = new Map(layouts.map((l) => [l.apiKey, l]));
