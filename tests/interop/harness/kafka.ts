// A real Apache Kafka 4.x reference broker: single-node KRaft, combined broker+controller, started from
// the cached Maven jars (see scripts/tools-env.sh) on free 127.0.0.1 ports, data and logs in a temp dir.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  OutputTail,
  assertSuccess,
  freePorts,
  runProcess,
  spawnTracked,
  stopProcess,
  tail,
  waitForLine,
} from './proc.js';
import type { StoredBatch } from './scenario.js';
import { javaPath, kafkaClasspath, requireTool, toolsLog4jConfigFile } from './tools.js';

export interface KafkaServer {
  kind: 'kafka';
  /** host:port of the PLAINTEXT listener. */
  bootstrap: string;
  dataDir: string;
  logDir: string;
  /** SIGTERM (controlled shutdown), SIGKILL after a grace period. The directories are kept. */
  stop(): Promise<void>;
  /** Stop, then start again on the same ports and data (no re-format). */
  restart(): Promise<void>;
  /** Stop and delete the temp directory. */
  dispose(): Promise<void>;
  /** The tail of the broker's own log, for failure messages. */
  logTail(lines?: number): string;
  /** The record batches stored for a topic, read from the log segments with kafka.tools.DumpLogSegments. */
  storedBatches(topic: string, partitions: number): Promise<StoredBatch[]>;
}

/** Parse `DumpLogSegments --files ...` output (batch lines only). */
export function parseDumpLogSegments(text: string): StoredBatch[] {
  const out: StoredBatch[] = [];
  let partition = -1;
  for (const line of text.split('\n')) {
    const file = line.match(/^Dumping (.*)$/);
    if (file) {
      // <log.dirs>/<topic>-<partition>/<base offset>.log
      const m = basename(dirname(file[1].trim())).match(/-(\d+)$/);
      partition = m ? Number(m[1]) : -1;
      continue;
    }
    const b = line.match(/^baseOffset: (\d+) lastOffset: (\d+) .*compresscodec: (\w+)/);
    if (b && partition >= 0)
      out.push({ partition, baseOffset: Number(b[1]), lastOffset: Number(b[2]), codec: b[3].toLowerCase() });
  }
  return out;
}

export interface StartKafkaOptions {
  /** JVM heap, default 512m. */
  heap?: string;
  /** Time allowed for format + start + first metadata answer. */
  readyTimeoutMs?: number;
  /** Extra broker properties. */
  properties?: Record<string, string | number | boolean>;
}

const STARTED = /Kafka Server started/;

/** A 22-char base64url id, like `kafka-storage random-uuid`: which also never starts with '-' (argparse). */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(
  dataDir: string,
  port: number,
  controllerPort: number,
  extra: Record<string, string | number | boolean>,
): string {
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.bootstrap.servers': `127.0.0.1:${controllerPort}`,
    'controller.listener.names': 'CONTROLLER',
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': dataDir,
    // single node: internal topics must use RF 1
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 3,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'num.partitions': 1,
    'auto.create.topics.enable': false,
    ...extra,
  };
  return (
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n'
  );
}

// Log4j 2: everything to <logs>/server.log; only the "started" line to stdout, which we wait for.
function log4jConfig(logDir: string): string {
  return `status = error
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = ${join(logDir, 'server.log')}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.ready.type = Console
appender.ready.name = READY
appender.ready.layout.type = PatternLayout
appender.ready.layout.pattern = %m%n
appender.ready.filter.started.type = RegexFilter
appender.ready.filter.started.regex = .*Kafka Server started.*
appender.ready.filter.started.onMatch = ACCEPT
appender.ready.filter.started.onMismatch = DENY
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
rootLogger.appenderRef.ready.ref = READY
logger.state.name = state.change.logger
logger.state.level = WARN
`;
}

