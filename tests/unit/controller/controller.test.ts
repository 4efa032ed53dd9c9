import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Controller } from '../../../src/engine/controller/controller.js';
import { MetadataLog } from '../../../src/engine/controller/metadata-log.js';
import { assignReplicas } from '../../../src/engine/controller/replica-placement.js';
import { validateTopicConfigs } from '../../../src/engine/config/topic-configs.js';
import { ErrorCode } from '../../../src/engine/protocol/errors.js';

let dir: string;
const open = () =>
  new Controller({ dataDir: dir, defaultPartitions: 1, defaultReplicationFactor: 1, validateTopicConfigs });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-controller-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('Controller', () => {
  it('creates the topics of one request in one metadata append, refusing duplicates and collisions inside it', () => {
    const c = open();
    c.registerBroker({ brokerId: 1, host: '127.0.0.1', port: 9092, rack: null });
    const commits: number[] = [];
    c.on('records', (records: unknown[]) => commits.push(records.length));
    const spec = (name: string) => ({ name, numPartitions: 2, replicationFactor: 1, assignments: [], configs: {} });
    const results = c.createTopics(
      [spec('a.b'), spec('c'), spec('a_b'), spec('c'), ...Array.from({ length: 500 }, (_, i) => spec(`t${i}`))],
      false,
    );
    expect(results.slice(0, 4).map((r) => r.errorCode)).toEqual([
      ErrorCode.NONE,
      ErrorCode.NONE,
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      ErrorCode.INVALID_REQUEST,
    ]);
    expect(results[2].errorMessage).toContain("collides with topic 'a.b'");
    expect(results.slice(4).every((r) => r.errorCode === ErrorCode.NONE)).toBe(true);
    // 502 topics × (1 Topic + 2 Partition records) in a single commit.
    expect(commits).toEqual([502 * 3]);
    expect(c.image.topicsByName.size).toBe(502);
    c.close();
    const replayed = open();
    expect(replayed.image.topicsByName.size).toBe(502);
    replayed.close();
  });

  it('replays its metadata log: same cluster id, topics, leaders, configs and producer id blocks', () => {
    const c1 = open();
    c1.registerBroker({ brokerId: 1, host: '127.0.0.1', port: 9092, rack: null });
    const [created] = c1.createTopics(
      [{ name: 'orders', numPartitions: 3, replicationFactor: 1, assignments: [], configs: { 'retention.ms': '1000' } }],
      false,
    );
    expect(created.errorCode).toBe(ErrorCode.NONE);
    const block = c1.allocateProducerIds(1);
    const clusterId = c1.clusterId;
    c1.close();

    const c2 = open();
    expect(c2.clusterId).toBe(clusterId);
    const topic = c2.image.topic('orders')!;
    expect(topic.topicId).toBe(created.topicId);
    expect(topic.partitions.map((p) => p.leader)).toEqual([1, 1, 1]);
    expect(topic.configs.get('retention.ms')).toBe('1000');
    expect(c2.allocateProducerIds(1).firstProducerId).toBe(block.firstProducerId + block.count);
    c2.close();
  });

  it('cuts a torn tail of the metadata log and keeps every whole record before it', () => {
    const c1 = open();
    c1.registerBroker({ brokerId: 1, host: '127.0.0.1', port: 9092, rack: null });
    c1.createTopics([{ name: 'a', numPartitions: 1, replicationFactor: 1, assignments: [], configs: {} }], false);
    c1.close();
    const file = path.join(dir, 'metadata.log');
    const whole = fs.statSync(file).size;
    fs.appendFileSync(file, Buffer.from([0, 0, 0, 50, 1, 2, 3]));
    const { log, recovery } = MetadataLog.open(dir);
    log.close();
    expect(recovery.truncatedBytes).toBe(7);
    expect(fs.statSync(file).size).toBe(whole);
    const c2 = open();
    expect(c2.image.topic('a')).toBeDefined();
    c2.close();
  });

  it('stops replay at a corrupted record (bad checksum)', () => {
    const c1 = open();
    c1.registerBroker({ brokerId: 1, host: '127.0.0.1', port: 9092, rack: null });
    c1.createTopics([{ name: 'a', numPartitions: 1, replicationFactor: 1, assignments: [], configs: {} }], false);
    c1.close();
    const file = path.join(dir, 'metadata.log');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 3] ^= 0xff; // inside the last record's payload
    fs.writeFileSync(file, bytes);
    const { log, recovery } = MetadataLog.open(dir);
    log.close();
    expect(recovery.truncatedBytes).toBeGreaterThan(0);
    expect(recovery.records.length).toBeGreaterThan(0);
  });

  it('refuses deleting internal topics and unknown ones', () => {
    const c = open();
    c.registerBroker({ brokerId: 1, host: '127.0.0.1', port: 9092, rack: null });
    expect(c.deleteTopics(['nope'])[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    c.close();
  });
});

describe('replica placement', () => {
  it('spreads leaders round-robin and never repeats a broker within a partition', () => {
    const assignment = assignReplicas([1, 2, 3], 6, 3, () => 0);
    expect(assignment.map((r) => r[0])).toEqual([1, 2, 3, 1, 2, 3]);
    for (const replicas of assignment) expect(new Set(replicas).size).toBe(3);
    // Followers shift after every full round so replica sets differ.
    expect(assignment[0]).not.toEqual(assignment[3]);
  });

  it('balances leaders from any random start', () => {
    for (let start = 0; start < 5; start++) {
      const a = assignReplicas([1, 2, 3, 4, 5], 10, 2, () => start);
      const counts = new Map<number, number>();
      for (const r of a) counts.set(r[0], (counts.get(r[0]) ?? 0) + 1);
      expect([...counts.values()]).toEqual([2, 2, 2, 2, 2]);
    }
  });
});
