// A real Apache Kafka 4.x broker with authentication and encryption, for the client-auth suite:
// single-node KRaft (combined broker + controller) from the cached jars, with four client listeners
//   PLAINTEXT       inter-broker and readiness only
//   SASL_PLAINTEXT  PLAIN (JAAS users), SCRAM-SHA-256 and SCRAM-SHA-512 (users added at format time)
//   SSL             a broker certificate signed by a throwaway CA made with keytool
//   SASL_SSL        the same mechanisms and certificate
// The CA's PEM is handed to the client. Everything lives in one temp dir, deleted by dispose().
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../../../src/engine/client/index.js';
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
import { javaPath, kafkaClasspath, requireTool, toolsLog4jConfigFile } from './tools.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface AuthKafkaServer {
  /** host:port per listener. */
  plaintext: string;
  saslPlaintext: string;
  ssl: string;
  saslSsl: string;
  /** PEM of the CA that signed the broker certificate (SAN: DNS localhost, IP 127.0.0.1). */
  caPem: string;
  /** PLAIN user (JAAS), SCRAM-SHA-256 user and SCRAM-SHA-512 user (format --add-scram). */
  users: { plain: Credentials; scram256: Credentials; scram512: Credentials };
  logTail(lines?: number): string;
  /** Stop the broker and delete the temp directory. */
  dispose(): Promise<void>;
}

const STARTED = /Kafka Server started/;
const STORE_PASSWORD = 'eddy-test-store';
const USERS = {
  plain: { username: 'bob', password: 'bob-secret' },
  scram256: { username: 'alice', password: 'alice-secret' },
  scram512: { username: 'carol', password: 'carol-secret' },
};

export function keytoolPath(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'keytool') : 'keytool';
}

async function keytool(dir: string, args: string[], what: string): Promise<void> {
  assertSuccess(await runProcess(keytoolPath(), args, { cwd: dir, timeoutMs: 60_000 }), `keytool ${what}`);
}

/**
 * A CA and a broker key pair signed by it (SAN DNS:localhost, IP:127.0.0.1), in one PKCS12 keystore;
 * the CA's certificate is exported as PEM and its private key then deleted, so the broker's only key
 * entry is its own (with the chain broker → CA). Four keytool runs, each a short JVM.
 */
async function makeCertificates(dir: string, keystore: string): Promise<string> {
  const store = ['-keystore', keystore, '-storetype', 'PKCS12', '-storepass', STORE_PASSWORD];
  const fastJvm = ['-J-XX:TieredStopAtLevel=1', '-J-XX:+UseSerialGC'];
  const key = ['-keyalg', 'EC', '-groupname', 'secp256r1', '-validity', '7'];
  const caPem = join(dir, 'ca.pem');
  await keytool(
    dir,
    [
      ...fastJvm,
      '-genkeypair',
      '-alias',
      'ca',
      ...key,
      '-dname',
      'CN=Eddy Test CA',
      '-ext',
      'bc:c',
      ...store,
    ],
    'CA key pair',
  );
  await keytool(
    dir,
    [
      ...fastJvm,
      '-genkeypair',
      '-alias',
      'broker',
      ...key,
      '-dname',
      'CN=localhost',
      '-signer',
      'ca',
      '-ext',
      'SAN=dns:localhost,ip:127.0.0.1',
      '-ext',
      'EKU=serverAuth',
      ...store,
    ],
    'broker key pair signed by the CA',
  );
  await keytool(
    dir,
    [...fastJvm, '-exportcert', '-rfc', '-alias', 'ca', '-file', caPem, ...store],
    'CA export',
  );
  await keytool(dir, [...fastJvm, '-delete', '-alias', 'ca', ...store], 'CA key removal');
  return readFileSync(caPem, 'utf8');
}

function serverProperties(
  dataDir: string,
  keystore: string,
  ports: { plaintext: number; saslPlaintext: number; ssl: number; saslSsl: number; controller: number },
): string {
  const listeners = [
    `PLAINTEXT://127.0.0.1:${ports.plaintext}`,
    `SASL_PLAINTEXT://127.0.0.1:${ports.saslPlaintext}`,
    `SSL://127.0.0.1:${ports.ssl}`,
    `SASL_SSL://127.0.0.1:${ports.saslSsl}`,
    `CONTROLLER://127.0.0.1:${ports.controller}`,
  ].join(',');
  const plainJaas = `org.apache.kafka.common.security.plain.PlainLoginModule required user_${USERS.plain.username}="${USERS.plain.password}";`;
  const scramJaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.bootstrap.servers': `127.0.0.1:${ports.controller}`,
    'controller.listener.names': 'CONTROLLER',
    listeners,
    'advertised.listeners': listeners,
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map':
      'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    'ssl.keystore.location': keystore,
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.password': STORE_PASSWORD,
    'ssl.key.password': STORE_PASSWORD,
    'ssl.client.auth': 'none',
    'log.dirs': dataDir,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'num.partitions': 1,
    'auto.create.topics.enable': false,
  };
  for (const listener of ['sasl_plaintext', 'sasl_ssl']) {
    props[`listener.name.${listener}.plain.sasl.jaas.config`] = plainJaas;
    props[`listener.name.${listener}.scram-sha-256.sasl.jaas.config`] = scramJaas;
    props[`listener.name.${listener}.scram-sha-512.sasl.jaas.config`] = scramJaas;
  }
  return (
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n'
  );
}

