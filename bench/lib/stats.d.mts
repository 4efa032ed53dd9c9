// Types for stats.mjs (imported by tests/unit/bench/report.test.ts).
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
  /** (max − min) / median */
  spread: number;
  values: number[];
}
export function median(values: number[]): number | null;
export function summarize(values: number[]): Summary | null;
export function ratio(eddy: number | null | undefined, kafka: number | null | undefined): number | null;
export function fractionOf(value: number | null | undefined, limit: number | null | undefined): number | null;
export function percentile(sortedAscending: number[], q: number): number | null;
