import { describe, expect, it } from 'vitest';
import { ErrorCode, errorInfo } from '../../../src/engine/protocol/errors.js';

describe('error catalog', () => {
  it('has the codes the broker needs, with Kafka numbers', () => {
    expect(ErrorCode.NONE).toBe(0);
    expect(ErrorCode.UNKNOWN_SERVER_ERROR).toBe(-1);
    expect(ErrorCode.NOT_LEADER_OR_FOLLOWER).toBe(6);
    expect(ErrorCode.UNSUPPORTED_VERSION).toBe(35);
    expect(ErrorCode.POLICY_VIOLATION).toBe(44);
    expect(ErrorCode.KAFKA_STORAGE_ERROR).toBe(56);
    expect(ErrorCode.TOPIC_DELETION_DISABLED).toBe(73);
    expect(ErrorCode.INVALID_RECORD).toBe(87);
    expect(ErrorCode.UNKNOWN_TOPIC_ID).toBe(100);
    expect(ErrorCode.TRANSACTION_ABORTABLE).toBe(120);
  });

  it('codes are unique and every entry has a message', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      const info = errorInfo(code);
      expect(ErrorCode[info.name as keyof typeof ErrorCode]).toBe(code);
      expect(info.message.length).toBeGreaterThan(5);
    }
  });

  it('retriable flags follow the Java client', () => {
    const retriable = (name: keyof typeof ErrorCode) => errorInfo(ErrorCode[name]).retriable;
    for (const name of ['CORRUPT_MESSAGE', 'UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_OR_FOLLOWER', 'REQUEST_TIMED_OUT', 'COORDINATOR_LOAD_IN_PROGRESS', 'NOT_COORDINATOR', 'NOT_ENOUGH_REPLICAS', 'CONCURRENT_TRANSACTIONS', 'KAFKA_STORAGE_ERROR', 'FENCED_LEADER_EPOCH', 'UNKNOWN_TOPIC_ID'] as const) {
      expect(retriable(name), name).toBe(true);
    }
    for (const name of ['NONE', 'OFFSET_OUT_OF_RANGE', 'MESSAGE_TOO_LARGE', 'UNSUPPORTED_VERSION', 'TOPIC_ALREADY_EXISTS', 'INVALID_REQUEST', 'POLICY_VIOLATION', 'PRODUCER_FENCED'] as const) {
      expect(retriable(name), name).toBe(false);
    }
  });

  it('describes unknown codes instead of failing', () => {
    expect(errorInfo(9999)).toMatchObject({ code: 9999, retriable: false });
  });
});
