/**
 * The 'connections' service and the LinkProvider every other service asks for the active cluster.
 *
 * It starts on the embedded cluster (whose engine may still be starting) and switches to an
 * external cluster from a saved profile on `activate`, after checking that the cluster answers.
 * Profiles live in a JSON file (mode 0600, replaced atomically); passwords stay on the host: the UI
 * only learns `hasPassword`, and saving with an empty password keeps the stored one.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Admin, KafkaClientError, parseBootstrap, type ClusterOptions } from '../../engine/client/index.js';
import type { Engine } from '../../engine/runtime/engine.js';
import {
  EMBEDDED_CONNECTION_ID,
  type ActiveConnection,
  type ConnectionProfileView,
  type ConnectionTestResult,
  type EddyServices,
  type SaslMechanism,
} from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import { ExternalMonitor, registerMonitor } from './external-monitor.js';
import {
  clusterLink,
  embeddedLink,
  sentence,
  toEddyError,
  type ClusterLink,
  type LinkProvider,
} from './link.js';

/** A profile as stored on the host, password included. */
export interface StoredProfile {
  id: string;
  name: string;
  bootstrap: string;
  sasl: { mechanism: SaslMechanism; username: string; password: string } | null;
  tls: { caPem: string | null; verifyCertificates: boolean } | null;
}

/** A profile as the UI sends it (id absent for a new one; empty password keeps the stored one). */
type ProfileInput = Omit<StoredProfile, 'id'> & { id?: string };

export interface ConnectionsOptions {
  /** The embedded cluster's engine, possibly still starting. */
  engine: Engine | Promise<Engine>;
  /** Where profiles are kept; without it they last as long as the process. */
  profilesFile?: string;
  /** How long `test` and `activate` wait for an external cluster to answer (default 8 s). */
  connectTimeoutMs?: number;
}

const EMBEDDED_NAME = 'Embedded cluster';
const FILE_VERSION = 1;
const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** The client options for a profile: bootstrap, SASL and TLS as Eddy's client takes them. */
export function profileClusterOptions(profile: StoredProfile): Omit<ClusterOptions, 'clientId'> {
  const options: Omit<ClusterOptions, 'clientId'> = { bootstrap: profile.bootstrap, connectTimeoutMs: 5000 };
  if (profile.sasl)
    options.sasl = {
      mechanism: profile.sasl.mechanism,
      username: profile.sasl.username,
      password: profile.sasl.password,
    };
  if (profile.tls)
    options.tls = {
      ...(profile.tls.caPem ? { ca: profile.tls.caPem } : {}),
      rejectUnauthorized: profile.tls.verifyCertificates,
    };
  return options;
}

export function profileView(p: StoredProfile): ConnectionProfileView {
  return {
    id: p.id,
    name: p.name,
    bootstrap: p.bootstrap,
    sasl: p.sasl
      ? { mechanism: p.sasl.mechanism, username: p.sasl.username, hasPassword: p.sasl.password !== '' }
      : null,
    tls: p.tls ? { caPem: p.tls.caPem, verifyCertificates: p.tls.verifyCertificates } : null,
  };
}

function isStoredProfile(v: unknown): v is StoredProfile {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  const sasl = p['sasl'] as Record<string, unknown> | null;
  const tls = p['tls'] as Record<string, unknown> | null;
  return (
    typeof p['id'] === 'string' &&
    /^[a-z0-9-]{1,64}$/.test(p['id']) &&
    p['id'] !== EMBEDDED_CONNECTION_ID &&
    typeof p['name'] === 'string' &&
    typeof p['bootstrap'] === 'string' &&
    (sasl === null ||
      (typeof sasl === 'object' &&
        SASL_MECHANISMS.includes(sasl['mechanism'] as SaslMechanism) &&
        typeof sasl['username'] === 'string' &&
        typeof sasl['password'] === 'string')) &&
    (tls === null ||
      (typeof tls === 'object' &&
        (tls['caPem'] === null || typeof tls['caPem'] === 'string') &&
        typeof tls['verifyCertificates'] === 'boolean'))
  );
}