// Log4j 2: everything to <logs>/server.log; only the "started" line to stdout, which we wait for.
function log4jConfig(logDir: string): string {
  return [
    'status = error',
    'appender.file.type = File',
    'appender.file.name = FILE',
    `appender.file.fileName = ${join(logDir, 'server.log')}`,
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

function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Wait until the PLAINTEXT listener answers Metadata (Eddy's client retries within the deadline). */
async function confirmReady(bootstrap: string, deadline: number): Promise<void> {
  let last: unknown;
  while (Date.now() < deadline) {
    const cluster = new Cluster({
      bootstrap,
      clientId: 'eddy-interop-ready',
      retries: 10,
      connectTimeoutMs: 2_000,
    });
    try {
      await cluster.connect();
      return;
    } catch (err) {
      last = err;
    } finally {
      await cluster.close();
    }
  }
  throw new Error(`Kafka at ${bootstrap} did not answer Metadata: ${String(last)}`);
}

export async function startAuthKafka(opts: { readyTimeoutMs?: number } = {}): Promise<AuthKafkaServer> {
  requireTool('java');
  requireTool('kafka-libs');
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const root = mkdtempSync(join(tmpdir(), 'eddy-kafka-auth-'));
  const dataDir = join(root, 'data');
  const logDir = join(root, 'logs');
  const certDir = join(root, 'certs');
  for (const d of [logDir, certDir]) mkdirSync(d);
  const propsFile = join(root, 'server.properties');
  const log4jFile = join(root, 'log4j2.properties');
  writeFileSync(log4jFile, log4jConfig(logDir));
  let child: ChildProcess | undefined;
  let output = new OutputTail();

  const logTail = (lines = 60): string => {
    const file = join(logDir, 'server.log');
    const log = existsSync(file) ? tail(readFileSync(file, 'utf8'), lines) : '(no server.log)';
    return `--- kafka stdout/stderr ---\n${tail(output.text(), 20)}\n--- ${file} (tail) ---\n${log}`;
  };
  const stop = async (): Promise<void> => {
    if (!child) return;
    const c = child;
    child = undefined;
    await stopProcess(c, 'SIGTERM', 30_000);
  };

  // The certificates are made while the storage is formatted (both are JVM start-ups).
  const keystore = join(certDir, 'broker.p12');
  const certificates = makeCertificates(certDir, keystore);
  certificates.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  try {
    const cp = kafkaClasspath();
    // Ports are picked free and then handed to Kafka: retry with new ones when a bind fails.
    for (let attempt = 1; ; attempt++) {
      const [plaintext, saslPlaintext, ssl, saslSsl, controller] = await freePorts(5);
      const ports = { plaintext, saslPlaintext, ssl, saslSsl, controller };
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir);
      writeFileSync(propsFile, serverProperties(dataDir, keystore, ports));
      const scram = (mechanism: string, u: Credentials) => [
        '--add-scram',
        `${mechanism}=[name=${u.username},password=${u.password}]`,
      ];
      assertSuccess(
        await runProcess(
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
            randomClusterId(),
            '-c',
            propsFile,
            ...scram('SCRAM-SHA-256', USERS.scram256),
            ...scram('SCRAM-SHA-512', USERS.scram512),
          ],
          { cwd: root, timeoutMs: 60_000 },
        ),
        'kafka-storage format',
      );
      const caPem = await certificates;
      output = new OutputTail();
      const started = Date.now();
      child = spawnTracked(
        javaPath(),
        [
          '-Xms512m',
          '-Xmx512m',
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
      try {
        await waitForLine(child.stdout!, STARTED, child, readyTimeoutMs, () => logTail());
        await confirmReady(`127.0.0.1:${plaintext}`, started + readyTimeoutMs);
      } catch (err) {
        await stop();
        if (attempt >= 3 || !/Address already in use|BindException/.test(logTail(200))) throw err;
        continue;
      }
      const address = (port: number) => `127.0.0.1:${port}`;
      return {
        plaintext: address(plaintext),
        saslPlaintext: address(saslPlaintext),
        ssl: address(ssl),
        saslSsl: address(saslSsl),
        caPem,
        users: USERS,
        logTail,
        async dispose() {
          await stop();
          if (!process.env.EDDY_INTEROP_KEEP) rmSync(root, { recursive: true, force: true });
        },
      };
    }
  } catch (err) {
    await stop();
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}
