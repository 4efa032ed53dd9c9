/**
 * SASL mechanics for the client: PLAIN (RFC 4616) and SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802,
 * RFC 7677) as Kafka speaks them inside SaslAuthenticate requests (KIP-152).
 *
 * The SCRAM messages are built and parsed by pure functions (testable with the RFC vectors); a
 * `SaslSession` strings them together for one exchange: `respond(null)` gives the first client
 * message, `respond(serverBytes)` the next one, and null once the exchange is complete (for SCRAM
 * only after the server's signature has been verified, so a server that does not know the password
 * cannot pass itself off as the cluster).
 */
import { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

export interface SaslOptions {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/** A SASL exchange that cannot go on: a malformed or dishonest server message, or unusable credentials. */
export class SaslError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaslError';
  }
}

// ---------------------------------------------------------------------------------------------
// PLAIN

/** The single PLAIN message: authzid NUL authcid NUL password (authzid empty, as Kafka's client). */
export function plainAuthBytes(username: string, password: string, authzid = ''): Buffer {
  if (username.length === 0) throw new SaslError('the SASL user name is empty');
  if (username.includes('\0') || password.includes('\0') || authzid.includes('\0'))
    throw new SaslError('a SASL PLAIN user name or password cannot contain a NUL character');
  return Buffer.from(`${authzid}\0${username}\0${password}`, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// SCRAM

/** Hash functions SCRAM is defined for here; sha1 only for RFC 5802's own example. */
export type ScramHash = 'sha1' | 'sha256' | 'sha512';

export function scramHashFor(mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'): ScramHash {
  return mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
}

const HASH_BYTES: Record<ScramHash, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** Kafka's own client refuses fewer iterations than this for SCRAM-SHA-256 and -512 (ScramMechanism). */
export const SCRAM_MIN_ITERATIONS = 4096;

/** The GS2 header of a client that neither supports nor wants channel binding, and no authzid. */
const GS2_HEADER = 'n,,';

/** RFC 5802 saslname: '=' and ',' are escaped as =3D and =2C. */
export function scramSaslName(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** A client nonce: 32 random bytes as base64 (printable, never a comma). */
export function scramNonce(): string {
  return randomBytes(32).toString('base64');
}

export interface ScramClientFirst {
  /** client-first-message-bare: n=<user>,r=<nonce> (part of the AuthMessage). */
  bare: string;
  /** What is sent: the GS2 header and the bare message. */
  message: string;
}

export function scramClientFirst(username: string, nonce: string): ScramClientFirst {
  if (username.length === 0) throw new SaslError('the SASL user name is empty');
  if (nonce.length === 0 || !/^[\x21-\x2b\x2d-\x7e]+$/.test(nonce))
    throw new SaslError('a SCRAM nonce must be printable ASCII without commas');
  const bare = `n=${scramSaslName(username)},r=${nonce}`;
  return { bare, message: GS2_HEADER + bare };
}

export interface ScramServerFirst {
  /** The whole message as received (part of the AuthMessage). */
  raw: string;
  /** The combined nonce: the client's followed by the server's part. */
  nonce: string;
  salt: Buffer;
  iterations: number;
}

/** Splits "a=x,b=y" into attributes in order; values may contain '=' (base64 padding). */
function scramAttributes(message: string, what: string): { name: string; value: string }[] {
  if (message.length === 0) throw new SaslError(`the server's ${what} is empty`);
  return message.split(',').map((part) => {
    const m = /^([A-Za-z])=(.*)$/s.exec(part);
    if (!m) throw new SaslError(`the server's ${what} is malformed near '${part.slice(0, 40)}'`);
    return { name: m[1], value: m[2] };
  });
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(value: string, what: string): Buffer {
  if (!BASE64.test(value)) throw new SaslError(`the server's ${what} is not valid base64`);
  return Buffer.from(value, 'base64');
}

/**
 * Parses server-first-message: r=<nonce>,s=<salt>,i=<iterations>[,extensions]. The nonce must
 * extend the client's; the iteration count must be at least SCRAM_MIN_ITERATIONS.
 */
export function parseScramServerFirst(message: string, clientNonce: string): ScramServerFirst {
  const attrs = scramAttributes(message, 'SCRAM first message');
  if (attrs[0]?.name === 'm')
    throw new SaslError('the server asks for a SCRAM extension the client does not support');
  if (attrs[0]?.name === 'e') throw new SaslError(`the server refused the SCRAM exchange: ${attrs[0].value}`);
  const [r, s, i] = attrs;
  if (r?.name !== 'r' || s?.name !== 's' || i?.name !== 'i')
    throw new SaslError("the server's SCRAM first message does not read r=…,s=…,i=…");
  if (!r.value.startsWith(clientNonce) || r.value.length <= clientNonce.length)
    throw new SaslError("the server's SCRAM nonce does not extend the client's nonce");
  if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(r.value))
    throw new SaslError("the server's SCRAM nonce contains characters a nonce cannot have");
  const salt = decodeBase64(s.value, 'SCRAM salt');
  if (salt.length === 0) throw new SaslError("the server's SCRAM salt is empty");
  if (!/^[1-9]\d{0,9}$/.test(i.value) || Number(i.value) > 0x7fffffff)
    throw new SaslError(`the server's SCRAM iteration count '${i.value}' is not a positive number`);
  const iterations = Number(i.value);
  if (iterations < SCRAM_MIN_ITERATIONS)
    throw new SaslError(
      `the server asks for ${iterations} SCRAM iterations, fewer than the minimum of ${SCRAM_MIN_ITERATIONS}`,
    );
  return { raw: message, nonce: r.value, salt, iterations };
}

/** SaltedPassword := Hi(Normalize(password), salt, i) — PBKDF2 with HMAC-H. */
export function scramSaltedPassword(
  hash: ScramHash,
  password: string,
  salt: Buffer,
  iterations: number,
): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, HASH_BYTES[hash], hash);
}

const pbkdf2Async = promisify(pbkdf2);

/** The same as scramSaltedPassword, computed off the event loop. */
export function scramSaltedPasswordAsync(
  hash: ScramHash,
  password: string,
  salt: Buffer,
  iterations: number,
): Promise<Buffer> {
  return pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, HASH_BYTES[hash], hash);
}

