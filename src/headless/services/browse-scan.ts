/**
 * One browse: resolve the start position of each partition (ListOffsets), read with Eddy's
 * Consumer, filter, and hand rows out in batches (every ~100 ms or 500 rows) with progress. Runs in
 * the browse worker (browse-worker.ts) or, as a fallback, on the calling thread.
 *
 * Not live: each partition is read up to the end offset it had when the browse started; the browse
 * is done when every partition got there or `limit` rows were delivered. Live: after the limit (the
 * partitions jump to their end) or the end, new records keep coming, unlimited.
 *
 * Back-pressure: `sink.ready()` is awaited after each batch, and the consumer fetches only when its
 * buffer is drained, so reading never runs more than one fetch ahead of what was sent.
 */
import { Cluster, Consumer, type ClusterOptions, type TopicPartition } from '../../engine/client/index.js';
import { listOffsets } from '../../engine/client/list-offsets.js';
import type { BrowseBatch, MessageRow } from '../../shared/contract/messages.js';
import { compileFilter, FilterError, recordBytes, toRow, type BrowseFilterSpec } from './browse-filter.js';
import { describeFailure } from './produce-errors.js';

export interface BrowseQuery {
  topic: string;
  partitions: number[] | null;
  start:
    | { kind: 'beginning' }
    | { kind: 'latest'; count: number }
    | { kind: 'offset'; offset: number }
    | { kind: 'timestamp'; timestamp: number };
  limit: number;
  live: boolean;
  filter: BrowseFilterSpec | null;
  previewBytes?: number;
}

export interface BrowseSink {
  /** Delivers one batch; the last one has progress.done. */
  batch(batch: BrowseBatch): void;
  /** Resolves when the receiver can take another batch. */
  ready(): Promise<void>;
}

export const DEFAULT_PREVIEW_BYTES = 64 * 1024;
const FLUSH_MS = 100;
const FLUSH_ROWS = 500;
/** How often (in records) the loop looks at the clock. */
const CLOCK_EVERY = 64;
/** The loop gives the event loop a turn at least this often (ms). */
const YIELD_MS = 20;

/** A started browse; `stop()` ends it promptly (no more batches). */
export interface BrowseRun {
  readonly finished: Promise<void>;
  stop(): void;
}

export function runBrowse(query: BrowseQuery, options: ClusterOptions, sink: BrowseSink): BrowseRun {
  let stopped = false;
  let consumer: Consumer | null = null;
  const cluster = new Cluster(options);
  const stop = () => {
    if (stopped) return;
    stopped = true;
    void consumer?.close();
  };
  const finished = scan(
    query,
    cluster,
    sink,
    () => stopped,
    (c) => (consumer = c),
  )
    .catch((err: unknown) => {
      if (stopped) return;
      sink.batch(errorBatch(failureSentence(err, query.topic)));
    })
    .finally(() => cluster.close().catch(() => undefined));
  return { finished, stop };
}

function failureSentence(err: unknown, topic: string): string {
  if (err instanceof FilterError) return err.message;
  return describeFailure(err, topic).message;
}

function errorBatch(error: string, progress?: Partial<BrowseBatch['progress']>): BrowseBatch {
  return {
    rows: [],
    progress: { scannedRecords: 0, scannedBytes: 0, matched: 0, caughtUp: false, ...progress, done: true },
    error,
  };
}

