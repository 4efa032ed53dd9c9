// SASL in Connection and Cluster against the fake broker, which here plays a real SCRAM server
// (it checks the client's proof against stored keys and signs with the server key) and a PLAIN
// server; plus the TLS failure sentences. Real Kafka: tests/interop/client-auth.test.ts.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey, type DecodedRequest } from '../../../src/engine/protocol/index.js';
import { Connection, tlsFailure } from '../../../src/engine/client/connection.js';
import { Cluster } from '../../../src/engine/client/cluster.js';
import { Admin } from '../../../src/engine/client/admin.js';
import { KafkaClientError, isRetriable } from '../../../src/engine/client/errors.js';
import type { SaslOptions } from '../../../src/engine/client/sasl.js';
import {
  KAFKA_4_RANGES,
  metadataReply,
  startFakeBroker,
  type FakeBroker,
  type HandlerResult,
  type Ranges,
} from './fake-broker.js';

const RANGES: Ranges = {
  ...KAFKA_4_RANGES,
  [ApiKey.SaslHandshake]: [0, 1],
  [ApiKey.SaslAuthenticate]: [0, 2],
};

const open: { brokers: FakeBroker[]; closers: (() => unknown)[] } = { brokers: [], closers: [] };
afterEach(async () => {
  for (const c of open.closers) await c();
  for (const b of open.brokers) await b.close();
  open.brokers = [];
  open.closers = [];
});

interface ServerUser {
  password: string;
}

interface FakeSaslOptions {
  mechanisms?: string[];
  users?: Record<string, ServerUser>;
  /** Answer the SCRAM final with a signature made from this password instead of the user's. */
  signWithPassword?: string;
  sessionLifetimeMs?: number;
}

/**
 * A SASL server per connection: SaslHandshake, then PLAIN or SCRAM in SaslAuthenticate, then
 * anything else only once authenticated (else the connection is dropped, as Kafka does).
 */
async function startSaslBroker(opts: FakeSaslOptions = {}): Promise<FakeBroker> {
  const mechanisms = opts.mechanisms ?? ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
  const users = opts.users ?? { alice: { password: 'alice-secret' } };
  const states = new WeakMap<
    object,
    { mechanism?: string; authenticated: boolean; scram?: ScramServerState }
  >();
  // The fake hands the handler the request, not the socket: the state belongs to the newest socket
  // (each test talks on one connection at a time).
  const stateFor = (
    b: FakeBroker,
  ): { mechanism?: string; authenticated: boolean; scram?: ScramServerState } => {
    const sock = [...b.sockets].at(-1)!;
    let st = states.get(sock);
    if (!st) states.set(sock, (st = { authenticated: false }));
    return st;
  };
  const broker = await startFakeBroker((req: DecodedRequest, b: FakeBroker): HandlerResult => {
    const st = stateFor(b);
    const body = req.body as unknown as Record<string, unknown>;
    if (req.header.apiKey === ApiKey.SaslHandshake) {
      const m = body.mechanism as string;
      if (!mechanisms.includes(m)) return { body: { errorCode: 33, mechanisms } };
      st.mechanism = m;
      return { body: { errorCode: 0, mechanisms } };
    }
    if (req.header.apiKey === ApiKey.SaslAuthenticate) {
      const bytes = body.authBytes as Buffer;
      const ok = (authBytes: Buffer) => ({
        body: { errorCode: 0, errorMessage: null, authBytes, sessionLifetimeMs: opts.sessionLifetimeMs ?? 0 },
      });
      const fail = (message: string) => ({
        body: { errorCode: 58, errorMessage: message, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 },
      });
      if (st.mechanism === 'PLAIN') {
        const [, user, password] = bytes.toString('utf8').split('\0');
        if (users[user]?.password !== password) return fail('Invalid username or password');
        st.authenticated = true;
        return ok(Buffer.alloc(0));
      }
      const hash = st.mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
      if (!st.scram) {
        const text = bytes.toString('utf8');
        const m = /^n,,n=([^,]+),r=(.+)$/.exec(text);
        const user = m && users[m[1]];
        if (!m || !user) return fail('unknown user');
        const salt = randomBytes(16);
        const serverFirst = `r=${m[2]}${randomBytes(12).toString('base64')},s=${salt.toString('base64')},i=4096`;
        st.scram = { hash, user, salt, clientFirstBare: text.slice(3), serverFirst };
        return ok(Buffer.from(serverFirst));
      }
      const verdict = scramVerify(st.scram, bytes.toString('utf8'), opts.signWithPassword);
      if (!verdict) return fail('Authentication failed during authentication due to invalid credentials');
      st.authenticated = true;
      return ok(Buffer.from(verdict));
    }
    if (!st.authenticated) return 'close';
    if (req.header.apiKey === ApiKey.Metadata) return metadataReply(b, { t: 1 });
    return null;
  }, RANGES);
  open.brokers.push(broker);
  return broker;
}

