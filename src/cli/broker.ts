import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sendControlCommand } from '../engine/runtime/control-server.js';

export const BROKER_HELP = `Usage: eddy broker stop|kill|start|status [ID] [--data-dir DIR]

Drives the brokers of a running \`eddy serve\`, found through its data directory.

  stop ID     controlled shutdown: leadership moves to other brokers first
  kill ID     stop at once, as a crash would (in-flight writes are lost)
  start ID    start a stopped or killed broker; it catches up and rejoins the ISR
  status      list the brokers and whether each is up

Options:
  --data-dir DIR     the data directory of the running engine (default ~/.eddy/data)
  -h, --help         show this help
`;

export async function runBroker(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(BROKER_HELP);
    return values.help ? 0 : 2;
  }
  const [action, idText] = positionals;
  const dataDir = path.resolve(values['data-dir'] ?? path.join(os.homedir(), '.eddy', 'data'));
  if (!['stop', 'kill', 'start', 'status'].includes(action)) {
    process.stderr.write(`eddy broker: unknown action "${action}"; use stop, kill, start or status.\n`);
    return 2;
  }
  const id = Number(idText);
  if (action !== 'status' && (!Number.isInteger(id) || id < 1)) {
    process.stderr.write(`eddy broker ${action}: give the broker id, e.g. \`eddy broker ${action} 2\`.\n`);
    return 2;
  }
  try {
    const answer = await sendControlCommand(
      dataDir,
      action === 'status'
        ? { command: 'status' }
        : { command: action as 'stop' | 'kill' | 'start', broker: id },
    );
    if (!answer.ok) {
      process.stderr.write(`eddy broker ${action}: ${answer.error}\n`);
      return 1;
    }
    for (const b of answer.brokers ?? []) {
      process.stdout.write(`broker ${b.id} ${b.host}:${b.port} ${b.up ? 'up' : 'down'}\n`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`eddy broker ${action}: ${(err as Error).message}\n`);
    return 1;
  }
}
