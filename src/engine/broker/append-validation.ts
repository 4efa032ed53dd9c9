import { validateBatches, type ValidateOptions } from '../protocol/records/batch.js';

export interface AppendValidationConfig {
  maxMessageBytes: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  timestampBeforeMaxMs: number;
  timestampAfterMaxMs: number;
  compacted: boolean;
}

/** Reads the validation settings of a topic from its resolved configs (Kafka names). */
export function appendValidationConfig(configs: Record<string, string>): AppendValidationConfig {
  const num = (name: string, fallback: number) => {
    const v = configs[name];
    if (v === undefined) return fallback;
    const n = Number(v);
    return Number.isFinite(n) ? Math.min(n, Number.MAX_SAFE_INTEGER) : fallback;
  };
  return {
    maxMessageBytes: num('max.message.bytes', 1048588),
    timestampType: configs['message.timestamp.type'] === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
    timestampBeforeMaxMs: num('message.timestamp.before.max.ms', Number.MAX_SAFE_INTEGER),
    timestampAfterMaxMs: num('message.timestamp.after.max.ms', 3_600_000),
    compacted: (configs['cleanup.policy'] ?? 'delete').split(',').map((s) => s.trim()).includes('compact'),
  };
}

export type AppendValidation =
  | {
      ok: true;
      batches: {
        position: number;
        producerId: number;
        producerEpoch: number;
        baseSequence: number;
        recordsCount: number;
        maxTimestamp: number;
      }[];
    }
  | { ok: false; errorCode: number; message: string; recordErrors: { batchIndex: number; batchIndexErrorMessage: string | null }[] };

/** Kafka's checks on the records of one partition of a Produce request, before anything is written. */
export function validateForAppend(
  records: Buffer,
  config: AppendValidationConfig,
  now: number,
  produceVersion: number,
): AppendValidation {
  const options: ValidateOptions = {
    origin: 'client',
    maxMessageBytes: config.maxMessageBytes,
    timestampType: config.timestampType,
    timestampBeforeMaxMs: config.timestampBeforeMaxMs,
    timestampAfterMaxMs: config.timestampAfterMaxMs,
    now,
    compacted: config.compacted,
    produceVersion,
  };
  const result = validateBatches(records, options);
  if (!result.ok) {
    return {
      ok: false,
      errorCode: result.errorCode,
      message: result.message,
      recordErrors: result.recordErrors.map((e) => ({ batchIndex: e.batchIndex, batchIndexErrorMessage: e.message })),
    };
  }
  return {
    ok: true,
    batches: result.batches.map((b) => ({
      position: b.position,
      producerId: b.producerId,
      producerEpoch: b.producerEpoch,
      baseSequence: b.baseSequence,
      recordsCount: b.recordsCount,
      maxTimestamp: b.maxRecordTimestamp,
    })),
  };
}
