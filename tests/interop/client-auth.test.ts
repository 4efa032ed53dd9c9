// Interop: Eddy's own client (src/engine/client) against real Apache Kafka 4.x with authentication
// and encryption (harness/kafka-auth.ts): SASL PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 over
// SASL_PLAINTEXT, TLS over SSL (CA from keytool), SCRAM over SASL_SSL. Each works end to end with
// Admin + Producer + Consumer; wrong passwords, untrusted certificates and wrong host names fail at
// once with a sentence a person can act on. Kafka only (EDDY_INTEROP_TARGETS without kafka skips it);
// without Java or the Kafka jars it skips locally and fails under CI=true, like the other suites.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Admin,
  Cluster,
  Consumer,
  KafkaClientError,
  Producer,
  type ClusterOptions,
  type ConsumerRecord,
} from '../../src/engine/client/index.js';
import { isRetriable } from '../../src/engine/client/errors.js';
import { startAuthKafka, type AuthKafkaServer } from './harness/kafka-auth.js';
import { killAllChildren } from './harness/proc.js';
import { targetEnabled, targetTools } from './harness/targets.js';
import { detectTool, isCI, requireTool } from './harness/tools.js';

const TOOLS = targetTools('kafka');
const RECORDS = 50;

function uniqueTopic(label: string): string {
  return `auth.${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Create a topic, produce RECORDS records, read them back: all three with the same options. */
async function roundTrip(options: ClusterOptions, label: string): Promise<void> {
  const topic = uniqueTopic(label);
  const cluster = new Cluster({ clientId: `eddy-auth-${label}`, retries: 10, ...options });
  const readCluster = new Cluster({ clientId: `eddy-auth-${label}-read`, retries: 10, ...options });
  const admin = new Admin(cluster);
  const producer = new Producer(cluster, { acks: -1, lingerMs: 2 });
  const consumer = new Consumer(readCluster, { maxWaitMs: 200 });
  try {
    const [created] = await admin.createTopics([{ name: topic, numPartitions: 2, replicationFactor: 1 }]);
    expect(created.error).toBeFalsy();
    const acks = await Promise.all(
      Array.from({ length: RECORDS }, (_, i) =>
        producer.send({ topic, key: `key-${i}`, value: `${label}-${i}`, headers: { via: label } }),
      ),
    );
    expect(acks.every((a) => a.offset >= 0)).toBe(true);
    await producer.flush();
    // The broker list came from the listener we bootstrapped on: every connection used its security.
    const d = await admin.describeCluster();
    const bootstrap = Array.isArray(options.bootstrap) ? options.bootstrap[0] : options.bootstrap;
    expect(d.brokers.map((b) => `${b.host}:${b.port}`)).toEqual([bootstrap]);

    consumer.assign(
      [0, 1].map((partition) => ({ topic, partition })),
      'beginning',
    );
    const got: ConsumerRecord[] = [];
    for await (const r of consumer) {
      got.push(r);
      if (got.length === RECORDS) break;
    }
    expect(got.map((r) => r.value?.toString()).sort()).toEqual(
      Array.from({ length: RECORDS }, (_, i) => `${label}-${i}`).sort(),
    );
    expect(got.every((r) => r.headers.some((h) => h.key === 'via' && h.value?.toString() === label))).toBe(
      true,
    );
    expect(await admin.listTopics()).toContain(topic);
  } finally {
    await producer.close();
    await consumer.close();
    await cluster.close();
    await readCluster.close();
  }
}

/**
 * Connect once through Cluster.retry (the loop every Admin / Producer / Consumer call runs in) and
 * return the error and how many attempts were made: a refusal must be final after one attempt.
 */
async function connectFailure(
  options: ClusterOptions,
): Promise<{ error: KafkaClientError; attempts: number }> {
  const cluster = new Cluster({ clientId: 'eddy-auth-fail', retries: 5, ...options });
  let attempts = 0;
  try {
    await cluster.retry('connecting', async () => {
      attempts++;
      await cluster.refreshMetadata([]);
    });
  } catch (err) {
    expect(err).toBeInstanceOf(KafkaClientError);
    return { error: err as KafkaClientError, attempts };
  } finally {
    await cluster.close();
  }
  throw new Error('the connection was expected to fail');
}

describe.skipIf(!targetEnabled('kafka'))('eddy client ↔ Apache Kafka with SASL and TLS', () => {
  let server: AuthKafkaServer | undefined;

  beforeAll(async () => {
    // Missing tools: start nothing; each test then skips locally or, under CI=true, fails.
    if (TOOLS.some((t) => !detectTool(t).available)) {
      if (isCI) for (const t of TOOLS) requireTool(t);
      return;
    }
    server = await startAuthKafka();
  }, 180_000);

  afterAll(async () => {
    try {
      await server?.dispose();
    } finally {
      killAllChildren('SIGKILL');
    }
  });

  const test = (name: string, fn: (s: AuthKafkaServer) => Promise<void>) =>
    it(
      name,
      async (ctx) => {
        for (const tool of TOOLS) requireTool(tool, undefined, ctx);
        try {
          await fn(server!);
        } catch (err) {
          throw new Error(`${(err as Error).stack ?? String(err)}\n${server!.logTail(40)}`, { cause: err });
        }
      },
      90_000,
    );

  test('SASL PLAIN over SASL_PLAINTEXT: create, produce, consume', async (s) => {
    await roundTrip({ bootstrap: s.saslPlaintext, sasl: { mechanism: 'PLAIN', ...s.users.plain } }, 'plain');
  });

  test('SASL SCRAM-SHA-256 over SASL_PLAINTEXT: create, produce, consume', async (s) => {
    await roundTrip(
      { bootstrap: s.saslPlaintext, sasl: { mechanism: 'SCRAM-SHA-256', ...s.users.scram256 } },
      'scram256',
    );
  });

  test('SASL SCRAM-SHA-512 over SASL_PLAINTEXT: create, produce, consume', async (s) => {
    await roundTrip(
      { bootstrap: s.saslPlaintext, sasl: { mechanism: 'SCRAM-SHA-512', ...s.users.scram512 } },
      'scram512',
    );
  });

  test('TLS over SSL, verified against the CA: create, produce, consume', async (s) => {
    await roundTrip({ bootstrap: s.ssl, tls: { ca: s.caPem } }, 'tls');
  });

  test('SCRAM-SHA-512 over SASL_SSL: create, produce, consume', async (s) => {
    await roundTrip(
      {
        bootstrap: s.saslSsl,
        tls: { ca: s.caPem },
        sasl: { mechanism: 'SCRAM-SHA-512', ...s.users.scram512 },
      },
      'saslssl',
    );
  });

  test('TLS by host name (SNI localhost) against the CA', async (s) => {
    const port = s.ssl.split(':')[1];
    const admin = new Admin({ bootstrap: `localhost:${port}`, tls: { ca: s.caPem } });
    try {
      expect((await admin.describeCluster()).brokers).toHaveLength(1);
    } finally {
      await admin.close();
    }
  });

  test('a wrong SCRAM password is refused at once with SASL_AUTHENTICATION_FAILED', async (s) => {
    const { error, attempts } = await connectFailure({
      bootstrap: s.saslPlaintext,
      sasl: { mechanism: 'SCRAM-SHA-256', username: s.users.scram256.username, password: 'wrong' },
    });
    expect(error.message).toBe(
      "The cluster refused user 'alice' (SASL SCRAM-SHA-256): check the user name and password.",
    );
    expect(error.type).toBe('SASL_AUTHENTICATION_FAILED');
    expect(error.kind).toBe('authentication');
    expect(error.retriable).toBe(false);
    expect(isRetriable(error)).toBe(false);
    expect(attempts).toBe(1);

    // The same through the public API: Admin fails with the same error.
    const admin = new Admin({
      bootstrap: s.saslPlaintext,
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'carol', password: 'alice-secret' },
    });
    try {
      await expect(admin.listTopics()).rejects.toMatchObject({
        type: 'SASL_AUTHENTICATION_FAILED',
        message: "The cluster refused user 'carol' (SASL SCRAM-SHA-512): check the user name and password.",
      });
    } finally {
      await admin.close();
    }
  });

  test('a wrong PLAIN password and an unknown user are refused at once', async (s) => {
    for (const [username, password] of [
      [s.users.plain.username, 'wrong'],
      ['nobody', 'x'],
    ]) {
      const { error, attempts } = await connectFailure({
        bootstrap: s.saslPlaintext,
        sasl: { mechanism: 'PLAIN', username, password },
      });
      expect(error.message).toBe(
        `The cluster refused user '${username}' (SASL PLAIN): check the user name and password.`,
      );
      expect(error.type).toBe('SASL_AUTHENTICATION_FAILED');
      expect(attempts).toBe(1);
    }
  });

  test('SASL against a listener without SASL says so', async (s) => {
    const { error, attempts } = await connectFailure({
      bootstrap: s.plaintext,
      sasl: { mechanism: 'PLAIN', ...s.users.plain },
    });
    expect(error.message).toMatch(/does not expect SASL on this listener/);
    expect(error.type).toBe('ILLEGAL_SASL_STATE');
    expect(attempts).toBe(1);
  });

  test('no SASL against a SASL listener hints at the SASL settings', async (s) => {
    const { error } = await connectFailure({ bootstrap: s.saslPlaintext, retries: 0 });
    expect(error.message).toMatch(/if this listener requires SASL/);
  });

  test('TLS without the CA fails with "not trusted", at once', async (s) => {
    const { error, attempts } = await connectFailure({ bootstrap: s.ssl, tls: {} });
    expect(error.message).toMatch(
      /^The broker's certificate is not trusted: self-signed certificate( in certificate chain)?\. Add its CA in the profile or turn off verification\.$/,
    );
    expect(error.kind).toBe('tls');
    expect(attempts).toBe(1);
  });

  test('TLS with verification turned off works without the CA', async (s) => {
    await roundTrip({ bootstrap: s.ssl, tls: { rejectUnauthorized: false } }, 'noverify');
  });

  test('TLS with a server name the certificate does not list fails with the host name', async (s) => {
    const { error, attempts } = await connectFailure({
      bootstrap: s.ssl,
      tls: { ca: s.caPem, servername: 'wrong.example' },
    });
    expect(error.message).toMatch(
      /^The broker's certificate is not valid for the host name 'wrong\.example': /,
    );
    expect(error.message).toMatch(/set the TLS server name in the profile, or turn off verification\.$/);
    expect(error.kind).toBe('tls');
    expect(attempts).toBe(1);
  });

  test('plaintext against a TLS listener hints at TLS', async (s) => {
    const { error } = await connectFailure({ bootstrap: s.ssl, retries: 0 });
    expect(error.message).toMatch(/turn on TLS/);
  });
});
