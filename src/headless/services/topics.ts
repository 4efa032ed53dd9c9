/**
 * The 'topics' service over the active cluster link: the list with figures, one topic live, create
 * (and validate), delete, configs, partitions, purge, segment files, and the broker's defaults.
 * Everything goes through Eddy's Kafka client, so it works on an external Apache Kafka as on the
 * embedded cluster; the embedded cluster adds files on disk and a prompt refresh on each metadata
 * change (the controller's records) instead of waiting for the next poll.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TOPIC_CONFIGS, TOPIC_CONFIG_BY_NAME } from '../../engine/config/topic-configs.js';
import type { ConfigEntry } from '../../engine/client/index.js';
import type {
  ConfigEntryView,
  EddyServices,
  ReplicaFiles,
  SegmentFile,
} from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import type { ClusterLink, LinkProvider } from './link.js';
import { kafkaError, toEddyError, translated } from './topic-errors.js';
import { pollStream } from './topic-poll.js';
import { alterTopicConfigs, createPartitions, deleteRecords } from './topic-requests.js';
import { readMeta, readTopicDetail, readTopicRows } from './topic-state.js';

/** Poll intervals: the embedded cluster is local; an external one is asked less often. */
const EMBEDDED_POLL_MS = 1000;
const EXTERNAL_POLL_MS = 2000;
const pollMs = (link: ClusterLink) => (link.engine ? EMBEDDED_POLL_MS : EXTERNAL_POLL_MS);

/** Refresh at once when the embedded controller commits metadata (leaders, ISRs, topics). */
const onRecords = (link: ClusterLink, kick: () => void) => {
  const engine = link.engine;
  if (!engine) return () => undefined;
  engine.controller.on('records', kick);
  return () => engine.controller.off('records', kick);
};

const SOURCE_NAMES: Record<string, string> = {
  'dynamic-topic': 'DYNAMIC_TOPIC_CONFIG',
  'dynamic-broker': 'DYNAMIC_BROKER_CONFIG',
  'dynamic-default-broker': 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'static-broker': 'STATIC_BROKER_CONFIG',
  default: 'DEFAULT_CONFIG',
  'dynamic-broker-logger': 'DYNAMIC_BROKER_LOGGER_CONFIG',
  'client-metrics': 'CLIENT_METRICS_CONFIG',
  group: 'GROUP_CONFIG',
  unknown: 'UNKNOWN',
};

function configView(c: ConfigEntry): ConfigEntryView {
  const known = TOPIC_CONFIG_BY_NAME.get(c.name);
  return {
    name: c.name,
    value: c.value,
    source: SOURCE_NAMES[c.source] ?? c.source.toUpperCase(),
    isDefault: c.isDefault,
    readOnly: c.readOnly,
    sensitive: c.isSensitive,
    type: c.type !== 'unknown' ? c.type.toUpperCase() : known ? known.type.toUpperCase() : null,
    documentation: c.documentation ?? known?.documentation ?? null,
  };
}

/** Kafka's checks on a name that the schema cannot make. */
function checkName(name: string): void {
  if (name === '.' || name === '..') {
    throw new EddyError('INVALID_ARGUMENT', {
      message: `'${name}' cannot be a topic name; Kafka refuses "." and "..".`,
      detail: 'INVALID_TOPIC_EXCEPTION',
    });
  }
}

/** Kafka refuses a name that differs from an existing one only in '.' versus '_' (their metrics collide). */
async function checkCollision(link: ClusterLink, name: string): Promise<void> {
  if (!/[._]/.test(name)) return;
  const meta = await readMeta(link, null);
  const norm = (n: string) => n.replace(/\./g, '_');
  const other = meta.topics.find((t) => t.name !== name && norm(t.name) === norm(name));
  if (other) {
    throw kafkaError(
      'INVALID_TOPIC_EXCEPTION',
      `'${name}' collides with the existing topic '${other.name}': Kafka treats '.' and '_' alike in metric names. Choose another name.`,
    );
  }
}

function kindOf(file: string): string {
  for (const k of ['deleted', 'cleaned', 'swap', 'log', 'index', 'timeindex', 'snapshot', 'txnindex']) {
    if (file.endsWith(`.${k}`)) return k;
  }
  return 'other';
}

