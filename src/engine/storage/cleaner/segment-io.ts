import * as path from 'node:path';

import { BATCH, readBatchHeader, type BatchHeader } from '../../protocol/records/batch-header.js';
import { storageFailure } from '../errors.js';
import { INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX } from '../files.js';
import { readFully, writeFully, type StorageFs } from '../fs.js';
import { OffsetIndex } from '../offset-index.js';
import { TimeIndex, type TimestampOffset } from '../time-index.js';
import { cleanedFileName, removeCleanedFiles } from './swap.js';

/** Bytes read from a segment file at a time (a larger batch is read whole). */
const READ_CHUNK_BYTES = 256 * 1024;
/** Output is written in pieces of about this size. */
const WRITE_CHUNK_BYTES = 256 * 1024;

/** One whole batch read from a segment: its header (position = byte position in the file) and bytes. */
export interface SegmentBatch {
  header: BatchHeader;
  bytes: Buffer;
}

/**
 * Reads the batches of an inactive segment through a descriptor of its own, in chunks, up to the
 * size the segment had when the pass started (inactive segments never change; if the log deletes the
 * file meanwhile, the descriptor still reads it and the swap later finds the segment gone).
 */
export class SegmentBatchReader {
  private fd: number | null;
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;
  private position = 0;

  constructor(
    private readonly fs: StorageFs,
    readonly file: string,
    private readonly size: number,
  ) {
    try {
      this.fd = fs.openSync(file, 'r');
    } catch (err) {
      throw storageFailure('open for cleaning', file, err);
    }
  }

  /** The next whole batch, or null at the end. Throws on bytes that are not a batch. */
  next(): SegmentBatch | null {
    if (this.position >= this.size) return null;
    if (this.size - this.position < BATCH.HEADER_SIZE)
      throw new Error(`${this.file}: ${this.size - this.position} bytes at ${this.position} are not a batch`);
    let relative = this.position - this.chunkStart;
    if (relative + BATCH.HEADER_SIZE > this.chunk.length) relative = this.load(READ_CHUNK_BYTES);
    const length = this.chunk.readInt32BE(relative + BATCH.BATCH_LENGTH) + BATCH.LOG_OVERHEAD;
    if (length < BATCH.HEADER_SIZE || this.position + length > this.size)
      throw new Error(`${this.file}: batch at ${this.position} claims ${length} bytes`);
    if (relative + length > this.chunk.length) relative = this.load(Math.max(READ_CHUNK_BYTES, length));
    const header = readBatchHeader(this.chunk, relative);
    if (!header) throw new Error(`${this.file}: short read at ${this.position}`);
    const bytes = this.chunk.subarray(relative, relative + header.size);
    header.position = this.position;
    this.position += header.size;
    return { header, bytes };
  }

  private load(bytes: number): number {
    const length = Math.min(bytes, this.size - this.position);
    try {
      this.chunk = readFully(this.fs, this.requireFd(), length, this.position);
    } catch (err) {
      throw storageFailure('read for cleaning', this.file, err);
    }
    this.chunkStart = this.position;
    if (this.chunk.length < length) throw new Error(`${this.file}: file shorter than ${this.size} bytes`);
    return 0;
  }

  private requireFd(): number {
    if (this.fd === null) throw new Error(`${this.file} is closed`);
    return this.fd;
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      this.fs.closeSync(fd);
    } catch {
      // gone either way
    }
  }
}

export interface CleanedSegmentOptions {
  indexIntervalBytes: number;
  segmentIndexBytes: number;
}

/**
 * Writes a cleaned segment as `B.log.cleaned`, `B.index.cleaned`, `B.timeindex.cleaned` with the
 * sparse index entries an append of the same batches would have produced, then (finish) the closing
 * time-index entry and an fsync of all three files and the directory.
 */
export class CleanedSegmentWriter {
  private readonly logFile: string;
  private fd: number | null;
  private readonly offsetIndex: OffsetIndex;
  private readonly timeIndex: TimeIndex;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private bytesSinceLastIndexEntry = 0;
  private readonly max: TimestampOffset;
  private finished = false;

