/**
 * Serializes browsed rows to JSON or CSV off the UI thread and answers with a Blob, so a large
 * export never freezes the page. Started by composables/useBrowseExport.ts as a same-origin module
 * worker (allowed by the CSP's script-src 'self').
 */
import type { MessageRow } from '../../shared/contract/index.js';
import { EXPORT_MIME, serializeRows, type ExportFormat } from '../decode/export.js';

export interface ExportRequest {
  rows: MessageRow[];
  format: ExportFormat;
}

export type ExportResponse = { ok: true; blob: Blob } | { ok: false; message: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ExportRequest>) => void) | null;
  postMessage(message: ExportResponse): void;
};

scope.onmessage = (event) => {
  try {
    const { rows, format } = event.data;
    const blob = new Blob([serializeRows(rows, format)], { type: EXPORT_MIME[format] });
    scope.postMessage({ ok: true, blob });
  } catch (error) {
    scope.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
};
