// Pure numeric helpers for the benchmark: medians, spreads, ratios. No I/O, so the unit tests can
// import them directly (tests/unit/bench/report.test.ts).

/** The median of finite numbers (mean of the two middle values for an even count); null when empty. */
export function median(values) {
  const xs = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/**
 * Median, min and max of repeated measurements. `spread` is (max − min) / median: 0.05 means the
 * repetitions lie within 5 % of the median.
 */
export function summarize(values) {
  const xs = values.filter((x) => Number.isFinite(x));
  if (xs.length === 0) return null;
  const m = median(xs);
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return { median: m, min, max, n: xs.length, spread: m ? (max - min) / Math.abs(m) : 0, values: xs };
}

/** Eddy ÷ Kafka; null when either side is missing or Kafka's figure is 0. */
export function ratio(eddy, kafka) {
  if (!Number.isFinite(eddy) || !Number.isFinite(kafka) || kafka === 0) return null;
  return eddy / kafka;
}

/** value ÷ limit (a share of a machine limit); null when either is missing or the limit is 0. */
export function fractionOf(value, limit) {
  if (!Number.isFinite(value) || !Number.isFinite(limit) || limit <= 0) return null;
  return value / limit;
}

/**
 * Nearest-rank percentile (q in 0..1) of an ascending array: the smallest value with at least q of
 * the samples at or below it.
 */
export function percentile(sortedAscending, q) {
  const n = sortedAscending.length;
  if (n === 0) return null;
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  return sortedAscending[rank - 1];
}
