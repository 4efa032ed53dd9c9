import type { StorageFs } from './fs.js';
import { IndexFile } from './index-file.js';

export const TIME_INDEX_ENTRY_SIZE = 12;

export interface TimestampOffset {
  timestamp: number;
  /** The last offset of the batch that first reached this timestamp. */
  offset: number;
}

/**
 * Sparse map from timestamp to offset: entries are `timestamp int64, relative offset int32`, appended
 * next to offset-index entries whenever the segment's largest timestamp has grown. An entry (T, O)
 * means every batch before the one holding O has a max timestamp below T. When a segment stops being
 * active, one last entry records its largest timestamp, so the file's last entry is the segment's max.
 */
export class TimeIndex extends IndexFile {
  private readonly entry = Buffer.alloc(TIME_INDEX_ENTRY_SIZE);

  private constructor(
    fs: StorageFs,
    file: string,
    baseOffset: number,
    maxIndexSize: number,
    create: boolean,
  ) {
    super(fs, file, baseOffset, maxIndexSize, TIME_INDEX_ENTRY_SIZE, create);
  }

  static create(fs: StorageFs, file: string, baseOffset: number, maxIndexSize: number): TimeIndex {
    return new TimeIndex(fs, file, baseOffset, maxIndexSize, true);
  }

  static open(fs: StorageFs, file: string, baseOffset: number, maxIndexSize: number): TimeIndex {
    return new TimeIndex(fs, file, baseOffset, maxIndexSize, false);
  }

  private timestampAt(slot: number): number {
    return Number(this.data.readBigInt64BE(slot * TIME_INDEX_ENTRY_SIZE));
  }

  private relativeOffsetAt(slot: number): number {
    return this.data.readInt32BE(slot * TIME_INDEX_ENTRY_SIZE + 8);
  }

  entryAt(slot: number): TimestampOffset {
    return { timestamp: this.timestampAt(slot), offset: this.baseOffset + this.relativeOffsetAt(slot) };
  }

  /** The last entry, or null for an empty index. */
  lastEntry(): TimestampOffset | null {
    return this.count === 0 ? null : this.entryAt(this.count - 1);
  }

  /** Like Kafka, one slot stays free for the entry written when the segment becomes inactive. */
  override isFull(): boolean {
    return this.count >= this.maxEntries - 1;
  }

  /** The entry with the largest timestamp ≤ target, or (-1, baseOffset) when there is none. */
  lookup(targetTimestamp: number): TimestampOffset {
    const slot = this.largestLowerBound(targetTimestamp, (s) => this.timestampAt(s));
    return slot < 0 ? { timestamp: -1, offset: this.baseOffset } : this.entryAt(slot);
  }

  /**
   * Appends (timestamp, offset) if the timestamp is larger than the last entry's. `final` is the
   * closing entry of an inactive segment, which may take the reserved last slot.
   */
  maybeAppend(timestamp: number, offset: number, final = false): void {
    if (!final && this.isFull()) return;
    if (this.count >= this.maxEntries) return;
    const last = this.lastEntry();
    // An empty index behaves as if it held (NO_TIMESTAMP = -1, baseOffset).
    if (timestamp <= (last?.timestamp ?? -1)) return;
    if (last && offset < last.offset) {
      throw new Error(`time index ${this.file}: offset ${offset} goes back from ${last.offset}`);
    }
    const relative = offset - this.baseOffset;
    if (relative < 0 || relative > 0x7fffffff)
      throw new RangeError(`offset ${offset} does not fit segment ${this.baseOffset}`);
    this.entry.writeBigInt64BE(BigInt(timestamp), 0);
    this.entry.writeInt32BE(relative, 8);
    this.appendEntry(this.entry);
  }

  /** Removes every entry for an offset ≥ offset. */
  truncateTo(offset: number): void {
    let keep = this.count;
    while (keep > 0 && this.baseOffset + this.relativeOffsetAt(keep - 1) >= offset) keep--;
    this.truncateToEntries(keep);
  }

  protected checkEntries(): string | null {
    let previousTimestamp = -Infinity;
    let previousOffset = 0;
    for (let slot = 0; slot < this.count; slot++) {
      const timestamp = this.timestampAt(slot);
      const relative = this.relativeOffsetAt(slot);
      if (timestamp <= previousTimestamp || relative < previousOffset) {
        return `entry ${slot} (${timestamp}, ${relative}) does not follow (${previousTimestamp}, ${previousOffset})`;
      }
      previousTimestamp = timestamp;
      previousOffset = relative;
    }
    return null;
  }
}