/** Confirm the broker answers the Kafka protocol (ApiVersions + Metadata) with a real client. */
async function confirmWithClient(bootstrap: string, deadline: number): Promise<void> {
  const kafka = new Kafka({
    clientId: 'eddy-interop-ready',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  const admin = kafka.admin();
  let lastError: unknown;
  try {
    while (Date.now() < deadline) {
      try {
        await admin.connect();
        await admin.listTopics();
        return;
      } catch (err) {
        lastError = err; // kafkajs already retried with backoff; try again within the deadline
      }
    }
    throw new Error(`Kafka at ${bootstrap} did not answer listTopics: ${String(lastError)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function startKafka(opts: StartKafkaOptions = {}): Promise<KafkaServer> {
  requireTool('java');
  requireTool('kafka-libs');
  const heap = opts.heap ?? '512m';
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const root = mkdtempSync(join(tmpdir(), 'eddy-kafka-'));
  const dataDir = join(root, 'data');
  const logDir = join(root, 'logs');
  mkdirSync(dataDir);
  mkdirSync(logDir);
  const propsFile = join(root, 'server.properties');
  const log4jFile = join(root, 'log4j2.properties');
  writeFileSync(log4jFile, log4jConfig(logDir));

  const cp = kafkaClasspath();
  let port = 0;
  let bootstrap = '';
  let child: ChildProcess | undefined;
  let output = new OutputTail();

  const logTail = (lines = 60): string => {
    const file = join(logDir, 'server.log');
    const log = existsSync(file) ? tail(readFileSync(file, 'utf8'), lines) : '(no server.log)';
    return `--- kafka stdout/stderr ---\n${tail(output.text(), 20)}\n--- ${file} (tail) ---\n${log}`;
  };

  const launch = async (): Promise<void> => {
    output = new OutputTail();
    const started = Date.now();
    child = spawnTracked(
      javaPath(),
      [
        `-Xms${heap}`,
        `-Xmx${heap}`,
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${log4jFile}`,
        `-Dkafka.logs.dir=${logDir}`,
        '-cp',
        cp,
        'kafka.Kafka',
        propsFile,
      ],
      { cwd: root },
    );
    output.attach(child.stdout).attach(child.stderr);
    await waitForLine(child.stdout!, STARTED, child, readyTimeoutMs, () => logTail());
    await confirmWithClient(bootstrap, started + readyTimeoutMs);
  };

  // Ports are picked free and then handed to Kafka, so another process may take one in between:
  // retry the first start with new ports when the bind fails.
  for (let attempt = 1; ; attempt++) {
    const [p, controllerPort] = await freePorts(2);
    port = p;
    bootstrap = `127.0.0.1:${port}`;
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir);
    writeFileSync(propsFile, serverProperties(dataDir, port, controllerPort, opts.properties ?? {}));
    const clusterId = randomClusterId();
    const format = await runProcess(
      javaPath(),
      [
        '-Xmx256m',
        `-Dlog4j2.configurationFile=${toolsLog4jConfigFile()}`,
        '-cp',
        cp,
        'kafka.tools.StorageTool',
        'format',
        '--standalone',
        '-t',
        clusterId,
        '-c',
        propsFile,
      ],
      { cwd: root, timeoutMs: 60_000 },
    );
    if (format.code !== 0 || format.timedOut) rmSync(root, { recursive: true, force: true });
    assertSuccess(format, 'kafka-storage format');
    try {
      await launch();
      break;
    } catch (err) {
      if (child) await stopProcess(child, 'SIGKILL', 5_000);
      const bindFailure = /Address already in use|BindException/.test(logTail(200));
      if (attempt >= 3 || !bindFailure) {
        rmSync(root, { recursive: true, force: true });
        throw err;
      }
    }
  }

  const stop = async (): Promise<void> => {
    if (!child) return;
    const c = child;
    child = undefined;
    await stopProcess(c, 'SIGTERM', 30_000);
  };

  return {
    kind: 'kafka',
    bootstrap,
    dataDir,
    logDir,
    stop,
    async restart() {
      await stop();
      await launch();
    },
    async dispose() {
      await stop();
      if (!process.env.EDDY_INTEROP_KEEP) rmSync(root, { recursive: true, force: true });
    },
    logTail,
    async storedBatches(topic, partitions) {
      const files: string[] = [];
      for (let p = 0; p < partitions; p++) {
        const dir = join(dataDir, `${topic}-${p}`);
        if (!existsSync(dir)) continue;
        for (const f of readdirSync(dir).sort()) if (f.endsWith('.log')) files.push(join(dir, f));
      }
      if (!files.length) return [];
      const r = assertSuccess(
        await runProcess(
          javaPath(),
          [
            '-Xmx256m',
            '-XX:TieredStopAtLevel=1',
            '-XX:+UseSerialGC',
            `-Dlog4j2.configurationFile=${toolsLog4jConfigFile()}`,
            '-cp',
            cp,
            'kafka.tools.DumpLogSegments',
            '--files',
            files.join(','),
          ],
          { timeoutMs: 60_000 },
        ),
        'DumpLogSegments',
      );
      return parseDumpLogSegments(r.stdout.toString('utf8'));
    },
  };
}
