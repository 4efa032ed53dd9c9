/** `eddy produce TOPIC`: lines from stdin become records, like kafka-console-producer. */
import readline from 'node:readline';
import {
  ErrorCode,
  KafkaClientError,
  Producer,
  type Acks,
  type Compression,
  type RecordMetadata,
} from '../engine/client/index.js';
import {
  DEFAULT_BOOTSTRAP,
  UsageError,
  intOption,
  keyValues,
  parse,
  topicArgument,
  unescape,
} from './args.js';

export const PRODUCE_HELP = `Usage: eddy produce TOPIC [options] < lines

Writes each line of standard input to TOPIC as one record. Ends when stdin closes and every
record is acknowledged, then prints a summary to stderr.

Options:
  --bootstrap-server H:P       broker(s) to start from, comma-separated (default ${DEFAULT_BOOTSTRAP})
  --key-separator SEP          each line is KEY<SEP>VALUE (kafka-console-producer's parse.key);
                               escapes such as \\t are understood
  --header NAME=VALUE          header on every record, repeatable
  --parse-headers              each line starts with its own headers, NAME:VALUE,NAME:VALUE<TAB>,
                               before the key/value (kafka-console-producer's parse.headers)
  --headers-delimiter SEP      --parse-headers: between the headers and the rest (default \\t)
  --headers-separator SEP      --parse-headers: between headers (default ,)
  --headers-key-separator SEP  --parse-headers: between a header's name and value (default :)
  --partition N                write every record to partition N (default: by key, sticky for null keys)
  --acks 0|1|all               how many replicas must have a record before it counts (default all)
  --compression TYPE           none, gzip, snappy, lz4 or zstd (default none)
  --linger-ms MS               how long to wait for a fuller batch (default 5)
  --batch-size BYTES           send a partition's batch at this size (default 16384)
  --idempotent                 sequence numbers so retries never duplicate (needs --acks all)
  -h, --help                   show this help
`;

interface LineFormat {
  keySeparator: string | null;
  parseHeaders: boolean;
  headersDelimiter: string;
  headersSeparator: string;
  headersKeySeparator: string;
}

