/** `eddy consume TOPIC`: prints records like kafka-console-consumer, without a consumer group. */
import {
  Cluster,
  Consumer,
  ErrorCode,
  KafkaClientError,
  type ConsumerRecord,
  type SeekPosition,
} from '../engine/client/index.js';
import { DEFAULT_BOOTSTRAP, UsageError, intOption, parse, topicArgument, unescape } from './args.js';

export const CONSUME_HELP = `Usage: eddy consume TOPIC [options]

Prints the records of TOPIC, one value per line, starting at the end (new records only) unless
told otherwise. Stops after --max-messages, after --timeout-ms without a record, or on Ctrl-C.

Options:
  --bootstrap-server H:P  broker(s) to start from, comma-separated (default ${DEFAULT_BOOTSTRAP})
  --from-beginning        start at the earliest record still in the log
  --partition N           read only partition N
  --offset O              with --partition: start at offset O, or at 'earliest' / 'latest'
  --max-messages N        exit after N records
  --timeout-ms T          exit when no record arrives for T ms
  --print-key             print the key before the value (separated by --key-separator)
  --print-headers         print headers as NAME:VALUE,NAME:VALUE (or NO_HEADERS)
  --print-offset          print Offset:N
  --print-partition       print Partition:N
  --print-timestamp       print CreateTime:MS or LogAppendTime:MS
  --key-separator SEP     between the printed fields (default \\t)
  --isolation-level L     read_uncommitted (default) or read_committed
  -h, --help              show this help
`;

export async function runConsume(argv: string[]): Promise<number> {
  const { values, positionals } = parse('consume', argv, {
    'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP },
    topic: { type: 'string' },
    'from-beginning': { type: 'boolean', default: false },
    partition: { type: 'string' },
    offset: { type: 'string' },
    'max-messages': { type: 'string' },
    'timeout-ms': { type: 'string' },
    'print-key': { type: 'boolean', default: false },
    'print-headers': { type: 'boolean', default: false },
    'print-offset': { type: 'boolean', default: false },
    'print-partition': { type: 'boolean', default: false },
    'print-timestamp': { type: 'boolean', default: false },
    'key-separator': { type: 'string', default: '\\t' },
    'isolation-level': { type: 'string', default: 'read_uncommitted' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(CONSUME_HELP);
    return 0;
  }
  const topic = topicArgument('consume', positionals, values.topic);
  const partition =
    values.partition === undefined ? undefined : intOption('consume', 'partition', values.partition, 0);
  const maxMessages = intOption('consume', 'max-messages', values['max-messages'], Infinity, 1);
  const timeoutMs = intOption('consume', 'timeout-ms', values['timeout-ms'], 0, 1);
  const isolation = values['isolation-level'];
  if (isolation !== 'read_uncommitted' && isolation !== 'read_committed') {
    throw new UsageError(
      `--isolation-level must be read_uncommitted or read_committed (got '${isolation}')`,
      'consume',
    );
  }
  let start: SeekPosition = values['from-beginning'] ? 'beginning' : 'end';
  if (values.offset !== undefined) {
    if (partition === undefined) throw new UsageError('--offset needs --partition', 'consume');
    if (values['from-beginning'])
      throw new UsageError('use either --from-beginning or --offset, not both', 'consume');
    start =
      values.offset === 'earliest'
        ? 'beginning'
        : values.offset === 'latest'
          ? 'end'
          : intOption('consume', 'offset', values.offset, 0);
  }
  const format: PrintOptions = {
    key: values['print-key'],
    headers: values['print-headers'],
    offset: values['print-offset'],
    partition: values['print-partition'],
    timestamp: values['print-timestamp'],
    separator: unescape(values['key-separator']),
  };

  const cluster = new Cluster({ bootstrap: values['bootstrap-server'], clientId: 'eddy-consume' });
  const consumer = new Consumer(cluster, { isolationLevel: isolation });
  let count = 0;
  let stoppedBy: string | null = null;
  let idle: NodeJS.Timeout | null = null;
  const stop = (why: string) => {
    stoppedBy ??= why;
    void consumer.close();
  };
  const armIdle = () => {
    if (timeoutMs === 0) return;
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => stop(`no record for ${timeoutMs} ms`), timeoutMs);
  };
  const onSigint = () => stop('interrupted');
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  const out = new LineWriter(() => stop('output closed'));
  try {
    const info = await cluster.topic(topic);
    const partitions = partition === undefined ? info.partitions.map((p) => p.partition) : [partition];
    if (partition !== undefined && !info.partitions.some((p) => p.partition === partition)) {
      process.stderr.write(
        `eddy consume: topic '${topic}' has no partition ${partition} (it has ${info.partitions.length})\n`,
      );
      return 1;
    }
    consumer.assign(
      partitions.map((p) => ({ topic, partition: p })),
      start,
    );
    armIdle();
    for await (const record of consumer) {
      out.write(formatRecord(record, format));
      count++;
      armIdle();
      if (count >= maxMessages) break;
    }
    return 0;
  } catch (err) {
    if (err instanceof KafkaClientError && err.code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
      process.stderr.write(`eddy consume: topic '${topic}' does not exist\n`);
      return 1;
    }
    throw err;
  } finally {
    if (idle) clearTimeout(idle);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await out.end();
    await consumer.close();
    await cluster.close();
    process.stderr.write(
      `Processed a total of ${count} messages${stoppedBy && stoppedBy !== 'output closed' ? ` (stopped: ${stoppedBy})` : ''}\n`,
    );
  }
}

interface PrintOptions {
  key: boolean;
  headers: boolean;
  offset: boolean;
  partition: boolean;
  timestamp: boolean;
  separator: string;
}

/** Field order of Kafka's DefaultMessageFormatter: timestamp, partition, offset, headers, key, value. */
export function formatRecord(r: ConsumerRecord, o: PrintOptions): string {
  let line = '';
  if (o.timestamp)
    line += `${r.timestampType === 'log-append-time' ? 'LogAppendTime' : 'CreateTime'}:${r.timestamp}${o.separator}`;
  if (o.partition) line += `Partition:${r.partition}${o.separator}`;
  if (o.offset) line += `Offset:${r.offset}${o.separator}`;
  if (o.headers) {
    line +=
      r.headers.length === 0
        ? 'NO_HEADERS'
        : r.headers.map((h) => `${h.key}:${h.value === null ? 'null' : h.value.toString('utf8')}`).join(',');
    line += o.separator;
  }
  if (o.key) line += `${r.key === null ? 'null' : r.key.toString('utf8')}${o.separator}`;
  line += r.value === null ? 'null' : r.value.toString('utf8');
  return `${line}\n`;
}

/** Batches small writes to stdout; stops the consumer when the reader goes away (e.g. `| head`). */
class LineWriter {
  private pending: string[] = [];
  private size = 0;
  private scheduled = false;
  private broken = false;

  constructor(private readonly onBroken: () => void) {
    process.stdout.on('error', () => {
      this.broken = true;
      this.onBroken();
    });
  }

  write(line: string): void {
    if (this.broken) return;
    this.pending.push(line);
    this.size += line.length;
    if (this.size >= 64 * 1024) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  async end(): Promise<void> {
    this.flush();
    if (this.broken) return;
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || this.broken) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.size = 0;
    process.stdout.write(chunk);
  }
}
