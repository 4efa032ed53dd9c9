import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatRate,
  formatRelative,
  formatTimestamp,
} from '../../../src/renderer/format/index.js';

describe('formatting', () => {
  it('shows bytes with binary units and one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1,023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatRate(2048)).toBe('2.0 KiB/s');
    expect(formatBytes(1536, 'pl')).toBe('1,5 KiB');
  });

  it('groups counts by the locale and rounds to whole records', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(1_234_567, 'pl').replace(/\s/g, ' ')).toBe('1 234 567');
    expect(formatCount(undefined)).toBe('—');
  });

  it('picks the shortest honest duration unit; -1 is forever', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_000)).toBe('12 s');
    expect(formatDuration(604_800_000)).toBe('7 d');
    expect(formatDuration(90_000)).toBe('1.5 min');
    expect(formatDuration(-1)).toBe('∞');
  });

  it('always prints the zone of a timestamp; Kafka’s -1 shows a dash', () => {
    expect(formatTimestamp(Date.UTC(2026, 10, 25, 18, 24, 16, 123), 'utc')).toBe(
      '2026-11-25 18:24:16.123 UTC',
    );
    expect(formatTimestamp(Date.UTC(2026, 10, 25, 18, 24, 16, 123), 'local')).toMatch(
      /^2026-11-2\d \d\d:24:16\.123 UTC([+-]\d\d:\d\d)?$/,
    );
    expect(formatTimestamp(-1, 'utc')).toBe('—');
  });

  it('says relative time in the locale, reusing its formatter', () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    expect(formatRelative(now - 3000, now)).toBe('3 seconds ago');
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(formatRelative(now - 3000, now, 'pl')).toBe('3 sekundy temu');
  });
});
