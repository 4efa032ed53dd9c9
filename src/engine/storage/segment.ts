import * as path from 'node:path';

import { BATCH, readBatchHeader, type BatchHeader } from '../protocol/records/batch-header.js';
import {
  batchProblem,
  firstRecordAtOrAfter,
  peekBatchHeader,
  type BatchLocation,
  type RecordTimestamp,
  type RecordTimestampReader,
} from './batch-scan.js';
import { storageFailure } from './errors.js';
import {
  DELETED_FILE_SUFFIX,
  INDEX_FILE_SUFFIX,
  LOG_FILE_SUFFIX,
  segmentFileName,
  TIME_INDEX_FILE_SUFFIX,
} from './files.js';
import { readFully, writeFully, type StorageFs } from './fs.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex, type TimestampOffset } from './time-index.js';

/** The LogConfig values a segment needs. */
export interface SegmentOptions {
  indexIntervalBytes: number;
  segmentIndexBytes: number;
}

/** Bytes read at a time when scanning batch headers or recovering. */
const SCAN_CHUNK_BYTES = 64 * 1024;
const INT32_MAX = 0x7fffffff;

export interface RecoveryResult {
  /** Bytes cut from the end of the .log file. */
  truncatedBytes: number;
  /** Where the first invalid byte was (the new size), and why it was rejected. */
  position: number;
  reason: string | null;
}

/**
 * One segment: a .log file of record batches starting at `baseOffset`, plus its sparse .index and
 * .timeindex. Batches are appended at the end in one write each call; nothing is rewritten in place.
 */
export class LogSegment {
  private logFd: number | null;
  private _size: number;
  private unflushed = false;
  private _damaged = false;
  private bytesSinceLastIndexEntry = 0;
  /** Largest batch max timestamp and the last offset of that batch; null until first needed. */
  private maxTimestamp: TimestampOffset | null = null;
  /** The first batch's max timestamp (Kafka's rolling-based timestamp); undefined until read. */
  private firstBatchTimestamp: number | undefined;
  private createdMs: number;
  /** Why the indexes found on open cannot be trusted, or null. */
  indexProblem: string | null = null;
  lastRecovery: RecoveryResult | null = null;

  private constructor(
    private readonly fs: StorageFs,
    readonly dir: string,
    readonly baseOffset: number,
    logFd: number,
    size: number,
    readonly offsetIndex: OffsetIndex,
    readonly timeIndex: TimeIndex,
    private readonly options: SegmentOptions,
    now: number,
  ) {
    this.logFd = logFd;
    this._size = size;
    this.createdMs = now;
    const last = offsetIndex.entries > 0 ? offsetIndex.lastEntry().position : 0;
    this.bytesSinceLastIndexEntry = Math.max(0, size - last);
  }

  /** Creates the three files of a new, empty segment (replacing stale files of the same name). */
  static create(
    fs: StorageFs,
    dir: string,
    baseOffset: number,
    options: SegmentOptions,
    now: number,
  ): LogSegment {
    const logFile = path.join(dir, segmentFileName(baseOffset, LOG_FILE_SUFFIX));
    let logFd: number | undefined;
    let offsetIndex: OffsetIndex | undefined;
    try {
      logFd = fs.openSync(logFile, 'w+');
      offsetIndex = OffsetIndex.create(
        fs,
        path.join(dir, segmentFileName(baseOffset, INDEX_FILE_SUFFIX)),
        baseOffset,
        options.segmentIndexBytes,
      );
      const timeIndex = TimeIndex.create(
        fs,
        path.join(dir, segmentFileName(baseOffset, TIME_INDEX_FILE_SUFFIX)),
        baseOffset,
        options.segmentIndexBytes,
      );
      const segment = new LogSegment(fs, dir, baseOffset, logFd, 0, offsetIndex, timeIndex, options, now);
      segment.maxTimestamp = { timestamp: -1, offset: baseOffset };
      return segment;
    } catch (err) {
      offsetIndex?.closeQuietly();
      if (logFd !== undefined) fs.closeSync(logFd);
      throw storageFailure('create segment', logFile, err);
    }
  }

