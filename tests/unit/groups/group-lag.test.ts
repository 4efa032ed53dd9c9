// EngineObserver.groupLag(): lag = the leader's high watermark − the committed offset, from the
// latest statistics; the group comes from the broker the metadata names coordinator; 'lag' fires on
// changes only.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Controller } from '../../../src/engine/controller/controller.js';
import type { MetadataRecord } from '../../../src/engine/controller/records.js';
import type { BrokerStats, GroupLag, GroupStats } from '../../../src/engine/observe/events.js';
import { EngineObserver } from '../../../src/engine/observe/observer.js';

const T = 'a'.repeat(32);
const OFFSETS = 'b'.repeat(32);

class FakeController extends EventEmitter {
  constructor(private readonly records: MetadataRecord[]) {
    super();
  }
  snapshot(): MetadataRecord[] {
    return this.records;
  }
}

function partition(topicId: string, p: number, leader: number): MetadataRecord {
  return {
    type: 'Partition',
    topicId,
    partition: p,
    replicas: [1, 2, 3],
    isr: [1, 2, 3],
    leader,
    leaderEpoch: 0,
    partitionEpoch: 0,
  };
}

function setup() {
  const controller = new FakeController([
    { type: 'Topic', name: 'orders', topicId: T },
    partition(T, 0, 1),
    partition(T, 1, 2),
    partition(T, 2, 3),
    { type: 'Topic', name: '__consumer_offsets', topicId: OFFSETS },
    partition(OFFSETS, 0, 1),
    partition(OFFSETS, 1, 3),
  ]);
  const observer = new EngineObserver(controller as unknown as Controller, null);
  return { controller, observer };
}

const group = (offsets: [number, number][], over: Partial<GroupStats> = {}): GroupStats => ({
  groupId: 'billing',
  state: 'Stable',
  protocolType: 'consumer',
  protocol: 'range',
  members: 2,
  offsetsPartition: 0,
  offsets: offsets.map(([partition, offset]) => ({ topic: 'orders', partition, offset })),
  ...over,
});

function stats(
  brokerId: number,
  at: number,
  leads: [number, number][],
  groups: GroupStats[] = [],
): BrokerStats {
  return {
    brokerId,
    at,
    replicas: [0, 1, 2].map((p) => {
      const led = leads.find(([lp]) => lp === p);
      return {
        topic: 'orders',
        partition: p,
        isLeader: led !== undefined,
        logStartOffset: 0,
        logEndOffset: (led?.[1] ?? 0) + 5,
        highWatermark: led?.[1] ?? 0,
        sizeBytes: 0,
      };
    }),
    traffic: [],
    connections: 0,
    groups,
  };
}

describe('EngineObserver.groupLag', () => {
  it('pairs committed offsets with the leaders’ high watermarks, as kafka-consumer-groups does', () => {
    const { observer } = setup();
    const events: GroupLag[][] = [];
    observer.on('lag', (lag: GroupLag[]) => events.push(lag));
    observer.updateStats(
      stats(
        1,
        1000,
        [[0, 100]],
        [
          group([
            [0, 40],
            [1, 50],
            [2, 5],
          ]),
        ],
      ),
    );
    observer.updateStats(stats(2, 1000, [[1, 50]]));
    // Broker 3 leads orders-2 but has not reported yet: its log end offset is unknown.
    expect(observer.groupLag()).toEqual([
      {
        groupId: 'billing',
        state: 'Stable',
        protocolType: 'consumer',
        protocol: 'range',
        members: 2,
        coordinator: 1,
        partitions: [
          { topic: 'orders', partition: 0, committedOffset: 40, logEndOffset: 100, lag: 60 },
          { topic: 'orders', partition: 1, committedOffset: 50, logEndOffset: 50, lag: 0 },
          { topic: 'orders', partition: 2, committedOffset: 5, logEndOffset: null, lag: null },
        ],
        totalLag: 60,
      },
    ]);
    expect(events).toHaveLength(2);

    // The same numbers again (a later sample): no event.
    observer.updateStats(stats(2, 2000, [[1, 50]]));
    expect(events).toHaveLength(2);

    observer.updateStats(stats(3, 2000, [[2, 9]]));
    expect(events).toHaveLength(3);
    expect(observer.groupLag('billing')[0].partitions[2]).toMatchObject({ logEndOffset: 9, lag: 4 });
    expect(observer.groupLag('other')).toEqual([]);
  });

  it('trusts the coordinator the metadata names, and follows leadership changes', () => {
    const { controller, observer } = setup();
    observer.on('lag', () => undefined);
    // Broker 3 still reports the group from before it lost the offsets partition (stale, but newer).
    observer.updateStats(stats(3, 5000, [[2, 30]], [group([[2, 1]], { state: 'Empty', members: 0 })]));
    observer.updateStats(
      stats(
        1,
        1000,
        [
          [0, 10],
          [2, 20],
        ],
        [group([[2, 12]])],
      ),
    );
    let [g] = observer.groupLag();
    expect(g.coordinator).toBe(1);
    // orders-2's leader per metadata is broker 3, whose high watermark wins over broker 1's stale claim.
    expect(g.partitions).toEqual([
      { topic: 'orders', partition: 2, committedOffset: 12, logEndOffset: 30, lag: 18 },
    ]);

    // Leadership of orders-2 moves to broker 1: its high watermark counts now.
    controller.emit('records', [
      { type: 'PartitionChange', topicId: T, partition: 2, leader: 1, leaderEpoch: 1, partitionEpoch: 1 },
    ] satisfies MetadataRecord[]);
    [g] = observer.groupLag();
    expect(g.partitions[0]).toMatchObject({ logEndOffset: 20, lag: 8 });

    // The coordinator stops reporting (killed): the remaining claim is used until a new one reports.
    observer.forgetStats(1);
    [g] = observer.groupLag();
    expect(g).toMatchObject({ coordinator: 3, state: 'Empty', members: 0 });
    expect(g.partitions[0]).toMatchObject({ committedOffset: 1, logEndOffset: 30, lag: 29 });
    observer.close();
  });

  it('reports a lag Kafka would print as negative when the committed offset is past the high watermark', () => {
    const { observer } = setup();
    observer.updateStats(stats(1, 1000, [[0, 10]], [group([[0, 15]])]));
    expect(observer.groupLag()[0].partitions[0].lag).toBe(-5);
    observer.close();
  });
});
