import fs from 'node:fs';
import path from 'node:path';
import { Controller } from '../controller/controller.js';
import { inProcessChannel } from '../controller/channel.js';
import { Broker, type BrokerLogger } from '../broker/broker.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { BROKER_DEFAULTS } from '../config/broker-config.js';
import { validateTopicConfigs } from '../config/topic-configs.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';

export interface EngineOptions {
  dataDir: string;
  brokers: number;
  host: string;
  /** Port of broker 1; broker N listens on basePort + N - 1. 0 picks free ports. */
  basePort: number;
  /** Broker config overrides under Kafka's names (log.retention.ms, num.partitions …). */
  overrides?: Record<string, string>;
  logger?: BrokerLogger;
}

export interface Engine {
  readonly controller: Controller;
  /** Running brokers, by id. */
  readonly brokers: Broker[];
  broker(id: number): Broker | undefined;
  /** Every broker's address, running or not. */
  readonly bootstrap: string;
  /** Controlled shutdown of one broker: leadership moves first. */
  stopBroker(id: number): Promise<void>;
  /** Stops one broker at once, as a crash would. */
  killBroker(id: number): Promise<void>;
  startBroker(id: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How often the controller moves leadership back to preferred replicas. Kafka checks every 300 s
 * (leader.imbalance.check.interval.seconds); Eddy checks every 5 s so a restarted broker visibly
 * takes its partitions back while you watch.
 */
export const DEFAULT_LEADER_IMBALANCE_CHECK_MS = 5000;

/**
 * Starts a controller and its brokers over one data directory: `controller/` holds the metadata
 * log, `broker-<id>/` each broker's partition directories.
 */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  if (!Number.isInteger(options.brokers) || options.brokers < 1 || options.brokers > 9) {
    throw new Error(`--brokers must be a whole number from 1 to 9 (got ${options.brokers}).`);
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const lock: DataDirLock = acquireDataDirLock(options.dataDir);
  const overrides = options.overrides ?? {};
  const numPartitions = Number(overrides['num.partitions'] ?? BROKER_DEFAULTS.numPartitions);
  const defaultReplicationFactor = Number(
    overrides['default.replication.factor'] ?? Math.min(3, options.brokers),
  );
  let controller: Controller;
  try {
    controller = new Controller({
      dataDir: path.join(options.dataDir, 'controller'),
      defaultPartitions: numPartitions,
      defaultReplicationFactor,
      validateTopicConfigs,
    });
  } catch (err) {
    lock.release();
    throw err;
  }
  if (controller.recoveredTruncatedBytes > 0) {
    options.logger?.warn(
      `metadata log: cut ${controller.recoveredTruncatedBytes} bytes of a torn or corrupt tail during recovery`,
    );
  }
  const channel = inProcessChannel(controller);
  const brokers = new Map<number, Broker>();
  const brokerConfig = (id: number, port: number): BrokerConfig => ({
    nodeId: id,
    host: options.host,
    port,
    logDir: path.join(options.dataDir, `broker-${id}`),
    numPartitions,
    defaultReplicationFactor,
    autoCreateTopicsEnable: (overrides['auto.create.topics.enable'] ?? 'true') === 'true',
    deleteTopicEnable: (overrides['delete.topic.enable'] ?? 'true') === 'true',
    messageMaxBytes: Number(overrides['message.max.bytes'] ?? BROKER_DEFAULTS.messageMaxBytes),
    socketRequestMaxBytes: Number(overrides['socket.request.max.bytes'] ?? BROKER_DEFAULTS.socketRequestMaxBytes),
    overrides,
  });
  /** Ports stay fixed per broker id across stop/start, so clients' bootstrap lists stay valid. */
  const ports = new Map<number, number>();
  const startBroker = async (id: number) => {
    if (brokers.has(id)) throw new Error(`Broker ${id} is already running.`);
    const port = ports.get(id) ?? (options.basePort === 0 ? 0 : options.basePort + id - 1);
    const broker = new Broker(brokerConfig(id, port), channel, options.logger);
    await broker.start();
    ports.set(id, broker.port);
    brokers.set(id, broker);
    return broker;
  };
  const electionInterval = Number(overrides['leader.imbalance.check.interval.ms'] ?? DEFAULT_LEADER_IMBALANCE_CHECK_MS);
  const preferredElection =
    (overrides['auto.leader.rebalance.enable'] ?? 'true') === 'true'
      ? setInterval(() => controller.electPreferredLeaders(), electionInterval).unref()
      : null;
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    if (preferredElection) clearInterval(preferredElection);
    for (const b of brokers.values()) await b.stop().catch(() => undefined);
    brokers.clear();
    controller.close();
    lock.release();
  };
  try {
    for (let id = 1; id <= options.brokers; id++) await startBroker(id);
  } catch (err) {
    await stopAll();
    throw err;
  }
  const writeInfo = () =>
    lock.writeInfo({
      pid: process.pid,
      brokers: [...ports.entries()].map(([id, port]) => ({ id, host: options.host, port, up: brokers.has(id) })),
    });
  writeInfo();
  const requireKnown = (id: number) => {
    if (!ports.has(id)) throw new Error(`There is no broker ${id} in this cluster (brokers are 1 to ${ports.size}).`);
  };
  return {
    controller,
    get brokers() {
      return [...brokers.values()].sort((a, b) => a.nodeId - b.nodeId);
    },
    broker: (id: number) => brokers.get(id),
    bootstrap: [...ports.values()].map((port) => `${options.host}:${port}`).join(','),
    async stopBroker(id: number) {
      requireKnown(id);
      const b = brokers.get(id);
      if (!b) return;
      brokers.delete(id);
      await b.stop({ controlled: true });
      writeInfo();
    },
    async killBroker(id: number) {
      requireKnown(id);
      const b = brokers.get(id);
      if (!b) return;
      brokers.delete(id);
      await b.abort();
      // The controller learns of the death at once (as a lost session would tell it, only sooner).
      controller.fenceBroker(id);
      writeInfo();
    },
    async startBroker(id: number) {
      requireKnown(id);
      await startBroker(id);
      writeInfo();
    },
    stop: stopAll,
  };
}
