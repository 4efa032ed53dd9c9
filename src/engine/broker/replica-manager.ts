import fs from 'node:fs';
import path from 'node:path';
import { PartitionLog } from '../storage/partition-log.js';
import { parseLogConfig, type LogConfig } from '../storage/log-config.js';
import type { MetadataImage, TopicImage } from '../controller/metadata-image.js';
import { Partition } from './partition.js';
import { decodeBatches } from '../protocol/records/batch.js';
import { appendValidationConfig } from './append-validation.js';

export interface ReplicaManagerOptions {
  brokerId: number;
  logDir: string;
  /** Broker-level defaults under topic config names (log.retention.ms → retention.ms etc.). */
  defaultTopicConfigs: () => Record<string, string>;
  onLogEvent?: (message: string) => void;
  /** Called when a local replica's role changes, so the broker starts or stops fetching for it. */
  onRoleChange?: (partition: Partition, role: 'leader' | 'follower' | 'offline') => void;
  /** Called when a partition is removed (its topic deleted or the replica moved away). */
  onRemoved?: (partition: Partition) => void;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * Owns this broker's partition replicas: opens their logs when the metadata says this broker holds
 * them, deletes them when their topic goes away, and wakes long-polling fetches on append.
 */
export class ReplicaManager {
  private readonly partitions = new Map<string, Partition>();
  private readonly topicIds = new Map<string, string>();

  constructor(private readonly options: ReplicaManagerOptions) {
    fs.mkdirSync(options.logDir, { recursive: true });
  }

  get(topic: string, partition: number): Partition | undefined {
    return this.partitions.get(partitionKey(topic, partition));
  }

  all(): Partition[] {
    return [...this.partitions.values()];
  }

  resolvedConfigs(topic: TopicImage): Record<string, string> {
    return { ...this.options.defaultTopicConfigs(), ...Object.fromEntries(topic.configs) };
  }

  logConfigFor(topic: TopicImage): LogConfig {
    const parsed = parseLogConfig(this.resolvedConfigs(topic));
    if (!parsed.ok) throw new Error(`invalid stored config for topic ${topic.name}: ${parsed.error}`);
    return parsed.config;
  }

  /** Brings local replicas in line with the metadata image. */
  applyImage(image: MetadataImage): void {
    const wanted = new Set<string>();
    for (const topic of image.topicsById.values()) {
      // Resolved once per topic, not per partition: every metadata change walks the whole image.
      let settings: { log: LogConfig; configs: Record<string, string> } | null = null;
      const topicSettings = () => (settings ??= { configs: this.resolvedConfigs(topic), log: this.logConfigFor(topic) });
      for (const p of topic.partitions) {
        if (!p || !p.replicas.includes(this.options.brokerId)) continue;
        const key = partitionKey(topic.name, p.partition);
        wanted.add(key);
        let partition = this.partitions.get(key);
        if (partition && partition.topicId !== topic.topicId) {
          // Same name, new topic (deleted and re-created): the old log must not leak into the new one.
          this.drop(key, true);
          partition = undefined;
        }
        const { configs, log: logConfig } = topicSettings();
        if (!partition) {
          const dir = path.join(this.options.logDir, key);
          this.ensureTopicIdMarker(dir, topic.topicId);
          const log = PartitionLog.open(dir, logConfig, undefined, { recordTimestamps: compressedRecordTimestamps });
          partition = new Partition(topic.name, topic.topicId, p.partition, log, this.options.brokerId);
          this.partitions.set(key, partition);
          this.topicIds.set(key, topic.topicId);
        } else {
          partition.log.updateConfig(logConfig);
        }
        partition.validationConfig = appendValidationConfig(configs);
        partition.minInsyncReplicas = Math.max(1, Number(configs['min.insync.replicas'] ?? 1) || 1);
        const role = partition.applyState(p, Date.now());
        if (role) this.options.onRoleChange?.(partition, role);
      }
    }
    for (const key of [...this.partitions.keys()]) {
      if (!wanted.has(key)) this.drop(key, true);
    }
  }

  /** Deletes partition directories on disk that the metadata no longer knows (a topic deleted while down). */
  removeStrayLogs(image: MetadataImage): void {
    for (const entry of fs.readdirSync(this.options.logDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const m = /^(.+)-(\d+)$/.exec(entry.name);
      if (!m) continue;
      const dir = path.join(this.options.logDir, entry.name);
      const topic = image.topicsByName.get(m[1]);
      const marker = readTopicIdMarker(dir);
      const stale =
        !topic ||
        !topic.partitions[Number(m[2])]?.replicas.includes(this.options.brokerId) ||
        (marker !== null && marker !== topic.topicId);
      if (stale && !this.partitions.has(entry.name)) {
        fs.rmSync(dir, { recursive: true, force: true });
        this.options.onLogEvent?.(`removed stray log directory ${entry.name}`);
      }
    }
  }

  flushAll(): void {
    for (const p of this.partitions.values()) p.log.flush();
  }

  close(): void {
    for (const p of this.partitions.values()) p.log.close();
    this.partitions.clear();
  }

  /** Drops every log without a clean shutdown (a simulated crash). */
  abandon(): void {
    for (const p of this.partitions.values()) p.log.abandon();
    this.partitions.clear();
  }

  private drop(key: string, deleteFiles: boolean): void {
    const p = this.partitions.get(key);
    if (!p) return;
    this.partitions.delete(key);
    this.topicIds.delete(key);
    this.options.onRemoved?.(p);
    if (deleteFiles) p.log.delete();
    else p.log.close();
    p.emit('removed');
  }

  private ensureTopicIdMarker(dir: string, topicId: string): void {
    const marker = readTopicIdMarker(dir);
    if (marker !== null && marker !== topicId) fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    if (marker !== topicId) fs.writeFileSync(path.join(dir, 'partition.metadata'), `version: 0\ntopic_id: ${topicId}\n`);
  }
}

/** Kafka keeps the topic id of a partition directory in `partition.metadata`; so do we. */
function readTopicIdMarker(dir: string): string | null {
  try {
    const text = fs.readFileSync(path.join(dir, 'partition.metadata'), 'utf8');
    return /topic_id: (\S+)/.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Record timestamps inside a compressed batch, so ListOffsets by time is exact for compressed data too. */
function compressedRecordTimestamps(batch: Buffer): { offsetDelta: number; timestamp: number }[] {
  const [decoded] = decodeBatches(batch, { verifyCrc: false });
  if (!decoded) return [];
  return decoded.records.map((r) => ({ offsetDelta: r.offset - decoded.baseOffset, timestamp: r.timestamp }));
}
