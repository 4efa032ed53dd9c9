import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEngine, type Engine } from '../engine/runtime/engine.js';
import { startControlServer } from '../engine/runtime/control-server.js';
import { DEFAULT_RETENTION_MS } from '../headless/services/settings.js';
import { startUiServer, type UiServer } from '../headless/ui-server.js';

export const SERVE_HELP = `Usage: eddy serve [options]

Runs an Eddy cluster in the foreground. Prints one line starting with "ready" when clients can
connect; Ctrl-C (SIGINT) or SIGTERM shuts it down cleanly.

Options:
  --brokers N        number of brokers, 1-9, each in its own thread (default 3)
  --data-dir DIR     where logs and metadata live (default ~/.eddy/data)
  --host H           address to listen on (default 127.0.0.1)
  --port P           port of broker 1; broker N uses P+N-1 (default 9092; 0 picks free ports)
  --config K=V       broker config under Kafka's name, repeatable (e.g. log.retention.ms=60000)
  --no-ui            do not serve the web UI
  -h, --help         show this help
`;

export async function runServe(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      brokers: { type: 'string', default: '3' },
      'data-dir': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '9092' },
      config: { type: 'string', multiple: true, default: [] },
      'no-ui': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  const brokers = Number(values.brokers);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`eddy serve: --port must be a port number from 0 to 65535 (got ${values.port}).\n`);
    return 2;
  }
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > 9) {
    process.stderr.write(
      `eddy serve: --brokers must be a whole number from 1 to 9 (got ${values.brokers}).\n`,
    );
    return 2;
  }
  const overrides: Record<string, string> = {};
  for (const kv of values.config as string[]) {
    const eq = kv.indexOf('=');
    if (eq <= 0) {
      process.stderr.write(`eddy serve: --config expects NAME=VALUE (got "${kv}").\n`);
      return 2;
    }
    overrides[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const dataDir = path.resolve(values['data-dir'] ?? path.join(os.homedir(), '.eddy', 'data'));
  const logger = {
    info: (m: string) => process.stderr.write(`[eddy] ${m}\n`),
    warn: (m: string) => process.stderr.write(`[eddy] WARN ${m}\n`),
    error: (m: string) => process.stderr.write(`[eddy] ERROR ${m}\n`),
  };
  let engine: Engine;
  try {
    engine = await startEngine({
      dataDir,
      brokers,
      host: values.host!,
      basePort: port,
      overrides,
      logger,
      mode: 'workers',
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      process.stderr.write(
        `eddy serve: port ${port} on ${values.host} is already in use (another Kafka or Eddy?). Choose another with --port, or --port 0 for a free one.\n`,
      );
    } else {
      process.stderr.write(`eddy serve: ${e.message}\n`);
    }
    return 1;
  }
  let control: { close(): Promise<void> } | null = null;
  try {
    control = await startControlServer(engine, dataDir);
  } catch (err) {
    logger.warn(
      `the control socket did not start (eddy broker … will not reach this engine): ${(err as Error).message}`,
    );
  }
  // The web UI always listens on loopback, whatever --host the brokers use.
  let ui: UiServer | null = null;
  if (!values['no-ui']) {
    try {
      ui = await startUiServer({
        engine,
        host: '127.0.0.1',
        port: 0,
        log: logger.warn,
        services: {
          // Profiles of external clusters the UI may switch to, beside the cluster's own data.
          profilesFile: path.join(dataDir, 'ui', 'connections.json'),
          settings: {
            brokers,
            basePort: port,
            dataDir,
            retentionMs: Number(overrides['log.retention.ms'] ?? DEFAULT_RETENTION_MS),
          },
          shell: 'browser',
        },
      });
    } catch (err) {
      logger.warn(`the web UI did not start: ${(err as Error).message}; the cluster runs without it`);
    }
  }
  process.stdout.write(
    `ready bootstrap=${engine.bootstrap} brokers=${engine.brokerStates().length} data-dir=${dataDir}${ui ? ` ui=${ui.url}` : ''}\n`,
  );
  return await new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info(`${signal} received, shutting down`);
      Promise.resolve(ui?.close())
        .then(() => control?.close())
        .then(() => engine.stop())
        .then(
          () => {
            logger.info('stopped cleanly');
            resolve(0);
          },
          (err: Error) => {
            logger.error(`shutdown failed: ${err.message}`);
            resolve(1);
          },
        );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
