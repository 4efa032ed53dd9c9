// Turns a benchmark result (see bench/README.md, "Result shape") into the Markdown report of
// docs/benchmarks.md. Pure: no I/O, so tests/unit/bench/report.test.ts can call it directly.
import { fractionOf, ratio } from './stats.mjs';

/** The workload families, in report order, with what their table shows. */
export const FAMILIES = [
  {
    id: 'produce',
    title: 'Produce (ProducerPerformance, 1 KiB records)',
    note: 'Limit: sequential write bandwidth of the data disk (write + fsync). Neither system fsyncs per write, so a figure above 100 % means the page cache absorbed the writes.',
  },
  {
    id: 'consume',
    title: 'Consume from the beginning',
    note: 'Limit: loopback TCP throughput between two processes. ConsumerPerformance: a consumer group (classic protocol); "fetch" excludes the group join, "total" includes it. kcat: librdkafka as a plain assigned consumer, timed from process spawn to exit.',
  },
  {
    id: 'latency',
    title: 'End-to-end latency at a fixed rate',
    note: 'From the producer stamping a record to the consumer (same JVM, same clock) receiving it; warm-up records discarded. Lower is better.',
  },
  {
    id: 'cold-start',
    title: 'Cold start of a 3-broker cluster',
    note: "From spawning the process(es) to the answer named in each row, with Eddy's own client polling every 20 ms. Kafka's storage format (kafka-storage format) runs before the clock starts. Lower is better.",
  },
  {
    id: 'memory',
    title: 'Resident memory (all processes of the system)',
    note: 'VmRSS from /proc/<pid>/status, summed over the 3 JVMs (Kafka) or the one Node process with its broker threads (Eddy). Idle: median over a few seconds after start-up, before any workload. Peak: highest sample (every 200 ms) during the produce runs. Lower is better.',
  },
  {
    id: 'disk',
    title: 'Bytes on disk per record',
    note: "Allocated size (du) right after filling the consume source with a known count of 1 KiB records, divided by that count: the whole data directories (cluster metadata included, nothing subtracted), and the topic's own .log and index files. Lower is better.",
  },
];

/** 1234567 → "1,234,567"; 12.345 → "12.3"; 0.01234 → "0.012". */
export function formatNumber(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  return Number(x.toPrecision(2)).toString();
}

