import * as path from 'node:path';

import { LOG_STATE_CHECKPOINT_FILE } from './files.js';
import { writeFileAtomic, type StorageFs } from './fs.js';

/**
 * The small per-partition state file. Kafka keeps the same numbers in per-log-dir files
 * (recovery-point-offset-checkpoint, log-start-offset-checkpoint, replication-offset-checkpoint) plus a
 * .kafka_cleanshutdown marker; one file per partition keeps each partition independent here.
 *
 *   0                       format version
 *   log.start.offset 42     survives DeleteRecords and restarts
 *   recovery.point 1234     everything below was fsynced; recovery starts at its segment
 *   high.watermark 1200     last known high watermark
 *   clean.shutdown 1        1 only between a clean close() and the next open()
 */
export interface LogState {
  logStartOffset: number;
  recoveryPoint: number;
  highWatermark: number;
  cleanShutdown: boolean;
}

const VERSION = '0';

export function checkpointPath(dir: string): string {
  return path.join(dir, LOG_STATE_CHECKPOINT_FILE);
}

export function writeLogState(fs: StorageFs, dir: string, state: LogState): void {
  const text = [
    VERSION,
    `log.start.offset ${state.logStartOffset}`,
    `recovery.point ${state.recoveryPoint}`,
    `high.watermark ${state.highWatermark}`,
    `clean.shutdown ${state.cleanShutdown ? 1 : 0}`,
    '',
  ].join('\n');
  writeFileAtomic(fs, checkpointPath(dir), Buffer.from(text, 'utf8'));
}

/** The saved state, or null when the file is missing or unreadable (then the log recovers everything). */
export function readLogState(fs: StorageFs, dir: string): LogState | null {
  const file = checkpointPath(dir);
  if (!fs.existsSync(file)) return null;
  const lines = fs
    .readFileSync(file)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0);
  if (lines[0] !== VERSION) return null;
  const values = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const match = /^([a-z.]+) (\d+)$/.exec(line);
    if (!match) return null;
    values.set(match[1], Number(match[2]));
  }
  const logStartOffset = values.get('log.start.offset');
  const recoveryPoint = values.get('recovery.point');
  const highWatermark = values.get('high.watermark');
  const clean = values.get('clean.shutdown');
  if (
    logStartOffset === undefined ||
    recoveryPoint === undefined ||
    highWatermark === undefined ||
    clean === undefined
  )
    return null;
  if (![logStartOffset, recoveryPoint, highWatermark].every(Number.isSafeInteger)) return null;
  return { logStartOffset, recoveryPoint, highWatermark, cleanShutdown: clean === 1 };
}
