import * as path from 'node:path';

import { crc32c } from '@node-rs/crc32';

import { ATTR, BATCH, readBatchHeader, type BatchHeader } from '../protocol/records/batch-header.js';
import type { RecordTimestampReader } from './batch-scan.js';
import { readLogState, writeLogState, type LogState } from './checkpoint.js';
import { lowerCleanerCheckpoint } from './cleaner/checkpoint.js';
import { commitCleanedSwap, finishCleanedSwap, recoverCleanerSwap } from './cleaner/swap.js';
import { StorageError, LogError, OffsetOutOfRangeError, storageFailure } from './errors.js';
import {
  INDEX_FILE_SUFFIX,
  LOG_FILE_SUFFIX,
  parseSegmentFileName,
  TEMP_FILE_SUFFIX,
  TIME_INDEX_FILE_SUFFIX,
} from './files.js';
import { nodeStorageFs, type StorageFs } from './fs.js';
import type { LogConfig } from './log-config.js';
import { LogSegment, type SegmentOptions } from './segment.js';

export interface PartitionLogOptions {
  /** Wall clock in ms; tests inject their own. */
  clock?: () => number;
  /** Record timestamps of compressed batches, for offsetForTimestamp and latestTimestamp. */
  recordTimestamps?: RecordTimestampReader;
}

export interface AppendResult {
  /** Offset of the first record appended (-1 when nothing was appended). */
  baseOffset: number;
  lastOffset: number;
  /** The broker's append time when the topic uses LogAppendTime, else -1. */
  logAppendTime: number;
  /** Number of batches appended. */
  batches: number;
  /** Largest batch max timestamp of the append (-1 if none). */
  maxTimestamp: number;
  /** Bytes written. */
  size: number;
}

export interface ReadOptions {
  /** Exclusive upper bound (for example the high watermark): only whole batches entirely below it. */
  maxOffset?: number;
  /** Return the first batch even when it is larger than maxBytes (Kafka's Fetch behaviour). */
  minOneMessage?: boolean;
}

export interface LogReadResult {
  /** Whole record batches as stored, possibly starting before fetchOffset; empty when none. */
  records: Buffer;
  /** Base offset of the first batch returned, or -1. */
  firstBatchOffset: number;
  /** The offset after the last batch returned (fetchOffset when none): where the next read starts. */
  nextOffset: number;
  batches: number;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
}

export interface TimestampAndOffset {
  offset: number;
  timestamp: number;
  leaderEpoch: number;
}

/** One segment as the on-disk view shows it. */
export interface SegmentInfo {
  baseOffset: number;
  /** Exclusive upper bound of its offsets: the next segment's base offset, or the log end offset. */
  endOffset: number;
  logFile: string;
  indexFile: string;
  timeIndexFile: string;
  /** Bytes in the .log file. */
  size: number;
  indexBytes: number;
  timeIndexBytes: number;
  /** Largest record timestamp (-1 if none). */
  maxTimestamp: number;
  active: boolean;
}

export interface RetentionResult {
  deletedSegments: number;
  deletedBytes: number;
  logStartOffset: number;
}

/** What open() did, for logs and the UI. */
export interface OpenReport {
  cleanShutdown: boolean;
  recoveredSegments: number;
  truncatedBytes: number;
  deletedLeftovers: string[];
  /** What was done about a log-cleaner swap a crash interrupted (completed or rolled back). */
  cleanerRecovery: string[];
}

type SegmentPredicate = (segment: LogSegment, next: LogSegment | undefined) => boolean;

/**
 * The log of one partition: an ordered list of segments in one directory, the last one active.
 * Keeps Kafka's offsets: logStartOffset ≤ highWatermark ≤ logEndOffset and recoveryPoint ≤
 * logEndOffset (recoveryPoint is the flushed prefix; it may run ahead of the high watermark).
 *
 * Synchronous and single-threaded: the owning broker worker calls it from its event loop only.
 */
export class PartitionLog {
  private segmentList: LogSegment[];
  private _logStartOffset: number;
  private _logEndOffset: number;
  private _highWatermark: number;
  private _recoveryPoint: number;
  private lastFlushMs: number;
  private _offline = false;
  private closed = false;
  private truncations = 0;
  private readonly segmentOptions: SegmentOptions;

