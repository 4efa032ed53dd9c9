/**
 * The `eddy` command: dispatches to one module per command. Exit codes: 0 done, 1 the command
 * failed (the broker said no, the cluster is unreachable), 2 the command line is wrong.
 */
import { KafkaClientError } from '../engine/client/index.js';
import { UsageError } from './args.js';

export const HELP = `Usage: eddy <command> [options]

A Kafka-compatible cluster on your desktop, and tools that work with any Kafka cluster.

Commands:
  serve      run an Eddy cluster in the foreground
  broker     stop, kill or start a broker of a running cluster
  topics     list, describe, create and delete topics
  groups     list, describe, reset offsets of and delete consumer groups
  produce    write lines from standard input to a topic
  consume    print the records of a topic

Run 'eddy <command> --help' for the options of a command.
Options: -h, --help (this text), --version
`;

const VERSION = '0.1.0';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).runServe,
  broker: async () => (await import('./broker.js')).runBroker,
  topics: async () => (await import('./topics.js')).runTopics,
  groups: async () => (await import('./groups.js')).runGroups,
  produce: async () => (await import('./produce.js')).runProduce,
  consume: async () => (await import('./consume.js')).runConsume,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    if (name === 'help' && rest[0] && rest[0] in COMMANDS) return main([rest[0], '--help']);
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`eddy ${VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(
      `eddy: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}. Run 'eddy --help' for more.\n`,
    );
    return 2;
  }
  try {
    return await (
      await load()
    )(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(
        `eddy ${err.command}: ${err.message}. Run 'eddy ${err.command} --help' for the options.\n`,
      );
      return 2;
    }
    if (err instanceof KafkaClientError) {
      process.stderr.write(`eddy ${name}: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`eddy ${name}: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
process.exit(code);
