// The machine's own limits, measured in the same run as the systems: sequential write bandwidth of
// the disk that holds the data directories, and loopback TCP throughput between two processes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, spawnTracked, stopChild, waitForLine } from './proc.mjs';

const MiB = 2 ** 20;

/**
 * Write `bytes` to a new file in `dir` in 1 MiB chunks, then fsync; MiB/s over the whole, fsync
 * included (so the page cache does not flatter the figure). The file is removed afterwards.
 */
export function diskWriteMiBps(dir, bytes) {
  const file = path.join(dir, `disk-write-${process.pid}.tmp`);
  const chunk = Buffer.alloc(MiB);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i); // not all zeros
  const started = process.hrtime.bigint();
  const fd = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += MiB) fs.writeSync(fd, chunk, 0, chunk.length);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(file, { force: true });
  return bytes / MiB / seconds;
}

/** Loopback TCP: a Node sender process and a Node receiver process move `bytes` over 127.0.0.1. */
export async function loopbackMiBps(bytes) {
  const peer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'loopback-peer.mjs');
  const receiver = spawnTracked(process.execPath, [peer, 'receive']);
  try {
    const [, port] = await waitForLine(receiver, /^port (\d+)/, 10_000);
    const result = new Promise((resolve, reject) => {
      let text = '';
      receiver.stdout.on('data', (b) => {
        text += b;
        const m = /received (\d+) in ([\d.]+)/.exec(text);
        if (m) resolve({ bytes: Number(m[1]), ms: Number(m[2]) });
      });
      receiver.once('exit', () => reject(new Error('the loopback receiver exited without a result')));
    });
    await run(process.execPath, [peer, 'send', port, String(bytes)], {
      timeoutMs: 120_000,
      what: 'loopback sender',
    });
    const r = await result;
    if (r.bytes < bytes) throw new Error(`loopback receiver got ${r.bytes} of ${bytes} bytes`);
    return r.bytes / MiB / (r.ms / 1000);
  } finally {
    await stopChild(receiver, 'SIGKILL');
  }
}
