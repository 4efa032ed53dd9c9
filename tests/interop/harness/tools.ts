// Finds the external tools the interop suites drive: kcat, a Python venv with kafka-python and
// confluent-kafka, java/javac and the Apache Kafka jars. Locations follow scripts/tools-env.sh:
// the env vars win, else the same default cache directories that `bash .ci/run` fills.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const INTEROP_DIR = join(REPO_ROOT, 'tests', 'interop');

/** CI=true (or 1): a missing tool is a failure, not a skip. */
export const isCI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

function readVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  const text = readFileSync(join(INTEROP_DIR, 'tools.versions'), 'utf8');
  for (const line of text.split('\n')) {
    const m = line.match(/^([A-Z0-9_]+)=(\S*)\s*$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export const VERSIONS = readVersions();
export const KAFKA_VERSION = VERSIONS.KAFKA_VERSION;

export function cacheDir(): string {
  if (process.env.EDDY_CACHE) return process.env.EDDY_CACHE;
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'eddy');
}

export function pythonPath(): string {
  return process.env.EDDY_PYTHON || join(cacheDir(), 'venv', 'bin', 'python');
}

export function kafkaLibsDir(): string {
  return process.env.EDDY_KAFKA_LIBS || join(cacheDir(), `kafka-${KAFKA_VERSION}`, 'libs');
}

/** The `-cp` argument for the Kafka jars (the JVM expands the wildcard). */
export function kafkaClasspath(): string {
  return join(kafkaLibsDir(), '*');
}

let toolsLog4j: string | undefined;
/**
 * -Dlog4j2.configurationFile for Kafka's tools and Java clients: WARN and above to stderr. (Without a
 * config Log4j 2 prints errors to stdout, in the middle of what a tool prints.)
 */
export function toolsLog4jConfigFile(): string {
  if (toolsLog4j) return toolsLog4j;
  const file = join(cacheDir(), 'tools-log4j2.properties');
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
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
    mkdirSync(cacheDir(), { recursive: true });
    writeFileSync(file, text);
  }
  toolsLog4j = file;
  return file;
}

export function kcatPath(): string {
  return process.env.EDDY_KCAT || 'kcat';
}

export function javaPath(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

export function javacPath(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'javac') : 'javac';
}

export type ToolName = 'kcat' | 'kafka-python' | 'confluent-kafka' | 'java' | 'javac' | 'kafka-libs';

export interface ToolInfo {
  name: ToolName;
  available: boolean;
  version?: string;
  path?: string;
  /** Why it is unavailable. */
  reason?: string;
}

const INSTALL_ALL = 'run `bash .ci/run` once, or `source scripts/tools-env.sh && eddy_install_interop_tools`';

export const INSTALL_HINTS: Record<ToolName, string> = {
  kcat: 'apt-get install kcat (or set EDDY_KCAT=<path>)',
  'kafka-python': `${INSTALL_ALL} (or set EDDY_PYTHON to a python with kafka-python 3.x)`,
  'confluent-kafka': `${INSTALL_ALL} (or set EDDY_PYTHON to a python with confluent-kafka 2.x)`,
  java: 'apt-get install openjdk-17-jdk-headless (Java 17+ is needed for Kafka 4.x)',
  javac: 'apt-get install openjdk-17-jdk-headless',
  'kafka-libs': `${INSTALL_ALL} (or set EDDY_KAFKA_LIBS to a Kafka 4.x libs/ directory)`,
};

const cache = new Map<ToolName, ToolInfo>();

function run(cmd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error) return { ok: false, out: '', err: r.error.message };
  return { ok: r.status === 0, out: r.stdout ?? '', err: r.stderr ?? '' };
}

let pythonProbe: { ok: boolean; versions: Record<string, string | null>; err: string } | undefined;
function probePython() {
  if (pythonProbe) return pythonProbe;
  const py = pythonPath();
  if (!existsSync(py)) {
    pythonProbe = { ok: false, versions: {}, err: `${py} does not exist` };
    return pythonProbe;
  }
  const script = [
    'import json, importlib.metadata as m',
    'out = {}',
    "for name, mod in (('kafka-python', 'kafka'), ('confluent-kafka', 'confluent_kafka')):",
    '    try:',
    '        __import__(mod); out[name] = m.version(name)',
    '    except Exception:',
    '        out[name] = None',
    'print(json.dumps(out))',
  ].join('\n');
  const r = run(py, ['-c', script]);
  if (!r.ok) pythonProbe = { ok: false, versions: {}, err: r.err.trim() };
  else pythonProbe = { ok: true, versions: JSON.parse(r.out) as Record<string, string | null>, err: '' };
  return pythonProbe;
}