export async function runProduce(argv: string[]): Promise<number> {
  const { values, positionals } = parse('produce', argv, {
    'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP },
    topic: { type: 'string' },
    'key-separator': { type: 'string' },
    header: { type: 'string', multiple: true },
    'parse-headers': { type: 'boolean', default: false },
    'headers-delimiter': { type: 'string', default: '\\t' },
    'headers-separator': { type: 'string', default: ',' },
    'headers-key-separator': { type: 'string', default: ':' },
    partition: { type: 'string' },
    acks: { type: 'string', default: 'all' },
    compression: { type: 'string', default: 'none' },
    'linger-ms': { type: 'string' },
    'batch-size': { type: 'string' },
    idempotent: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(PRODUCE_HELP);
    return 0;
  }
  const topic = topicArgument('produce', positionals, values.topic);
  const acks = parseAcks(values.acks);
  const compression = values.compression as Compression;
  if (!['none', 'gzip', 'snappy', 'lz4', 'zstd'].includes(compression)) {
    throw new UsageError(
      `--compression must be none, gzip, snappy, lz4 or zstd (got '${values.compression}')`,
      'produce',
    );
  }
  if (values.idempotent && acks !== -1) throw new UsageError('--idempotent needs --acks all', 'produce');
  const partition =
    values.partition === undefined ? undefined : intOption('produce', 'partition', values.partition, 0);
  const fixedHeaders = keyValues('produce', 'header', values.header).map(([key, value]) => ({ key, value }));
  const format: LineFormat = {
    keySeparator: values['key-separator'] === undefined ? null : unescape(values['key-separator']),
    parseHeaders: values['parse-headers'],
    headersDelimiter: unescape(values['headers-delimiter']),
    headersSeparator: unescape(values['headers-separator']),
    headersKeySeparator: unescape(values['headers-key-separator']),
  };
  if (format.keySeparator === '') throw new UsageError('--key-separator must not be empty', 'produce');

  const producer = new Producer(
    { bootstrap: values['bootstrap-server'], clientId: 'eddy-produce' },
    {
      acks,
      compression,
      lingerMs: intOption('produce', 'linger-ms', values['linger-ms'], 5),
      batchSize: intOption('produce', 'batch-size', values['batch-size'], 16_384, 1),
      idempotent: values.idempotent,
    },
  );
  // Fail before reading stdin when the topic is missing (brokers that auto-create topics create it here).
  try {
    await producer.cluster.topic(topic, { allowAutoTopicCreation: true });
  } catch (err) {
    await producer.close();
    if (err instanceof KafkaClientError && err.code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
      process.stderr.write(
        `eddy produce: topic '${topic}' does not exist (create it with 'eddy topics create ${topic}')\n`,
      );
      return 1;
    }
    throw err;
  }
  const started = Date.now();
  const perPartition = new Map<number, number>();
  let bytes = 0;
  let sent = 0;
  let failed = 0;
  let firstError: Error | null = null;
  let badLine: string | null = null;
  const onAck = (m: RecordMetadata) =>
    perPartition.set(m.partition, (perPartition.get(m.partition) ?? 0) + 1);
  const onError = (err: Error) => {
    failed++;
    firstError ??= err;
  };

  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let lineNumber = 0;
  try {
    for await (const line of input) {
      lineNumber++;
      const parsed = parseLine(line, format);
      if (typeof parsed === 'string') {
        badLine = `line ${lineNumber}: ${parsed}`;
        break;
      }
      sent++;
      bytes += Buffer.byteLength(line);
      producer
        .send({
          topic,
          partition,
          key: parsed.key,
          value: parsed.value,
          headers: [...fixedHeaders, ...parsed.headers],
        })
        .then(onAck, onError);
      if (producer.bufferedBytes > 16 * 1024 * 1024) await producer.waitForCapacity();
      if (firstError && failed > 1000) break; // the cluster keeps refusing: stop reading
    }
  } finally {
    input.close();
    await producer.close();
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  const partitions = [...perPartition]
    .sort((a, b) => a[0] - b[0])
    .map(([p, n]) => `${p}:${n}`)
    .join(' ');
  const acked = sent - failed;
  const detail =
    acks === 0
      ? 'sent without waiting for acknowledgement'
      : `acknowledged${partitions ? ` (partition:count ${partitions})` : ''}`;
  process.stderr.write(
    `Produced ${acked} of ${sent} records (${bytes} bytes) to ${topic} in ${seconds} s, ${detail}.\n`,
  );
  if (badLine) process.stderr.write(`eddy produce: stopped at ${badLine}\n`);
  if (firstError)
    process.stderr.write(`eddy produce: ${failed} record(s) failed: ${(firstError as Error).message}\n`);
  return badLine || firstError ? 1 : 0;
}

/** Splits one input line into headers, key and value; a string result is the reason it could not. */
export function parseLine(
  line: string,
  format: LineFormat,
): { key: string | null; value: string; headers: { key: string; value: string }[] } | string {
  let rest = line;
  const headers: { key: string; value: string }[] = [];
  if (format.parseHeaders) {
    const end = rest.indexOf(format.headersDelimiter);
    if (end < 0)
      return `no headers delimiter found (expected headers, then '${printable(format.headersDelimiter)}')`;
    const text = rest.slice(0, end);
    rest = rest.slice(end + format.headersDelimiter.length);
    for (const pair of text.length === 0 ? [] : text.split(format.headersSeparator)) {
      const sep = pair.indexOf(format.headersKeySeparator);
      if (sep <= 0)
        return `header '${pair}' has no '${printable(format.headersKeySeparator)}' between its name and value`;
      headers.push({ key: pair.slice(0, sep), value: pair.slice(sep + format.headersKeySeparator.length) });
    }
  }
  if (format.keySeparator === null) return { key: null, value: rest, headers };
  const sep = rest.indexOf(format.keySeparator);
  if (sep < 0) return `no key separator '${printable(format.keySeparator)}' found`;
  return { key: rest.slice(0, sep), value: rest.slice(sep + format.keySeparator.length), headers };
}

function parseAcks(raw: string): Acks {
  if (raw === 'all' || raw === '-1') return -1;
  if (raw === '0') return 0;
  if (raw === '1') return 1;
  throw new UsageError(`--acks must be 0, 1 or all (got '${raw}')`, 'produce');
}

function printable(sep: string): string {
  return sep.replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}
