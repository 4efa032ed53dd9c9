import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEngine } from '../../../src/engine/runtime/engine.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('broker ports across restarts', () => {
  it('with --port 0, brokers come back on their previous ports, or on a free one when taken', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-ports-'));
    dirs.push(dataDir);
    const first = await startEngine({ dataDir, brokers: 2, host: '127.0.0.1', basePort: 0 });
    const before = first.brokerStates().map((b) => b.port);
    await first.stop();

    const second = await startEngine({ dataDir, brokers: 2, host: '127.0.0.1', basePort: 0 });
    expect(second.brokerStates().map((b) => b.port)).toEqual(before);
    await second.stop();

    // Someone else took broker 2's port meanwhile: it starts elsewhere instead of failing.
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(before[1], '127.0.0.1', () => resolve()));
    try {
      const third = await startEngine({ dataDir, brokers: 2, host: '127.0.0.1', basePort: 0 });
      const ports = third.brokerStates().map((b) => b.port);
      expect(ports[0]).toBe(before[0]);
      expect(ports[1]).not.toBe(before[1]);
      await third.stop();
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