  /**
   * Opens an existing segment. Missing index files are created empty; `indexProblem` then says the
   * indexes need a rebuild (recover()).
   */
  static open(
    fs: StorageFs,
    dir: string,
    baseOffset: number,
    options: SegmentOptions,
    now: number,
  ): LogSegment {
    const logFile = path.join(dir, segmentFileName(baseOffset, LOG_FILE_SUFFIX));
    const indexFile = path.join(dir, segmentFileName(baseOffset, INDEX_FILE_SUFFIX));
    const timeIndexFile = path.join(dir, segmentFileName(baseOffset, TIME_INDEX_FILE_SUFFIX));
    let logFd: number | undefined;
    let offsetIndex: OffsetIndex | undefined;
    try {
      logFd = fs.openSync(logFile, 'r+');
      const size = fs.fstatSync(logFd).size;
      const missing: string[] = [];
      if (fs.existsSync(indexFile))
        offsetIndex = OffsetIndex.open(fs, indexFile, baseOffset, options.segmentIndexBytes);
      else {
        offsetIndex = OffsetIndex.create(fs, indexFile, baseOffset, options.segmentIndexBytes);
        missing.push('offset index missing');
      }
      let timeIndex: TimeIndex;
      if (fs.existsSync(timeIndexFile))
        timeIndex = TimeIndex.open(fs, timeIndexFile, baseOffset, options.segmentIndexBytes);
      else {
        timeIndex = TimeIndex.create(fs, timeIndexFile, baseOffset, options.segmentIndexBytes);
        missing.push('time index missing');
      }
      const segment = new LogSegment(fs, dir, baseOffset, logFd, size, offsetIndex, timeIndex, options, now);
      const offsetProblem = offsetIndex.checkAgainst(size);
      const timeProblem = timeIndex.check();
      segment.indexProblem =
        missing.length > 0
          ? missing.join(', ')
          : offsetProblem
            ? `offset index: ${offsetProblem}`
            : timeProblem
              ? `time index: ${timeProblem}`
              : null;
      return segment;
    } catch (err) {
      offsetIndex?.closeQuietly();
      if (logFd !== undefined) fs.closeSync(logFd);
      throw storageFailure('open segment', logFile, err);
    }
  }

  get logFile(): string {
    return path.join(this.dir, segmentFileName(this.baseOffset, LOG_FILE_SUFFIX));
  }

  get indexFile(): string {
    return this.offsetIndex.file;
  }

  get timeIndexFile(): string {
    return this.timeIndex.file;
  }

  /** Bytes in the .log file. */
  get size(): number {
    return this._size;
  }

  /** A failed write could not be rolled back: the file may hold bytes no index or offset accounts for. */
  get damaged(): boolean {
    return this._damaged;
  }

  private requireFd(): number {
    if (this.logFd === null) throw new Error(`segment ${this.logFile} is closed`);
    return this.logFd;
  }

  // ------------------------------------------------------------------------------------------
  // Reading
  // ------------------------------------------------------------------------------------------

  /** Raw bytes of the .log file from `position`, at most maxBytes, never past the end. */
  read(position: number, maxBytes: number): Buffer {
    const length = Math.max(0, Math.min(maxBytes, this._size - position));
    if (length === 0) return Buffer.alloc(0);
    try {
      return readFully(this.fs, this.requireFd(), length, position);
    } catch (err) {
      throw storageFailure('read', this.logFile, err);
    }
  }

  /**
   * Header of every complete batch from `position` to the end of the file (or `end`). Stops quietly
   * at a torn or nonsensical header; recover() is what decides about those bytes.
   */
  *batchesFrom(position: number, end = this._size, chunkBytes = SCAN_CHUNK_BYTES): Generator<BatchLocation> {
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = position;
    let pos = position;
    while (pos + BATCH.HEADER_SIZE <= end) {
      if (pos + BATCH.HEADER_SIZE > chunkStart + chunk.length) {
        chunk = this.read(pos, Math.min(Math.max(chunkBytes, BATCH.HEADER_SIZE), end - pos));
        chunkStart = pos;
        if (chunk.length < BATCH.HEADER_SIZE) return;
      }
      const header = peekBatchHeader(chunk, pos - chunkStart, pos);
      if (!header || pos + header.size > end) return;
      yield header;
      pos += header.size;
    }
  }

  /** The whole batch at `location`. */
  readBatch(location: BatchLocation): Buffer {
    return this.read(location.position, location.size);
  }

  /**
   * The first batch whose last offset is ≥ offset, searching from the nearest index entry (or from
   * startingPosition if that is further on). Null when the segment holds no such batch.
   */
  translateOffset(offset: number, startingPosition = 0): BatchLocation | null {
    const start = Math.max(this.offsetIndex.lookup(offset).position, startingPosition);
    // The target is usually within one index interval of the entry: read about that much at a time.
    const chunkBytes = Math.min(SCAN_CHUNK_BYTES, 2 * this.options.indexIntervalBytes + 1024);
    for (const batch of this.batchesFrom(start, this._size, chunkBytes)) {
      if (batch.lastOffset >= offset) return batch;
    }
    return null;
  }