  private constructor(
    readonly dir: string,
    private _config: LogConfig,
    private readonly fs: StorageFs,
    private readonly clock: () => number,
    private readonly recordTimestamps: RecordTimestampReader | undefined,
    segments: LogSegment[],
    segmentOptions: SegmentOptions,
    state: LogState,
    logEndOffset: number,
    readonly openReport: OpenReport,
  ) {
    this.segmentList = segments;
    this.segmentOptions = segmentOptions;
    this._logStartOffset = state.logStartOffset;
    this._logEndOffset = logEndOffset;
    this._recoveryPoint = state.recoveryPoint;
    this._highWatermark = Math.min(Math.max(state.highWatermark, state.logStartOffset), logEndOffset);
    this.lastFlushMs = clock();
  }

  // ------------------------------------------------------------------------------------------
  // Opening and recovery
  // ------------------------------------------------------------------------------------------

  /**
   * Opens (or creates) the log in `dir`. Leftover .deleted/.cleaned/.swap/.tmp files and orphan
   * indexes are removed. After a clean close only segments whose indexes look wrong are rebuilt;
   * otherwise every segment from the recovery point on is validated batch by batch, and the log is
   * cut at the first invalid byte (later segments are dropped: the log must stay contiguous).
   */
  static open(
    dir: string,
    config: LogConfig,
    fs: StorageFs = nodeStorageFs,
    options: PartitionLogOptions = {},
  ): PartitionLog {
    const clock = options.clock ?? Date.now;
    const now = clock();
    const segmentOptions: SegmentOptions = {
      indexIntervalBytes: config.indexIntervalBytes,
      segmentIndexBytes: config.segmentIndexBytes,
    };
    const report: OpenReport = {
      cleanShutdown: false,
      recoveredSegments: 0,
      truncatedBytes: 0,
      deletedLeftovers: [],
      cleanerRecovery: [],
    };
    let names: string[];
    try {
      fs.mkdirSync(dir);
      names = fs.readdirSync(dir);
      // A log-cleaner swap cut short by a crash is completed or rolled back first (cleaner/swap.ts).
      names = recoverCleanerSwap(fs, dir, names, report.cleanerRecovery);
    } catch (err) {
      throw storageFailure('open log directory', dir, err);
    }

    // Leftovers of interrupted deletes, compactions and checkpoint writes, and indexes without a log.
    const logBases = new Set<number>();
    for (const name of names) {
      const parsed = parseSegmentFileName(name);
      if (parsed?.state === '' && parsed.suffix === LOG_FILE_SUFFIX) logBases.add(parsed.baseOffset);
    }
    for (const name of names) {
      const parsed = parseSegmentFileName(name);
      const leftover =
        name.endsWith(TEMP_FILE_SUFFIX) ||
        (parsed !== null && parsed.state !== '') ||
        (parsed !== null &&
          (parsed.suffix === INDEX_FILE_SUFFIX || parsed.suffix === TIME_INDEX_FILE_SUFFIX) &&
          !logBases.has(parsed.baseOffset));
      if (!leftover) continue;
      try {
        fs.unlinkSync(path.join(dir, name));
      } catch (err) {
        throw storageFailure('remove leftover', path.join(dir, name), err);
      }
      report.deletedLeftovers.push(name);
    }

    let saved: LogState | null;
    try {
      saved = readLogState(fs, dir);
    } catch (err) {
      throw storageFailure('read checkpoint of', dir, err);
    }
    report.cleanShutdown = saved?.cleanShutdown === true;
    const recoveryPoint = saved?.recoveryPoint ?? 0;

    const segments: LogSegment[] = [];
    try {
      for (const base of [...logBases].sort((a, b) => a - b))
        segments.push(LogSegment.open(fs, dir, base, segmentOptions, now));

      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i];
        const next = segments[i + 1];
        const last = next === undefined;
        const mayHoldUnflushedData = !report.cleanShutdown && (last || next.baseOffset > recoveryPoint);
        let problem = mayHoldUnflushedData ? 'unflushed' : segment.indexProblem;
        if (!problem) {
          // Cheap consistency checks even after a clean shutdown: a torn tail, indexes beyond the data.
          const tail = segment.readNextOffset();
          if (tail.validBytes !== segment.size)
            problem = `${segment.size - tail.validBytes} bytes after the last complete batch`;
          else problem = segment.checkIndexesBelow(last ? tail.nextOffset : next.baseOffset);
        }
        if (!problem) continue;
        const truncated = segment.recover();
        report.recoveredSegments++;
        report.truncatedBytes += truncated;
        if (!last) segment.onBecomeInactive();
        if (truncated > 0 && !last) {
          // Everything after an invalid batch is unreachable: drop the later segments.
          for (const dropped of segments.splice(i + 1)) {
            report.truncatedBytes += dropped.size;
            dropped.delete();
          }
        }
      }

