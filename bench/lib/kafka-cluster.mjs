// Apache Kafka 4.x as the reference system: a 3-node KRaft cluster, each node a combined
// broker+controller JVM, started from the cached Maven jars on free 127.0.0.1 ports.
//
// Heap: -Xms1g -Xmx1g per node, which is what bin/kafka-server-start.sh gives a user by default
// (KAFKA_HEAP_OPTS). Three nodes take 3 GiB of the 24 GiB machine and leave the rest to the page
// cache, where Kafka keeps its hot data. GC flags are the ones bin/kafka-run-class.sh passes.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OutputTail, freePorts, msSince, run, spawnTracked, stopChild, waitForLine } from './proc.mjs';
import { javaPath, kafkaClasspath, toolsLog4jFile } from './tools.mjs';

export const KAFKA_HEAP = '1g';
const STOCK_JVM_FLAGS = [
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
  '-Djava.awt.headless=true',
];

/** Broker settings that differ from Kafka's defaults (everything else is stock). */
export const KAFKA_OVERRIDES = {
  // Eddy starts a group's first generation at once; Kafka waits 3 s for more members by default.
  'group.initial.rebalance.delay.ms': 0,
};

function clusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id; // the storage tool's argument parser rejects a leading '-'
  }
}

function properties({ nodeId, port, controllerPort, voters, dataDir }) {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': nodeId,
    'controller.quorum.voters': voters,
    'controller.listener.names': 'CONTROLLER',
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': dataDir,
    ...KAFKA_OVERRIDES,
  };
  return (
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n'
  );
}

// Everything to <logs>/server.log; only the "started" line to stdout, which is what we wait for.
function log4j(logDir) {
  return [
    'status = error',
    'appender.file.type = File',
    'appender.file.name = FILE',
    `appender.file.fileName = ${path.join(logDir, 'server.log')}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'appender.ready.type = Console',
    'appender.ready.name = READY',
    'appender.ready.layout.type = PatternLayout',
    'appender.ready.layout.pattern = %m%n',
    'appender.ready.filter.started.type = RegexFilter',
    'appender.ready.filter.started.regex = .*Kafka Server started.*',
    'appender.ready.filter.started.onMatch = ACCEPT',
    'appender.ready.filter.started.onMismatch = DENY',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = FILE',
    'rootLogger.appenderRef.ready.ref = READY',
    '',
  ].join('\n');
}

/**
 * Lay out and format a fresh cluster under `dir` (not timed: a one-time step, like installing).
 * Returns { launch() } which spawns the JVMs and resolves once every node has logged that it started.
 */
export async function prepareKafkaCluster(dir, { nodes = 3, heap = KAFKA_HEAP } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const ports = await freePorts(nodes * 2);
  const voters = Array.from({ length: nodes }, (_, i) => `${i + 1}@127.0.0.1:${ports[nodes + i]}`).join(',');
  const id = clusterId();
  const layout = Array.from({ length: nodes }, (_, i) => {
    const home = path.join(dir, `node-${i + 1}`);
    const node = {
      nodeId: i + 1,
      port: ports[i],
      controllerPort: ports[nodes + i],
      home,
      dataDir: path.join(home, 'data'),
      logDir: path.join(home, 'logs'),
      propsFile: path.join(home, 'server.properties'),
      log4jFile: path.join(home, 'log4j2.properties'),
    };
    fs.mkdirSync(node.dataDir, { recursive: true });
    fs.mkdirSync(node.logDir, { recursive: true });
    fs.writeFileSync(node.propsFile, properties({ ...node, voters }));
    fs.writeFileSync(node.log4jFile, log4j(node.logDir));
    return node;
  });
  await Promise.all(
    layout.map((n) =>
      run(
        javaPath(),
        [
          '-Xmx256m',
          '-XX:TieredStopAtLevel=1',
          '-XX:+UseSerialGC',
          `-Dlog4j2.configurationFile=${toolsLog4jFile()}`,
          '-cp',
          kafkaClasspath(),
          'kafka.tools.StorageTool',
          'format',
          '-t',
          id,
          '-c',
          n.propsFile,
        ],
        { timeoutMs: 120_000, what: `kafka-storage format (node ${n.nodeId})` },
      ),
    ),
  );
  const bootstrap = layout.map((n) => `127.0.0.1:${n.port}`).join(',');

  return {
    bootstrap,
    /** Spawn all nodes at once; `spawnedAt` (hrtime mark) is taken just before the first spawn. */
    async launch({ readyTimeoutMs = 180_000 } = {}) {
      const spawnedAt = process.hrtime.bigint();
      const procs = layout.map((n) => {
        const child = spawnTracked(
          javaPath(),
          [
            `-Xms${heap}`,
            `-Xmx${heap}`,
            ...STOCK_JVM_FLAGS,
            `-Dlog4j2.configurationFile=${n.log4jFile}`,
            `-Dkafka.logs.dir=${n.logDir}`,
            '-cp',
            kafkaClasspath(),
            'kafka.Kafka',
            n.propsFile,
          ],
          { cwd: n.home },
        );
        const output = new OutputTail().attach(child.stderr);
        return { node: n, child, output };
      });
      const logTail = (lines = 30) =>
        procs
          .map(({ node, output }) => {
            const file = path.join(node.logDir, 'server.log');
            const log = fs.existsSync(file)
              ? fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')
              : '(no server.log)';
            return `--- node ${node.nodeId} stderr ---\n${output.tail(10)}\n--- node ${node.nodeId} server.log ---\n${log}`;
          })
          .join('\n');
      const stop = () => Promise.all(procs.map(({ child }) => stopChild(child, 'SIGTERM', 10_000)));
      try {
        await Promise.all(
          procs.map(({ node, child }) =>
            waitForLine(
              child,
              /Kafka Server started/,
              readyTimeoutMs,
              () => `node ${node.nodeId}: ${logTail(5)}`,
            ),
          ),
        );
      } catch (err) {
        await stop();
        throw err;
      }
      return {
        name: 'kafka',
        bootstrap,
        spawnedAt,
        readyMs: msSince(spawnedAt),
        pids: () => procs.map(({ child }) => child.pid),
        alive: () => procs.every(({ child }) => child.exitCode === null && child.signalCode === null),
        dataDirs: layout.map((n) => n.dataDir),
        logTail,
        stop,
      };
    },
  };
}