/** Reads the profiles file; a file that is not ours is moved aside (never overwritten). */
function loadProfiles(file: string | undefined): Map<string, StoredProfile> {
  const out = new Map<string, StoredProfile>();
  if (!file) return out;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  try {
    const data = JSON.parse(text) as { profiles?: unknown };
    if (!Array.isArray(data.profiles)) throw new Error('no profiles list');
    for (const p of data.profiles) if (isStoredProfile(p)) out.set(p.id, p);
  } catch {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      renameSync(file, `${file}.unreadable-${Date.now()}`);
    } catch {
      // leave it; the next save replaces it
    }
  }
  return out;
}

/** Writes the file whole: a temp file (0600) beside it, flushed, then renamed over it. */
async function writeProfiles(file: string, profiles: StoredProfile[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify({ version: FILE_VERSION, profiles }, null, 2) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** A readable id from the name plus a random tail: "Prod EU" → "prod-eu-3f9a1c". */
function newProfileId(name: string, taken: (id: string) => boolean): string {
  const slug =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'cluster';
  for (;;) {
    const id = `${slug}-${randomBytes(3).toString('hex')}`;
    if (id !== EMBEDDED_CONNECTION_ID && !taken(id)) return id;
  }
}

/** Asks a cluster who it is, within `timeoutMs`; throws the client's error. */
async function probe(options: Omit<ClusterOptions, 'clientId'>, timeoutMs: number) {
  const admin = new Admin({
    ...options,
    clientId: 'eddy-ui-test',
    connectTimeoutMs: Math.min(timeoutMs, 5000),
    requestTimeoutMs: timeoutMs,
    retries: 1,
    retryBackoffMs: 200,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      admin.describeCluster(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new KafkaClientError(
                `no answer from ${String(options.bootstrap)} within ${Math.round(timeoutMs / 1000)} s`,
                {
                  kind: 'timeout',
                  retriable: true,
                },
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await admin.close();
  }
}

function checkProfile(p: ProfileInput): void {
  if (p.id === EMBEDDED_CONNECTION_ID)
    throw new EddyError('INVALID_ARGUMENT', {
      message: 'The embedded cluster needs no profile; choose another name for this one.',
    });
  try {
    parseBootstrap(p.bootstrap);
  } catch (err) {
    throw new EddyError('INVALID_ARGUMENT', {
      message: sentence(
        `Bootstrap servers must be host:port pairs separated by commas: ${(err as Error).message}`,
      ),
      detail: 'bootstrap',
    });
  }
  if (
    p.tls?.caPem !== null &&
    p.tls?.caPem !== undefined &&
    !p.tls.caPem.includes('-----BEGIN CERTIFICATE-----')
  )
    throw new EddyError('INVALID_ARGUMENT', {
      message: 'The CA certificate must be in PEM form, starting with -----BEGIN CERTIFICATE-----.',
      detail: 'tls.caPem',
    });
}

type Active =
  | { kind: 'embedded' }
  | {
      kind: 'external';
      profile: StoredProfile;
      link: ClusterLink;
      monitor: ExternalMonitor;
      state: ActiveConnection['state'];
      message: string | null;
    };

interface EngineState {
  promise: Promise<Engine>;
  engine: Engine | null;
  error: Error | null;
}

export class Connections implements LinkProvider {
  private readonly file: string | undefined;
  private readonly connectTimeoutMs: number;
  private readonly profiles: Map<string, StoredProfile>;
  private engineState!: EngineState;
  private embedded: ClusterLink | null = null;
  private active: Active = { kind: 'embedded' };
  private readonly linkListeners = new Set<(link: ClusterLink) => void>();
  private readonly activeListeners = new Set<(active: ActiveConnection) => void>();
  /** Switches and saves run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private lastActiveKey = '';
  private disposed = false;

  constructor(options: ConnectionsOptions) {
    this.file = options.profilesFile;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 8000;
    this.profiles = loadProfiles(this.file);
    this.setEngine(options.engine);
  }

  // ---- LinkProvider --------------------------------------------------------------------------

  async current(): Promise<ClusterLink> {
    const a = this.active;
    if (a.kind === 'external') return a.link;
    return this.embeddedLink(await this.readyEngine());
  }

  onChange(listener: (link: ClusterLink) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  reportHealth(link: ClusterLink, error: unknown): void {
    const a = this.active;
    if (a.kind !== 'external' || a.link !== link) return;
    const state = error ? 'failed' : 'connected';
    const message = error ? toEddyError(error).message : null;
    if (a.state === state && a.message === message) return;
    a.state = state;
    a.message = message;
    this.publishActive();
  }

  // ---- the embedded engine -------------------------------------------------------------------

  /**
   * The embedded engine changed (settings applied: the old one stopped, this one starting). The
   * embedded link is made anew on it; streams on the embedded cluster follow once it runs.
   */
  setEngine(engine: Engine | Promise<Engine>): void {
    const state: EngineState = { promise: Promise.resolve(engine), engine: null, error: null };
    this.engineState = state;
    const old = this.embedded;
    this.embedded = null;
    state.promise.then(
      (e) => {
        if (this.engineState !== state || this.disposed) return;
        state.engine = e;
        if (this.active.kind === 'embedded') this.announce(this.embeddedLink(e));
        this.publishActive();
      },
      (err: unknown) => {
        if (this.engineState !== state) return;
        state.error = err instanceof Error ? err : new Error(String(err));
        this.publishActive();
      },
    );
    if (old) void old.close();
    this.publishActive();
  }

  /** The engine, waiting for one that is starting; ENGINE_NOT_RUNNING when it did not start. */
  async readyEngine(): Promise<Engine> {
    for (;;) {
      const s = this.engineState;
      try {
        const e = await s.promise;
        if (s === this.engineState) return e;
      } catch (err) {
        if (s !== this.engineState) continue;
        throw new EddyError('ENGINE_NOT_RUNNING', {
          detail: (err as Error)?.message ?? String(err),
          cause: err,
        });
      }
    }
  }

  private embeddedLink(engine: Engine): ClusterLink {
    if (this.embedded?.engine !== engine) this.embedded = embeddedLink(engine);
    return this.embedded;
  }

  // ---- the active connection -----------------------------------------------------------------

  activeView(): ActiveConnection {
    const a = this.active;
    if (a.kind === 'external')
      return {
        id: a.profile.id,
        name: a.profile.name,
        kind: 'external',
        bootstrap: a.profile.bootstrap,
        capabilities: { brokerLifecycle: false, files: false, timeline: false },
        state: a.state,
        message: a.message,
      };
    const s = this.engineState;
    return {
      id: EMBEDDED_CONNECTION_ID,
      name: EMBEDDED_NAME,
      kind: 'embedded',
      bootstrap: s.engine?.bootstrap ?? '',
      capabilities: { brokerLifecycle: true, files: true, timeline: true },
      state: s.engine ? 'connected' : s.error ? 'failed' : 'connecting',
      message: s.error ? sentence(`The embedded cluster did not start: ${s.error.message}`) : null,
    };
  }

  private publishActive(): void {
    const view = this.activeView();
    const key = JSON.stringify(view);
    if (key === this.lastActiveKey) return;
    this.lastActiveKey = key;
    for (const l of [...this.activeListeners]) l(view);
  }

  private announce(link: ClusterLink): void {
    for (const l of [...this.linkListeners]) {
      try {
        l(link);
      } catch {
        // a listener's own failure is its stream's business
      }
    }
  }

  /** Makes `next` active, tells the services, then closes what was active before. */
  private switchTo(next: Active): void {
    const previous = this.active;
    this.active = next;
    if (next.kind === 'external') this.announce(next.link);
    else if (this.engineState.engine) this.announce(this.embeddedLink(this.engineState.engine));
    this.publishActive();
    if (previous.kind === 'external') void closeExternal(previous);
    else if (next.kind === 'external' && this.embedded) {
      const old = this.embedded;
      this.embedded = null;
      void old.close();
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A link and its monitor for a profile; the monitor polls from now on. */
  private externalFor(profile: StoredProfile): Active & { kind: 'external' } {
    const link = clusterLink(profile.id, profileClusterOptions(profile));
    const monitor = new ExternalMonitor(link);
    registerMonitor(link, monitor);
    const entry: Active & { kind: 'external' } = {
      kind: 'external',
      profile,
      link,
      monitor,
      state: 'connecting',
      message: null,
    };
    monitor.on('health', (err: unknown) => this.reportHealth(link, err));
    monitor.start();
    return entry;
  }

  async activate(id: string): Promise<ActiveConnection> {
    return this.serial(async () => {
      if (id === EMBEDDED_CONNECTION_ID) {
        if (this.active.kind !== 'embedded') this.switchTo({ kind: 'embedded' });
        return this.activeView();
      }
      const profile = this.profiles.get(id);
      if (!profile)
        throw new EddyError('NOT_FOUND', {
          message: 'That connection profile does not exist (any more).',
          detail: id,
        });
      try {
        await probe(profileClusterOptions(profile), this.connectTimeoutMs);
      } catch (err) {
        throw this.unreachable(profile, err);
      }
      if (this.disposed) throw new EddyError('CANCELLED');
      const next = this.externalFor(profile);
      next.state = 'connected';
      this.switchTo(next);
      return this.activeView();
    });
  }

  private unreachable(profile: { name: string; bootstrap: string }, err: unknown): EddyError {
    const e = toEddyError(err);
    const reason = e.message.replace(/\.$/, '');
    if (e.code === 'AUTHENTICATION_FAILED')
      return new EddyError('AUTHENTICATION_FAILED', {
        message: sentence(`${profile.name} refused the login: ${reason}`),
        detail: e.detail,
        cause: err,
      });
    return new EddyError('CLUSTER_UNREACHABLE', {
      message: sentence(`Could not connect to ${profile.name} (${profile.bootstrap}): ${reason}`),
      detail: e.detail,
      cause: err,
    });
  }

  // ---- profiles ------------------------------------------------------------------------------

  list(): ConnectionProfileView[] {
    return [...this.profiles.values()]
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map(profileView);
  }

  /** The stored profile for what the UI sent: an empty password means the stored one. */
  private resolve(input: ProfileInput): StoredProfile {
    const existing = input.id ? this.profiles.get(input.id) : undefined;
    const sasl = input.sasl
      ? {
          mechanism: input.sasl.mechanism,
          username: input.sasl.username,
          password: input.sasl.password !== '' ? input.sasl.password : (existing?.sasl?.password ?? ''),
        }
      : null;
    return {
      id: input.id ?? '',
      name: input.name.trim(),
      bootstrap: input.bootstrap.trim(),
      sasl,
      tls: input.tls ? { caPem: input.tls.caPem, verifyCertificates: input.tls.verifyCertificates } : null,
    };
  }

  async save(input: ProfileInput): Promise<ConnectionProfileView> {
    checkProfile(input);
    if (input.name.trim() === '')
      throw new EddyError('INVALID_ARGUMENT', { message: 'Give the connection a name.', detail: 'name' });
    return this.serial(async () => {
      if (input.id !== undefined && !this.profiles.has(input.id))
        throw new EddyError('NOT_FOUND', {
          message: 'That connection profile does not exist (any more).',
          detail: input.id,
        });
      const profile = this.resolve(input);
      if (!profile.id) profile.id = newProfileId(profile.name, (id) => this.profiles.has(id));
      const before = this.profiles.get(profile.id);
      this.profiles.set(profile.id, profile);
      try {
        await this.persist();
      } catch (err) {
        if (before) this.profiles.set(profile.id, before);
        else this.profiles.delete(profile.id);
        throw new EddyError('INTERNAL', {
          message: sentence(
            `Could not save the connection profiles to ${this.file}: ${(err as Error).message}`,
          ),
          cause: err,
        });
      }
      const a = this.active;
      if (a.kind === 'external' && a.profile.id === profile.id) {
        const sameLink =
          JSON.stringify(profileClusterOptions(a.profile)) === JSON.stringify(profileClusterOptions(profile));
        if (sameLink) {
          a.profile = profile;
          this.publishActive();
        } else {
          // New address or credentials for the cluster on screen: reconnect; the monitor's first
          // poll says whether it answers.
          this.switchTo(this.externalFor(profile));
        }
      }
      return profileView(profile);
    });
  }

  async remove(id: string): Promise<void> {
    if (id === EMBEDDED_CONNECTION_ID)
      throw new EddyError('INVALID_ARGUMENT', {
        message: 'The embedded cluster is always there; it cannot be removed.',
      });
    return this.serial(async () => {
      const profile = this.profiles.get(id);
      if (!profile)
        throw new EddyError('NOT_FOUND', {
          message: 'That connection profile does not exist (any more).',
          detail: id,
        });
      this.profiles.delete(id);
      try {
        await this.persist();
      } catch (err) {
        this.profiles.set(id, profile);
        throw new EddyError('INTERNAL', {
          message: sentence(
            `Could not save the connection profiles to ${this.file}: ${(err as Error).message}`,
          ),
          cause: err,
        });
      }
      if (this.active.kind === 'external' && this.active.profile.id === id)
        this.switchTo({ kind: 'embedded' });
    });
  }

  async test(input: ProfileInput): Promise<ConnectionTestResult> {
    try {
      checkProfile({ ...input, id: undefined });
    } catch (err) {
      return { ok: false, clusterId: null, brokers: 0, message: (err as Error).message };
    }
    const profile = this.resolve(input);
    try {
      const d = await probe(profileClusterOptions(profile), this.connectTimeoutMs);
      return { ok: true, clusterId: d.clusterId, brokers: d.brokers.length, message: null };
    } catch (err) {
      return { ok: false, clusterId: null, brokers: 0, message: this.unreachable(profile, err).message };
    }
  }

  private persist(): Promise<void> {
    if (!this.file) return Promise.resolve();
    return writeProfiles(this.file, [...this.profiles.values()]);
  }

  onActive(listener: (active: ActiveConnection) => void): () => void {
    this.activeListeners.add(listener);
    return () => this.activeListeners.delete(listener);
  }

  /** Closes every client and monitor (the host is shutting down). */
  async dispose(): Promise<void> {
    this.disposed = true;
    const a = this.active;
    this.active = { kind: 'embedded' };
    this.linkListeners.clear();
    this.activeListeners.clear();
    await Promise.allSettled([a.kind === 'external' ? closeExternal(a) : undefined, this.embedded?.close()]);
    this.embedded = null;
  }

  /** The contract's face of this provider. */
  service(): EddyServices['connections'] {
    return {
      list: () => this.list(),
      save: (_ctx, profile) => this.save(profile),
      remove: (_ctx, id) => this.remove(id),
      test: (_ctx, profile) => this.test(profile),
      activate: (_ctx, id) => this.activate(id),
      onActive: (ctx) => {
        ctx.emit(this.activeView());
        return this.onActive((view) => ctx.emit(view));
      },
    };
  }
}

async function closeExternal(a: Active & { kind: 'external' }): Promise<void> {
  await Promise.allSettled([a.monitor.stop(), a.link.close()]);
}

export function connectionsService(connections: Connections): EddyServices['connections'] {
  return connections.service();
}
