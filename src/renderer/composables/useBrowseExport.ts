/**
 * Exports browsed rows to a JSON or CSV file. Small exports are serialized right here; large ones
 * in a module worker (workers/export-worker.ts) so the page keeps responding. If the worker cannot
 * start (an old shell, a stricter policy), the export falls back to the UI thread.
 */
import { ref } from 'vue';
import type { MessageRow } from '../../shared/contract/index.js';
import { EXPORT_MIME, exportFileName, serializeRows, type ExportFormat } from '../decode/export.js';
import type { ExportRequest, ExportResponse } from '../workers/export-worker.js';
import { downloadBlob } from './useBrowseDownload.js';

/** Rows above which serialization moves to a worker. */
export const WORKER_THRESHOLD = 5_000;

/** Starts the export worker; Vite bundles the URL form into its own same-origin file. */
export function startExportWorker(): Worker {
  return new Worker(new URL('../workers/export-worker.ts', import.meta.url), { type: 'module' });
}

function serializeInWorker(
  rows: readonly MessageRow[],
  format: ExportFormat,
  createWorker: () => Worker,
): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const worker = createWorker();
    const finish = () => worker.terminate();
    worker.onmessage = (event: MessageEvent<ExportResponse>) => {
      finish();
      if (event.data.ok) resolve(event.data.blob);
      else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => {
      finish();
      event.preventDefault();
      reject(new Error(event.message || 'worker failed'));
    };
    worker.postMessage({ rows: rows as MessageRow[], format } satisfies ExportRequest);
  });
}

export function useBrowseExport(createWorker: () => Worker = startExportWorker) {
  const exporting = ref(false);

  async function serialize(rows: readonly MessageRow[], format: ExportFormat): Promise<Blob> {
    if (rows.length > WORKER_THRESHOLD) {
      try {
        return await serializeInWorker(rows, format, createWorker);
      } catch {
        // fall through: the same work on this thread, slower but it finishes
      }
    }
    return new Blob([serializeRows(rows, format)], { type: EXPORT_MIME[format] });
  }

  /** Serializes and downloads; resolves with the file name. */
  async function exportRows(
    rows: readonly MessageRow[],
    format: ExportFormat,
    topic: string,
  ): Promise<string> {
    exporting.value = true;
    try {
      const blob = await serialize(rows, format);
      const name = exportFileName(topic, format, Date.now());
      downloadBlob(blob, name);
      return name;
    } finally {
      exporting.value = false;
    }
  }

  return { exporting, exportRows, serialize };
}