export interface ScramClientFinal {
  /** What is sent: c=biws,r=<nonce>,p=<proof>. */
  message: string;
  /** The signature the server must answer with (v=…). */
  serverSignature: Buffer;
}

const hmac = (hash: ScramHash, key: Buffer, text: string): Buffer =>
  createHmac(hash, key).update(text, 'utf8').digest();

/** client-final-message with the proof, and the server signature to expect. */
export function scramClientFinal(
  hash: ScramHash,
  saltedPassword: Buffer,
  clientFirstBare: string,
  serverFirst: ScramServerFirst,
): ScramClientFinal {
  const withoutProof = `c=${Buffer.from(GS2_HEADER).toString('base64')},r=${serverFirst.nonce}`;
  const authMessage = `${clientFirstBare},${serverFirst.raw},${withoutProof}`;
  const clientKey = hmac(hash, saltedPassword, 'Client Key');
  const storedKey = createHash(hash).update(clientKey).digest();
  const clientSignature = hmac(hash, storedKey, authMessage);
  const proof = Buffer.alloc(clientKey.length);
  for (let k = 0; k < proof.length; k++) proof[k] = clientKey[k] ^ clientSignature[k];
  const serverKey = hmac(hash, saltedPassword, 'Server Key');
  return {
    message: `${withoutProof},p=${proof.toString('base64')}`,
    serverSignature: hmac(hash, serverKey, authMessage),
  };
}

/**
 * Checks server-final-message: v=<signature> must equal the expected server signature; e=<error>
 * is the server's refusal. Throws SaslError otherwise.
 */
export function verifyScramServerFinal(message: string, expected: Buffer): void {
  const [first] = scramAttributes(message, 'SCRAM final message');
  if (first.name === 'e') throw new SaslError(`the server refused the SCRAM exchange: ${first.value}`);
  if (first.name !== 'v') throw new SaslError("the server's SCRAM final message does not read v=…");
  const got = decodeBase64(first.value, 'SCRAM server signature');
  if (got.length !== expected.length || !timingSafeEqual(got, expected))
    throw new SaslError(
      "the server's SCRAM signature is wrong: it does not know this user's password, so it may not be the cluster it claims to be",
    );
}

// ---------------------------------------------------------------------------------------------
// Sessions

/** One SASL exchange from the client's side. */
export interface SaslSession {
  readonly mechanism: SaslMechanism;
  /**
   * The next message to send: `null` in for the first one; the server's last answer after that.
   * Resolves null when the exchange is complete (nothing more to send).
   */
  respond(challenge: Buffer | null): Promise<Buffer | null>;
}

export interface SaslSessionOptions {
  /** The SCRAM client nonce (tests fix it; default random). */
  nonce?: string;
}

export function createSaslSession(
  options: SaslOptions,
  sessionOptions: SaslSessionOptions = {},
): SaslSession {
  if (!SASL_MECHANISMS.includes(options.mechanism))
    throw new SaslError(
      `SASL mechanism '${String(options.mechanism)}' is not supported (use ${SASL_MECHANISMS.join(', ')})`,
    );
  if (options.mechanism === 'PLAIN') return new PlainSession(options);
  return new ScramSession(options, options.mechanism, sessionOptions.nonce ?? scramNonce());
}

class PlainSession implements SaslSession {
  readonly mechanism = 'PLAIN' as const;
  private sent = false;
  constructor(private readonly options: SaslOptions) {}

  respond(): Promise<Buffer | null> {
    if (this.sent) return Promise.resolve(null);
    this.sent = true;
    try {
      return Promise.resolve(plainAuthBytes(this.options.username, this.options.password));
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

class ScramSession implements SaslSession {
  private state: 'initial' | 'first-sent' | 'final-sent' | 'done' = 'initial';
  private readonly hash: ScramHash;
  private first: ScramClientFirst | null = null;
  private expectedSignature: Buffer | null = null;

  constructor(
    private readonly options: SaslOptions,
    readonly mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
    private readonly nonce: string,
  ) {
    this.hash = scramHashFor(mechanism);
  }

  async respond(challenge: Buffer | null): Promise<Buffer | null> {
    switch (this.state) {
      case 'initial': {
        this.first = scramClientFirst(this.options.username, this.nonce);
        this.state = 'first-sent';
        return Buffer.from(this.first.message, 'utf8');
      }
      case 'first-sent': {
        if (!challenge) throw new SaslError('the server did not answer the SCRAM first message');
        const serverFirst = parseScramServerFirst(challenge.toString('utf8'), this.nonce);
        const salted = await scramSaltedPasswordAsync(
          this.hash,
          this.options.password,
          serverFirst.salt,
          serverFirst.iterations,
        );
        const final = scramClientFinal(this.hash, salted, this.first!.bare, serverFirst);
        this.expectedSignature = final.serverSignature;
        this.state = 'final-sent';
        return Buffer.from(final.message, 'utf8');
      }
      case 'final-sent': {
        if (!challenge) throw new SaslError('the server did not send its SCRAM signature');
        verifyScramServerFinal(challenge.toString('utf8'), this.expectedSignature!);
        this.state = 'done';
        return null;
      }
      case 'done':
        return null;
    }
  }
}