  /** The offset after the last complete batch (baseOffset for an empty segment), and where that batch ends. */
  readNextOffset(): { nextOffset: number; validBytes: number } {
    let nextOffset = this.baseOffset;
    let validBytes = this.offsetIndex.entries > 0 ? this.offsetIndex.lastEntry().position : 0;
    for (const batch of this.batchesFrom(validBytes)) {
      nextOffset = batch.lastOffset + 1;
      validBytes = batch.position + batch.size;
    }
    return { nextOffset, validBytes };
  }

  /** Largest batch max timestamp in the segment and the last offset of that batch ((-1, base) if none). */
  maxTimestampAndOffset(): TimestampOffset {
    if (this.maxTimestamp === null) this.maxTimestamp = this.loadMaxTimestamp();
    return this.maxTimestamp;
  }

  /** The time index's last entry, then whatever the batches after it add. */
  private loadMaxTimestamp(): TimestampOffset {
    let best: TimestampOffset = this.timeIndex.lastEntry() ?? { timestamp: -1, offset: this.baseOffset };
    const start = this.offsetIndex.lookup(best.offset).position;
    for (const batch of this.batchesFrom(start)) {
      if (batch.maxTimestamp > best.timestamp)
        best = { timestamp: batch.maxTimestamp, offset: batch.lastOffset };
    }
    return best;
  }

  /** Kafka's segment "largest timestamp": the max batch timestamp, or the file's mtime if there is none. */
  largestTimestamp(): number {
    const max = this.maxTimestampAndOffset().timestamp;
    if (max >= 0) return max;
    try {
      return this.fs.fstatSync(this.requireFd()).mtimeMs;
    } catch (err) {
      throw storageFailure('stat', this.logFile, err);
    }
  }

  /** Max timestamp of the first batch, or -1 for an empty segment or a batch without timestamps. */
  private rollingBasedTimestamp(): number {
    if (this.firstBatchTimestamp === undefined) {
      const first =
        this._size >= BATCH.HEADER_SIZE ? peekBatchHeader(this.read(0, BATCH.HEADER_SIZE), 0, 0) : null;
      this.firstBatchTimestamp = first ? first.maxTimestamp : -1;
    }
    return this.firstBatchTimestamp;
  }

  /**
   * How long this segment has been rolling, Kafka's way: the incoming batch's timestamp minus the
   * first batch's, or wall-clock age when the segment holds no timestamp yet.
   */
  timeWaitedForRoll(now: number, incomingMaxTimestamp: number): number {
    const first = this.rollingBasedTimestamp();
    return first >= 0 ? incomingMaxTimestamp - first : now - this.createdMs;
  }

  /** True when either index has no room for another entry. */
  indexesFull(): boolean {
    return this.offsetIndex.isFull() || this.timeIndex.isFull();
  }

  /** True when an offset can be stored relative to this segment's base (int32). */
  canHoldOffset(offset: number): boolean {
    return offset - this.baseOffset <= INT32_MAX;
  }

  /**
   * The first record at or after targetTimestamp whose offset is ≥ startingOffset, using the time
   * index to skip ahead. Null when this segment has none.
   */
  findOffsetByTimestamp(
    targetTimestamp: number,
    startingOffset: number,
    reader?: RecordTimestampReader,
  ): (RecordTimestamp & { leaderEpoch: number }) | null {
    const hint = this.timeIndex.lookup(targetTimestamp);
    const position = this.offsetIndex.lookup(Math.max(hint.offset, startingOffset)).position;
    for (const batch of this.batchesFrom(position)) {
      if (batch.maxTimestamp < targetTimestamp || batch.lastOffset < startingOffset) continue;
      const found = firstRecordAtOrAfter(
        this.readBatch(batch),
        batch,
        targetTimestamp,
        startingOffset,
        reader,
      );
      if (found) return { ...found, leaderEpoch: batch.partitionLeaderEpoch };
    }
    return null;
  }

  /** The first record carrying this segment's largest timestamp (ListOffsets MAX_TIMESTAMP). */
  maxTimestampRecord(reader?: RecordTimestampReader): (RecordTimestamp & { leaderEpoch: number }) | null {
    const max = this.maxTimestampAndOffset();
    if (max.timestamp < 0) return null;
    const batch = this.translateOffset(max.offset);
    if (!batch) return null;
    const found = firstRecordAtOrAfter(this.readBatch(batch), batch, max.timestamp, batch.baseOffset, reader);
    return found ? { ...found, leaderEpoch: batch.partitionLeaderEpoch } : null;
  }

