/**
 * How numbers, sizes, rates and times look everywhere in the UI: tabular, with units, and with an
 * explicit time zone. Pure functions of their inputs (the locale and zone are arguments), so views
 * and tests agree.
 */
export type TimeZoneChoice = 'local' | 'utc';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

// Intl formatters are costly to create and these run for every visible row on every frame of a
// scroll: keep one per locale and option set.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, minDigits: number, maxDigits: number): Intl.NumberFormat {
  const key = `${locale}|${minDigits}|${maxDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: minDigits,
      maximumFractionDigits: maxDigits,
    });
    numberFormats.set(key, format);
  }
  return format;
}
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormats.set(locale, format);
  }
  return format;
}

/** 1536 → "1.5 KiB"; null → "—". */
export function formatBytes(bytes: number | null | undefined, locale = 'en'): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || Math.abs(value) >= 100 ? 0 : 1;
  return `${numberFormat(locale, digits, digits).format(value)} ${BYTE_UNITS[unit]}`;
}

/** A byte rate: "1.2 MiB/s". */
export function formatRate(bytesPerSec: number | null | undefined, locale = 'en'): string {
  if (bytesPerSec === null || bytesPerSec === undefined) return '—';
  return `${formatBytes(bytesPerSec, locale)}/s`;
}

/** 1234567 → "1,234,567" (en) / "1 234 567" (pl); null → "—". */
export function formatCount(value: number | null | undefined, locale = 'en'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat(locale, 0, 0).format(value);
}

/** A duration in ms, shortest honest unit: "850 ms", "12 s", "7 d". */
export function formatDuration(ms: number | null | undefined, locale = 'en'): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) return '∞';
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) {
      const v = ms / size;
      return `${numberFormat(locale, 0, Number.isInteger(v) ? 0 : 1).format(v)} ${unit}`;
    }
  }
  return `${numberFormat(locale, 0, 3).format(ms)} ms`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * "2026-11-25 18:24:16.123 UTC" or "2026-11-25 19:24:16.123 UTC+01:00" (local): ISO-like, sortable,
 * the zone always shown. Negative or missing timestamps (Kafka's -1) show "—".
 */
export function formatTimestamp(ms: number | null | undefined, zone: TimeZoneChoice): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const d = new Date(ms);
  if (zone === 'utc') {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} UTC`;
  }
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zoneText =
    offset === 0
      ? 'UTC'
      : `UTC${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)} ${zoneText}`;
}

/** "3 s ago", "5 min ago" in the given locale (for hovers). */
export function formatRelative(ms: number, now: number, locale = 'en'): string {
  const rtf = relativeFormat(locale);
  const diff = (ms - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 60) return rtf.format(Math.round(diff), 'second');
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(diff / 3600), 'hour');
  return rtf.format(Math.round(diff / 86_400), 'day');
}