interface ScramServerState {
  hash: 'sha256' | 'sha512';
  user: ServerUser;
  salt: Buffer;
  clientFirstBare: string;
  serverFirst: string;
}

/** Server side of RFC 5802: check the proof, answer v=ServerSignature (or null when the proof is wrong). */
function scramVerify(st: ScramServerState, clientFinal: string, signWith?: string): string | null {
  const m = /^(c=biws,r=[^,]+),p=(.+)$/.exec(clientFinal);
  if (!m) return null;
  const len = st.hash === 'sha256' ? 32 : 64;
  const hmac = (key: Buffer, text: string) => createHmac(st.hash, key).update(text).digest();
  const authMessage = `${st.clientFirstBare},${st.serverFirst},${m[1]}`;
  const salted = pbkdf2Sync(st.user.password, st.salt, 4096, len, st.hash);
  const storedKey = createHash(st.hash).update(hmac(salted, 'Client Key')).digest();
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.from(m[2], 'base64');
  const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]));
  if (!createHash(st.hash).update(clientKey).digest().equals(storedKey)) return null;
  const signingSalted = signWith ? pbkdf2Sync(signWith, st.salt, 4096, len, st.hash) : salted;
  return `v=${hmac(hmac(signingSalted, 'Server Key'), authMessage).toString('base64')}`;
}

async function connect(broker: FakeBroker, sasl?: SaslOptions): Promise<Connection> {
  const conn = await Connection.connect({
    host: broker.host,
    port: broker.port,
    sasl,
    requestTimeoutMs: 5_000,
  });
  open.closers.push(() => conn.close());
  return conn;
}

const apiKeys = (broker: FakeBroker) => broker.requests.map((r) => r.header.apiKey);

describe('Connection: SASL', () => {
  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)(
    '%s: ApiVersions, SaslHandshake v1, two SaslAuthenticate, then requests',
    async (mechanism) => {
      const broker = await startSaslBroker();
      const conn = await connect(broker, { mechanism, username: 'alice', password: 'alice-secret' });
      const md = await conn.send(ApiKey.Metadata, { topics: null, allowAutoTopicCreation: false });
      expect(md.topics[0].name).toBe('t');
      expect(apiKeys(broker)).toEqual([
        ApiKey.ApiVersions,
        ApiKey.SaslHandshake,
        ApiKey.SaslAuthenticate,
        ApiKey.SaslAuthenticate,
        ApiKey.Metadata,
      ]);
      expect(broker.requests[1].header.apiVersion).toBe(1);
      expect(broker.requests[1].body).toMatchObject({ mechanism });
      expect(broker.requests[2].header.apiVersion).toBe(2);
    },
  );

  it('PLAIN: one SaslAuthenticate with NUL alice NUL password', async () => {
    const broker = await startSaslBroker();
    await connect(broker, { mechanism: 'PLAIN', username: 'alice', password: 'alice-secret' });
    expect(apiKeys(broker)).toEqual([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate]);
    expect((broker.requests[2].body as { authBytes: Buffer }).authBytes.toString()).toBe(
      '\0alice\0alice-secret',
    );
  });

  it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)(
    '%s: a wrong password is a non-retriable SASL_AUTHENTICATION_FAILED with a sentence',
    async (mechanism) => {
      const broker = await startSaslBroker();
      const err = await connect(broker, { mechanism, username: 'alice', password: 'nope' }).catch((e) => e);
      expect(err).toBeInstanceOf(KafkaClientError);
      expect(err.message).toBe(
        `The cluster refused user 'alice' (SASL ${mechanism}): check the user name and password.`,
      );
      expect(err.type).toBe('SASL_AUTHENTICATION_FAILED');
      expect(err.kind).toBe('authentication');
      expect(isRetriable(err)).toBe(false);
      expect(apiKeys(broker)).not.toContain(ApiKey.Metadata);
    },
  );

  it('SCRAM: a server that cannot prove it knows the password is refused', async () => {
    const broker = await startSaslBroker({ signWithPassword: 'impostor' });
    const err = await connect(broker, {
      mechanism: 'SCRAM-SHA-256',
      username: 'alice',
      password: 'alice-secret',
    }).catch((e) => e);
    expect(err.message).toMatch(
      /^Authentication of user 'alice' \(SASL SCRAM-SHA-256\) at 127\.0\.0\.1:\d+ failed: .*signature is wrong/,
    );
    expect(err.type).toBe('SASL_AUTHENTICATION_FAILED');
    expect(isRetriable(err)).toBe(false);
  });

  it('a mechanism the listener does not offer names the ones it does', async () => {
    const broker = await startSaslBroker({ mechanisms: ['PLAIN'] });
    const err = await connect(broker, {
      mechanism: 'SCRAM-SHA-512',
      username: 'alice',
      password: 'alice-secret',
    }).catch((e) => e);
    expect(err.message).toMatch(/does not accept SASL SCRAM-SHA-512 at .* \(it offers: PLAIN\)/);
    expect(err.type).toBe('UNSUPPORTED_SASL_MECHANISM');
    expect(isRetriable(err)).toBe(false);
  });

  it('without sasl no SASL request is sent (unchanged behaviour)', async () => {
    const broker = await startFakeBroker(
      (req, b) => (req.header.apiKey === ApiKey.Metadata ? metadataReply(b, { t: 1 }) : null),
      RANGES,
    );
    open.brokers.push(broker);
    const conn = await connect(broker);
    await conn.send(ApiKey.Metadata, { topics: null, allowAutoTopicCreation: false });
    expect(apiKeys(broker)).toEqual([ApiKey.ApiVersions, ApiKey.Metadata]);
  });

  it('an unauthenticated client dropped by a SASL listener is told about the SASL settings', async () => {
    const broker = await startSaslBroker();
    const conn = await connect(broker);
    await expect(conn.send(ApiKey.Metadata, { topics: null, allowAutoTopicCreation: false })).rejects.toThrow(
      /if this listener requires SASL/,
    );
  });
});

