/**
 * The 'messages' service (the message browser) over the active cluster link, through Eddy's own
 * Kafka client — the embedded cluster and an external Apache Kafka alike.
 *
 * `onBrowse` runs each read in the browse worker (browse-host.ts; fetch, decode and filter off the
 * host thread) and passes its batches on; unsubscribing stops it. A change of cluster link ends
 * running reads (the UI subscribes again). `value` reads one record's whole key or value (≤ 16 MiB).
 */
import { Consumer, type ConsumerRecord } from '../../engine/client/index.js';
import { listOffsets } from '../../engine/client/list-offsets.js';
import type { EddyServices } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import { compileFilter, FilterError } from './browse-filter.js';
import { startBrowse, type BrowseHandle, type BrowseRunnerOptions } from './browse-host.js';
import type { LinkProvider } from './link.js';
import { toEddyError } from './produce-errors.js';

/** Largest key or value `value` returns. */
export const MAX_VALUE_BYTES = 16 * 1024 * 1024;
/** How long `value` waits for the record's batch before giving up. */
const VALUE_TIMEOUT_MS = 15_000;

export type MessagesServiceOptions = BrowseRunnerOptions;

export function messagesService(
  links: LinkProvider,
  options: MessagesServiceOptions = {},
): EddyServices['messages'] {
  const running = new Set<{ handle: BrowseHandle; end: () => void }>();
  links.onChange(() => {
    for (const r of [...running]) r.end();
  });

  return {
    async onBrowse(ctx, query) {
      // A bad pattern or path is answered at once, before a worker starts or anything is read.
      try {
        compileFilter(query.filter);
      } catch (err) {
        if (!(err instanceof FilterError)) throw err;
        ctx.emit({
          rows: [],
          progress: { scannedRecords: 0, scannedBytes: 0, matched: 0, caughtUp: false, done: true },
          error: err.message,
        });
        ctx.end();
        return;
      }
      const link = await links.current();
      if (ctx.signal.aborted) return;
      let handle: BrowseHandle | null = null;
      const entry = {
        handle: null as unknown as BrowseHandle,
        end: () => {
          handle?.stop();
          running.delete(entry);
          ctx.end();
        },
      };
      handle = startBrowse(
        query,
        link.clusterOptions('eddy-ui-browser'),
        (batch) => {
          if (ctx.signal.aborted) return;
          ctx.emit(batch);
          if (batch.progress.done) {
            running.delete(entry);
            ctx.end();
          }
        },
        options,
      );
      entry.handle = handle;
      running.add(entry);
      const h = handle;
      return () => {
        running.delete(entry);
        h.stop();
      };
    },

    async value(ctx, topic, partition, offset, field) {
      const link = await links.current();
      const consumer = new Consumer(link.clusterOptions('eddy-ui-value'), {
        maxWaitMs: 200,
        partitionMaxBytes: 1024 * 1024,
        maxBytes: 64 * 1024 * 1024,
      });
      const tp = { topic, partition };
      let timer: NodeJS.Timeout | null = null;
      const onAbort = () => void consumer.close();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const [lo, hi] = await listOffsets(consumer.cluster, [
          { ...tp, spec: 'earliest' },
          { ...tp, spec: 'latest' },
        ]).catch((err: unknown) => {
          throw toEddyError(err, topic);
        });
        if (offset < lo.offset || offset >= hi.offset)
          throw new EddyError('NOT_FOUND', {
            message: `Offset ${offset} is not in ${topic}-${partition} (it holds ${lo.offset}–${hi.offset - 1}); the record may have been deleted by retention.`,
            detail: 'offset out of range',
          });
        consumer.assign([tp], offset);
        let timedOut = false;
        timer = setTimeout(() => {
          timedOut = true;
          void consumer.close();
        }, VALUE_TIMEOUT_MS);
        let found: ConsumerRecord | null = null;
        try {
          for await (const r of consumer) {
            if (r.offset === offset) found = r;
            break;
          }
        } catch (err) {
          throw toEddyError(err, topic);
        }
        if (ctx.signal.aborted) throw new EddyError('CANCELLED');
        if (timedOut)
          throw new EddyError('CLUSTER_UNREACHABLE', {
            message: `The record at ${topic}-${partition} offset ${offset} did not arrive within ${VALUE_TIMEOUT_MS / 1000} s. Check that the partition's leader is up.`,
          });
        if (!found)
          throw new EddyError('NOT_FOUND', {
            message: `There is no record at offset ${offset} of ${topic}-${partition} any more (compaction or a transaction marker took its place).`,
            detail: 'no record at offset',
          });
        const bytes = field === 'key' ? found.key : found.value;
        if (bytes === null) return null;
        if (bytes.length > MAX_VALUE_BYTES)
          throw new EddyError('INVALID_ARGUMENT', {
            message: `The ${field} is ${(bytes.length / 1024 / 1024).toFixed(1)} MiB, more than the ${MAX_VALUE_BYTES / 1024 / 1024} MiB Eddy shows. Read it with a Kafka client instead.`,
            detail: 'value too large',
          });
        return { base64: bytes.toString('base64'), size: bytes.length, truncated: false };
      } finally {
        if (timer) clearTimeout(timer);
        ctx.signal.removeEventListener('abort', onAbort);
        await consumer.close();
      }
    },
  };
}
