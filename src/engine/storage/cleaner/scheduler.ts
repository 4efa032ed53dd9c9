import type { PartitionLog } from '../partition-log.js';
import type { CleanerConfig } from './config.js';
import { cleanableState, cleanLog, runCleanerSteps, type CleanResult } from './log-cleaner.js';

/** One log the cleaner may compact, as its owner (the broker) describes it at the start of a round. */
export interface CleanerTarget {
  /** `topic-partition`, for messages. */
  name: string;
  log: PartitionLog;
  config: CleanerConfig;
  /** Last offset of each idempotent producer's last batch (the partition's producer state). */
  producerLastOffsets?: () => ReadonlyMap<number, number>;
}

export interface CleanerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LogCleanerOptions {
  /** The logs to consider, asked again every round (only those whose cleanup.policy includes compact are cleaned). */
  targets: () => CleanerTarget[];
  /** log.cleaner.backoff.ms: the pause when no log needs cleaning. */
  backoffMs: number;
  maxMapEntries?: number;
  /** Bytes read per step before the event loop gets a turn. */
  stepBytes?: number;
  clock?: () => number;
  logger?: CleanerLogger;
  /** Called after every pass (tests, statistics). */
  onPass?: (target: CleanerTarget, result: CleanResult) => void;
}

const silent: CleanerLogger = { info() {}, warn() {}, error() {} };

/**
 * The background cleaner of one broker (Kafka's CleanerThread, one thread's worth): each round picks
 * the filthiest compacted log — the largest dirty ratio among those above min.cleanable.dirty.ratio
 * or past max.compaction.lag.ms, else one whose tombstones reached their delete horizon — and cleans
 * it in bounded steps with setImmediate in between, so the broker's event loop keeps serving. With
 * nothing to do it waits log.cleaner.backoff.ms. A log whose pass fails (corrupt data, a disk error)
 * is left alone until it is opened again, like Kafka's uncleanable partitions.
 */
export class LogCleaner {
  private running = false;
  private loopDone: Promise<void> | null = null;
  private sleepTimer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private readonly failed = new WeakSet<PartitionLog>();
  private readonly logger: CleanerLogger;

  constructor(private readonly options: LogCleanerOptions) {
    this.logger = options.logger ?? silent;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Stops after the current step; a pass cut short removes its unfinished files. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.sleepTimer = null;
    this.wake?.();
    await this.loopDone;
    this.loopDone = null;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let cleaned = false;
      try {
        const round = await this.cleanFilthiest();
        // Go on at once only after a pass that got somewhere (as Kafka's cleaner thread does).
        cleaned =
          round !== null &&
          round.result.cleaned &&
          (round.result.recordsRemoved > 0 || round.result.endOffset > round.result.firstDirtyOffset);
      } catch (err) {
        this.logger.error(`log cleaner: ${(err as Error).message}`);
      }
      if (!this.running) break;
      if (cleaned) await new Promise<void>((resolve) => setImmediate(resolve));
      else await this.sleep(this.options.backoffMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve();
      };
      this.sleepTimer = setTimeout(() => {
        this.sleepTimer = null;
        this.wake?.();
      }, ms);
      this.sleepTimer.unref();
    });
  }

  /** The log a round would clean now, or null. */
  pickFilthiest(now = (this.options.clock ?? Date.now)()): CleanerTarget | null {
    let best: { target: CleanerTarget; ratio: number } | null = null;
    let tombstones: CleanerTarget | null = null;
    for (const target of this.options.targets()) {
      const log = target.log;
      if (log.offline || this.failed.has(log) || !log.config.cleanupPolicy.includes('compact')) continue;
      let state;
      try {
        state = cleanableState(log, target.config, now);
      } catch (err) {
        this.logger.warn(`log cleaner: cannot look at ${target.name}: ${(err as Error).message}`);
        continue;
      }
      if (state.dirtyEnough) {
        if (!best || state.cleanableRatio > best.ratio) best = { target, ratio: state.cleanableRatio };
      } else if (state.tombstonesDue && !tombstones) {
        tombstones = target;
      }
    }
    return best?.target ?? tombstones;
  }

  /** One round: cleans the filthiest log in bounded steps. Null when no log needed it (or the cleaner stopped). */
  async cleanFilthiest(): Promise<{ target: CleanerTarget; result: CleanResult } | null> {
    const now = (this.options.clock ?? Date.now)();
    const target = this.pickFilthiest(now);
    if (!target) return null;
    const pass = cleanLog(target.log, {
      config: target.config,
      now,
      maxMapEntries: this.options.maxMapEntries,
      stepBytes: this.options.stepBytes,
      producerLastOffsets: target.producerLastOffsets?.(),
    });
    let result: CleanResult | null;
    try {
      result = await runCleanerSteps(pass, () => !this.running);
    } catch (err) {
      if (this.options.targets().some((t) => t.log === target.log)) {
        this.failed.add(target.log);
        this.logger.error(
          `log cleaner: cleaning ${target.name} failed, it is left uncompacted until it is opened again: ${(err as Error).message}`,
        );
      }
      return null;
    }
    if (!result) return null;
    if (result.cleaned) {
      this.logger.info(
        `log cleaner: cleaned ${target.name} up to offset ${result.endOffset}: ${result.segmentsBefore} segments of ${result.bytesBefore} bytes into ${result.segmentsAfter} of ${result.bytesAfter}, ${result.recordsRemoved} records removed`,
      );
    }
    this.options.onPass?.(target, result);
    return { target, result };
  }
}