/** 0.4213 → "0.42×". */
export function formatRatio(r) {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** 0.372 → "37 %"; small shares keep one decimal. */
export function formatPercent(f) {
  if (f === null || f === undefined || !Number.isFinite(f)) return '—';
  const p = f * 100;
  return `${p < 10 ? p.toFixed(1) : p.toFixed(0)} %`;
}

/** Text safe inside a Markdown table cell: no pipes, no line breaks. */
export function escapeCell(text) {
  return String(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** A GitHub-flavoured Markdown table. Cells are escaped; short rows are padded. */
export function markdownTable(headers, rows) {
  const line = (cells) => `| ${headers.map((_, i) => escapeCell(cells[i] ?? '')).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** One side of a metric: "median (min–max)", "error: …" or "—" when it did not run. */
export function formatSide(side) {
  if (!side) return '—';
  if (side.error) return `error: ${shortError(side.error)}`;
  const s = side.summary;
  if (!s) return '—';
  const m = formatNumber(s.median);
  return s.n > 1 ? `${m} (${formatNumber(s.min)}–${formatNumber(s.max)})` : m;
}

export function shortError(message, max = 90) {
  const first =
    String(message)
      .split('\n')
      .find((l) => l.trim()) ?? String(message);
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

const medianOf = (side) => (side && !side.error && side.summary ? side.summary.median : null);

/** Eddy ÷ Kafka of the medians of one metric. */
export function metricRatio(metric) {
  return ratio(medianOf(metric.eddy), medianOf(metric.kafka));
}

/** The machine limit (MiB/s) a metric is compared with, or null. */
export function limitFor(metric, limits) {
  if (!metric.limit || !limits) return null;
  const l = limits[metric.limit];
  return l && !l.error && l.summary ? l.summary.median : null;
}

/** The Markdown table of one family; null when no metric of the family ran. */
export function familyTable(familyId, metrics, limits) {
  const rows = metrics.filter((m) => m.family === familyId);
  if (rows.length === 0) return null;
  const withLimit = rows.some((m) => m.limit);
  const headers = ['case', 'metric', 'better', 'Kafka', 'Eddy', 'Eddy ÷ Kafka'];
  if (withLimit) headers.push('Kafka of limit', 'Eddy of limit');
  const body = rows.map((m) => {
    const cells = [
      m.case,
      m.metric,
      m.better === 'lower' ? 'lower' : 'higher',
      formatSide(m.kafka),
      formatSide(m.eddy),
      formatRatio(metricRatio(m)),
    ];
    if (withLimit) {
      const limit = limitFor(m, limits);
      cells.push(
        formatPercent(fractionOf(medianOf(m.kafka), limit)),
        formatPercent(fractionOf(medianOf(m.eddy), limit)),
      );
    }
    return cells;
  });
  return markdownTable(headers, body);
}

/** The machine-limits table. */
export function limitsTable(limits) {
  const rows = [];
  const names = {
    disk: 'sequential write + fsync of the data disk',
    loopback: 'loopback TCP, one sender and one receiver process',
  };
  for (const [key, label] of Object.entries(names)) {
    const l = limits?.[key];
    if (!l) continue;
    rows.push([label, 'MiB/s', formatSide(l), l.detail ?? '']);
  }
  return rows.length ? markdownTable(['limit', 'unit', 'measured', 'how'], rows) : null;
}

/** Counts the body rows of every Markdown table in a text (what the CI smoke check asserts on). */
export function countTableRows(markdown) {
  let rows = 0;
  let inTable = false;
  for (const line of markdown.split('\n')) {
    const t = line.trim();
    if (/^\|(\s*:?-{3,}:?\s*\|)+$/.test(t)) {
      inTable = true;
      continue;
    }
    if (inTable && t.startsWith('|')) rows++;
    else inTable = false;
  }
  return rows;
}

/**
 * Metrics where Eddy loses most: ratio turned into "how many times worse", largest first.
 * Throughput (higher is better): Kafka ÷ Eddy; latency, memory, time (lower is better): Eddy ÷ Kafka.
 */
export function biggestLosses(metrics, count = 3) {
  return metrics
    .map((m) => {
      const r = metricRatio(m);
      if (r === null || r === 0) return null;
      const factor = m.better === 'lower' ? r : 1 / r;
      return { metric: m, factor };
    })
    .filter((x) => x && x.factor > 1)
    .sort((a, b) => b.factor - a.factor)
    .slice(0, count);
}

/** "produce, acks=1 …, MiB/s: Eddy reaches 0.42× of Kafka" — one line of the losses list. */
export function describeLoss(metric, factor) {
  const what = `${metric.family}, ${metric.case}, ${metric.metric}`;
  return metric.better === 'lower'
    ? `${what}: Eddy's figure is ${formatRatio(factor)} Kafka's (lower is better)`
    : `${what}: Eddy reaches ${formatRatio(1 / factor)} of Kafka's`;
}

/** The whole report: machine, versions, limits, one table per family, method notes, errors. */
export function renderReport(result) {
  const out = [];
  const { machine = {}, versions = {}, settings = {} } = result;
  out.push(
    `## Eddy and Apache Kafka side by side (${result.date?.slice(0, 10) ?? 'undated'}, ${result.mode === 'quick' ? '`npm run bench -- --quick`' : '`npm run bench`'})`,
  );
  out.push('');
  out.push(
    `Machine: ${machine.cpus ?? '?'} × ${machine.cpuModel ?? '?'}, ${formatNumber(machine.memoryGiB)} GiB, ${machine.os ?? '?'}. ` +
      `Load average at start ${machine.loadAverageAtStart?.map((x) => x.toFixed(1)).join(' / ') ?? '?'}, at end ${machine.loadAverageAtEnd?.map((x) => x.toFixed(1)).join(' / ') ?? '?'}.`,
  );
  out.push('');
  out.push(
    `Versions: Node ${versions.node ?? '?'}, Java ${versions.java ?? '?'}, Apache Kafka ${versions.kafka ?? '?'}, Eddy ${versions.eddy ?? '?'}, kcat ${versions.kcat ?? '?'} (librdkafka ${versions.librdkafka ?? '?'}).`,
  );
  out.push('');
  out.push(
    `Run: ${result.mode ?? '?'} mode, ${settings.repetitions ?? '?'} measured repetition(s) after a warm-up; each cell is the median with (min–max) when there is more than one. ` +
      `Duration ${formatNumber(result.durationSeconds)} s. "Eddy ÷ Kafka" divides the medians; whether higher or lower is better is in each row.`,
  );
  if (result.only?.length) out.push('', `Subset: only ${result.only.join(', ')}.`);
  out.push('');
  const limits = limitsTable(result.limits);
  if (limits) out.push('### Machine limits (same run)', '', limits, '');
  for (const family of FAMILIES) {
    const table = familyTable(family.id, result.metrics ?? [], result.limits);
    if (!table) continue;
    out.push(`### ${family.title}`, '', table, '', family.note, '');
  }
  const losses = biggestLosses(result.metrics ?? []);
  if (losses.length) {
    out.push('### Where Eddy is furthest behind', '');
    for (const { metric, factor } of losses) out.push(`- ${describeLoss(metric, factor)}`);
    out.push('');
  }
  if (result.notes?.length) {
    out.push('### Method', '');
    for (const n of result.notes) out.push(`- ${n}`);
    out.push('');
  }
  if (result.errors?.length) {
    out.push('### Errors', '');
    for (const e of result.errors) out.push(`- ${e.system} / ${e.workload}: ${shortError(e.message, 300)}`);
    out.push('');
  }
  return out.join('\n');
}