function detect(name: ToolName): ToolInfo {
  switch (name) {
    case 'kcat': {
      const r = run(kcatPath(), ['-V']);
      const m = r.out.match(/Version (\S+).*librdkafka (\S+)/);
      if (!r.ok || !m)
        return { name, available: false, reason: `${kcatPath()} -V failed: ${r.err.trim() || 'not found'}` };
      return { name, available: true, path: kcatPath(), version: `${m[1]} (librdkafka ${m[2]})` };
    }
    case 'kafka-python':
    case 'confluent-kafka': {
      const p = probePython();
      if (!p.ok) return { name, available: false, reason: `python at ${pythonPath()}: ${p.err}` };
      const v = p.versions[name];
      if (!v) return { name, available: false, reason: `${name} is not importable by ${pythonPath()}` };
      const major = Number(v.split('.')[0]);
      if ((name === 'kafka-python' && major < 3) || (name === 'confluent-kafka' && major < 2))
        return { name, available: false, reason: `${name} ${v} is too old` };
      return { name, available: true, path: pythonPath(), version: v };
    }
    case 'java':
    case 'javac': {
      const cmd = name === 'java' ? javaPath() : javacPath();
      const r = run(cmd, ['-version']);
      const text = r.out + r.err;
      const m = text.match(/(?:version "|javac )(\d+)[.\d]*/);
      if (!r.ok || !m)
        return { name, available: false, reason: `${cmd} -version failed: ${text.trim() || 'not found'}` };
      if (Number(m[1]) < 17)
        return { name, available: false, reason: `${cmd} is Java ${m[1]}; Kafka 4.x needs 17+` };
      return { name, available: true, path: cmd, version: m[0].replace(/^version "/, '') };
    }
    case 'kafka-libs': {
      const dir = kafkaLibsDir();
      if (!existsSync(dir)) return { name, available: false, reason: `${dir} does not exist` };
      const jars = readdirSync(dir);
      const need = [
        /^kafka_2\.13-4\.[\d.]+\.jar$/,
        /^kafka-tools-4\.[\d.]+\.jar$/,
        /^kafka-clients-4\.[\d.]+\.jar$/,
      ];
      const lacking = need.filter((re) => !jars.some((j) => re.test(j)));
      if (lacking.length)
        return { name, available: false, reason: `${dir} lacks ${lacking.map(String).join(', ')}` };
      const clients = jars.find((j) => /^kafka-clients-/.test(j))!;
      return { name, available: true, path: dir, version: clients.replace(/^kafka-clients-|\.jar$/g, '') };
    }
  }
}

/** Detect (once per process) whether a tool is usable. */
export function detectTool(name: ToolName): ToolInfo {
  let info = cache.get(name);
  if (!info) {
    info = detect(name);
    cache.set(name, info);
  }
  return info;
}

export function missingMessage(info: ToolInfo, installHint = INSTALL_HINTS[info.name]): string {
  return `${info.name} is not available (${info.reason}). To install: ${installHint}`;
}

interface Skippable {
  skip: (note?: string) => never;
}

/**
 * Return the tool when available. When it is missing: under CI=true throw (a missing tool is a
 * failure in CI); otherwise skip the current test via its context, with the install hint as the note
 * (without a context, throw as well so nothing runs half-configured).
 */
export function requireTool(
  name: ToolName,
  installHint: string = INSTALL_HINTS[name],
  ctx?: Skippable,
): ToolInfo {
  const info = detectTool(name);
  if (info.available) return info;
  const msg = missingMessage(info, installHint);
  if (isCI || !ctx) throw new Error(msg);
  console.warn(`[interop] skipping: ${msg}`);
  return ctx.skip(msg);
}
