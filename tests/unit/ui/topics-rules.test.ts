import { describe, expect, it } from 'vitest';
import {
  configValueError,
  partitionsError,
  replicationFactorError,
  retentionMs,
  topicNameCollision,
  topicNameError,
} from '../../../src/renderer/components/topics/topicRules.js';

describe("topic form rules (Kafka's)", () => {
  it('accepts legal names and refuses the rest with the reason', () => {
    expect(topicNameError('orders.v2_eu-west', [])).toBeNull();
    expect(topicNameError('', [])?.key).toBe('nameRequired');
    expect(topicNameError('.', [])?.key).toBe('nameDots');
    expect(topicNameError('..', [])?.key).toBe('nameDots');
    expect(topicNameError('...', [])).toBeNull();
    expect(topicNameError('a'.repeat(249), [])).toBeNull();
    expect(topicNameError('a'.repeat(250), [])).toEqual({ key: 'nameTooLong', params: { length: 250 } });
    expect(topicNameError('orders/eu', [])?.key).toBe('nameChars');
    expect(topicNameError('zamówienia', [])?.key).toBe('nameChars');
    expect(topicNameError('orders', ['orders'])).toEqual({ key: 'nameExists', params: { name: 'orders' } });
  });

  it("finds the existing topic a name collides with when '.' and '_' are unified", () => {
    expect(topicNameCollision('a.b', ['a_b', 'c'])).toBe('a_b');
    expect(topicNameCollision('a_b', ['a.b'])).toBe('a.b');
    expect(topicNameCollision('a_b', ['a_b'])).toBeNull();
    expect(topicNameCollision('ab', ['a_b'])).toBeNull();
  });

  it('bounds partitions and replication factor', () => {
    expect(partitionsError(1)).toBeNull();
    expect(partitionsError(0)?.key).toBe('partitionsRange');
    expect(partitionsError(1.5)?.key).toBe('partitionsRange');
    expect(partitionsError(10_001)?.key).toBe('partitionsRange');
    expect(partitionsError(undefined)?.key).toBe('partitionsRange');
    expect(partitionsError(3, 3)).toEqual({ key: 'partitionsGrowOnly', params: { current: 3 } });
    expect(partitionsError(4, 3)).toBeNull();
    expect(replicationFactorError(3, 3)).toBeNull();
    expect(replicationFactorError(4, 3)).toEqual({ key: 'replicationTooHigh', params: { up: 3 } });
    expect(replicationFactorError(0, 3)?.key).toBe('replicationRange');
  });

  it('turns retention into retention.ms, -1 for forever', () => {
    expect(retentionMs(true, null, 'days')).toBe(-1);
    expect(retentionMs(false, 7, 'days')).toBe(604_800_000);
    expect(retentionMs(false, 90, 'minutes')).toBe(5_400_000);
    expect(retentionMs(false, 0, 'hours')).toBeNull();
  });

  it("checks config values by Kafka's type", () => {
    expect(configValueError('true', 'BOOLEAN')).toBeNull();
    expect(configValueError('yes', 'BOOLEAN')?.key).toBe('notBoolean');
    expect(configValueError('2147483647', 'INT')).toBeNull();
    expect(configValueError('2147483648', 'INT')?.key).toBe('notInteger');
    expect(configValueError('-1', 'LONG')).toBeNull();
    expect(configValueError('1e3', 'LONG')?.key).toBe('notInteger');
    expect(configValueError('0.5', 'DOUBLE')).toBeNull();
    expect(configValueError('half', 'DOUBLE')?.key).toBe('notNumber');
    expect(configValueError('compact,delete', 'LIST')).toBeNull();
    expect(configValueError('compact,,delete', 'LIST')?.key).toBe('notList');
    expect(configValueError('anything', 'STRING')).toBeNull();
    expect(configValueError('anything', null)).toBeNull();
  });
});
