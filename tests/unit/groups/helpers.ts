import { ErrorCode } from '../../../src/engine/protocol/errors.js';
import { readBatchHeader, stampBatch } from '../../../src/engine/protocol/records/index.js';
import type { Clock } from '../../../src/engine/groups/clock.js';
import { GroupCoordinator, type CoordinatorHost } from '../../../src/engine/groups/coordinator.js';
import {
  GROUP_COORDINATOR_DEFAULTS,
  type GroupCoordinatorConfig,
} from '../../../src/engine/groups/config.js';
import type { JoinGroupInput } from '../../../src/engine/groups/shard.js';

/** A clock that moves only when told to; due timers fire in time order. */
export class ManualClock implements Clock {
  time = 1_000_000;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fn: () => void): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, delayMs), fn });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward by `ms`, firing every timer that falls due (and letting promises settle). */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = target;
    await settle();
  }
}

/** Lets pending promise chains (log writes, parked answers) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/**
 * `__consumer_offsets` in memory: a list of stamped batches per partition, leadership set by the
 * test, and an injectable append error.
 */
export class MemoryHost implements CoordinatorHost {
  readonly logs = new Map<number, { baseOffset: number; lastOffset: number; bytes: Buffer }[]>();
  readonly epochs = new Map<number, number>();
  appendError: number = ErrorCode.NONE;
  /** When set, appends wait for this promise (a slow replication). */
  appendGate: Promise<void> | null = null;
  private listener: ((removed: string[]) => void) | null = null;

  constructor(readonly partitions = 1) {
    for (let p = 0; p < partitions; p++) this.epochs.set(p, 0);
  }

  offsetsPartitionCount(): number {
    return this.partitions;
  }

  leaderEpoch(partition: number): number | null {
    return this.epochs.get(partition) ?? null;
  }

  logStartOffset(): number {
    return 0;
  }

  read(partition: number, offset: number, maxBytes: number): { records: Buffer; nextOffset: number } {
    const parts: Buffer[] = [];
    let next = offset;
    let size = 0;
    for (const b of this.logs.get(partition) ?? []) {
      if (b.lastOffset < offset) continue;
      if (parts.length > 0 && size + b.bytes.length > maxBytes) break;
      parts.push(b.bytes);
      size += b.bytes.length;
      next = b.lastOffset + 1;
    }
    return { records: Buffer.concat(parts), nextOffset: next };
  }

  async append(partition: number, batch: Buffer): Promise<number> {
    if (this.appendGate) await this.appendGate;
    if (this.appendError !== ErrorCode.NONE) return this.appendError;
    if (this.epochs.get(partition) === undefined) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    const log = this.logs.get(partition) ?? [];
    const baseOffset = log.length > 0 ? log[log.length - 1].lastOffset + 1 : 0;
    const copy = Buffer.from(batch);
    stampBatch(copy, 0, baseOffset, this.epochs.get(partition)!);
    const header = readBatchHeader(copy, 0)!;
    log.push({ baseOffset, lastOffset: baseOffset + header.lastOffsetDelta, bytes: copy });
    this.logs.set(partition, log);
    return ErrorCode.NONE;
  }

  onMetadataChange(listener: (removed: string[]) => void): () => void {
    this.listener = listener;
    return () => {
      this.listener = null;
    };
  }

  /** Simulates a metadata change (leadership moves, topics deleted). */
  metadataChanged(removedTopics: string[] = []): void {
    this.listener?.(removedTopics);
  }

  async ensureOffsetsTopic(): Promise<void> {}

  partitionLeader(): { nodeId: number; host: string; port: number } {
    return { nodeId: 1, host: 'localhost', port: 9092 };
  }

  recordCount(partition = 0): number {
    return (this.logs.get(partition) ?? []).reduce((n, b) => n + (b.lastOffset - b.baseOffset + 1), 0);
  }
}

export const quietLogger = { info() {}, warn() {}, error() {} };

export function newCoordinator(
  overrides: Partial<GroupCoordinatorConfig> = {},
  host = new MemoryHost(),
  clock = new ManualClock(),
): { coordinator: GroupCoordinator; host: MemoryHost; clock: ManualClock } {
  const coordinator = new GroupCoordinator(
    host,
    { ...GROUP_COORDINATOR_DEFAULTS, ...overrides },
    quietLogger,
    clock,
  );
  coordinator.start();
  return { coordinator, host, clock };
}

/** A consumer-protocol subscription (ConsumerProtocolSubscription v0) for `topics`. */
export function subscription(topics: string[]): Buffer {
  const parts = [Buffer.from([0, 0]), int32(topics.length)];
  for (const t of topics) {
    const b = Buffer.from(t);
    parts.push(Buffer.from([b.length >> 8, b.length & 0xff]), b);
  }
  parts.push(int32(-1));
  return Buffer.concat(parts);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function joinInput(overrides: Partial<JoinGroupInput> = {}): JoinGroupInput {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription(['t']) }],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: true,
    supportsSkipAssignment: true,
    reason: null,
    ...overrides,
  };
}
