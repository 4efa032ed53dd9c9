import * as path from 'node:path';

import { writeFileAtomic, type StorageFs } from '../fs.js';

/**
 * The cleaner's per-partition checkpoint (Kafka keeps the same number per log dir in
 * `cleaner-offset-checkpoint`):
 *
 *   0                          format version
 *   first.dirty.offset 1234    everything below was cleaned: each key appears there at most once
 *   delete.horizon 1700000000  latest delete horizon stamped on a batch that still holds tombstones (-1: none)
 *
 * Truncating the log below the first dirty offset lowers it (lowerCleanerCheckpoint), as Kafka's
 * LogManager.truncateTo does, so records written again after a truncation are never taken as clean.
 */
export const CLEANER_CHECKPOINT_FILE = 'cleaner-offset.checkpoint';

export interface CleanerCheckpoint {
  firstDirtyOffset: number;
  /** Latest delete horizon of a batch that still holds tombstones, or -1. */
  deleteHorizonMs: number;
}

const VERSION = '0';

export function cleanerCheckpointPath(dir: string): string {
  return path.join(dir, CLEANER_CHECKPOINT_FILE);
}

/** The saved checkpoint, or null when there is none (or it cannot be read: then the whole log is dirty). */
export function readCleanerCheckpoint(fs: StorageFs, dir: string): CleanerCheckpoint | null {
  const file = cleanerCheckpointPath(dir);
  if (!fs.existsSync(file)) return null;
  const lines = fs
    .readFileSync(file)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0);
  if (lines[0] !== VERSION) return null;
  const values = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const match = /^([a-z.]+) (-?\d+)$/.exec(line);
    if (!match) return null;
    values.set(match[1], Number(match[2]));
  }
  const firstDirtyOffset = values.get('first.dirty.offset');
  const deleteHorizonMs = values.get('delete.horizon') ?? -1;
  if (firstDirtyOffset === undefined || !Number.isSafeInteger(firstDirtyOffset) || firstDirtyOffset < 0)
    return null;
  if (!Number.isSafeInteger(deleteHorizonMs)) return null;
  return { firstDirtyOffset, deleteHorizonMs };
}

/** Replaces the checkpoint atomically (temp file, fsync, rename). */
export function writeCleanerCheckpoint(fs: StorageFs, dir: string, checkpoint: CleanerCheckpoint): void {
  const text = [
    VERSION,
    `first.dirty.offset ${checkpoint.firstDirtyOffset}`,
    `delete.horizon ${checkpoint.deleteHorizonMs}`,
    '',
  ].join('\n');
  writeFileAtomic(fs, cleanerCheckpointPath(dir), Buffer.from(text, 'utf8'));
}

/**
 * Called by the log before it truncates to `offset`: a first dirty offset above it comes down to it.
 * Costs one existsSync when the partition was never cleaned.
 */
export function lowerCleanerCheckpoint(fs: StorageFs, dir: string, offset: number): void {
  const saved = readCleanerCheckpoint(fs, dir);
  if (saved === null || saved.firstDirtyOffset <= offset) return;
  writeCleanerCheckpoint(fs, dir, { ...saved, firstDirtyOffset: offset });
}
