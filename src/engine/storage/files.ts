/**
 * Every file name the storage layer writes, defined once. A partition directory looks like Kafka's:
 *
 *   00000000000000000000.log        record batches, exactly as appended
 *   00000000000000000000.index      sparse offset index
 *   00000000000000000000.timeindex  sparse time index
 *   log-state.checkpoint            log start offset, recovery point, high watermark, clean shutdown
 */

export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';

/** Appended to a segment file that is about to be unlinked (Kafka's async delete marker). */
export const DELETED_FILE_SUFFIX = '.deleted';
/** Compaction output being written (log cleaner, later). */
export const CLEANED_FILE_SUFFIX = '.cleaned';
/** Compaction output about to replace the original segments (log cleaner, later). */
export const SWAP_FILE_SUFFIX = '.swap';
/** A checkpoint being written; renamed over the real file once complete. */
export const TEMP_FILE_SUFFIX = '.tmp';

/** Per-partition state file (our stand-in for Kafka's per-log-dir recovery-point and log-start checkpoints). */
export const LOG_STATE_CHECKPOINT_FILE = 'log-state.checkpoint';

export type SegmentFileSuffix =
  typeof LOG_FILE_SUFFIX | typeof INDEX_FILE_SUFFIX | typeof TIME_INDEX_FILE_SUFFIX;

const OFFSET_DIGITS = 20;

/** `segmentFileName(42, '.log')` → `00000000000000000042.log`. */
export function segmentFileName(baseOffset: number, suffix: string): string {
  if (!Number.isSafeInteger(baseOffset) || baseOffset < 0)
    throw new RangeError(`Invalid segment base offset ${baseOffset}`);
  return String(baseOffset).padStart(OFFSET_DIGITS, '0') + suffix;
}

export interface ParsedSegmentFileName {
  baseOffset: number;
  /** The segment file kind: `.log`, `.index` or `.timeindex`. */
  suffix: SegmentFileSuffix;
  /** A trailing `.deleted`, `.cleaned` or `.swap`, or '' for a live file. */
  state: '' | typeof DELETED_FILE_SUFFIX | typeof CLEANED_FILE_SUFFIX | typeof SWAP_FILE_SUFFIX;
}

const SEGMENT_FILE_PATTERN = /^(\d{20})(\.log|\.index|\.timeindex)(\.deleted|\.cleaned|\.swap)?$/;

/** Parses a segment file name; returns null for anything else found in a partition directory. */
export function parseSegmentFileName(name: string): ParsedSegmentFileName | null {
  const match = SEGMENT_FILE_PATTERN.exec(name);
  if (!match) return null;
  const baseOffset = Number(match[1]);
  if (!Number.isSafeInteger(baseOffset)) return null;
  return {
    baseOffset,
    suffix: match[2] as SegmentFileSuffix,
    state: (match[3] ?? '') as ParsedSegmentFileName['state'],
  };
}
