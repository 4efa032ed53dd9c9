import fs from 'node:fs';
import path from 'node:path';
import { Controller } from '../controller/controller.js';
import { inProcessChannel } from '../controller/channel.js';
import { Broker, type BrokerLogger } from '../broker/broker.js';
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
  readonly brokers: Broker[];
  readonly bootstrap: string;
  stop(): Promise<void>;
}

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
  const brokers: Broker[] = [];
  const stopAll = async () => {
    for (const b of brokers) await b.stop().catch(() => undefined);
    controller.close();
    lock.release();
  };
  try {
    for (let id = 1; id <= options.brokers; id++) {
      const broker = new Broker(
        {
          nodeId: id,
          host: options.host,
          port: options.basePort === 0 ? 0 : options.basePort + id - 1,
          logDir: path.join(options.dataDir, `broker-${id}`),
          numPartitions,
          defaultReplicationFactor,
          autoCreateTopicsEnable: (overrides['auto.create.topics.enable'] ?? 'true') === 'true',
          deleteTopicEnable: (overrides['delete.topic.enable'] ?? 'true') === 'true',
          messageMaxBytes: Number(overrides['message.max.bytes'] ?? BROKER_DEFAULTS.messageMaxBytes),
          socketRequestMaxBytes: Number(overrides['socket.request.max.bytes'] ?? BROKER_DEFAULTS.socketRequestMaxBytes),
          overrides,
        },
        channel,
        options.logger,
      );
      brokers.push(broker);
      await broker.start();
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  lock.writeInfo({ pid: process.pid, brokers: brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port })) });
  return {
    controller,
    brokers,
    bootstrap: brokers.map((b) => `${b.host}:${b.port}`).join(','),
    stop: stopAll,
  };
}
