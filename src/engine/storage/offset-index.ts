import type { StorageFs } from './fs.js';
import { IndexFile } from './index-file.js';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export interface OffsetPosition {
  /** Absolute offset (the last offset of the batch the entry points at). */
  offset: number;
  /** Byte position of that batch in the segment's .log file. */
  position: number;
}

/**
 * Sparse map from offset to file position: entries are `relative offset int32, position int32`, one
 * for a batch whenever more than `index.interval.bytes` were appended since the previous entry. Like
 * Kafka, an entry holds the *last* offset of its batch, so every batch before that position holds only
 * smaller offsets.
 */
export class OffsetIndex extends IndexFile {
  private readonly entry = Buffer.alloc(OFFSET_INDEX_ENTRY_SIZE);

  private constructor(
    fs: StorageFs,
    file: string,
    baseOffset: number,
    maxIndexSize: number,
    create: boolean,
  ) {
    super(fs, file, baseOffset, maxIndexSize, OFFSET_INDEX_ENTRY_SIZE, create);
  }

  static create(fs: StorageFs, file: string, baseOffset: number, maxIndexSize: number): OffsetIndex {
    return new OffsetIndex(fs, file, baseOffset, maxIndexSize, true);
  }

  static open(fs: StorageFs, file: string, baseOffset: number, maxIndexSize: number): OffsetIndex {
    return new OffsetIndex(fs, file, baseOffset, maxIndexSize, false);
  }

  private relativeOffsetAt(slot: number): number {
    return this.data.readInt32BE(slot * OFFSET_INDEX_ENTRY_SIZE);
  }

  private positionAt(slot: number): number {
    return this.data.readInt32BE(slot * OFFSET_INDEX_ENTRY_SIZE + 4);
  }

  entryAt(slot: number): OffsetPosition {
    return { offset: this.baseOffset + this.relativeOffsetAt(slot), position: this.positionAt(slot) };
  }

  lastEntry(): OffsetPosition {
    return this.count === 0 ? { offset: this.baseOffset, position: 0 } : this.entryAt(this.count - 1);
  }

  /**
   * The entry with the largest offset ≤ target: every batch before its position holds smaller offsets,
   * so a scan for target can start there. With no such entry, the start of the segment.
   */
  lookup(targetOffset: number): OffsetPosition {
    const slot = this.largestLowerBound(targetOffset - this.baseOffset, (s) => this.relativeOffsetAt(s));
    return slot < 0 ? { offset: this.baseOffset, position: 0 } : this.entryAt(slot);
  }

  /** Adds an entry; offsets and positions must increase (the segment guarantees it). */
  append(offset: number, position: number): void {
    const relative = offset - this.baseOffset;
    if (this.count > 0) {
      const last = this.entryAt(this.count - 1);
      if (offset <= last.offset || position <= last.position) {
        throw new Error(
          `offset index ${this.file}: entry (${offset}, ${position}) is not after (${last.offset}, ${last.position})`,
        );
      }
    }
    if (relative < 0 || relative > 0x7fffffff)
      throw new RangeError(`offset ${offset} does not fit segment ${this.baseOffset}`);
    this.entry.writeInt32BE(relative, 0);
    this.entry.writeInt32BE(position, 4);
    this.appendEntry(this.entry);
  }

  /** Removes every entry for an offset ≥ offset. */
  truncateTo(offset: number): void {
    const relative = offset - this.baseOffset;
    const slot = this.largestLowerBound(relative, (s) => this.relativeOffsetAt(s));
    const keep = slot < 0 ? 0 : this.relativeOffsetAt(slot) === relative ? slot : slot + 1;
    this.truncateToEntries(keep);
  }

  /** Also checks that positions stay inside a .log file of `logSize` bytes. */
  checkAgainst(logSize: number): string | null {
    const problem = this.check();
    if (problem) return problem;
    if (this.count > 0 && this.positionAt(this.count - 1) >= logSize) {
      return `last entry points at position ${this.positionAt(this.count - 1)}, past the log's ${logSize} bytes`;
    }
    return null;
  }

  protected checkEntries(): string | null {
    let previousOffset = -1;
    let previousPosition = -1;
    for (let slot = 0; slot < this.count; slot++) {
      const relative = this.relativeOffsetAt(slot);
      const position = this.positionAt(slot);
      if (relative <= previousOffset || position <= previousPosition) {
        return `entry ${slot} (${relative}, ${position}) does not follow (${previousOffset}, ${previousPosition})`;
      }
      previousOffset = relative;
      previousPosition = position;
    }
    return null;
  }
}