describe('Cluster: SASL', () => {
  it('authenticates every connection and fails once, without retrying, on a wrong password', async () => {
    const broker = await startSaslBroker();
    const good = new Admin({
      bootstrap: broker.address,
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'alice', password: 'alice-secret' },
    });
    open.closers.push(() => good.close());
    expect(await good.listTopics()).toEqual(['t']);

    broker.requests.length = 0;
    const bad = new Cluster({
      bootstrap: broker.address,
      retries: 5,
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'alice', password: 'wrong' },
    });
    open.closers.push(() => bad.close());
    let attempts = 0;
    const err = await bad
      .retry('connect', async () => {
        attempts++;
        await bad.refreshMetadata([]);
      })
      .catch((e) => e);
    expect(err.type).toBe('SASL_AUTHENTICATION_FAILED');
    expect(attempts).toBe(1);
    expect(apiKeys(broker).filter((k) => k === ApiKey.SaslHandshake)).toHaveLength(1);
  });

  it('hands over to a new, re-authenticated connection before the session lifetime ends', async () => {
    const broker = await startSaslBroker({ sessionLifetimeMs: 300 });
    const cluster = new Cluster({
      bootstrap: broker.address,
      sasl: { mechanism: 'PLAIN', username: 'alice', password: 'alice-secret' },
    });
    open.closers.push(() => cluster.close());
    const first = await cluster.anyConnection();
    await new Promise<void>((resolve) => first.once('close', () => resolve()));
    expect(first.closed).toBe(true);
    const second = await cluster.anyConnection();
    expect(second).not.toBe(first);
    await second.send(ApiKey.Metadata, { topics: null, allowAutoTopicCreation: false });
    expect(apiKeys(broker).filter((k) => k === ApiKey.SaslHandshake)).toHaveLength(2);
  });
});

describe('TLS failure sentences', () => {
  const fail = (code: string, message: string, extra: object = {}) =>
    tlsFailure(Object.assign(new Error(message), { code }, extra), '10.0.0.1:9093', 'kafka.local', {});

  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
  ])('%s: not trusted', (code, message) => {
    const err = fail(code, message)!;
    expect(err.message).toBe(
      `The broker's certificate is not trusted: ${message}. Add its CA in the profile or turn off verification.`,
    );
    expect(err.kind).toBe('tls');
    expect(isRetriable(err)).toBe(false);
    expect(err.broker).toBe('10.0.0.1:9093');
  });

  it('a wrong host name names the host', () => {
    const err = fail('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", {
      reason: "Host: kafka.local. is not in the cert's altnames: DNS:localhost",
    })!;
    expect(err.message).toBe(
      "The broker's certificate is not valid for the host name 'kafka.local': Host: kafka.local. is not in the cert's altnames: DNS:localhost. Connect by a name the certificate lists, set the TLS server name in the profile, or turn off verification.",
    );
  });

  it('expired, not yet valid, handshake errors; plain network errors are left to the caller', () => {
    expect(fail('CERT_HAS_EXPIRED', 'certificate has expired')!.message).toMatch(/has expired/);
    expect(fail('CERT_NOT_YET_VALID', 'certificate is not yet valid')!.message).toMatch(/not valid yet/);
    expect(fail('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number')!.message).toMatch(
      /TLS handshake with broker 10\.0\.0\.1:9093 failed: wrong version number/,
    );
    const reset = fail(
      'ECONNRESET',
      'Client network socket disconnected before secure TLS connection was established',
    )!;
    expect(reset.message).toMatch(/closed the connection during the TLS handshake/);
    expect(reset.retriable).toBe(true);
    expect(fail('ECONNREFUSED', 'connect ECONNREFUSED')).toBeNull();
  });
});
