import { storageFailure } from './errors.js';
import { readFully, writeFully, type StorageFs } from './fs.js';

/**
 * What the offset and time indexes share: fixed-size entries appended to a file that grows with them,
 * mirrored in memory for binary search. Kafka memory-maps a preallocated file; with synchronous reads
 * and writes we simply grow the file, so it is always trimmed, and a torn tail shows up as a size
 * that is not a multiple of the entry size.
 *
 * An index is only ever a hint: a missing entry costs a slightly longer scan of the log, a wrong one
 * is caught by check() on open, after which the segment rebuilds both indexes from the log.
 */
export abstract class IndexFile {
  private fd: number | null;
  /** Entries in memory; its length is a capacity, `count * entrySize` bytes are valid. */
  protected data: Buffer;
  protected count = 0;
  /** Bytes in the file; differs from count * entrySize only after a failed write. */
  private fileSize = 0;
  private unflushed = false;
  readonly maxEntries: number;

  protected constructor(
    protected readonly fs: StorageFs,
    private _file: string,
    readonly baseOffset: number,
    maxIndexSize: number,
    private readonly entrySize: number,
    create: boolean,
  ) {
    this.maxEntries = Math.floor(maxIndexSize / entrySize);
    try {
      this.fd = fs.openSync(_file, create ? 'w+' : 'r+');
      if (create) {
        this.data = Buffer.alloc(entrySize * 64);
      } else {
        const size = fs.fstatSync(this.fd).size;
        this.data = readFully(fs, this.fd, size, 0);
        this.fileSize = this.data.length;
        this.count = Math.floor(this.data.length / entrySize);
      }
    } catch (err) {
      throw storageFailure(create ? 'create index' : 'open index', _file, err);
    }
  }

  get file(): string {
    return this._file;
  }

  get entries(): number {
    return this.count;
  }

  get sizeInBytes(): number {
    return this.count * this.entrySize;
  }

  isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  /** Describes the first inconsistency found, or null when the index can be trusted. */
  check(): string | null {
    if (this.fileSize % this.entrySize !== 0) {
      return `size ${this.fileSize} is not a multiple of the entry size ${this.entrySize}`;
    }
    return this.checkEntries();
  }

  protected abstract checkEntries(): string | null;

  /** Index of the last entry whose key is ≤ target, or -1 when there is none. */
  protected largestLowerBound(target: number, keyAt: (slot: number) => number): number {
    let low = 0;
    let high = this.count - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (keyAt(mid) <= target) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /**
   * Appends one encoded entry. A failed write is not an error for the log: the entry is left out of
   * memory, the next entry overwrites any torn bytes, and close() trims what is left.
   */
  protected appendEntry(entry: Buffer): void {
    if (this.count * this.entrySize + this.entrySize > this.data.length) {
      const grown = Buffer.alloc(Math.max(this.data.length * 2, this.entrySize * 64));
      this.data.copy(grown, 0, 0, this.count * this.entrySize);
      this.data = grown;
    }
    const position = this.count * this.entrySize;
    try {
      writeFully(this.fs, this.requireFd(), entry, position);
    } catch {
      this.fileSize = Math.max(this.fileSize, position + 1);
      return;
    }
    entry.copy(this.data, position);
    this.count++;
    this.fileSize = Math.max(this.fileSize, this.count * this.entrySize);
    this.unflushed = true;
  }

  /** Keeps the first `entries` entries. */
  protected truncateToEntries(entries: number): void {
    if (entries >= this.count && this.fileSize === this.count * this.entrySize) return;
    this.count = Math.min(entries, this.count);
    this.trim();
  }

  /** Removes every entry (before a rebuild). */
  reset(): void {
    this.count = 0;
    this.trim();
  }

  private trim(): void {
    const size = this.count * this.entrySize;
    try {
      this.fs.ftruncateSync(this.requireFd(), size);
    } catch (err) {
      throw storageFailure('truncate index', this._file, err);
    }
    this.fileSize = size;
    this.unflushed = true;
  }

  flush(): void {
    if (!this.unflushed || this.fd === null) return;
    try {
      this.fs.fsyncSync(this.fd);
    } catch (err) {
      throw storageFailure('fsync index', this._file, err);
    }
    this.unflushed = false;
  }

  /** Trims a torn tail left by a failed write, then closes the file. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      if (this.fileSize !== this.count * this.entrySize)
        this.fs.ftruncateSync(fd, this.count * this.entrySize);
    } finally {
      this.fs.closeSync(fd);
    }
  }

  /** Closes the descriptor without touching the file (the process is going away or the file is being deleted). */
  closeQuietly(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      this.fs.closeSync(fd);
    } catch {
      // nothing useful to do: the descriptor is gone either way
    }
  }

  private requireFd(): number {
    if (this.fd === null) throw new Error(`index ${this._file} is closed`);
    return this.fd;
  }
}
