// Eddy as the system under test: `bin/eddy.js serve --no-ui --brokers 3 --port 0`, one Node process
// whose three brokers run in worker threads.
import fs from 'node:fs';
import path from 'node:path';
import { OutputTail, msSince, spawnTracked, stopChild, waitForLine } from './proc.mjs';
import { ROOT } from './tools.mjs';

export function eddyVersion() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
}

/** Same shape as prepareKafkaCluster: nothing to format, so launch() does everything. */
export async function prepareEddy(dir, { brokers = 3 } = {}) {
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  return {
    async launch({ readyTimeoutMs = 60_000 } = {}) {
      const spawnedAt = process.hrtime.bigint();
      const child = spawnTracked(process.execPath, [
        path.join(ROOT, 'bin', 'eddy.js'),
        'serve',
        '--no-ui',
        '--brokers',
        String(brokers),
        '--port',
        '0',
        '--data-dir',
        dataDir,
      ]);
      const output = new OutputTail().attach(child.stderr);
      const logTail = (lines = 30) => output.tail(lines);
      let bootstrap;
      try {
        [, bootstrap] = await waitForLine(child, /^ready bootstrap=(\S+)/, readyTimeoutMs, () => logTail(10));
      } catch (err) {
        await stopChild(child, 'SIGKILL');
        throw err;
      }
      return {
        name: 'eddy',
        bootstrap,
        spawnedAt,
        readyMs: msSince(spawnedAt),
        pids: () => [child.pid],
        alive: () => child.exitCode === null && child.signalCode === null,
        dataDirs: [dataDir],
        logTail,
        stop: () => stopChild(child, 'SIGTERM', 10_000),
      };
    },
  };
}
