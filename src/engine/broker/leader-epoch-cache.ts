/**
 * Which leader epoch wrote which offsets (Kafka's LeaderEpochFileCache): a list of
 * (epoch, start offset) in increasing order. Followers use it to find where their log diverges
 * from a new leader's; OffsetForLeaderEpoch answers from it.
 */
export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export class LeaderEpochCache {
  private entries: EpochEntry[] = [];

  get latestEpoch(): number {
    return this.entries.length > 0 ? this.entries[this.entries.length - 1].epoch : -1;
  }

  all(): EpochEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Notes that `epoch` starts at `startOffset` (no-op when it is not newer than the latest). */
  assign(epoch: number, startOffset: number): void {
    if (epoch < 0) return;
    if (epoch <= this.latestEpoch) return;
    // An earlier epoch that wrote nothing (same or later start) is superseded.
    while (this.entries.length > 0 && this.entries[this.entries.length - 1].startOffset >= startOffset) this.entries.pop();
    this.entries.push({ epoch, startOffset });
  }

  /**
   * The largest epoch ≤ `requested` and the offset where it ended (the next epoch's start, or
   * `logEndOffset` for the latest). `{-1, -1}` when the cache knows nothing that old.
   */
  endOffsetFor(requested: number, logEndOffset: number): { epoch: number; endOffset: number } {
    if (requested < 0 || this.entries.length === 0) return { epoch: -1, endOffset: -1 };
    if (requested >= this.latestEpoch) return { epoch: this.latestEpoch, endOffset: logEndOffset };
    let i = this.entries.length - 1;
    while (i >= 0 && this.entries[i].epoch > requested) i--;
    if (i < 0) {
      // Older than anything kept: the log started after that epoch; the first entry's start is the answer.
      return { epoch: requested, endOffset: this.entries[0].startOffset };
    }
    return { epoch: this.entries[i].epoch, endOffset: this.entries[i + 1].startOffset };
  }

  /** Forgets epochs that start at or after `offset` (log truncated to `offset`). */
  truncateFromEnd(offset: number): void {
    while (this.entries.length > 0 && this.entries[this.entries.length - 1].startOffset >= offset) this.entries.pop();
  }

  /** Forgets epochs wholly below a new log start offset, keeping the one that covers it. */
  truncateFromStart(offset: number): void {
    while (this.entries.length > 1 && this.entries[1].startOffset <= offset) this.entries.shift();
    if (this.entries.length > 0 && this.entries[0].startOffset < offset) this.entries[0].startOffset = offset;
  }

  clear(): void {
    this.entries = [];
  }
}