  private constructor(
    private readonly fs: StorageFs,
    private readonly dir: string,
    readonly baseOffset: number,
    private readonly options: CleanedSegmentOptions,
  ) {
    this.logFile = path.join(dir, cleanedFileName(baseOffset, LOG_FILE_SUFFIX));
    this.max = { timestamp: -1, offset: baseOffset };
    let fd: number | null = null;
    let offsetIndex: OffsetIndex | null = null;
    try {
      fd = fs.openSync(this.logFile, 'w+');
      offsetIndex = OffsetIndex.create(
        fs,
        path.join(dir, cleanedFileName(baseOffset, INDEX_FILE_SUFFIX)),
        baseOffset,
        options.segmentIndexBytes,
      );
      this.timeIndex = TimeIndex.create(
        fs,
        path.join(dir, cleanedFileName(baseOffset, TIME_INDEX_FILE_SUFFIX)),
        baseOffset,
        options.segmentIndexBytes,
      );
    } catch (err) {
      offsetIndex?.closeQuietly();
      if (fd !== null) fs.closeSync(fd);
      throw storageFailure('create cleaned segment', this.logFile, err);
    }
    this.fd = fd;
    this.offsetIndex = offsetIndex;
  }

  static create(
    fs: StorageFs,
    dir: string,
    baseOffset: number,
    options: CleanedSegmentOptions,
  ): CleanedSegmentWriter {
    return new CleanedSegmentWriter(fs, dir, baseOffset, options);
  }

  /** Bytes appended so far. */
  get size(): number {
    return this.written + this.pendingBytes;
  }

  /** Appends one whole batch whose last offset and max timestamp are given. */
  append(batch: Buffer, lastOffset: number, maxTimestamp: number): void {
    const position = this.size;
    if (maxTimestamp > this.max.timestamp) {
      this.max.timestamp = maxTimestamp;
      this.max.offset = lastOffset;
    }
    if (this.bytesSinceLastIndexEntry > this.options.indexIntervalBytes) {
      if (this.offsetIndex.entries === 0 || lastOffset > this.offsetIndex.lastEntry().offset)
        this.offsetIndex.append(lastOffset, position);
      const lastTime = this.timeIndex.lastEntry();
      if (!lastTime || this.max.offset >= lastTime.offset)
        this.timeIndex.maybeAppend(this.max.timestamp, this.max.offset);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += batch.length;
    this.pending.push(batch);
    this.pendingBytes += batch.length;
    if (this.pendingBytes >= WRITE_CHUNK_BYTES) this.writePending();
  }

  private writePending(): void {
    if (this.pendingBytes === 0) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    try {
      writeFully(this.fs, this.requireFd(), data, this.written);
    } catch (err) {
      throw storageFailure('write', this.logFile, err);
    }
    this.written += data.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Writes what is buffered and the closing time-index entry, fsyncs and closes everything. */
  finish(): void {
    this.writePending();
    const lastTime = this.timeIndex.lastEntry();
    if (this.max.timestamp >= 0 && (!lastTime || this.max.offset >= lastTime.offset))
      this.timeIndex.maybeAppend(this.max.timestamp, this.max.offset, true);
    const fd = this.requireFd();
    try {
      this.fs.fsyncSync(fd);
    } catch (err) {
      throw storageFailure('fsync', this.logFile, err);
    }
    this.offsetIndex.flush();
    this.timeIndex.flush();
    this.offsetIndex.close();
    this.timeIndex.close();
    this.fd = null;
    this.fs.closeSync(fd);
    try {
      this.fs.fsyncDirSync(this.dir);
    } catch (err) {
      throw storageFailure('fsync directory', this.dir, err);
    }
    this.finished = true;
  }

  /** Closes without finishing and removes the three files (a pass given up). Never throws. */
  abort(): void {
    this.offsetIndex.closeQuietly();
    this.timeIndex.closeQuietly();
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      try {
        this.fs.closeSync(fd);
      } catch {
        // gone either way
      }
    }
    this.pending = [];
    this.pendingBytes = 0;
    removeCleanedFiles(this.fs, this.dir, this.baseOffset);
  }

  get isFinished(): boolean {
    return this.finished;
  }

  private requireFd(): number {
    if (this.fd === null) throw new Error(`${this.logFile} is closed`);
    return this.fd;
  }
}
