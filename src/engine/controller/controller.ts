import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ErrorCode } from '../protocol/errors.js';
import { MetadataImage, type PartitionState, type TopicImage } from './metadata-image.js';
import { MetadataLog } from './metadata-log.js';
import type { MetadataRecord } from './records.js';
import { INTERNAL_TOPICS, topicNameProblem, unifyCollisionChars } from './topic-rules.js';
import { assignReplicas } from './replica-placement.js';

export interface ControllerOptions {
  dataDir: string;
  /** num.partitions: used when a CreateTopics request or auto-creation asks for the default (-1). */
  defaultPartitions: number;
  /** default.replication.factor. */
  defaultReplicationFactor: number;
  /** Checks topic configs; returns per-key problems (Kafka answers INVALID_CONFIG). */
  validateTopicConfigs: (configs: Record<string, string>) => string | null;
}

export interface CreateTopicSpec {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  /** Manual assignment: partition index → broker ids. Empty for automatic placement. */
  assignments: { partitionIndex: number; brokerIds: number[] }[];
  configs: Record<string, string>;
}

export interface TopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
  topicId?: string;
  numPartitions?: number;
  replicationFactor?: number;
}

/** Block of producer ids handed to a broker at a time, as Kafka's controller does. */
export const PRODUCER_ID_BLOCK_SIZE = 1000;

/**
 * The cluster controller: the role ZooKeeper played in classic Kafka and the KRaft quorum plays in
 * Kafka 4. It is the single writer of cluster metadata. Every change is a list of records: appended
 * to the metadata log (fsynced), applied to the image, then published to brokers. Operations are
 * synchronous inside one thread, so they never interleave.
 */
export class Controller extends EventEmitter {
  readonly image = new MetadataImage();
  private readonly log: MetadataLog;
  /** Records replayed from disk at start, kept so new brokers can be sent the whole history. */
  private readonly history: MetadataRecord[] = [];
  readonly recoveredTruncatedBytes: number;

  constructor(private readonly options: ControllerOptions) {
    super();
    const { log, recovery } = MetadataLog.open(options.dataDir);
    this.log = log;
    this.recoveredTruncatedBytes = recovery.truncatedBytes;
    for (const r of recovery.records) {
      this.image.apply(r);
      this.history.push(r);
    }
    if (!this.image.clusterId) this.commit([{ type: 'ClusterId', clusterId: newClusterId() }]);
  }

  get clusterId(): string {
    return this.image.clusterId;
  }

  /** Every record since the log began, for a broker that starts with an empty image. */
  snapshot(): MetadataRecord[] {
    return [...this.history];
  }

  registerBroker(reg: { brokerId: number; host: string; port: number; rack: string | null }): void {
    const existing = this.image.brokers.get(reg.brokerId);
    const records: MetadataRecord[] = [];
    if (!existing || existing.host !== reg.host || existing.port !== reg.port || existing.rack !== reg.rack) {
      records.push({ type: 'RegisterBroker', ...reg, incarnation: randomUUID() });
    }
    if (!existing || existing.fenced || records.length > 0) records.push({ type: 'UnfenceBroker', brokerId: reg.brokerId });
    // A broker that comes back leads the partitions it is the only live replica of.
    this.commit(records);
    this.electLeadersWhereMissing();
  }

  /**
   * A broker is gone (killed, crashed, or stopped): it leaves every ISR, and partitions it led get a
   * new leader from the remaining live ISR — or none, unless the topic allows unclean election.
   */
  fenceBroker(brokerId: number): void {
    const b = this.image.brokers.get(brokerId);
    if (!b || b.fenced) return;
    const records: MetadataRecord[] = [{ type: 'FenceBroker', brokerId }];
    const live = new Set(this.image.liveBrokers().map((x) => x.brokerId));
    live.delete(brokerId);
    for (const topic of this.image.topicsById.values()) {
      for (const p of topic.partitions) {
        if (!p.replicas.includes(brokerId)) continue;
        const change = this.partitionWithout(topic, p, brokerId, live);
        if (change) records.push(change);
      }
    }
    this.commit(records);
  }

  /**
   * Controlled shutdown: move leadership off the broker and take it out of every ISR before it
   * stops, so clients never see a partition without a leader.
   */
  controlledShutdown(brokerId: number): void {
    this.fenceBroker(brokerId);
  }

