// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { useBrowseExport, WORKER_THRESHOLD } from '../../../src/renderer/composables/useBrowseExport.js';
import { rowsToCsv, rowsToJson } from '../../../src/renderer/decode/export.js';
import { messageRow } from './fakes/messages-fake.js';

/** Captures what would be downloaded: the Blob behind the object URL and the link's file name. */
function captureDownloads() {
  const blobs = new Map<string, Blob>();
  const saved: { name: string; blob: Blob }[] = [];
  let next = 0;
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:eddy/${next++}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs.get(this.href)! });
  });
  return saved;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('useBrowseExport', () => {
  it('downloads JSON and CSV as files named after the topic, through a Blob (no network)', async () => {
    const saved = captureDownloads();
    const rows = [messageRow(0, 1), messageRow(1, 2, { key: null })];
    const scope = effectScope();
    const { exportRows, exporting } = scope.run(() => useBrowseExport())!;
    const name = await exportRows(rows, 'json', 'orders');
    expect(name).toMatch(/^orders-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.json$/);
    await exportRows(rows, 'csv', 'orders');
    expect(exporting.value).toBe(false);
    expect(saved.map((s) => s.name)).toEqual([name, expect.stringMatching(/\.csv$/)]);
    expect(saved[0].blob.type).toBe('application/json');
    expect(await saved[0].blob.text()).toBe(rowsToJson(rows));
    expect(saved[1].blob.type).toBe('text/csv');
    expect(await saved[1].blob.text()).toBe(rowsToCsv(rows));
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
    scope.stop();
  });

  it('still exports a large result when no worker can be started', async () => {
    const saved = captureDownloads();
    const rows = Array.from({ length: WORKER_THRESHOLD + 1 }, (_, i) => messageRow(i % 3, i));
    class BrokenWorker {
      onmessage: unknown = null;
      onerror: ((event: { message: string; preventDefault(): void }) => void) | null = null;
      postMessage() {
        queueMicrotask(() => this.onerror?.({ message: 'blocked', preventDefault() {} }));
      }
      terminate() {}
    }
    vi.stubGlobal('Worker', BrokenWorker);
    const scope = effectScope();
    const { exportRows } = scope.run(() => useBrowseExport())!;
    await exportRows(rows, 'csv', 'orders');
    const text = await saved[0].blob.text();
    expect(text.split('\r\n')).toHaveLength(rows.length + 2); // header, rows, final empty
    vi.unstubAllGlobals();
    scope.stop();
  });

  it('serializes large exports in the export worker', async () => {
    const saved = captureDownloads();
    // The worker module, loaded with a stand-in for its global scope.
    const scope: {
      onmessage: ((event: { data: unknown }) => void) | null;
      postMessage(message: unknown): void;
    } = {
      onmessage: null,
      postMessage: () => undefined,
    };
    vi.stubGlobal('self', scope);
    await import('../../../src/renderer/workers/export-worker.js');
    expect(scope.onmessage).toBeTypeOf('function');
    let started = 0;
    class InProcessWorker {
      onmessage: ((event: { data: unknown }) => void) | null = null;
      onerror: unknown = null;
      constructor() {
        started++;
      }
      postMessage(data: unknown) {
        scope.postMessage = (answer) => queueMicrotask(() => this.onmessage?.({ data: answer }));
        scope.onmessage!({ data });
      }
      terminate() {}
    }
    const rows = Array.from({ length: WORKER_THRESHOLD + 1 }, (_, i) => messageRow(i % 3, i));
    const effects = effectScope();
    const { exportRows } = effects.run(() =>
      useBrowseExport(() => new InProcessWorker() as unknown as Worker),
    )!;
    await exportRows(rows, 'json', 'orders');
    expect(started).toBe(1);
    expect(JSON.parse(await saved[0].blob.text())).toHaveLength(rows.length);
    vi.unstubAllGlobals();
    effects.stop();
  });
});
