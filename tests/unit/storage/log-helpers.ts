import { crc32c } from '@node-rs/crc32';

import { BATCH, type BatchHeader } from '../../../src/engine/protocol/records/batch-header.js';
import { LOG_CONFIG_DEFAULTS, type LogConfig } from '../../../src/engine/storage/log-config.js';
import type { PartitionLog } from '../../../src/engine/storage/partition-log.js';
import { batchHeaders } from '../../helpers/make-batch.js';

/** Small segments and dense indexes so a few dozen batches exercise rolls and lookups. */
export function testConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...LOG_CONFIG_DEFAULTS, segmentBytes: 1024, indexIntervalBytes: 128, ...overrides };
}

/** A settable clock. */
export function testClock(start = 1_700_000_000_000): {
  now: () => number;
  set: (ms: number) => void;
  advance: (ms: number) => void;
} {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Every batch from the log start to the log end, read in pieces. */
export function readAll(log: PartitionLog, pieceBytes = 4096): BatchHeader[] {
  const out: BatchHeader[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const result = log.read(offset, pieceBytes, { minOneMessage: true });
    if (result.batches === 0) break;
    out.push(...batchHeaders(result.records).map((h) => ({ ...h, position: -1 })));
    offset = result.nextOffset;
  }
  return out;
}

/** True when the batch's stored CRC matches its bytes. */
export function crcValid(records: Buffer, header: BatchHeader): boolean {
  return (
    crc32c(records.subarray(header.position + BATCH.ATTRIBUTES, header.position + header.size)) === header.crc
  );
}