  /**
   * AlterPartition from a leader: a new ISR (shrink when a follower lags, expand when it caught
   * up). Refused when the leader's view is stale (its epochs are not the current ones).
   */
  alterPartition(request: {
    brokerId: number;
    topicId: string;
    partition: number;
    leaderEpoch: number;
    partitionEpoch: number;
    isr: number[];
  }): { errorCode: number; leaderEpoch: number; partitionEpoch: number; isr: number[]; leader: number } {
    const topic = this.image.topicsById.get(request.topicId);
    const p = topic?.partitions[request.partition];
    if (!topic || !p) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, leaderEpoch: -1, partitionEpoch: -1, isr: [], leader: -1 };
    const current = { leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch, isr: p.isr, leader: p.leader };
    if (p.leader !== request.brokerId) return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, ...current };
    if (request.leaderEpoch !== p.leaderEpoch) return { errorCode: ErrorCode.FENCED_LEADER_EPOCH, ...current };
    if (request.partitionEpoch !== p.partitionEpoch) return { errorCode: ErrorCode.INVALID_UPDATE_VERSION, ...current };
    const live = new Set(this.image.liveBrokers().map((x) => x.brokerId));
    const proposed = [...new Set(request.isr)];
    // A fenced broker or a non-replica may not join the ISR (Kafka answers INELIGIBLE_REPLICA).
    const ineligible = proposed.filter((id) => !p.isr.includes(id) && (!p.replicas.includes(id) || !live.has(id)));
    if (ineligible.length > 0) return { errorCode: ErrorCode.INELIGIBLE_REPLICA, ...current };
    const isr = proposed.filter((id) => p.replicas.includes(id));
    if (!isr.includes(p.leader)) return { errorCode: ErrorCode.INVALID_REQUEST, ...current };
    // Nothing to change: answer without writing a record.
    if (isr.length === p.isr.length && isr.every((id) => p.isr.includes(id))) return { errorCode: ErrorCode.NONE, ...current };
    this.commit([
      {
        type: 'PartitionChange',
        topicId: topic.topicId,
        partition: p.partition,
        isr,
        leaderEpoch: p.leaderEpoch,
        partitionEpoch: p.partitionEpoch + 1,
      },
    ]);
    this.maybeCompleteReassignment(topic, p);
    return { errorCode: ErrorCode.NONE, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch, isr: p.isr, leader: p.leader };
  }

  /**
   * Preferred leader election: the first replica leads when it is live and in the ISR. Returns the
   * partitions whose leader changed. `only` limits it to some partitions (ElectLeaders).
   */
  electPreferredLeaders(only?: { topic: string; partition: number }[]): { topic: string; partition: number; errorCode: number }[] {
    const results: { topic: string; partition: number; errorCode: number }[] = [];
    const records: MetadataRecord[] = [];
    const live = new Set(this.image.liveBrokers().map((x) => x.brokerId));
    const wanted = only ? new Set(only.map((o) => `${o.topic}\u0000${o.partition}`)) : null;
    for (const topic of this.image.topicsById.values()) {
      for (const p of topic.partitions) {
        if (wanted && !wanted.has(`${topic.name}\u0000${p.partition}`)) continue;
        const preferred = p.replicas[0];
        if (p.leader === preferred) {
          if (wanted) results.push({ topic: topic.name, partition: p.partition, errorCode: ErrorCode.ELECTION_NOT_NEEDED });
          continue;
        }
        if (!live.has(preferred) || !p.isr.includes(preferred)) {
          if (wanted) results.push({ topic: topic.name, partition: p.partition, errorCode: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE });
          continue;
        }
        records.push({
          type: 'PartitionChange',
          topicId: topic.topicId,
          partition: p.partition,
          leader: preferred,
          leaderEpoch: p.leaderEpoch + 1,
          partitionEpoch: p.partitionEpoch + 1,
        });
        results.push({ topic: topic.name, partition: p.partition, errorCode: ErrorCode.NONE });
      }
    }
    if (wanted) {
      for (const o of only!) {
        if (!this.image.topic(o.topic)?.partitions[o.partition]) {
          results.push({ topic: o.topic, partition: o.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
        }
      }
    }
    this.commit(records);
    return results;
  }

  /** CreatePartitions: grows a topic to `count` partitions, placing new replicas like topic creation. */
  createPartitions(
    name: string,
    count: number,
    assignments: number[][] | null,
    validateOnly: boolean,
  ): { errorCode: number; errorMessage: string | null } {
    const topic = this.image.topic(name);
    if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${name}' does not exist.` };
    const current = topic.partitions.length;
    if (!Number.isInteger(count) || count <= current) {
      return {
        errorCode: ErrorCode.INVALID_PARTITIONS,
        errorMessage: `Topic '${name}' has ${current} partitions; the new count must be larger (got ${count}).`,
      };
    }
    const rf = topic.partitions[0]?.replicas.length ?? 1;
    const live = this.image.liveBrokers().map((b) => b.brokerId);
    let added: number[][];
    if (assignments) {
      if (assignments.length !== count - current) {
        return {
          errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          errorMessage: `${assignments.length} assignments were given for ${count - current} new partitions.`,
        };
      }
      for (const replicas of assignments) {
        if (replicas.length !== rf || new Set(replicas).size !== replicas.length || replicas.some((id) => !this.image.brokers.has(id))) {
          return {
            errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            errorMessage: `Each new partition needs ${rf} distinct, registered brokers.`,
          };
        }
      }
      added = assignments;
    } else {
      if (rf > live.length) {
        return {
          errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
          errorMessage: `The topic's replication factor ${rf} is larger than the ${live.length} available brokers.`,
        };
      }
      added = assignReplicas(live, count - current, rf);
    }
    if (validateOnly) return { errorCode: ErrorCode.NONE, errorMessage: null };
    const liveSet = new Set(live);
    this.commit(
      added.map((replicas, i) => {
        const isr = replicas.filter((id) => liveSet.has(id));
        return {
          type: 'Partition' as const,
          topicId: topic.topicId,
          partition: current + i,
          replicas,
          isr,
          leader: isr[0] ?? -1,
          leaderEpoch: 0,
          partitionEpoch: 0,
        };
      }),
    );
    return { errorCode: ErrorCode.NONE, errorMessage: null };
  }

  /** ElectLeaders with election type UNCLEAN: offline partitions get any live replica as leader. */
  electUncleanLeaders(only: { topic: string; partition: number }[] | null): { topic: string; partition: number; errorCode: number }[] {
    const live = new Set(this.image.liveBrokers().map((x) => x.brokerId));
    const results: { topic: string; partition: number; errorCode: number }[] = [];
    const records: MetadataRecord[] = [];
    const targets =
      only ??
      [...this.image.topicsById.values()].flatMap((t) => t.partitions.filter((p) => p.leader === -1).map((p) => ({ topic: t.name, partition: p.partition })));
    for (const { topic: name, partition } of targets) {
      const topic = this.image.topic(name);
      const p = topic?.partitions[partition];
      if (!topic || !p) {
        results.push({ topic: name, partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
        continue;
      }
      if (p.leader !== -1 && live.has(p.leader)) {
        results.push({ topic: name, partition, errorCode: ErrorCode.ELECTION_NOT_NEEDED });
        continue;
      }
      const candidate = p.isr.find((id) => live.has(id)) ?? p.replicas.find((id) => live.has(id));
      if (candidate === undefined) {
        results.push({ topic: name, partition, errorCode: ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE });
        continue;
      }
      records.push({
        type: 'PartitionChange',
        topicId: topic.topicId,
        partition,
        leader: candidate,
        isr: p.isr.includes(candidate) ? p.isr : [candidate],
        leaderEpoch: p.leaderEpoch + 1,
        partitionEpoch: p.partitionEpoch + 1,
      });
      results.push({ topic: name, partition, errorCode: ErrorCode.NONE });
    }
    this.commit(records);
    return results;
  }

  /**
   * AlterPartitionReassignments: move a partition to `target` replicas (null cancels a reassignment
   * in progress). The new replicas join as followers; once all of them are in the ISR the old ones
   * are dropped and, if needed, leadership moves to the first target replica.
   */
  reassignPartition(name: string, partition: number, target: number[] | null): { errorCode: number; errorMessage: string | null } {
    const topic = this.image.topic(name);
    const p = topic?.partitions[partition];
    if (!topic || !p) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `${name}-${partition} does not exist.` };
    const ongoing = p.addingReplicas.length > 0 || p.removingReplicas.length > 0;
    if (target === null) {
      if (!ongoing) return { errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, errorMessage: `${name}-${partition} is not being reassigned.` };
      const original = p.replicas.filter((id) => !p.addingReplicas.includes(id));
      const isr = p.isr.filter((id) => original.includes(id));
      const leader = original.includes(p.leader) ? p.leader : (isr[0] ?? -1);
      this.commit([
        {
          type: 'PartitionChange',
          topicId: topic.topicId,
          partition,
          replicas: original,
          isr: isr.length > 0 ? isr : p.isr,
          leader,
          addingReplicas: [],
          removingReplicas: [],
          leaderEpoch: leader === p.leader ? p.leaderEpoch : p.leaderEpoch + 1,
          partitionEpoch: p.partitionEpoch + 1,
        },
      ]);
      return { errorCode: ErrorCode.NONE, errorMessage: null };
    }
    if (target.length === 0 || new Set(target).size !== target.length) {
      return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: 'The target replicas must be a non-empty list of distinct brokers.' };
    }
    const unknown = target.find((id) => !this.image.brokers.has(id));
    if (unknown !== undefined) {
      return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `Broker ${unknown} is not part of the cluster.` };
    }
    const base = ongoing ? p.replicas.filter((id) => !p.addingReplicas.includes(id)) : p.replicas;
    const adding = target.filter((id) => !base.includes(id));
    const removing = base.filter((id) => !target.includes(id));
    this.commit([
      {
        type: 'PartitionChange',
        topicId: topic.topicId,
        partition,
        replicas: [...target, ...removing],
        addingReplicas: adding,
        removingReplicas: removing,
        leaderEpoch: p.leaderEpoch,
        partitionEpoch: p.partitionEpoch + 1,
      },
    ]);
    this.maybeCompleteReassignment(topic, topic.partitions[partition]);
    return { errorCode: ErrorCode.NONE, errorMessage: null };
  }

  /** Reassignments in progress, for ListPartitionReassignments. */
  ongoingReassignments(): { topic: string; partition: number; replicas: number[]; adding: number[]; removing: number[] }[] {
    const out = [];
    for (const t of this.image.topicsById.values()) {
      for (const p of t.partitions) {
        if (p.addingReplicas.length > 0 || p.removingReplicas.length > 0) {
          out.push({ topic: t.name, partition: p.partition, replicas: p.replicas, adding: p.addingReplicas, removing: p.removingReplicas });
        }
      }
    }
    return out;
  }

  private maybeCompleteReassignment(topic: TopicImage, p: PartitionState): void {
    if (p.addingReplicas.length === 0 && p.removingReplicas.length === 0) return;
    if (!p.addingReplicas.every((id) => p.isr.includes(id))) return;
    const target = p.replicas.filter((id) => !p.removingReplicas.includes(id));
    const isr = p.isr.filter((id) => target.includes(id));
    const live = new Set(this.image.liveBrokers().map((b) => b.brokerId));
    const leader = target.includes(p.leader) ? p.leader : (target.find((id) => isr.includes(id) && live.has(id)) ?? -1);
    this.commit([
      {
        type: 'PartitionChange',
        topicId: topic.topicId,
        partition: p.partition,
        replicas: target,
        isr,
        leader,
        addingReplicas: [],
        removingReplicas: [],
        leaderEpoch: leader === p.leader ? p.leaderEpoch : p.leaderEpoch + 1,
        partitionEpoch: p.partitionEpoch + 1,
      },
    ]);
  }

  /** The PartitionChange that removes `brokerId` from a partition's ISR (and leadership), or null. */
  private partitionWithout(
    topic: TopicImage,
    p: PartitionState,
    brokerId: number,
    live: Set<number>,
  ): MetadataRecord | null {
    const wasLeader = p.leader === brokerId;
    const inIsr = p.isr.includes(brokerId);
    if (!wasLeader && !inIsr) return null;
    // Kafka never empties an ISR: the last member stays so that it can lead again when it returns.
    const isr = p.isr.length > 1 ? p.isr.filter((id) => id !== brokerId) : p.isr;
    if (!wasLeader) {
      if (isr === p.isr) return null;
      return { type: 'PartitionChange', topicId: topic.topicId, partition: p.partition, isr, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch + 1 };
    }
    let leader = isr.find((id) => id !== brokerId && live.has(id)) ?? -1;
    let newIsr = isr;
    if (leader === -1 && topic.configs.get('unclean.leader.election.enable') === 'true') {
      // Unclean election: a live out-of-sync replica leads; records it lacks are lost.
      leader = p.replicas.find((id) => id !== brokerId && live.has(id)) ?? -1;
      if (leader !== -1) newIsr = [leader];
    }
    return {
      type: 'PartitionChange',
      topicId: topic.topicId,
      partition: p.partition,
      leader,
      isr: newIsr,
      leaderEpoch: p.leaderEpoch + 1,
      partitionEpoch: p.partitionEpoch + 1,
    };
  }

  /**
   * Every topic of one request is written in one metadata append (one fsync, one image update on
   * each broker): creating thousands of topics at once costs one commit, not thousands.
   */
  createTopics(specs: CreateTopicSpec[], validateOnly: boolean): TopicResult[] {
    const results: TopicResult[] = [];
    /** Names of this request so far, by their '.'/'_'-unified form. */
    const seen = new Map<string, string>();
    const records: MetadataRecord[] = [];
    for (const spec of specs) results.push(this.createOne(spec, validateOnly, seen, records));
    this.commit(records);
    return results;
  }

  private createOne(
    spec: CreateTopicSpec,
    validateOnly: boolean,
    seen: Map<string, string>,
    records: MetadataRecord[],
  ): TopicResult {
    const fail = (errorCode: number, errorMessage: string): TopicResult => ({ name: spec.name, errorCode, errorMessage });
    const nameProblem = topicNameProblem(spec.name);
    if (nameProblem) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
    const unified = unifyCollisionChars(spec.name);
    const earlier = seen.get(unified);
    if (earlier === spec.name)
      return fail(ErrorCode.INVALID_REQUEST, `Topic '${spec.name}' appears twice in the request.`);
    if (this.image.topicsByName.has(spec.name))
      return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${spec.name}' already exists.`);
    if (earlier !== undefined)
      return fail(
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        `Topic '${spec.name}' collides with topic '${earlier}' of the same request (names may not differ only by '.' and '_').`,
      );
    for (const existing of this.image.topicsByName.keys()) {
      if (unifyCollisionChars(existing) === unified)
        return fail(
          ErrorCode.INVALID_TOPIC_EXCEPTION,
          `Topic '${spec.name}' collides with existing topic '${existing}' (names may not differ only by '.' and '_').`,
        );
    }
    const live = this.image.liveBrokers().map((b) => b.brokerId);
    let assignment: number[][];
    if (spec.assignments.length > 0) {
      if (spec.numPartitions !== -1 || spec.replicationFactor !== -1)
        return fail(
          ErrorCode.INVALID_REQUEST,
          'Both a manual replica assignment and a partition count or replication factor were given.',
        );
      assignment = [];
      for (const a of spec.assignments) assignment[a.partitionIndex] = a.brokerIds;
      for (let i = 0; i < assignment.length; i++) {
        const replicas = assignment[i];
        if (!replicas || replicas.length === 0)
          return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Partition ${i} has no replicas in the assignment.`);
        if (new Set(replicas).size !== replicas.length)
          return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Partition ${i} lists a broker twice.`);
        if (replicas.length !== assignment[0].length)
          return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Every partition must have the same number of replicas.');
        const unknown = replicas.find((id) => !this.image.brokers.has(id));
        if (unknown !== undefined)
          return fail(ErrorCode.BROKER_NOT_AVAILABLE, `Broker ${unknown} in the assignment is not registered.`);
      }
    } else {
      const partitions = spec.numPartitions === -1 ? this.options.defaultPartitions : spec.numPartitions;
      const rf = spec.replicationFactor === -1 ? this.options.defaultReplicationFactor : spec.replicationFactor;
      if (!Number.isInteger(partitions) || partitions < 1)
        return fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions must be at least 1 (got ${partitions}).`);
      if (partitions > 100_000)
        return fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions ${partitions} is more than Eddy allows (100000).`);
      if (!Number.isInteger(rf) || rf < 1)
        return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor must be at least 1 (got ${rf}).`);
      if (rf > live.length)
        return fail(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          `Replication factor ${rf} is larger than the number of available brokers (${live.length}).`,
        );
      assignment = assignReplicas(live, partitions, rf);
    }
    const configProblem = this.options.validateTopicConfigs(spec.configs);
    if (configProblem) return fail(ErrorCode.INVALID_CONFIG, configProblem);
    const topicId = newTopicId();
    const result: TopicResult = {
      name: spec.name,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      topicId,
      numPartitions: assignment.length,
      replicationFactor: assignment[0].length,
    };
    seen.set(unified, spec.name);
    if (validateOnly) return result;
    records.push({ type: 'Topic', name: spec.name, topicId });
    for (const [name, value] of Object.entries(spec.configs)) {
      records.push({ type: 'Config', resourceType: 'topic', resourceName: spec.name, name, value });
    }
    const liveSet = new Set(live);
    assignment.forEach((replicas, partition) => {
      const isr = replicas.filter((id) => liveSet.has(id));
      records.push({
        type: 'Partition',
        topicId,
        partition,
        replicas,
        isr,
        leader: isr.length > 0 ? isr[0] : -1,
        leaderEpoch: 0,
        partitionEpoch: 0,
      });
    });
    return result;
  }

  deleteTopics(names: string[]): TopicResult[] {
    return names.map((name) => {
      const topic = this.image.topicsByName.get(name);
      if (!topic)
        return {
          name,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: `Topic '${name}' does not exist.`,
        };
      if (INTERNAL_TOPICS.has(name))
        return {
          name,
          errorCode: ErrorCode.TOPIC_DELETION_DISABLED,
          errorMessage: `Topic '${name}' is internal and cannot be deleted.`,
        };
      this.commit([{ type: 'RemoveTopic', topicId: topic.topicId }]);
      return { name, errorCode: ErrorCode.NONE, errorMessage: null, topicId: topic.topicId };
    });
  }

  /** Hands out a block of producer ids; persisted so ids are never reused after a restart. */
  allocateProducerIds(brokerId: number): { firstProducerId: number; count: number } {
    const first = this.image.nextProducerId;
    this.commit([{ type: 'ProducerIds', brokerId, nextProducerId: first + PRODUCER_ID_BLOCK_SIZE }]);
    return { firstProducerId: first, count: PRODUCER_ID_BLOCK_SIZE };
  }

  setConfigs(
    resourceType: 'topic' | 'broker',
    resourceName: string,
    changes: { name: string; value: string | null }[],
  ): void {
    this.commit(changes.map((c) => ({ type: 'Config' as const, resourceType, resourceName, ...c })));
  }

  close(): void {
    this.log.close();
  }

  /** Gives a leader to every partition that has none but has a live in-sync replica. */
  private electLeadersWhereMissing(): void {
    const live = new Set(this.image.liveBrokers().map((b) => b.brokerId));
    const records: MetadataRecord[] = [];
    for (const topic of this.image.topicsById.values()) {
      for (const p of topic.partitions) {
        if (p.leader !== -1 && live.has(p.leader)) continue;
        let candidate = p.isr.find((id) => live.has(id));
        let isr: number[] | undefined;
        if (candidate === undefined && topic.configs.get('unclean.leader.election.enable') === 'true') {
          // Unclean election: a live out-of-sync replica leads; records only the ISR had are lost.
          candidate = p.replicas.find((id) => live.has(id));
          isr = candidate === undefined ? undefined : [candidate];
        }
        if (candidate === undefined) continue;
        records.push({
          type: 'PartitionChange',
          topicId: topic.topicId,
          partition: p.partition,
          leader: candidate,
          ...(isr ? { isr } : {}),
          leaderEpoch: p.leaderEpoch + 1,
          partitionEpoch: p.partitionEpoch + 1,
        });
      }
    }
    this.commit(records);
  }

  private commit(records: MetadataRecord[]): void {
    if (records.length === 0) return;
    this.log.append(records);
    for (const r of records) {
      this.image.apply(r);
      this.history.push(r);
    }
    this.emit('records', records);
  }
}

function newTopicId(): string {
  // A Kafka UUID: 16 random bytes, never all zeros (the "no id" value) — 2^-128 odds, but cheap to rule out.
  for (;;) {
    const hex = randomBytes(16).toString('hex');
    if (!/^0+$/.test(hex)) return hex;
  }
}

function newClusterId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}