async function scan(
  query: BrowseQuery,
  cluster: Cluster,
  sink: BrowseSink,
  isStopped: () => boolean,
  setConsumer: (c: Consumer) => void,
): Promise<void> {
  const filter = compileFilter(query.filter); // throws FilterError before any I/O
  const previewBytes = query.previewBytes ?? 64 * 1024;
  const info = await cluster.topic(query.topic);
  const all = info.partitions.map((p) => p.partition).sort((a, b) => a - b);
  const chosen = query.partitions === null ? all : [...new Set(query.partitions)].sort((a, b) => a - b);
  const missing = chosen.filter((p) => !all.includes(p));
  if (missing.length > 0) {
    sink.batch(
      errorBatch(
        `Topic '${query.topic}' has no partition ${missing.join(', ')} (it has ${all.length}: 0–${all.length - 1}). Pick existing partitions.`,
      ),
    );
    return;
  }
  if (isStopped()) return;
  const tps: TopicPartition[] = chosen.map((partition) => ({ topic: query.topic, partition }));
  const [earliest, latest] = await Promise.all([
    listOffsets(
      cluster,
      tps.map((tp) => ({ ...tp, spec: 'earliest' as const })),
    ),
    listOffsets(
      cluster,
      tps.map((tp) => ({ ...tp, spec: 'latest' as const })),
    ),
  ]);
  const byTime =
    query.start.kind === 'timestamp'
      ? await listOffsets(
          cluster,
          tps.map((tp) => ({ ...tp, spec: { timestamp: (query.start as { timestamp: number }).timestamp } })),
        )
      : null;
  const end = new Map<number, number>();
  const start = new Map<number, number>();
  chosen.forEach((p, i) => {
    const lo = earliest[i].offset;
    const hi = latest[i].offset;
    end.set(p, hi);
    let s: number;
    switch (query.start.kind) {
      case 'beginning':
        s = lo;
        break;
      case 'latest':
        s = Math.max(lo, hi - query.start.count);
        break;
      case 'offset':
        s = Math.min(Math.max(query.start.offset, lo), hi);
        break;
      case 'timestamp':
        s = byTime![i].offset >= 0 ? byTime![i].offset : hi;
        break;
    }
    start.set(p, s);
  });
  if (isStopped()) return;

  let scannedRecords = 0;
  let scannedBytes = 0;
  let matched = 0;
  let rows: MessageRow[] = [];
  let lastFlush = performance.now();
  let live = false; // following new records (after the limit or the end)
  /** Next offset per partition not yet reached in the historic part (not live: the ones still to read). */
  const next = new Map(start);
  const pendingHistoric = new Set(chosen.filter((p) => start.get(p)! < end.get(p)!));

  const caughtUp = (): boolean => {
    if (!live) return pendingHistoric.size === 0;
    if (!consumer) return true;
    for (const tp of tps) {
      const hw = consumer.highWatermark(tp);
      if (hw < 0) return false;
      if ((next.get(tp.partition) ?? 0) >= hw) continue;
      if (consumer.position(tp) < hw) return false;
    }
    return true;
  };
  let doneSent = false;
  /** Flushes waiting for the receiver; the idle timer leaves the sending to them meanwhile. */
  let awaitingCredit = 0;
  const flush = async (done: boolean) => {
    if (doneSent || isStopped()) return;
    const batch: BrowseBatch = {
      rows,
      progress: { scannedRecords, scannedBytes, matched, caughtUp: caughtUp(), done },
      error: null,
    };
    rows = [];
    lastFlush = performance.now();
    if (done) doneSent = true;
    sink.batch(batch);
    if (!done) {
      awaitingCredit++;
      try {
        await sink.ready();
      } finally {
        awaitingCredit--;
      }
    }
  };

  if (!query.live && pendingHistoric.size === 0) {
    await flush(true);
    return;
  }
  const consumer = new Consumer(cluster, {
    maxWaitMs: 500,
    partitionMaxBytes: 8 * 1024 * 1024,
    maxBytes: 32 * 1024 * 1024,
    autoOffsetReset: 'earliest',
  });
  setConsumer(consumer);
  if (isStopped()) return;
  const goLive = () => {
    live = true;
    pendingHistoric.clear();
  };
  if (query.live) {
    for (const tp of tps) consumer.assign([tp], start.get(tp.partition)!);
    if (pendingHistoric.size === 0) goLive();
  } else {
    for (const tp of tps)
      if (pendingHistoric.has(tp.partition)) consumer.assign([tp], start.get(tp.partition)!);
  }

  // While the consumer waits in a long poll, a timer sends what is pending and the progress.
  let lastSent = '';
  let endedByTimer = false;
  const idle = setInterval(() => {
    if (isStopped() || doneSent || awaitingCredit > 0) return;
    // A partition whose log ends in records we never see (transaction markers, compacted away)
    // is read once the consumer's position passes its end.
    for (const p of [...pendingHistoric]) {
      if (consumer.position({ topic: query.topic, partition: p }) >= end.get(p)!) pendingHistoric.delete(p);
    }
    if (!live && pendingHistoric.size === 0) {
      if (query.live) goLive();
      else if (!endedByTimer) {
        endedByTimer = true;
        void consumer.close();
        return;
      }
    }
    const state = `${scannedRecords}/${matched}/${caughtUp()}`;
    if (rows.length === 0 && state === lastSent) return;
    if (performance.now() - lastFlush < FLUSH_MS * 0.9) return;
    lastSent = state;
    void flush(false);
  }, FLUSH_MS);
  try {
    let sinceClock = 0;
    let lastYield = performance.now();
    for await (const r of consumer) {
      if (isStopped()) return;
      const p = r.partition;
      if (!live) {
        const e = end.get(p)!;
        if (r.offset >= e) {
          // Past the snapshot end: this partition's historic part is read.
          pendingHistoric.delete(p);
          if (!query.live) consumer.unassign([{ topic: r.topic, partition: p }]);
          if (pendingHistoric.size === 0) {
            if (!query.live) break;
            goLive();
          } else continue;
        }
      }
      next.set(p, r.offset + 1);
      scannedRecords++;
      scannedBytes += recordBytes(r);
      const match = filter ? filter(r) : '';
      if (match !== null) {
        rows.push(toRow(r, previewBytes, match));
        matched++;
        if (!live && matched >= query.limit) {
          if (!query.live) break;
          // Limit reached: follow what is new from now on.
          goLive();
          for (const tp of tps) consumer.seek(tp, 'end');
          await flush(false);
          continue;
        }
      }
      if (!live && r.offset + 1 >= end.get(p)!) {
        pendingHistoric.delete(p);
        if (!query.live) consumer.unassign([{ topic: r.topic, partition: p }]);
        if (pendingHistoric.size === 0) {
          if (!query.live) break;
          goLive();
          await flush(false);
          continue;
        }
      }
      if (rows.length >= FLUSH_ROWS) await flush(false);
      else if (++sinceClock >= CLOCK_EVERY) {
        sinceClock = 0;
        const now = performance.now();
        if (now - lastFlush >= FLUSH_MS) await flush(false);
        else if (now - lastYield >= YIELD_MS) {
          // One fetch can hold tens of MiB: let stop / credit messages (and, on the host thread,
          // everything else) in between.
          lastYield = now;
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (isStopped()) return;
        }
      }
    }
    if (isStopped()) return;
    await flush(true);
  } finally {
    clearInterval(idle);
    await consumer.close();
  }
}
