/** `eddy topics list|describe|create|delete`: kafka-topics for any Kafka cluster. */
import { Admin, ErrorCode, type TopicDescription } from '../engine/client/index.js';
import { DEFAULT_BOOTSTRAP, UsageError, intOption, keyValues, parse } from './args.js';

export const TOPICS_HELP = `Usage: eddy topics <list|describe|create|delete> [TOPIC] [options]

  list                    print topic names, one per line
  describe [TOPIC ...]    partitions with leader, replicas and ISR (every topic when none is named)
  create TOPIC            create a topic
  delete TOPIC ...        delete topics

Options:
  --bootstrap-server H:P  broker(s) to start from, comma-separated (default ${DEFAULT_BOOTSTRAP})
  --topic NAME            the topic, instead of the positional argument
  --partitions N          create: number of partitions (default: the broker's num.partitions)
  --replication-factor N  create: replicas per partition (default: the broker's default.replication.factor)
  --config NAME=VALUE     create: topic config, repeatable (e.g. --config retention.ms=60000)
  --if-not-exists         create: succeed quietly when the topic already exists
  --if-exists             delete, describe: succeed quietly when the topic does not exist
  --exclude-internal      list, describe: leave out internal topics such as __consumer_offsets
  -h, --help              show this help
`;

const { TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION } = ErrorCode;

export async function runTopics(argv: string[]): Promise<number> {
  const { values, positionals } = parse('topics', argv, {
    'bootstrap-server': { type: 'string', default: DEFAULT_BOOTSTRAP },
    topic: { type: 'string', multiple: true },
    partitions: { type: 'string' },
    'replication-factor': { type: 'string' },
    config: { type: 'string', multiple: true },
    'if-not-exists': { type: 'boolean', default: false },
    'if-exists': { type: 'boolean', default: false },
    'exclude-internal': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(TOPICS_HELP);
    return 0;
  }
  const [action, ...rest] = positionals;
  const names = [...rest, ...(values.topic ?? [])];
  if (action === undefined)
    throw new UsageError('say what to do: list, describe, create or delete', 'topics');
  const admin = new Admin({ bootstrap: values['bootstrap-server'], clientId: 'eddy-topics' });
  try {
    switch (action) {
      case 'list': {
        if (names.length > 0) throw new UsageError('list takes no topic names', 'topics');
        const topics = await admin.listTopics({ includeInternal: !values['exclude-internal'] });
        for (const t of topics) process.stdout.write(`${t}\n`);
        return 0;
      }
      case 'describe':
        return await describe(admin, names, values['if-exists'], values['exclude-internal']);
      case 'create': {
        if (names.length !== 1) throw new UsageError('create takes exactly one topic name', 'topics');
        const name = names[0];
        const configs = Object.fromEntries(keyValues('topics', 'config', values.config));
        const [result] = await admin.createTopics([
          {
            name,
            numPartitions: intOption('topics', 'partitions', values.partitions, -1, 1),
            replicationFactor: intOption(
              'topics',
              'replication-factor',
              values['replication-factor'],
              -1,
              1,
              32767,
            ),
            configs,
          },
        ]);
        if (result.error?.code === TOPIC_ALREADY_EXISTS && values['if-not-exists']) return 0;
        if (result.error)
          return fail(
            result.error.code === TOPIC_ALREADY_EXISTS
              ? `topic '${name}' already exists (use --if-not-exists to accept that)`
              : result.error.message,
          );
        process.stdout.write(`Created topic ${name}.\n`);
        return 0;
      }
      case 'delete': {
        if (names.length === 0) throw new UsageError('delete needs at least one topic name', 'topics');
        const results = await admin.deleteTopics(names);
        let code = 0;
        for (const r of results) {
          if (r.error?.code === UNKNOWN_TOPIC_OR_PARTITION) {
            if (!values['if-exists']) code = fail(`topic '${r.name}' does not exist`);
          } else if (r.error) {
            code = fail(r.error.message);
          } else {
            process.stdout.write(`Deleted topic ${r.name}.\n`);
          }
        }
        return code;
      }
      default:
        throw new UsageError(`unknown action '${action}'; use list, describe, create or delete`, 'topics');
    }
  } finally {
    await admin.close();
  }
}

async function describe(
  admin: Admin,
  names: string[],
  ifExists: boolean,
  excludeInternal: boolean,
): Promise<number> {
  const topics = names.length > 0 ? names : await admin.listTopics({ includeInternal: !excludeInternal });
  const descriptions = await admin.describeTopics(topics);
  const found = descriptions.filter((d) => !d.error && !(excludeInternal && d.isInternal));
  const configs =
    found.length > 0
      ? await admin.describeConfigs(found.map((d) => ({ type: 'topic' as const, name: d.name })))
      : [];
  let code = 0;
  for (const d of descriptions) {
    if (d.error) {
      if (d.error.code === UNKNOWN_TOPIC_OR_PARTITION) {
        if (!ifExists) code = fail(`topic '${d.name}' does not exist`);
      } else {
        code = fail(d.error.message);
      }
      continue;
    }
    if (excludeInternal && d.isInternal) continue;
    const overrides = configs.find((c) => c.name === d.name)?.configs.filter((c) => !c.isDefault) ?? [];
    process.stdout.write(
      formatTopic(
        d,
        overrides.map((c) => `${c.name}=${c.isSensitive ? '(sensitive)' : (c.value ?? '')}`),
      ),
    );
  }
  return code;
}

/** The layout of kafka-topics --describe, so people and scripts used to it feel at home. */
export function formatTopic(d: TopicDescription, configs: string[]): string {
  const rf = d.partitions[0]?.replicas.length ?? 0;
  let out = `Topic: ${d.name}\tTopicId: ${d.topicId}\tPartitionCount: ${d.partitions.length}\tReplicationFactor: ${rf}\tConfigs: ${configs.join(',')}\n`;
  for (const p of d.partitions) {
    const leader = p.leader < 0 ? 'none' : String(p.leader);
    out += `\tTopic: ${d.name}\tPartition: ${p.partition}\tLeader: ${leader}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}`;
    if (p.offlineReplicas.length > 0) out += `\tOffline: ${p.offlineReplicas.join(',')}`;
    out += '\n';
  }
  return out;
}

function fail(message: string): number {
  process.stderr.write(`eddy topics: ${message}\n`);
  return 1;
}
