// Types for report.mjs (imported by tests/unit/bench/report.test.ts). The result shape is described
// in bench/README.md.
import type { Summary } from './stats.mjs';

export type Side = { summary: Summary | null; runs?: number[] } | { error: string } | undefined;

export interface Metric {
  id?: string;
  workload?: string;
  family: string;
  case: string;
  metric: string;
  better: 'higher' | 'lower';
  limit?: 'disk' | 'loopback' | null;
  kafka?: Side;
  eddy?: Side;
}

export type Limits = Partial<
  Record<'disk' | 'loopback', { summary?: Summary | null; error?: string; detail?: string }>
>;

export interface BenchResult {
  date?: string;
  mode?: 'quick' | 'full';
  only?: string[];
  durationSeconds?: number;
  machine?: Record<string, any>;
  versions?: Record<string, string>;
  settings?: Record<string, any>;
  limits?: Limits;
  metrics?: Metric[];
  notes?: string[];
  errors?: { system: string; workload: string; message: string }[];
}

export const FAMILIES: { id: string; title: string; note: string }[];
export function formatNumber(x: number | null | undefined): string;
export function formatRatio(r: number | null | undefined): string;
export function formatPercent(f: number | null | undefined): string;
export function escapeCell(text: unknown): string;
export function markdownTable(headers: string[], rows: unknown[][]): string;
export function formatSide(side: Side): string;
export function shortError(message: string, max?: number): string;
export function metricRatio(metric: Metric): number | null;
export function limitFor(metric: Metric, limits: Limits | undefined): number | null;
export function familyTable(familyId: string, metrics: Metric[], limits?: Limits): string | null;
export function limitsTable(limits: Limits | undefined): string | null;
export function countTableRows(markdown: string): number;
export function biggestLosses(metrics: Metric[], count?: number): { metric: Metric; factor: number }[];
export function describeLoss(metric: Metric, factor: number): string;
export function renderReport(result: BenchResult): string;
