// Where the external tools are (same layout as scripts/tools-env.sh and tests/interop/harness/tools.ts)
// and how to run Kafka's Java tools: the Kafka jars cached by `bash .ci/run`, java, javac, kcat.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './proc.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function readVersions() {
  const out = {};
  for (const line of fs.readFileSync(path.join(ROOT, 'tests/interop/tools.versions'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S*)\s*$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export const KAFKA_VERSION = readVersions().KAFKA_VERSION;

export function cacheDir() {
  if (process.env.EDDY_CACHE) return process.env.EDDY_CACHE;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'eddy');
}

export function kafkaLibsDir() {
  return process.env.EDDY_KAFKA_LIBS || path.join(cacheDir(), `kafka-${KAFKA_VERSION}`, 'libs');
}

export const kafkaClasspath = () => path.join(kafkaLibsDir(), '*');
export const javaPath = () =>
  process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
export const javacPath = () =>
  process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'javac') : 'javac';
export const kcatPath = () => process.env.EDDY_KCAT || 'kcat';

/** Throws with an install hint when the Kafka jars, java or kcat are missing. */
export function checkTools() {
  const missing = [];
  if (!fs.existsSync(path.join(kafkaLibsDir(), '.complete')))
    missing.push(`the Apache Kafka ${KAFKA_VERSION} jars (looked in ${kafkaLibsDir()})`);
  for (const [name, cmd, args] of [
    ['java', javaPath(), ['-version']],
    ['javac', javacPath(), ['-version']],
    ['kcat', kcatPath(), ['-V']],
  ]) {
    try {
      execFileSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
    } catch {
      missing.push(name);
    }
  }
  if (missing.length)
    throw new Error(
      `missing: ${missing.join(', ')}. Install with: source scripts/tools-env.sh && eddy_install_interop_tools (or run bash .ci/run once)`,
    );
}

/** Log4j 2 config for the tools: WARN and above to stderr, so stdout holds only what the tool prints. */
export function toolsLog4jFile() {
  const file = path.join(cacheDir(), 'bench-tools-log4j2.properties');
  const text = [
    'status = error',
    'appender.err.type = Console',
    'appender.err.name = STDERR',
    'appender.err.target = SYSTEM_ERR',
    'appender.err.layout.type = PatternLayout',
    'appender.err.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = WARN',
    'rootLogger.appenderRef.err.ref = STDERR',
    '',
  ].join('\n');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
    fs.mkdirSync(cacheDir(), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return file;
}

/** JVM options of a client tool: the heap kafka-producer-perf-test.sh / kafka-consumer-perf-test.sh set. */
export const TOOL_HEAP = '512m';

/** Run one of Kafka's Java tools (main class from the kafka-tools jar) and return its stdout. */
export async function runJavaTool(mainClass, args, { timeoutMs, extraClasspath } = {}) {
  const cp = extraClasspath ? `${extraClasspath}${path.delimiter}${kafkaClasspath()}` : kafkaClasspath();
  const { stdout } = await run(
    javaPath(),
    [
      `-Xmx${TOOL_HEAP}`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${toolsLog4jFile()}`,
      '-cp',
      cp,
      mainClass,
      ...args,
    ],
    { timeoutMs, what: mainClass.split('.').pop() },
  );
  return stdout;
}

/**
 * Compile bench/java/*.java against the Kafka jars once; the classes are cached by a hash of the
 * sources and the Kafka version. Returns the class directory.
 */
export async function compiledBenchClasses() {
  const dir = path.join(ROOT, 'bench', 'java');
  const sources = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.java'))
    .sort();
  const hash = createHash('sha256');
  hash.update(KAFKA_VERSION);
  for (const f of sources) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  const out = path.join(cacheDir(), 'bench-classes', hash.digest('hex').slice(0, 16));
  if (fs.existsSync(path.join(out, '.complete'))) return out;
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  await run(
    javacPath(),
    ['-nowarn', '-cp', kafkaClasspath(), '-d', out, ...sources.map((f) => path.join(dir, f))],
    {
      timeoutMs: 180_000,
      what: 'javac bench/java',
    },
  );
  fs.writeFileSync(path.join(out, '.complete'), '');
  return out;
}

/** "17.0.15" from `java -version` (which prints to stderr). */
export function javaVersion() {
  const r = spawnSync(javaPath(), ['-version'], { encoding: 'utf8', timeout: 30_000 });
  return /version "([^"]+)"/.exec(`${r.stderr ?? ''}${r.stdout ?? ''}`)?.[1] ?? 'unknown';
}

/** { kcat: '1.7.1', librdkafka: '2.0.2' } from `kcat -V`. */
export function kcatVersions() {
  try {
    const text = execFileSync(kcatPath(), ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return {
      kcat: /^Version ([\d.]+)/m.exec(text)?.[1] ?? 'unknown',
      librdkafka: /librdkafka ([\d.]+)/.exec(text)?.[1] ?? 'unknown',
    };
  } catch {
    return { kcat: 'unknown', librdkafka: 'unknown' };
  }
}
