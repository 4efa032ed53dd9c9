import { ErrorCode } from '../protocol/errors.js';

/** How many recent batches per producer Kafka remembers to answer retried duplicates. */
export const NUM_BATCHES_TO_RETAIN = 5;

export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

export interface ProducerEntry {
  producerId: number;
  producerEpoch: number;
  batches: BatchMetadata[];
  lastTimestamp: number;
}

export interface IncomingBatch {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; firstOffset: number; lastOffset: number }
  | { kind: 'error'; errorCode: number; message: string };

export function lastSequence(baseSequence: number, recordsCount: number): number {
  // Sequences wrap from Int32.MAX back to 0.
  return (baseSequence + recordsCount - 1) % 0x80000000;
}

function nextSequence(seq: number): number {
  return seq === 0x7fffffff ? 0 : seq + 1;
}

/**
 * Idempotent-producer state of one partition (Kafka's ProducerStateManager): per producer id the
 * current epoch and the last few batches' sequence ranges. Retries of an appended batch are answered
 * with the original offsets; gaps are refused with OUT_OF_ORDER_SEQUENCE_NUMBER.
 */
export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerEntry>();

  get size(): number {
    return this.producers.size;
  }

  entries(): ProducerEntry[] {
    return [...this.producers.values()];
  }

  check(batch: IncomingBatch): SequenceCheck {
    if (batch.producerId < 0) return { kind: 'append' };
    const entry = this.producers.get(batch.producerId);
    if (!entry) return { kind: 'append' };
    if (batch.producerEpoch < entry.producerEpoch) {
      return {
        kind: 'error',
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `Producer ${batch.producerId} epoch ${batch.producerEpoch} is older than the current epoch ${entry.producerEpoch}.`,
      };
    }
    const last = lastSequence(batch.baseSequence, batch.recordsCount);
    if (batch.producerEpoch > entry.producerEpoch) {
      if (batch.baseSequence !== 0) {
        return {
          kind: 'error',
          errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          message: `The first batch of producer ${batch.producerId} epoch ${batch.producerEpoch} must start at sequence 0, not ${batch.baseSequence}.`,
        };
      }
      return { kind: 'append' };
    }
    const dup = entry.batches.find((b) => b.firstSeq === batch.baseSequence && b.lastSeq === last);
    if (dup) return { kind: 'duplicate', firstOffset: dup.firstOffset, lastOffset: dup.lastOffset };
    const tail = entry.batches[entry.batches.length - 1];
    if (tail && batch.baseSequence !== nextSequence(tail.lastSeq)) {
      return {
        kind: 'error',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `Producer ${batch.producerId} sent sequence ${batch.baseSequence}; expected ${nextSequence(tail.lastSeq)}.`,
      };
    }
    return { kind: 'append' };
  }

  /** Records an appended batch (on the leader after append, and while rebuilding from the log). */
  update(batch: IncomingBatch, firstOffset: number, lastOffset: number, maxTimestamp: number): void {
    if (batch.producerId < 0) return;
    let entry = this.producers.get(batch.producerId);
    if (!entry || batch.producerEpoch > entry.producerEpoch) {
      entry = { producerId: batch.producerId, producerEpoch: batch.producerEpoch, batches: [], lastTimestamp: -1 };
      this.producers.set(batch.producerId, entry);
    } else if (batch.producerEpoch < entry.producerEpoch) {
      return;
    }
    if (batch.baseSequence >= 0) {
      entry.batches.push({
        firstSeq: batch.baseSequence,
        lastSeq: lastSequence(batch.baseSequence, batch.recordsCount),
        firstOffset,
        lastOffset,
        maxTimestamp,
      });
      if (entry.batches.length > NUM_BATCHES_TO_RETAIN) entry.batches.shift();
    }
    entry.lastTimestamp = Math.max(entry.lastTimestamp, maxTimestamp);
  }

  /** Drops state for batches at or above `offset` (log truncation) by forgetting affected producers' tails. */
  truncateTo(offset: number): void {
    for (const [id, entry] of this.producers) {
      entry.batches = entry.batches.filter((b) => b.lastOffset < offset);
      if (entry.batches.length === 0) this.producers.delete(id);
    }
  }

  clear(): void {
    this.producers.clear();
  }
}