      const checkpointStart = saved?.logStartOffset ?? 0;
      if (segments.length === 0)
        segments.push(LogSegment.create(fs, dir, checkpointStart, segmentOptions, now));
      const logEndOffset = segments[segments.length - 1].readNextOffset().nextOffset;
      const logStartOffset = Math.max(checkpointStart, segments[0].baseOffset);
      const state: LogState = {
        logStartOffset: Math.min(logStartOffset, logEndOffset),
        recoveryPoint: report.cleanShutdown ? logEndOffset : Math.min(recoveryPoint, logEndOffset),
        highWatermark: saved?.highWatermark ?? logStartOffset,
        cleanShutdown: false,
      };
      const log = new PartitionLog(
        dir,
        config,
        fs,
        clock,
        options.recordTimestamps,
        segments,
        segmentOptions,
        state,
        logEndOffset,
        report,
      );
      if (logStartOffset > logEndOffset) {
        // DeleteRecords moved the start past data lost in a crash: begin again at the start offset.
        log.truncateFullyAndStartAt(logStartOffset);
      } else {
        log.deleteOldSegments(log.belowLogStart);
      }
      log.assertInvariants();
      // From here on a crash is an unclean shutdown.
      log.checkpoint();
      return log;
    } catch (err) {
      for (const segment of segments) segment.closeQuietly();
      throw err;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Offsets and views
  // ------------------------------------------------------------------------------------------

  get config(): LogConfig {
    return this._config;
  }

  /** Applies new topic configs; index sizes take effect at the next roll. */
  updateConfig(config: LogConfig): void {
    this._config = config;
    this.segmentOptions.indexIntervalBytes = config.indexIntervalBytes;
    this.segmentOptions.segmentIndexBytes = config.segmentIndexBytes;
  }

  get logStartOffset(): number {
    return this._logStartOffset;
  }

  get logEndOffset(): number {
    return this._logEndOffset;
  }

  get highWatermark(): number {
    return this._highWatermark;
  }

  /** Set by the replica manager; clamped to [logStartOffset, logEndOffset]. */
  set highWatermark(offset: number) {
    this._highWatermark = Math.min(Math.max(offset, this._logStartOffset), this._logEndOffset);
  }

  /** Every offset below it has been fsynced. */
  get recoveryPoint(): number {
    return this._recoveryPoint;
  }

  /** The file system the log works through (the log cleaner writes its files beside the log's). */
  get storage(): StorageFs {
    return this.fs;
  }

  /** How often truncateTo/truncateFullyAndStartAt cut the log since open; a cleaning pass that saw it change is abandoned. */
  get truncationCount(): number {
    return this.truncations;
  }

  /** True after a disk error left the log in a state that only a reopen can sort out. */
  get offline(): boolean {
    return this._offline;
  }

  /** Bytes in all .log files. */
  get size(): number {
    return this.segmentList.reduce((total, segment) => total + segment.size, 0);
  }

  get segments(): SegmentInfo[] {
    return this.segmentList.map((segment, i) => {
      const next = this.segmentList[i + 1];
      return {
        baseOffset: segment.baseOffset,
        endOffset: next ? next.baseOffset : this._logEndOffset,
        logFile: path.basename(segment.logFile),
        indexFile: path.basename(segment.indexFile),
        timeIndexFile: path.basename(segment.timeIndexFile),
        size: segment.size,
        indexBytes: segment.offsetIndex.sizeInBytes,
        timeIndexBytes: segment.timeIndex.sizeInBytes,
        maxTimestamp: this._offline ? -1 : segment.maxTimestampAndOffset().timestamp,
        active: next === undefined,
      };
    });
  }

  private get activeSegment(): LogSegment {
    return this.segmentList[this.segmentList.length - 1];
  }

  private ensureUsable(): void {
    if (this.closed) throw new Error(`The log in ${this.dir} is closed.`);
    if (this._offline) {
      throw new StorageError(
        `The log in ${this.dir} is offline after a disk error; free space or fix the disk, then restart the broker.`,
      );
    }
  }

  private assertInvariants(): void {
    const { _logStartOffset: start, _highWatermark: hw, _logEndOffset: leo, _recoveryPoint: flushed } = this;
    if (!(start <= hw && hw <= leo && flushed <= leo && start >= 0)) {
      throw new Error(
        `Log ${this.dir}: offsets out of order: logStart ${start}, highWatermark ${hw}, recoveryPoint ${flushed}, logEnd ${leo}`,
      );
    }
  }

  /** Runs a storage operation; a disk error that may have left the files inconsistent takes the log offline. */
  private guarded<T>(operation: () => T, offlineOnError: (err: unknown) => boolean = () => true): T {
    try {
      return operation();
    } catch (err) {
      if (err instanceof StorageError && offlineOnError(err)) this.goOffline();
      throw err;
    }
  }

  private goOffline(): void {
    this._offline = true;
    for (const segment of this.segmentList) segment.closeQuietly();
  }

  // ------------------------------------------------------------------------------------------
  // Appending
  // ------------------------------------------------------------------------------------------

  /** Reads the batch headers of an append, checking the framing the log relies on. */
  private headersOf(records: Buffer, checkSize: boolean): BatchHeader[] {
    if (records.length > this._config.segmentBytes) {
      throw new LogError(
        'RECORD_LIST_TOO_LARGE',
        `An append of ${records.length} bytes is larger than segment.bytes (${this._config.segmentBytes}).`,
      );
    }
    const headers: BatchHeader[] = [];
    let position = 0;
    while (position < records.length) {
      const header = readBatchHeader(records, position);
      if (!header)
        throw new LogError(
          'CORRUPT_MESSAGE',
          `The records end with a partial batch at byte ${position} of ${records.length}.`,
        );
      if (header.magic !== 2)
        throw new LogError(
          'CORRUPT_MESSAGE',
          `Record batch at byte ${position} has magic ${header.magic}; only magic 2 is supported.`,
        );
      if (header.lastOffsetDelta < 0)
        throw new LogError(
          'CORRUPT_MESSAGE',
          `Record batch at byte ${position} has a negative lastOffsetDelta.`,
        );
      if (checkSize && header.size > this._config.maxMessageBytes) {
        throw new LogError(
          'MESSAGE_TOO_LARGE',
          `A record batch of ${header.size} bytes exceeds max.message.bytes (${this._config.maxMessageBytes}).`,
        );
      }
      headers.push(header);
      position += header.size;
    }
    return headers;
  }

  /**
   * Appends validated batches as the leader: assigns consecutive offsets from the log end offset by
   * rewriting each baseOffset in place, stamps partitionLeaderEpoch (neither is under the CRC) and,
   * for LogAppendTime topics, the append time (recomputing the CRC). Mutates `records`.
   */
  appendAsLeader(records: Buffer, leaderEpoch: number, appendTime: number = this.clock()): AppendResult {
    this.ensureUsable();
    const headers = this.headersOf(records, true);
    const logAppendTime = this._config.messageTimestampType === 'LogAppendTime';
    if (headers.length === 0) {
      return { baseOffset: -1, lastOffset: -1, logAppendTime: -1, batches: 0, maxTimestamp: -1, size: 0 };
    }
    const baseOffset = this._logEndOffset;
    let offset = baseOffset;
    let maxTimestamp = -1;
    for (const header of headers) {
      const at = header.position;
      records.writeBigInt64BE(BigInt(offset), at + BATCH.BASE_OFFSET);
      records.writeInt32BE(leaderEpoch, at + BATCH.PARTITION_LEADER_EPOCH);
      header.baseOffset = offset;
      header.partitionLeaderEpoch = leaderEpoch;
      if (logAppendTime) {
        header.attributes |= ATTR.TIMESTAMP_TYPE_LOG_APPEND;
        header.maxTimestamp = appendTime;
        records.writeInt16BE(header.attributes, at + BATCH.ATTRIBUTES);
        records.writeBigInt64BE(BigInt(appendTime), at + BATCH.MAX_TIMESTAMP);
        header.crc = crc32c(records.subarray(at + BATCH.ATTRIBUTES, at + header.size));
        records.writeUInt32BE(header.crc, at + BATCH.CRC);
      }
      maxTimestamp = Math.max(maxTimestamp, header.maxTimestamp);
      offset += header.lastOffsetDelta + 1;
    }
    this.appendBatches(records, headers, baseOffset, offset - 1, maxTimestamp, appendTime);
    return {
      baseOffset,
      lastOffset: offset - 1,
      logAppendTime: logAppendTime ? appendTime : -1,
      batches: headers.length,
      maxTimestamp,
      size: records.length,
    };
  }

  /** Appends batches as a follower: offsets are kept and must start at or after the log end offset. */
  appendAsFollower(records: Buffer): AppendResult {
    this.ensureUsable();
    const headers = this.headersOf(records, false);
    if (headers.length === 0)
      return { baseOffset: -1, lastOffset: -1, logAppendTime: -1, batches: 0, maxTimestamp: -1, size: 0 };
    let previousLast = this._logEndOffset - 1;
    let maxTimestamp = -1;
    for (const header of headers) {
      if (header.baseOffset <= previousLast) {
        throw new LogError(
          'UNKNOWN_SERVER_ERROR',
          `Follower append at offset ${header.baseOffset} does not follow offset ${previousLast} (log end offset ${this._logEndOffset}); truncate first.`,
        );
      }
      previousLast = header.baseOffset + header.lastOffsetDelta;
      maxTimestamp = Math.max(maxTimestamp, header.maxTimestamp);
    }
    const baseOffset = headers[0].baseOffset;
    this.appendBatches(records, headers, baseOffset, previousLast, maxTimestamp, this.clock());
    return {
      baseOffset,
      lastOffset: previousLast,
      logAppendTime: -1,
      batches: headers.length,
      maxTimestamp,
      size: records.length,
    };
  }

  private appendBatches(
    records: Buffer,
    headers: BatchHeader[],
    firstOffset: number,
    lastOffset: number,
    maxTimestamp: number,
    now: number,
  ): void {
    let segment = this.activeSegment;
    if (this.shouldRoll(segment, records.length, maxTimestamp, lastOffset, now))
      segment = this.rollAt(firstOffset, now);
    this.guarded(
      () => segment.append(records, headers),
      () => segment.damaged,
    );
    this._logEndOffset = lastOffset + 1;
    this.assertInvariants();
    if (this._logEndOffset - this._recoveryPoint >= this._config.flushMessages) this.flush();
  }

  /** Kafka's roll rules: size, age (segment.ms), a full index, or offsets too far from the base. */
  private shouldRoll(
    segment: LogSegment,
    incomingBytes: number,
    incomingMaxTimestamp: number,
    lastOffset: number,
    now: number,
  ): boolean {
    if (!segment.canHoldOffset(lastOffset)) return true;
    if (segment.size === 0) return false;
    return (
      segment.size > this._config.segmentBytes - incomingBytes ||
      segment.timeWaitedForRoll(now, incomingMaxTimestamp) > this._config.segmentMs ||
      segment.indexesFull()
    );
  }

  /** Starts a new active segment at the log end offset (no-op when the active segment is empty). */
  roll(): void {
    this.ensureUsable();
    this.rollAt(this._logEndOffset, this.clock());
  }

  private rollAt(baseOffset: number, now: number): LogSegment {
    const active = this.activeSegment;
    if (active.size === 0 && active.baseOffset === baseOffset) return active;
    if (active.size > 0) {
      // Like Kafka, a finished segment is flushed when the next one starts; the recovery point follows.
      this.guarded(() => {
        active.onBecomeInactive();
        for (const segment of this.segmentList) segment.flush();
      });
      this._recoveryPoint = this._logEndOffset;
      this.lastFlushMs = now;
    }
    const created = LogSegment.create(this.fs, this.dir, baseOffset, this.segmentOptions, now);
    if (active.size === 0) {
      // An empty active segment at the wrong base (a follower jumping ahead) is replaced.
      this.segmentList.pop();
      this.guarded(() => active.delete());
    }
    this.segmentList.push(created);
    this.guarded(() => {
      try {
        this.fs.fsyncDirSync(this.dir);
      } catch (err) {
        throw storageFailure('fsync directory', this.dir, err);
      }
    });
    return created;
  }

  // ------------------------------------------------------------------------------------------
  // Reading
  // ------------------------------------------------------------------------------------------

  /** Index of the segment with the largest base offset ≤ offset (0 if offset is below all). */
  private floorSegmentIndex(offset: number): number {
    let low = 0;
    let high = this.segmentList.length - 1;
    let found = 0;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (this.segmentList[mid].baseOffset <= offset) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /**
   * Raw batches from the one holding fetchOffset: whole batches only, at most maxBytes (or the first
   * batch whatever its size with minOneMessage), none reaching maxOffset. Throws OffsetOutOfRangeError
   * outside [logStartOffset, logEndOffset].
   */
  read(fetchOffset: number, maxBytes: number, options: ReadOptions = {}): LogReadResult {
    this.ensureUsable();
    if (fetchOffset < this._logStartOffset || fetchOffset > this._logEndOffset) {
      throw new OffsetOutOfRangeError(
        `Offset ${fetchOffset} is outside the log's range [${this._logStartOffset}, ${this._logEndOffset}].`,
      );
    }
    const limit = Math.min(options.maxOffset ?? this._logEndOffset, this._logEndOffset);
    const result: LogReadResult = {
      records: Buffer.alloc(0),
      firstBatchOffset: -1,
      nextOffset: fetchOffset,
      batches: 0,
      logStartOffset: this._logStartOffset,
      logEndOffset: this._logEndOffset,
      highWatermark: this._highWatermark,
    };
    if (fetchOffset >= limit) return result;
    return this.guarded(
      () => {
        const parts: Buffer[] = [];
        let remaining = maxBytes;
        let done = false;
        for (let i = this.floorSegmentIndex(fetchOffset); i < this.segmentList.length && !done; i++) {
          const segment = this.segmentList[i];
          const first = segment.translateOffset(fetchOffset);
          if (!first) continue;
          const start = first.position;
          let end = start;
          // Headers only: read ahead about as far as the budget reaches.
          const chunkBytes = Math.min(64 * 1024, Math.max(remaining, 0) + BATCH.HEADER_SIZE);
          for (const batch of segment.batchesFrom(start, segment.size, chunkBytes)) {
            if (batch.lastOffset >= limit) {
              done = true;
              break;
            }
            const fits = batch.size <= remaining || (options.minOneMessage === true && result.batches === 0);
            if (!fits) {
              done = true;
              break;
            }
            if (result.batches === 0) result.firstBatchOffset = batch.baseOffset;
            result.batches++;
            result.nextOffset = batch.lastOffset + 1;
            remaining -= batch.size;
            end = batch.position + batch.size;
          }
          if (end > start) parts.push(segment.read(start, end - start));
        }
        result.records = parts.length === 1 ? parts[0] : Buffer.concat(parts);
        return result;
      },
      () => false,
    );
  }

  /**
   * The first record with timestamp ≥ target at or after the log start offset (ListOffsets by time),
   * or null. The broker still applies its own upper bound (high watermark or last stable offset).
   */
  offsetForTimestamp(targetTimestamp: number): TimestampAndOffset | null {
    this.ensureUsable();
    return this.guarded(
      () => {
        for (const segment of this.segmentList) {
          if (segment.maxTimestampAndOffset().timestamp < targetTimestamp) continue;
          const found = segment.findOffsetByTimestamp(
            targetTimestamp,
            this._logStartOffset,
            this.recordTimestamps,
          );
          if (found) return found;
        }
        return null;
      },
      () => false,
    );
  }

  /** The record with the largest timestamp (the first one if several share it), for ListOffsets MAX_TIMESTAMP. */
  latestTimestamp(): TimestampAndOffset | null {
    this.ensureUsable();
    return this.guarded(
      () => {
        let best: LogSegment | null = null;
        let bestTimestamp = -1;
        for (const segment of this.segmentList) {
          const max = segment.maxTimestampAndOffset().timestamp;
          if (max > bestTimestamp) {
            best = segment;
            bestTimestamp = max;
          }
        }
        return best ? best.maxTimestampRecord(this.recordTimestamps) : null;
      },
      () => false,
    );
  }

  // ------------------------------------------------------------------------------------------
  // Truncation, deletion, retention
  // ------------------------------------------------------------------------------------------

  /**
   * Removes every batch holding an offset ≥ offset (a follower diverged from its leader). The log end
   * offset becomes `offset`. Returns false when there was nothing to remove.
   */
  truncateTo(offset: number): boolean {
    this.ensureUsable();
    if (!Number.isSafeInteger(offset) || offset < 0)
      throw new RangeError(`Cannot truncate to offset ${offset}`);
    if (offset >= this._logEndOffset) return false;
    this.truncations++;
    this.guarded(() => {
      try {
        lowerCleanerCheckpoint(this.fs, this.dir, offset);
      } catch (err) {
        throw storageFailure('lower the cleaner checkpoint in', this.dir, err);
      }
    });
    if (offset < this.segmentList[0].baseOffset) {
      this.truncateFullyAndStartAt(offset);
      return true;
    }
    const now = this.clock();
    this.guarded(() => {
      while (this.activeSegment.baseOffset > offset) {
        const dropped = this.segmentList.pop() as LogSegment;
        dropped.delete();
      }
      this.activeSegment.truncateTo(offset, now);
    });
    this._logEndOffset = offset;
    this._logStartOffset = Math.min(this._logStartOffset, offset);
    this._highWatermark = Math.min(this._highWatermark, offset);
    this._recoveryPoint = Math.min(this._recoveryPoint, offset);
    this.assertInvariants();
    this.checkpoint();
    return true;
  }

  /** Deletes every segment and starts an empty log at `offset` (all four offsets become `offset`). */
  truncateFullyAndStartAt(offset: number): void {
    this.ensureUsable();
    if (!Number.isSafeInteger(offset) || offset < 0)
      throw new RangeError(`Cannot start the log at offset ${offset}`);
    this.truncations++;
    this.guarded(() => {
      try {
        lowerCleanerCheckpoint(this.fs, this.dir, offset);
      } catch (err) {
        throw storageFailure('lower the cleaner checkpoint in', this.dir, err);
      }
      for (const segment of this.segmentList.splice(0)) segment.delete();
      this.segmentList.push(LogSegment.create(this.fs, this.dir, offset, this.segmentOptions, this.clock()));
    });
    this._logStartOffset = offset;
    this._logEndOffset = offset;
    this._highWatermark = offset;
    this._recoveryPoint = offset;
    this.assertInvariants();
    this.checkpoint();
  }

  /**
   * DeleteRecords: moves the log start offset up to `offset` (at most the high watermark), persists
   * it, and deletes the segments that now lie wholly below it. Returns the new log start offset.
   */
  deleteRecordsBefore(offset: number): number {
    this.ensureUsable();
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this._highWatermark) {
      throw new OffsetOutOfRangeError(
        `Cannot delete records before offset ${offset}: it must be between 0 and the high watermark ${this._highWatermark}.`,
      );
    }
    if (offset <= this._logStartOffset) return this._logStartOffset;
    this._logStartOffset = offset;
    this.assertInvariants();
    this.checkpoint();
    this.deleteOldSegments(this.belowLogStart);
    return this._logStartOffset;
  }

  /**
   * Time and size retention (cleanup.policy includes delete), then segments below the log start
   * offset. Only data below the high watermark goes; if the active segment itself expires, a new
   * empty one is rolled first, like Kafka.
   */
  applyRetention(now: number = this.clock()): RetentionResult {
    this.ensureUsable();
    const result: RetentionResult = {
      deletedSegments: 0,
      deletedBytes: 0,
      logStartOffset: this._logStartOffset,
    };
    const add = (deleted: { segments: number; bytes: number }) => {
      result.deletedSegments += deleted.segments;
      result.deletedBytes += deleted.bytes;
    };
    if (this._config.cleanupPolicy.includes('delete')) {
      const retentionMs = this._config.retentionMs;
      if (retentionMs >= 0)
        add(this.deleteOldSegments((segment) => now - segment.largestTimestamp() > retentionMs));
      const retentionBytes = this._config.retentionBytes;
      let excess = this.size - retentionBytes;
      if (retentionBytes >= 0 && excess > 0) {
        add(
          this.deleteOldSegments((segment) => {
            if (excess - segment.size < 0) return false;
            excess -= segment.size;
            return true;
          }),
        );
      }
    }
    add(this.deleteOldSegments(this.belowLogStart));
    result.logStartOffset = this._logStartOffset;
    return result;
  }

  /** Segments whose every offset is below the log start offset. */
  private readonly belowLogStart: SegmentPredicate = (_segment, next) =>
    next !== undefined && next.baseOffset <= this._logStartOffset;

  /**
   * Deletes segments from the oldest while the predicate holds, never an empty active segment and
   * never data at or above the high watermark.
   */
  private deleteOldSegments(predicate: SegmentPredicate): { segments: number; bytes: number } {
    const deletable: LogSegment[] = [];
    for (let i = 0; i < this.segmentList.length; i++) {
      const segment = this.segmentList[i];
      const next = this.segmentList[i + 1];
      const upperBound = next ? next.baseOffset : this._logEndOffset;
      const lastAndEmpty = next === undefined && segment.size === 0;
      if (lastAndEmpty || this._highWatermark < upperBound || !predicate(segment, next)) break;
      deletable.push(segment);
    }
    if (deletable.length === 0) return { segments: 0, bytes: 0 };
    if (deletable.length === this.segmentList.length) this.rollAt(this._logEndOffset, this.clock());
    let bytes = 0;
    this.guarded(() => {
      for (const segment of deletable) {
        this.segmentList.shift();
        bytes += segment.size;
        segment.delete();
      }
    });
    this._logStartOffset = Math.max(this._logStartOffset, this.segmentList[0].baseOffset);
    this._highWatermark = Math.max(this._highWatermark, this._logStartOffset);
    this._recoveryPoint = Math.max(this._recoveryPoint, Math.min(this._logStartOffset, this._logEndOffset));
    this.assertInvariants();
    return { segments: deletable.length, bytes };
  }

  /**
   * For the log cleaner (./cleaner): puts the cleaned copy of the contiguous inactive segments
   * `group` in their place. The copy was written and fsynced as `<group[0].baseOffset>.*.cleaned`;
   * the swap follows cleaner/swap.ts (commit by renaming to .swap, delete the old segments, rename
   * into place), so a crash leaves the old segments or the new one. Returns false and changes
   * nothing when the segments are no longer there with those sizes, the last of them is active, or
   * the log was truncated since `truncationCount` read `expectedTruncations`. A cleaned segment left
   * empty is dropped at once unless it is the first (the log start offset stays where it was).
   */
  replaceWithCleaned(
    group: readonly { baseOffset: number; size: number }[],
    expectedTruncations: number,
  ): boolean {
    this.ensureUsable();
    if (group.length === 0 || this.truncations !== expectedTruncations) return false;
    const start = this.segmentList.findIndex((s) => s.baseOffset === group[0].baseOffset);
    const after = this.segmentList[start + group.length];
    if (start < 0 || after === undefined) return false;
    for (let i = 0; i < group.length; i++) {
      const segment = this.segmentList[start + i];
      if (segment.baseOffset !== group[i].baseOffset || segment.size !== group[i].size) return false;
    }
    const old = this.segmentList.slice(start, start + group.length);
    const baseOffset = group[0].baseOffset;
    this.guarded(() => {
      try {
        commitCleanedSwap(this.fs, this.dir, { baseOffset, endOffset: after.baseOffset });
      } catch (err) {
        throw storageFailure('commit the cleaned segment in', this.dir, err);
      }
      for (const segment of old) segment.delete();
      try {
        finishCleanedSwap(this.fs, this.dir, baseOffset);
      } catch (err) {
        throw storageFailure('swap in the cleaned segment in', this.dir, err);
      }
      const cleaned = LogSegment.open(this.fs, this.dir, baseOffset, this.segmentOptions, this.clock());
      if (cleaned.indexProblem) cleaned.recover();
      if (cleaned.size === 0 && start > 0) {
        this.segmentList.splice(start, old.length);
        cleaned.delete();
      } else {
        this.segmentList.splice(start, old.length, cleaned);
      }
    });
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Flushing, checkpoints, lifecycle
  // ------------------------------------------------------------------------------------------

  /** Flushes if flush.messages unflushed messages piled up or flush.ms passed since the last flush. */
  maybeFlush(now: number = this.clock()): boolean {
    this.ensureUsable();
    const unflushed = this._logEndOffset - this._recoveryPoint;
    if (unflushed <= 0) return false;
    if (unflushed < this._config.flushMessages && now - this.lastFlushMs < this._config.flushMs) return false;
    this.flush();
    return true;
  }

  /** fsyncs every segment with unwritten data; the recovery point moves to the log end offset. A failure takes the log offline. */
  flush(): void {
    this.ensureUsable();
    this.guarded(() => {
      for (const segment of this.segmentList) segment.flush();
    });
    this._recoveryPoint = this._logEndOffset;
    this.lastFlushMs = this.clock();
    this.assertInvariants();
  }

  /** Writes the state file (log start offset, recovery point, high watermark); the broker calls it periodically. */
  checkpoint(): void {
    this.ensureUsable();
    this.writeState(false);
  }

  private writeState(cleanShutdown: boolean): void {
    this.guarded(() => {
      try {
        writeLogState(this.fs, this.dir, {
          logStartOffset: this._logStartOffset,
          recoveryPoint: this._recoveryPoint,
          highWatermark: this._highWatermark,
          cleanShutdown,
        });
      } catch (err) {
        throw storageFailure('write checkpoint in', this.dir, err);
      }
    });
  }

  /**
   * Flushes everything, writes each segment's closing index entries and marks a clean shutdown so the
   * next open skips recovery. An offline log is only released.
   */
  close(): void {
    if (this.closed) return;
    if (this._offline) {
      this.closed = true;
      return;
    }
    try {
      this.activeSegment.onBecomeInactive();
      this.flush();
      for (const segment of this.segmentList) segment.close();
      this.writeState(true);
    } finally {
      for (const segment of this.segmentList) segment.closeQuietly();
      this.closed = true;
    }
  }

  /**
   * Lets go of the files as a crash would: no flush, no closing index entries, no clean-shutdown
   * mark, so the next open recovers from the recovery point. (A killed broker in one process.)
   */
  abandon(): void {
    if (this.closed) return;
    for (const segment of this.segmentList) segment.closeQuietly();
    this.closed = true;
  }

  /** Closes the files and removes the partition directory with everything in it. */
  delete(): void {
    for (const segment of this.segmentList) segment.closeQuietly();
    this.closed = true;
    try {
      this.fs.removeDirSync(this.dir);
    } catch (err) {
      throw storageFailure('delete log directory', this.dir, err);
    }
  }
}
