import { describe, expect, it } from 'vitest';
import { decodeBatches } from '../../../src/engine/protocol/records/index.js';
import {
  buildCoordinatorBatch,
  decodeRecord,
  encodeKey,
  encodeValue,
  type CoordinatorRecord,
} from '../../../src/engine/groups/records.js';
import { javaStringHashCode, partitionForGroup } from '../../../src/engine/groups/placement.js';
import { subscribedTopicsOf } from '../../../src/engine/groups/consumer-protocol.js';
import { groupCoordinatorConfig } from '../../../src/engine/groups/config.js';
import { subscription } from './helpers.js';

describe('coordinator placement', () => {
  // Expected values printed by Java: s.hashCode(), Utils.abs(h) % 50.
  const java: [string, number, number][] = [
    ['foo', 101574, 24],
    ['my-group', -1906497762, 12],
    ['polygenelubricants', -2147483648, 0],
    ['console-consumer-12345', 158455506, 6],
    ['zzzzzzzzzz', -1580979136, 36],
    ['日本語グループ', -305235731, 31],
    ['😀group', -1231696132, 32],
  ];
  it.each(java)('%s hashes and places as Kafka does', (groupId, hash, partition) => {
    expect(javaStringHashCode(groupId)).toBe(hash);
    expect(partitionForGroup(groupId, 50)).toBe(partition);
  });
});

describe('__consumer_offsets records', () => {
  it('writes keys in Kafka layouts (OffsetCommitKey v1, GroupMetadataKey v2)', () => {
    expect(
      encodeKey({ type: 'offset', group: 'g', topic: 't', partition: 3, value: null }).toString('hex'),
    ).toBe('0001' + '000167' + '000174' + '00000003');
    expect(encodeKey({ type: 'group', group: 'grp', value: null }).toString('hex')).toBe(
      '0002' + '0003677270',
    );
  });

  it('writes OffsetCommitValue v3, or v1 when the commit has an expire timestamp', () => {
    const v3 = encodeValue({
      type: 'offset',
      group: 'g',
      topic: 't',
      partition: 0,
      value: { offset: 5, leaderEpoch: 2, metadata: 'm', commitTimestamp: 1000, expireTimestamp: -1 },
    })!;
    expect(v3.toString('hex')).toBe('0003' + '0000000000000005' + '00000002' + '00016d' + '00000000000003e8');
    const v1 = encodeValue({
      type: 'offset',
      group: 'g',
      topic: 't',
      partition: 0,
      value: { offset: 5, leaderEpoch: 2, metadata: '', commitTimestamp: 1000, expireTimestamp: 2000 },
    })!;
    expect(v1.toString('hex')).toBe(
      '0001' + '0000000000000005' + '0000' + '00000000000003e8' + '00000000000007d0',
    );
  });

  it('round-trips every record kind through a batch, tombstones included', () => {
    const records: CoordinatorRecord[] = [
      {
        type: 'offset',
        group: 'g',
        topic: 't',
        partition: 1,
        value: { offset: 9, leaderEpoch: -1, metadata: 'é', commitTimestamp: 7, expireTimestamp: -1 },
      },
      {
        type: 'offset',
        group: 'g',
        topic: 't',
        partition: 2,
        value: { offset: 9, leaderEpoch: -1, metadata: '', commitTimestamp: 7, expireTimestamp: 99 },
      },
      { type: 'offset', group: 'g', topic: 't', partition: 1, value: null },
      {
        type: 'group',
        group: 'g',
        value: {
          protocolType: 'consumer',
          generation: 4,
          protocol: 'range',
          leader: 'm-1',
          currentStateTimestamp: 123,
          members: [
            {
              memberId: 'm-1',
              groupInstanceId: 'pod',
              clientId: 'c',
              clientHost: '/127.0.0.1',
              rebalanceTimeout: 300000,
              sessionTimeout: 45000,
              subscription: subscription(['t']),
              assignment: Buffer.from([1, 2]),
            },
          ],
        },
      },
      {
        type: 'group',
        group: 'g',
        value: {
          protocolType: '',
          generation: 0,
          protocol: null,
          leader: null,
          currentStateTimestamp: -1,
          members: [],
        },
      },
      { type: 'group', group: 'g', value: null },
    ];
    const [batch] = decodeBatches(buildCoordinatorBatch(records, 5));
    const decoded = batch.records.map((r) => decodeRecord(r.key, r.value));
    // v1 has no leader epoch; everything else comes back as written.
    expect(decoded).toEqual([
      records[0],
      { ...records[1], value: { ...(records[1] as any).value, leaderEpoch: -1 } },
      ...records.slice(2),
    ]);
  });

  it('skips the record kinds of newer group types and rejects garbage', () => {
    expect(decodeRecord(Buffer.from('0003000167', 'hex'), null)).toBeNull();
    expect(() => decodeRecord(Buffer.from('00', 'hex'), null)).toThrow();
    expect(() => decodeRecord(Buffer.from('0001000167', 'hex'), null)).toThrow();
  });
});

describe('consumer protocol and configs', () => {
  it('reads the topics of a subscription of any version', () => {
    expect(subscribedTopicsOf(subscription(['a', 'b']))).toEqual(['a', 'b']);
    const v3 = Buffer.concat([
      Buffer.from([0, 3]),
      subscription(['x']).subarray(2),
      Buffer.from([0, 0, 0, 0]),
    ]);
    expect(subscribedTopicsOf(v3)).toEqual(['x']);
    expect(subscribedTopicsOf(Buffer.from([0]))).toBeNull();
  });

  it('reads group.* and offsets.* broker configs and refuses nonsense', () => {
    const config = groupCoordinatorConfig({
      'group.initial.rebalance.delay.ms': '3000',
      'offsets.retention.minutes': '2',
      'offsets.topic.num.partitions': '5',
    });
    expect(config).toMatchObject({
      initialRebalanceDelayMs: 3000,
      offsetsRetentionMs: 120_000,
      offsetsTopicNumPartitions: 5,
      minSessionTimeoutMs: 6000,
    });
    expect(() => groupCoordinatorConfig({ 'group.min.session.timeout.ms': 'soon' })).toThrow(
      /group.min.session.timeout.ms/,
    );
    expect(() => groupCoordinatorConfig({ 'offsets.topic.num.partitions': '0' })).toThrow();
  });
});