  // ------------------------------------------------------------------------------------------
  // Writing
  // ------------------------------------------------------------------------------------------

  /**
   * Appends complete batches that already carry their final offsets, in one write at the end of the
   * file, then adds sparse index entries. `batches` are the headers of `records` (positions relative
   * to `records`). If the write fails the file is cut back to its previous size, so a failed append
   * leaves no partial batch behind; if even that fails the segment is marked damaged.
   */
  append(records: Buffer, batches: readonly BatchHeader[]): void {
    const fd = this.requireFd();
    const max = this.maxTimestampAndOffset();
    const position = this._size;
    try {
      writeFully(this.fs, fd, records, position);
    } catch (err) {
      try {
        this.fs.ftruncateSync(fd, position);
      } catch {
        this._damaged = true;
      }
      throw storageFailure('append to', this.logFile, err);
    }
    this._size += records.length;
    this.unflushed = true;
    if (position === 0 && batches.length > 0) this.firstBatchTimestamp = batches[0].maxTimestamp;
    for (const batch of batches) {
      const lastOffset = batch.baseOffset + batch.lastOffsetDelta;
      if (batch.maxTimestamp > max.timestamp) {
        max.timestamp = batch.maxTimestamp;
        max.offset = lastOffset;
      }
      if (this.bytesSinceLastIndexEntry > this.options.indexIntervalBytes) {
        this.addIndexEntries(lastOffset, position + batch.position, max);
      }
      this.bytesSinceLastIndexEntry += batch.size;
    }
  }

  private addIndexEntries(lastOffset: number, position: number, max: TimestampOffset): void {
    if (this.offsetIndex.entries === 0 || lastOffset > this.offsetIndex.lastEntry().offset) {
      this.offsetIndex.append(lastOffset, position);
    }
    const lastTime = this.timeIndex.lastEntry();
    if (!lastTime || max.offset >= lastTime.offset) this.timeIndex.maybeAppend(max.timestamp, max.offset);
    this.bytesSinceLastIndexEntry = 0;
  }

  /**
   * Validates every batch from the start (length, magic 2, CRC-32C, increasing offsets), rebuilds both
   * indexes from the valid ones and cuts the file at the first invalid byte. Returns the bytes cut.
   */
  recover(): number {
    const fd = this.requireFd();
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.bytesSinceLastIndexEntry = 0;
    this.firstBatchTimestamp = undefined;
    const max: TimestampOffset = { timestamp: -1, offset: this.baseOffset };
    let fileSize: number;
    try {
      fileSize = this.fs.fstatSync(fd).size;
    } catch (err) {
      throw storageFailure('stat', this.logFile, err);
    }
    this._size = fileSize;
    let valid = 0;
    let previousLastOffset = this.baseOffset - 1;
    let reason: string | null = null;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    while (valid < fileSize) {
      if (fileSize - valid < BATCH.HEADER_SIZE) {
        reason = `${fileSize - valid} bytes left, fewer than a batch header`;
        break;
      }
      if (valid + BATCH.HEADER_SIZE > chunkStart + chunk.length) {
        chunk = this.read(valid, Math.min(SCAN_CHUNK_BYTES, fileSize - valid));
        chunkStart = valid;
      }
      const batchLength = chunk.readInt32BE(valid - chunkStart + BATCH.BATCH_LENGTH);
      const size = batchLength + BATCH.LOG_OVERHEAD;
      if (batchLength < BATCH.HEADER_SIZE - BATCH.LOG_OVERHEAD || valid + size > fileSize) {
        reason = `batch length ${batchLength} does not fit the ${fileSize - valid} bytes left`;
        break;
      }
      if (valid + size > chunkStart + chunk.length) {
        chunk = this.read(valid, Math.min(Math.max(SCAN_CHUNK_BYTES, size), fileSize - valid));
        chunkStart = valid;
      }
      const header = readBatchHeader(chunk, valid - chunkStart);
      if (!header) {
        reason = 'short read';
        break;
      }
      const problem = batchProblem(chunk, header, this.baseOffset, previousLastOffset);
      if (problem) {
        reason = problem;
        break;
      }
      const lastOffset = header.baseOffset + header.lastOffsetDelta;
      if (valid === 0) this.firstBatchTimestamp = header.maxTimestamp;
      if (header.maxTimestamp > max.timestamp) {
        max.timestamp = header.maxTimestamp;
        max.offset = lastOffset;
      }
      if (this.bytesSinceLastIndexEntry > this.options.indexIntervalBytes)
        this.addIndexEntries(lastOffset, valid, max);
      this.bytesSinceLastIndexEntry += size;
      previousLastOffset = lastOffset;
      valid += size;
    }
    const truncatedBytes = fileSize - valid;
    if (truncatedBytes > 0) {
      try {
        this.fs.ftruncateSync(fd, valid);
      } catch (err) {
        throw storageFailure('truncate', this.logFile, err);
      }
      this._size = valid;
      this.unflushed = true;
    }
    this.maxTimestamp = max;
    this.indexProblem = null;
    this.lastRecovery = { truncatedBytes, position: valid, reason };
    return truncatedBytes;
  }