async function replicaFiles(
  dataDir: string,
  brokerId: number,
  topic: string,
  partition: number,
): Promise<ReplicaFiles> {
  const directory = path.join(`broker-${brokerId}`, `${topic}-${partition}`);
  const full = path.join(dataDir, directory);
  let names: string[] = [];
  try {
    names = await fs.readdir(full);
  } catch {
    // Not created (yet) on this broker.
  }
  const files: SegmentFile[] = [];
  for (const name of names.sort()) {
    try {
      const st = await fs.stat(path.join(full, name));
      if (!st.isFile()) continue;
      files.push({ name, kind: kindOf(name), bytes: st.size, modifiedAt: st.mtimeMs });
    } catch {
      // Deleted between readdir and stat (retention, roll).
    }
  }
  return { brokerId, partition, directory: directory.split(path.sep).join('/'), files };
}

export function topicsService(links: LinkProvider): EddyServices['topics'] {
  const create = async (
    spec: {
      name: string;
      partitions: number;
      replicationFactor: number;
      configs: { name: string; value: string }[];
    },
    validateOnly: boolean,
  ) => {
    checkName(spec.name);
    const link = await links.current();
    await checkCollision(link, spec.name);
    const admin = link.admin();
    const facts = {
      topic: spec.name,
      partitions: spec.partitions,
      replicationFactor: spec.replicationFactor,
    } as {
      topic: string;
      partitions: number;
      replicationFactor: number;
      liveBrokers?: number;
    };
    await translated(async () => {
      const [r] = await admin.createTopics(
        [
          {
            name: spec.name,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor,
            configs: Object.fromEntries(spec.configs.map((c) => [c.name, c.value])),
          },
        ],
        { validateOnly },
      );
      if (r.error) {
        if (r.error.type === 'INVALID_REPLICATION_FACTOR') {
          facts.liveBrokers = (await admin.describeCluster().catch(() => null))?.brokers.length;
        }
        throw r.error;
      }
    }, facts);
  };

  const topicDetailOrNotFound = async (link: ClusterLink, name: string) => {
    const meta = await translated(() => readMeta(link, [name]));
    const t = meta.topics.find((x) => x.name === name);
    if (!t)
      throw new EddyError('NOT_FOUND', {
        message: `There is no topic named '${name}' (any more).`,
        detail: name,
      });
    return { meta, topic: t };
  };

  return {
    onTopics(ctx) {
      return pollStream(ctx, links, { intervalMs: pollMs, read: readTopicRows, trigger: onRecords });
    },

    async create(_ctx, spec) {
      await create(spec, false);
    },

    async validateCreate(_ctx, spec) {
      await create(spec, true);
    },

    async delete(_ctx, name) {
      checkName(name);
      const link = await links.current();
      await translated(
        async () => {
          const [r] = await link.admin().deleteTopics([name]);
          if (r.error) throw r.error;
        },
        { topic: name },
      );
    },

    onTopic(ctx, name) {
      checkName(name);
      return pollStream(ctx, links, {
        intervalMs: pollMs,
        read: (link) => readTopicDetail(link, name),
        trigger: onRecords,
      });
    },

    async configs(_ctx, name) {
      checkName(name);
      const link = await links.current();
      const [r] = await translated(
        () =>
          link
            .admin()
            .describeConfigs([{ type: 'topic', name }], {
              includeSynonyms: true,
              includeDocumentation: true,
            }),
        { topic: name },
      );
      if (r.error) {
        if (r.error.type === 'UNKNOWN_TOPIC_OR_PARTITION') {
          throw new EddyError('NOT_FOUND', {
            message: `There is no topic named '${name}' (any more).`,
            detail: name,
          });
        }
        throw toEddyError(r.error, { topic: name });
      }
      return r.configs.map(configView).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },

    async alterConfigs(_ctx, name, set, reset) {
      checkName(name);
      const names = [...set.map((s) => s.name), ...reset];
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup) {
        throw new EddyError('INVALID_ARGUMENT', {
          message: `'${dup}' appears twice; set it or reset it, not both.`,
          detail: dup,
        });
      }
      if (names.length === 0) return;
      const link = await links.current();
      await translated(
        () =>
          alterTopicConfigs(link.admin(), name, [
            ...set.map((s) => ({ name: s.name, op: 'set' as const, value: s.value })),
            ...reset.map((n) => ({ name: n, op: 'delete' as const, value: null })),
          ]),
        { topic: name },
      );
    },

    async addPartitions(_ctx, name, total) {
      checkName(name);
      const link = await links.current();
      const { topic } = await topicDetailOrNotFound(link, name);
      const current = topic.partitions.length;
      if (total <= current) {
        throw kafkaError(
          'INVALID_PARTITIONS',
          total === current
            ? `Topic '${name}' already has ${current} partitions.`
            : `Topic '${name}' has ${current} partitions; Kafka can add partitions but never remove them.`,
        );
      }
      await translated(() => createPartitions(link.admin(), name, total), { topic: name, partitions: total });
    },

    async purge(_ctx, name, partitions) {
      checkName(name);
      const link = await links.current();
      const { topic } = await topicDetailOrNotFound(link, name);
      const have = new Set(topic.partitions.map((p) => p.partition));
      const wanted = partitions === null ? [...have] : [...new Set(partitions)];
      const missing = wanted.filter((p) => !have.has(p));
      if (missing.length > 0) {
        throw kafkaError(
          'UNKNOWN_TOPIC_OR_PARTITION',
          `Topic '${name}' has no partition ${missing.join(', ')} (it has ${have.size}).`,
        );
      }
      if (wanted.length === 0) return;
      // DeleteRecords to offset -1 means "up to the high watermark", as kafka-delete-records does.
      await translated(
        () =>
          deleteRecords(
            link.admin(),
            wanted.sort((a, b) => a - b).map((partition) => ({ topic: name, partition, offset: -1 })),
          ),
        { topic: name },
      );
    },

    async files(_ctx, name, partition) {
      checkName(name);
      const link = await links.current();
      const engine = link.engine;
      if (!engine) throw new EddyError('EMBEDDED_ONLY');
      const { topic } = await topicDetailOrNotFound(link, name);
      const parts =
        partition === null ? topic.partitions : topic.partitions.filter((p) => p.partition === partition);
      if (partition !== null && parts.length === 0) {
        throw new EddyError('NOT_FOUND', {
          message: `Topic '${name}' has no partition ${partition}.`,
          detail: `${name}-${partition}`,
        });
      }
      return Promise.all(
        parts.flatMap((p) =>
          [...p.replicas]
            .sort((a, b) => a - b)
            .map((id) => replicaFiles(engine.dataDir, id, name, p.partition)),
        ),
      );
    },

    async configDefaults() {
      const link = await links.current();
      const admin = link.admin();
      const meta = await translated(() => readMeta(link, []));
      const broker = meta.brokerIds.find((id) => !meta.brokersDown.includes(id));
      // The broker's effective values of the topic configs' broker-level synonyms (log.retention.ms …).
      const brokerConfigs = new Map<string, ConfigEntry>();
      if (broker !== undefined) {
        const [r] = await translated(() =>
          admin.describeConfigs([{ type: 'broker', name: String(broker) }], {
            includeSynonyms: false,
            includeDocumentation: false,
          }),
        );
        if (!r.error) for (const c of r.configs) brokerConfigs.set(c.name, c);
      }
      return TOPIC_CONFIGS.map((def): ConfigEntryView => {
        const b = def.brokerSynonym ? brokerConfigs.get(def.brokerSynonym) : undefined;
        const fromBroker = b && b.value !== null && b.source !== 'default';
        return {
          name: def.name,
          value: fromBroker ? b.value : def.defaultValue,
          source: fromBroker ? (SOURCE_NAMES[b.source] ?? b.source.toUpperCase()) : 'DEFAULT_CONFIG',
          isDefault: !fromBroker,
          readOnly: def.readOnly ?? false,
          sensitive: def.sensitive ?? false,
          type: def.type.toUpperCase(),
          documentation: def.documentation,
        };
      });
    },
  };
}
