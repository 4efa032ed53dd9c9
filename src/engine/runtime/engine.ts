import fs from 'node:fs';
import path from 'node:path';
import { Controller } from '../controller/controller.js';
import { inProcessChannel, type ControllerChannel } from '../controller/channel.js';
import { Broker, type BrokerLogger } from '../broker/broker.js';
import { BROKER_DEFAULTS, type BrokerConfig } from '../config/broker-config.js';
import { validateTopicConfigs } from '../config/topic-configs.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { WorkerBrokerHost } from './worker-broker-host.js';
import { EngineObserver } from '../observe/observer.js';

export interface EngineOptions {
  dataDir: string;
  brokers: number;
  host: string;
  /** Port of broker 1; broker N listens on basePort + N - 1. 0 picks free ports. */
  basePort: number;
  /** Broker config overrides under Kafka's names (log.retention.ms, num.partitions …). */
  overrides?: Record<string, string>;
  logger?: BrokerLogger;
  /**
   * Where brokers run: 'workers' (one worker thread each, the product's shape) or 'in-process'
   * (all on the calling thread; for tests that look inside a broker). Default 'in-process'.
   */
  mode?: 'workers' | 'in-process';
  /** Path of the built broker worker script (mode 'workers'); defaults to out/engine/broker-worker.mjs. */
  workerScript?: string;
}

/** One broker as the engine sees it, wherever it runs. */
export interface BrokerHost {
  readonly nodeId: number;
  readonly port: number;
  stop(options: { controlled: boolean }): Promise<void>;
  /** Ends the broker at once, as a crash would: nothing is flushed. */
  kill(): Promise<void>;
}

