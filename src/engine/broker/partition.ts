import { EventEmitter } from 'node:events';
import { readBatchHeader, lastOffsetOf } from '../protocol/records/batch-header.js';
import { ErrorCode } from '../protocol/errors.js';
import type { PartitionLog } from '../storage/partition-log.js';
import { ProducerStateManager } from './producer-state.js';
import { appendValidationConfig, type AppendValidationConfig } from './append-validation.js';

export interface ValidatedBatch {
  position: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
  maxTimestamp: number;
}

export interface AppendResult {
  errorCode: number;
  errorMessage: string | null;
  baseOffset: number;
  lastOffset: number;
  logAppendTime: number;
  logStartOffset: number;
}

/**
 * One partition replica on this broker: its log, its producer state and its place in the
 * replication protocol (leader epoch, high watermark). State changes happen only on the broker's
 * event loop.
 */
export class Partition extends EventEmitter {
  readonly producerState = new ProducerStateManager();
  leaderEpoch = 0;
  isLeader = true;
  validationConfig: AppendValidationConfig = appendValidationConfig({});

  constructor(
    readonly topic: string,
    readonly topicId: string,
    readonly partition: number,
    readonly log: PartitionLog,
  ) {
    super();
    this.rebuildProducerState();
  }

  get logStartOffset(): number {
    return this.log.logStartOffset;
  }

  get logEndOffset(): number {
    return this.log.logEndOffset;
  }

  get highWatermark(): number {
    return this.log.highWatermark;
  }

  /**
   * Appends already-validated batches as leader. Idempotent batches are checked against the
   * producer state first: a retried duplicate returns its original offsets without writing.
   */
  appendAsLeader(records: Buffer, batches: ValidatedBatch[], appendTime: number): AppendResult {
    const base = { logAppendTime: -1, logStartOffset: this.log.logStartOffset };
    // Kafka checks every batch of a request before writing any of it.
    for (const b of batches) {
      const check = this.producerState.check(b);
      if (check.kind === 'error') {
        return { ...base, errorCode: check.errorCode, errorMessage: check.message, baseOffset: -1, lastOffset: -1 };
      }
      if (check.kind === 'duplicate') {
        // Producers send one batch per partition per request, so a duplicate is the whole request.
        return {
          ...base,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          baseOffset: check.firstOffset,
          lastOffset: check.lastOffset,
        };
      }
    }
    const appended = this.log.appendAsLeader(records, this.leaderEpoch, appendTime);
    let offset = appended.baseOffset;
    for (const b of batches) {
      const first = offset;
      const last = first + b.recordsCount - 1;
      this.producerState.update(b, first, last, b.maxTimestamp);
      offset = last + 1;
    }
    // A single-replica ISR: the leader's own log end is the high watermark.
    this.log.highWatermark = this.log.logEndOffset;
    this.emit('append');
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      baseOffset: appended.baseOffset,
      lastOffset: appended.lastOffset,
      logAppendTime: appended.logAppendTime,
      logStartOffset: this.log.logStartOffset,
    };
  }

  /** Rebuilds idempotence state by reading batch headers from the log (no record decoding). */
  private rebuildProducerState(): void {
    let offset = this.log.logStartOffset;
    const end = this.log.logEndOffset;
    while (offset < end) {
      const { records } = this.log.read(offset, 1024 * 1024, { minOneMessage: true });
      if (records.length === 0) break;
      let pos = 0;
      let advanced = false;
      for (let h = readBatchHeader(records, pos); h; h = readBatchHeader(records, pos)) {
        const last = lastOffsetOf(h);
        if (last >= offset) {
          this.producerState.update(
            { producerId: h.producerId, producerEpoch: h.producerEpoch, baseSequence: h.baseSequence, recordsCount: h.lastOffsetDelta + 1 },
            h.baseOffset,
            last,
            h.maxTimestamp,
          );
          offset = last + 1;
          advanced = true;
        }
        pos += h.size;
      }
      if (!advanced) break;
    }
  }
}
