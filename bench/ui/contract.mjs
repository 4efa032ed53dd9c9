// The contract over the headless host's WebSocket, as the page speaks it (src/shared/rpc): a
// `messages.onBrowse` subscription whose progress events give the host's scan rate.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/**
 * Runs one browse and resolves when its last batch arrives:
 * `{ elapsedMs, firstProgressMs, scannedBytes, scannedRecords, matched, samples, error }`.
 * `samples` are [ms since subscribe, scannedBytes] per batch.
 */
export function browseOverWebSocket(serve, query, { timeoutMs = 1_800_000 } = {}) {
  const url = `${serve.origin.replace(/^http/, 'ws')}/rpc?token=${encodeURIComponent(serve.token)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin: serve.origin });
    let started = 0;
    const samples = [];
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`the browse did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (result, error) => {
      clearTimeout(timer);
      ws.close();
      if (error) reject(error);
      else resolve(result);
    };
    ws.on('open', () => {
      started = performance.now();
      ws.send(JSON.stringify({ type: 'subscribe', id: 1, path: 'messages.onBrowse', args: [query] }));
    });
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.id !== 1) return;
      if (message.type === 'event') {
        const { progress, error } = message.value;
        const at = performance.now() - started;
        samples.push([at, progress.scannedBytes]);
        if (error) finish(null, new Error(`browse error: ${error}`));
        else if (progress.done)
          finish({
            elapsedMs: at,
            scannedBytes: progress.scannedBytes,
            scannedRecords: progress.scannedRecords,
            matched: progress.matched,
            samples,
          });
      } else if (message.type === 'end' || message.type === 'error') {
        finish(null, new Error(`browse ended early: ${JSON.stringify(message.error ?? message)}`));
      }
    });
    ws.on('unexpected-response', (_req, res) =>
      finish(null, new Error(`WebSocket refused: ${res.statusCode}`)),
    );
    ws.on('error', (err) => finish(null, err));
  });
}