  /**
   * Removes the batch holding `offset` and everything after it (whole batches: a batch that starts
   * below offset goes too). Returns the bytes removed.
   */
  truncateTo(offset: number, now: number): number {
    const fd = this.requireFd();
    const location = this.translateOffset(offset);
    this.offsetIndex.truncateTo(offset);
    this.timeIndex.truncateTo(offset);
    if (!location) return 0;
    const removed = this._size - location.position;
    try {
      this.fs.ftruncateSync(fd, location.position);
    } catch (err) {
      this._damaged = true;
      throw storageFailure('truncate', this.logFile, err);
    }
    this._size = location.position;
    this.unflushed = true;
    if (this._size === 0) {
      this.createdMs = now;
      this.firstBatchTimestamp = undefined;
    }
    const last = this.offsetIndex.entries > 0 ? this.offsetIndex.lastEntry().position : 0;
    this.bytesSinceLastIndexEntry = this._size - last;
    this.maxTimestamp = null;
    return removed;
  }

  /** Writes the closing time-index entry (the segment's max timestamp), as Kafka does on roll and close. */
  onBecomeInactive(): void {
    if (this.maxTimestamp === null) return;
    const lastTime = this.timeIndex.lastEntry();
    if (!lastTime || this.maxTimestamp.offset >= lastTime.offset) {
      this.timeIndex.maybeAppend(this.maxTimestamp.timestamp, this.maxTimestamp.offset, true);
    }
  }

  /** Checks the indexes against the offsets the log really holds (below nextOffset). */
  checkIndexesBelow(nextOffset: number): string | null {
    if (this.offsetIndex.entries > 0 && this.offsetIndex.lastEntry().offset >= nextOffset) {
      return `offset index mentions offset ${this.offsetIndex.lastEntry().offset}, beyond the log's end ${nextOffset}`;
    }
    const lastTime = this.timeIndex.lastEntry();
    if (lastTime && lastTime.offset >= nextOffset) {
      return `time index mentions offset ${lastTime.offset}, beyond the log's end ${nextOffset}`;
    }
    return null;
  }

  get hasUnflushedData(): boolean {
    return this.unflushed;
  }

  /** fsync of the .log file and both indexes. */
  flush(): void {
    if (this.unflushed) {
      try {
        this.fs.fsyncSync(this.requireFd());
      } catch (err) {
        throw storageFailure('fsync', this.logFile, err);
      }
      this.unflushed = false;
    }
    this.offsetIndex.flush();
    this.timeIndex.flush();
  }

  /** Writes the closing time-index entry and closes all three files (no fsync: flush() first for that). */
  close(): void {
    if (this.logFd === null) return;
    try {
      this.onBecomeInactive();
      this.offsetIndex.close();
      this.timeIndex.close();
    } catch (err) {
      this.closeQuietly();
      throw storageFailure('close', this.logFile, err);
    }
    const fd = this.logFd;
    this.logFd = null;
    this.fs.closeSync(fd);
  }

  /** Releases the descriptors without writing anything. */
  closeQuietly(): void {
    this.offsetIndex.closeQuietly();
    this.timeIndex.closeQuietly();
    if (this.logFd === null) return;
    const fd = this.logFd;
    this.logFd = null;
    try {
      this.fs.closeSync(fd);
    } catch {
      // the descriptor is gone either way
    }
  }

  /** Closes the files, renames each to *.deleted, then unlinks them. */
  delete(): void {
    this.closeQuietly();
    const files = [this.logFile, this.indexFile, this.timeIndexFile];
    const renamed: string[] = [];
    for (const file of files) {
      try {
        if (!this.fs.existsSync(file)) continue;
        this.fs.renameSync(file, file + DELETED_FILE_SUFFIX);
        renamed.push(file + DELETED_FILE_SUFFIX);
      } catch (err) {
        throw storageFailure('delete', file, err);
      }
    }
    for (const file of renamed) {
      try {
        this.fs.unlinkSync(file);
      } catch (err) {
        throw storageFailure('delete', file, err);
      }
    }
  }
}
