// The benchmark's report helpers (bench/lib): medians, ratios, number formats and the Markdown it
// writes to docs/benchmarks.md. No servers: the benchmark itself is `npm run bench`.
import { describe, expect, it } from 'vitest';

import {
  biggestLosses,
  countTableRows,
  escapeCell,
  familyTable,
  formatNumber,
  formatPercent,
  formatRatio,
  formatSide,
  markdownTable,
  metricRatio,
  renderReport,
  type BenchResult,
  type Metric,
} from '../../../bench/lib/report.mjs';
import { fractionOf, median, percentile, ratio, summarize } from '../../../bench/lib/stats.mjs';

const side = (...values: number[]) => ({ summary: summarize(values), runs: values });

const produce: Metric = {
  family: 'produce',
  case: 'acks=1, RF=1, 1 partition',
  metric: 'MiB/s',
  better: 'higher',
  limit: 'disk',
  kafka: side(90, 110, 100),
  eddy: side(50, 40, 60),
};
const latency: Metric = {
  family: 'latency',
  case: 'acks=1, RF=1, 1 partition',
  metric: 'p99, ms',
  better: 'lower',
  kafka: side(2),
  eddy: side(8),
};

describe('stats', () => {
  it('takes the median of odd and even counts and ignores non-numbers', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, NaN, 1, Infinity, 3])).toBe(3);
    expect(median([])).toBeNull();
  });

  it('summarizes repetitions with min, max and relative spread', () => {
    expect(summarize([100, 120, 110])).toEqual({
      median: 110,
      min: 100,
      max: 120,
      n: 3,
      spread: 20 / 110,
      values: [100, 120, 110],
    });
    expect(summarize([])).toBeNull();
  });

  it('divides Eddy by Kafka and refuses missing or zero figures', () => {
    expect(ratio(50, 100)).toBe(0.5);
    expect(ratio(50, 0)).toBeNull();
    expect(ratio(null, 100)).toBeNull();
    expect(fractionOf(300, 600)).toBe(0.5);
    expect(fractionOf(300, 0)).toBeNull();
  });

  it('picks nearest-rank percentiles', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(xs, 0.5)).toBe(500);
    expect(percentile(xs, 0.99)).toBe(990);
    expect(percentile(xs, 0.999)).toBe(999);
    expect(percentile([7], 0.999)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('formatting', () => {
  it('rounds numbers by magnitude', () => {
    expect(formatNumber(1234567.8)).toBe('1,234,568');
    expect(formatNumber(123.4)).toBe('123');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.234)).toBe('1.23');
    expect(formatNumber(0.01234)).toBe('0.012');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('—');
    expect(formatRatio(0.4213)).toBe('0.42×');
    expect(formatRatio(12.34)).toBe('12.3×');
    expect(formatPercent(0.372)).toBe('37 %');
    expect(formatPercent(0.0512)).toBe('5.1 %');
  });

  it('shows one side as median (min–max), an error, or a dash', () => {
    expect(formatSide(side(100, 120, 110))).toBe('110 (100–120)');
    expect(formatSide(side(42))).toBe('42.0');
    expect(formatSide({ error: 'ProducerPerformance timed out after 180 s\nstack…' })).toBe(
      'error: ProducerPerformance timed out after 180 s',
    );
    expect(formatSide(undefined)).toBe('—');
  });

  it('escapes pipes and line breaks in table cells', () => {
    expect(escapeCell('a|b\nc')).toBe('a\\|b c');
    expect(markdownTable(['x', 'y'], [['1', 'a|b']])).toBe('| x | y |\n|---|---|\n| 1 | a\\|b |');
  });
});

describe('report', () => {
  it('puts ratio and share of the machine limit in the family table', () => {
    expect(metricRatio(produce)).toBe(0.5);
    const table = familyTable('produce', [produce, latency], { disk: { summary: summarize([200]) } })!;
    const row = table.split('\n')[2];
    expect(row).toBe(
      '| acks=1, RF=1, 1 partition | MiB/s | higher | 100 (90.0–110) | 50.0 (40.0–60.0) | 0.50× | 50 % | 25 % |',
    );
    expect(familyTable('consume', [produce], {})).toBeNull();
  });

  it('ranks the places where Eddy is furthest behind, whichever direction is better', () => {
    const losses = biggestLosses([produce, latency]);
    expect(losses.map((l) => [l.metric.metric, l.factor])).toEqual([
      ['p99, ms', 4],
      ['MiB/s', 2],
    ]);
  });

  it('renders machine, versions, limits, one table per family, notes and errors', () => {
    const result: BenchResult = {
      date: '2026-11-25T20:00:00.000Z',
      mode: 'quick',
      durationSeconds: 200,
      machine: {
        cpus: 2,
        cpuModel: 'AMD EPYC',
        memoryGiB: 23.5,
        os: 'Debian 12',
        loadAverageAtStart: [1, 1, 1],
        loadAverageAtEnd: [2, 2, 2],
      },
      versions: {
        node: 'v20',
        java: '17',
        kafka: '4.2.2',
        eddy: '0.1.0',
        kcat: '1.7.1',
        librdkafka: '2.0.2',
      },
      settings: { repetitions: 1 },
      limits: { disk: { summary: summarize([200]), detail: '1 GiB' }, loopback: { error: 'refused' } },
      metrics: [
        produce,
        latency,
        { ...latency, case: 'acks=all', kafka: { error: 'Kafka | died' }, eddy: undefined },
      ],
      notes: ['a note'],
      errors: [{ system: 'kafka', workload: 'latency-rf3', message: 'Kafka | died' }],
    };
    const md = renderReport(result);
    expect(md).toContain('2 × AMD EPYC, 23.5 GiB, Debian 12');
    expect(md).toContain('Apache Kafka 4.2.2, Eddy 0.1.0');
    expect(md).toContain('### Machine limits (same run)');
    expect(md).toContain('| loopback TCP, one sender and one receiver process | MiB/s | error: refused |');
    expect(md).toContain('### Produce (ProducerPerformance, 1 KiB records)');
    expect(md).toContain('### End-to-end latency at a fixed rate');
    expect(md).toContain('| acks=all | p99, ms | lower | error: Kafka \\| died | — | — |');
    expect(md).toContain(
      "latency, acks=1, RF=1, 1 partition, p99, ms: Eddy's figure is 4.00× Kafka's (lower is better)",
    );
    expect(md).toContain("produce, acks=1, RF=1, 1 partition, MiB/s: Eddy reaches 0.50× of Kafka's");
    expect(md).toContain('- a note');
    expect(md).toContain('- kafka / latency-rf3: Kafka | died');
    // limits (2) + produce (1) + latency (2)
    expect(countTableRows(md)).toBe(5);
  });

  it('counts table rows but not prose with pipes', () => {
    expect(countTableRows('text | with pipe\n\n| a |\n|---|\n| 1 |\n| 2 |\n\nafter')).toBe(2);
    expect(countTableRows('no tables here')).toBe(0);
  });
});