export interface Engine {
  readonly controller: Controller;
  /** Cluster events, their recorded timeline, and the statistics brokers push. */
  readonly observer: EngineObserver;
  /** Running in-process brokers (empty in 'workers' mode). */
  readonly brokers: Broker[];
  broker(id: number): Broker | undefined;
  /** Ids of every broker of the cluster, running or not, and whether each runs. */
  brokerStates(): { id: number; host: string; port: number; up: boolean }[];
  /** Every broker's address, running or not. */
  readonly bootstrap: string;
  /** The data directory: broker-<id>/<topic>-<partition>/ hold the replicas' segment files. */
  readonly dataDir: string;
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

class InProcessBrokerHost implements BrokerHost {
  constructor(readonly broker: Broker) {}
  get nodeId() {
    return this.broker.nodeId;
  }
  get port() {
    return this.broker.port;
  }
  stop(options: { controlled: boolean }) {
    return this.broker.stop(options);
  }
  kill() {
    return this.broker.abort();
  }
  static async start(config: BrokerConfig, channel: ControllerChannel, logger?: BrokerLogger) {
    const broker = new Broker(config, channel, logger);
    await broker.start();
    return new InProcessBrokerHost(broker);
  }
}

/**
 * Starts a controller and its brokers over one data directory: `controller/` holds the metadata
 * log, `broker-<id>/` each broker's partition directories. The controller runs on the calling
 * thread (it only handles metadata); brokers run in worker threads or in-process.
 */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  if (!Number.isInteger(options.brokers) || options.brokers < 1 || options.brokers > 9) {
    throw new Error(`--brokers must be a whole number from 1 to 9 (got ${options.brokers}).`);
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const lock: DataDirLock = acquireDataDirLock(options.dataDir);
  const overrides = options.overrides ?? {};
  const numPartitions = Number(overrides['num.partitions'] ?? BROKER_DEFAULTS.numPartitions);
  const defaultReplicationFactor = Number(overrides['default.replication.factor'] ?? Math.min(3, options.brokers));
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
  const observer = new EngineObserver(controller, path.join(options.dataDir, 'timeline.jsonl'));
  const hosts = new Map<number, BrokerHost>();
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
  const workers = options.mode === 'workers';
  /** Ports stay fixed per broker id across stop/start, so clients' bootstrap lists stay valid. */
  const ports = new Map<number, number>();
  const launchOn = async (id: number, port: number) => {
    const config = brokerConfig(id, port);
    const host = workers
      ? await WorkerBrokerHost.start(config, controller, channel, options.workerScript, options.logger, () => {
          // The worker died on its own (a crash): the controller fences it as a lost session would.
          if (hosts.get(id) === host) {
            hosts.delete(id);
            observer.forgetStats(id);
            controller.fenceBroker(id);
            writeInfo();
          }
        }, (stats) => observer.updateStats(stats))
      : await InProcessBrokerHost.start(config, channel, options.logger);
    ports.set(id, host.port);
    hosts.set(id, host);
  };
  const launch = async (id: number) => {
    if (hosts.has(id)) throw new Error(`Broker ${id} is already running.`);
    const known = ports.get(id);
    if (known !== undefined) return launchOn(id, known);
    if (options.basePort !== 0) return launchOn(id, options.basePort + id - 1);
    // --port 0: the port this broker had last time on this data directory, when it is still free,
    // so clients' bootstrap lists survive a restart; otherwise any free port.
    const previous = controller.image.brokers.get(id)?.port;
    if (previous) {
      try {
        return await launchOn(id, previous);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
    return launchOn(id, 0);
  };
  const electionInterval = Number(overrides['leader.imbalance.check.interval.ms'] ?? DEFAULT_LEADER_IMBALANCE_CHECK_MS);
  const preferredElection =
    (overrides['auto.leader.rebalance.enable'] ?? 'true') === 'true'
      ? setInterval(() => controller.electPreferredLeaders(), electionInterval).unref()
      : null;
  // In-process brokers share this thread: sample them here at the same pace workers push.
  const inProcessStats = workers
    ? null
    : setInterval(() => {
        for (const h of hosts.values()) if (h instanceof InProcessBrokerHost) observer.updateStats(h.broker.stats());
      }, 1000).unref();
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    if (preferredElection) clearInterval(preferredElection);
    if (inProcessStats) clearInterval(inProcessStats);
    // A whole-cluster stop is not a controlled shutdown: leaders and ISRs come back as they were.
    await Promise.all([...hosts.values()].map((h) => h.stop({ controlled: false }).catch(() => undefined)));
    hosts.clear();
    observer.close();
    controller.close();
    lock.release();
  };
  const writeInfo = () => {
    if (stopped) return;
    lock.writeInfo({
      pid: process.pid,
      brokers: [...ports.entries()].map(([id, port]) => ({ id, host: options.host, port, up: hosts.has(id) })),
    });
  };
  try {
    for (let id = 1; id <= options.brokers; id++) await launch(id);
  } catch (err) {
    await stopAll();
    throw err;
  }
  writeInfo();
  const requireKnown = (id: number) => {
    if (!ports.has(id)) throw new Error(`There is no broker ${id} in this cluster (brokers are 1 to ${ports.size}).`);
  };
  const inProcess = () =>
    [...hosts.values()]
      .filter((h): h is InProcessBrokerHost => h instanceof InProcessBrokerHost)
      .map((h) => h.broker)
      .sort((a, b) => a.nodeId - b.nodeId);
  return {
    controller,
    observer,
    get brokers() {
      return inProcess();
    },
    broker: (id: number) => inProcess().find((b) => b.nodeId === id),
    brokerStates: () =>
      [...ports.entries()].sort(([a], [b]) => a - b).map(([id, port]) => ({ id, host: options.host, port, up: hosts.has(id) })),
    bootstrap: [...ports.values()].map((port) => `${options.host}:${port}`).join(','),
    dataDir: options.dataDir,
    async stopBroker(id: number) {
      requireKnown(id);
      const h = hosts.get(id);
      if (!h) return;
      hosts.delete(id);
      await h.stop({ controlled: true });
      observer.forgetStats(id);
      writeInfo();
    },
    async killBroker(id: number) {
      requireKnown(id);
      const h = hosts.get(id);
      if (!h) return;
      hosts.delete(id);
      await h.kill();
      observer.forgetStats(id);
      // The controller learns of the death at once (as a lost session would tell it, only sooner).
      controller.fenceBroker(id);
      writeInfo();
    },
    async startBroker(id: number) {
      requireKnown(id);
      await launch(id);
      writeInfo();
    },
    stop: stopAll,
  };
}
