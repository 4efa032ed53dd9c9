import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Engine } from './engine.js';
import { resetOffsets, type ResetOffsetsRequest } from './reset-offsets.js';

/**
 * The engine's control socket: lets `eddy broker stop|kill|start` (another process) drive a
 * running `eddy serve` found through its data directory. One JSON request per line, one JSON answer.
 * It is a Unix domain socket inside the data directory (a named pipe on Windows), so only users who
 * can write the data directory can use it.
 */
export type ControlCommand =
  | { command: 'status' }
  | { command: 'stop' | 'kill' | 'start'; broker: number }
  /** Resets the offsets of a group without members (a preview unless `execute`). */
  | ({ command: 'reset-offsets' } & ResetOffsetsRequest);

export interface ControlAnswer {
  ok: boolean;
  error?: string;
  brokers?: { id: number; host: string; port: number; up: boolean }[];
  /** reset-offsets: the group's new offsets, and whether they were committed. */
  offsets?: { topic: string; partition: number; offset: number }[];
  executed?: boolean;
}

export function controlSocketPath(dataDir: string): string {
  if (process.platform === 'win32') {
    return `\\\\.\\pipe\\eddy-${createHash('sha1').update(path.resolve(dataDir)).digest('hex').slice(0, 16)}`;
  }
  return path.join(dataDir, 'eddy.sock');
}

export async function startControlServer(engine: Engine, dataDir: string): Promise<{ path: string; close(): Promise<void> }> {
  const socketPath = controlSocketPath(dataDir);
  if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true });
  const server = net.createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > 64 * 1024) socket.destroy();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        void answer(engine, line).then((a) => socket.write(JSON.stringify(a) + '\n'));
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true });
      }),
  };
}

async function answer(engine: Engine, line: string): Promise<ControlAnswer> {
  let cmd: ControlCommand;
  try {
    cmd = JSON.parse(line) as ControlCommand;
  } catch {
    return { ok: false, error: 'The control request is not valid JSON.' };
  }
  try {
    switch (cmd.command) {
      case 'status':
        break;
      case 'stop':
        await engine.stopBroker(Number(cmd.broker));
        break;
      case 'kill':
        await engine.killBroker(Number(cmd.broker));
        break;
      case 'start':
        await engine.startBroker(Number(cmd.broker));
        break;
      case 'reset-offsets': {
        const result = await resetOffsets(engine, cmd);
        return { ok: true, offsets: result.offsets, executed: result.executed };
      }
      default:
        return { ok: false, error: `Unknown control command ${JSON.stringify((cmd as { command: unknown }).command)}.` };
    }
    return { ok: true, brokers: engine.brokerStates() };
  } catch (err) {
    return { ok: false, error: (err as Error).message, brokers: engine.brokerStates() };
  }
}

/** Sends one command to the engine serving `dataDir`. */
export function sendControlCommand(dataDir: string, cmd: ControlCommand, timeoutMs = 30_000): Promise<ControlAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(controlSocketPath(dataDir));
    let buffered = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`The engine did not answer within ${timeoutMs} ms.`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(JSON.stringify(cmd) + '\n'));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      socket.end();
      try {
        resolve(JSON.parse(buffered.slice(0, nl)) as ControlAnswer);
      } catch (err) {
        reject(err as Error);
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        err.code === 'ENOENT' || err.code === 'ECONNREFUSED'
          ? new Error(`No running Eddy engine uses the data directory ${dataDir} (start one with \`eddy serve --data-dir ${dataDir}\`).`)
          : err,
      );
    });
  });
}
