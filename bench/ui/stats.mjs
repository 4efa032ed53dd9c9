// Small statistics for the UI benchmark.

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function quantile(values, q) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
}

export function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** Frame statistics from requestAnimationFrame timestamps (ms). */
export function frameStats(stamps) {
  const intervals = [];
  for (let i = 1; i < stamps.length; i++) intervals.push(stamps[i] - stamps[i - 1]);
  const span = stamps[stamps.length - 1] - stamps[0];
  return {
    frames: intervals.length,
    durationMs: span,
    fps: span > 0 ? (intervals.length * 1000) / span : null,
    medianFrameMs: median(intervals),
    p95FrameMs: quantile(intervals, 0.95),
    p99FrameMs: quantile(intervals, 0.99),
    maxFrameMs: intervals.length ? Math.max(...intervals) : null,
    /** Frames that took longer than one 60 Hz period. */
    over16_7ms: intervals.filter((d) => d > 1000 / 60 + 0.5).length,
    /** Frames that missed at least one vsync (> 1.5 periods): what the eye sees as a stutter. */
    missedVsync: intervals.filter((d) => d > 1.5 * (1000 / 60)).length,
  };
}
