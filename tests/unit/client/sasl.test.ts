// SASL mechanics of Eddy's client: SCRAM against the RFC test vectors (RFC 7677 for SHA-256,
// RFC 5802's SHA-1 example through the same functions), message parsing edge cases, PLAIN encoding.
import { describe, expect, it } from 'vitest';
import {
  SCRAM_MIN_ITERATIONS,
  SaslError,
  createSaslSession,
  parseScramServerFirst,
  plainAuthBytes,
  scramClientFinal,
  scramClientFirst,
  scramNonce,
  scramSaltedPassword,
  scramSaltedPasswordAsync,
  scramSaslName,
  verifyScramServerFinal,
  type ScramHash,
} from '../../../src/engine/client/sasl.js';

interface Vector {
  name: string;
  hash: ScramHash;
  user: string;
  password: string;
  clientNonce: string;
  clientFirst: string;
  serverFirst: string;
  clientFinal: string;
  serverFinal: string;
}

const RFC7677_SHA256: Vector = {
  name: 'RFC 7677 SCRAM-SHA-256',
  hash: 'sha256',
  user: 'user',
  password: 'pencil',
  clientNonce: 'rOprNGfwEbeRWgbNEkqO',
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

const RFC5802_SHA1: Vector = {
  name: 'RFC 5802 SCRAM-SHA-1',
  hash: 'sha1',
  user: 'user',
  password: 'pencil',
  clientNonce: 'fyko+d2lbbFgONRv9qkxdawL',
  clientFirst: 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL',
  serverFirst: 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
  clientFinal: 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
  serverFinal: 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=',
};

describe.each([RFC7677_SHA256, RFC5802_SHA1])('SCRAM: $name', (v) => {
  it('builds the client-first message', () => {
    const first = scramClientFirst(v.user, v.clientNonce);
    expect(first.message).toBe(v.clientFirst);
    expect(first.bare).toBe(v.clientFirst.slice(3));
  });

  it('parses the server-first message', () => {
    const sf = parseScramServerFirst(v.serverFirst, v.clientNonce);
    expect(sf.iterations).toBe(4096);
    expect(sf.nonce.startsWith(v.clientNonce)).toBe(true);
    expect(sf.raw).toBe(v.serverFirst);
    expect(sf.salt.toString('base64')).toBe(/s=([^,]+)/.exec(v.serverFirst)![1]);
  });

  it('computes the client proof and the server signature of the vector', async () => {
    const first = scramClientFirst(v.user, v.clientNonce);
    const sf = parseScramServerFirst(v.serverFirst, v.clientNonce);
    const salted = scramSaltedPassword(v.hash, v.password, sf.salt, sf.iterations);
    expect(await scramSaltedPasswordAsync(v.hash, v.password, sf.salt, sf.iterations)).toEqual(salted);
    const final = scramClientFinal(v.hash, salted, first.bare, sf);
    expect(final.message).toBe(v.clientFinal);
    expect(`v=${final.serverSignature.toString('base64')}`).toBe(v.serverFinal);
    expect(() => verifyScramServerFinal(v.serverFinal, final.serverSignature)).not.toThrow();
  });
});

describe('SCRAM session', () => {
  it('runs the RFC 7677 exchange and completes only after the server signature checks out', async () => {
    const v = RFC7677_SHA256;
    const session = createSaslSession(
      { mechanism: 'SCRAM-SHA-256', username: v.user, password: v.password },
      { nonce: v.clientNonce },
    );
    expect((await session.respond(null))!.toString()).toBe(v.clientFirst);
    expect((await session.respond(Buffer.from(v.serverFirst)))!.toString()).toBe(v.clientFinal);
    expect(await session.respond(Buffer.from(v.serverFinal))).toBeNull();
  });

  it('rejects a server-final message with a wrong signature', async () => {
    const v = RFC7677_SHA256;
    const session = createSaslSession(
      { mechanism: 'SCRAM-SHA-256', username: v.user, password: v.password },
      { nonce: v.clientNonce },
    );
    await session.respond(null);
    await session.respond(Buffer.from(v.serverFirst));
    const forged = `v=${Buffer.alloc(32, 7).toString('base64')}`;
    await expect(session.respond(Buffer.from(forged))).rejects.toThrow(/signature is wrong/);
  });

  it('rejects a server signature computed for another password', async () => {
    const v = RFC7677_SHA256;
    const sf = parseScramServerFirst(v.serverFirst, v.clientNonce);
    const other = scramClientFinal(
      'sha256',
      scramSaltedPassword('sha256', 'not-pencil', sf.salt, sf.iterations),
      scramClientFirst(v.user, v.clientNonce).bare,
      sf,
    );
    expect(() => verifyScramServerFinal(v.serverFinal, other.serverSignature)).toThrow(SaslError);
  });

  it('surfaces the server error of a server-final e= message', async () => {
    expect(() => verifyScramServerFinal('e=invalid-proof', Buffer.alloc(32))).toThrow(
      /refused the SCRAM exchange: invalid-proof/,
    );
  });

  it('uses SHA-512 for SCRAM-SHA-512 (64-byte proof) and a fresh random nonce', async () => {
    const session = createSaslSession({ mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'secret' });
    const first = (await session.respond(null))!.toString();
    const nonce = /^n,,n=alice,r=(.+)$/.exec(first)![1];
    expect(nonce.length).toBeGreaterThanOrEqual(32);
    const serverFirst = `r=${nonce}SERVER,s=${Buffer.from('salt-salt').toString('base64')},i=4096`;
    const final = (await session.respond(Buffer.from(serverFirst)))!.toString();
    const proof = /,p=(.+)$/.exec(final)![1];
    expect(Buffer.from(proof, 'base64').length).toBe(64);
    expect(scramNonce()).not.toBe(scramNonce());
  });

  it('escapes = and , in the user name', () => {
    expect(scramSaslName('a=b,c')).toBe('a=3Db=2Cc');
    expect(scramClientFirst('a=b,c', 'nonce').message).toBe('n,,n=a=3Db=2Cc,r=nonce');
  });
});

describe('SCRAM server-first parsing', () => {
  const nonce = 'clientnonce';
  const salt = Buffer.from('0123456789abcdef').toString('base64');
  const ok = `r=${nonce}server,s=${salt},i=4096`;

  it('accepts extensions after the iteration count', () => {
    expect(parseScramServerFirst(`${ok},x=ext`, nonce).iterations).toBe(4096);
  });

  it.each([
    ['a nonce that does not extend the client nonce', `r=othernonce,s=${salt},i=4096`, /does not extend/],
    ['a nonce equal to the client nonce', `r=${nonce},s=${salt},i=4096`, /does not extend/],
    ['attributes out of order', `s=${salt},r=${nonce}x,i=4096`, /r=…,s=…,i=…/],
    ['a missing iteration count', `r=${nonce}x,s=${salt}`, /r=…,s=…,i=…/],
    ['a non-numeric iteration count', `r=${nonce}x,s=${salt},i=lots`, /not a positive number/],
    ['a zero iteration count', `r=${nonce}x,s=${salt},i=0`, /not a positive number/],
    ['too few iterations', `r=${nonce}x,s=${salt},i=${SCRAM_MIN_ITERATIONS - 1}`, /fewer than the minimum/],
    ['a salt that is not base64', `r=${nonce}x,s=not*base64,i=4096`, /not valid base64/],
    ['an empty salt', `r=${nonce}x,s=,i=4096`, /salt is empty/],
    ['a mandatory extension', `m=ext,r=${nonce}x,s=${salt},i=4096`, /extension/],
    ['an error attribute', `e=unknown-user`, /refused the SCRAM exchange: unknown-user/],
    ['an empty message', '', /empty/],
    ['garbage', 'hello world', /malformed/],
  ])('rejects %s', (_label, message, pattern) => {
    expect(() => parseScramServerFirst(message, nonce)).toThrow(SaslError);
    expect(() => parseScramServerFirst(message, nonce)).toThrow(pattern);
  });

  it('rejects a final message that is not v= or e=', () => {
    expect(() => verifyScramServerFinal('x=1', Buffer.alloc(32))).toThrow(/does not read v=/);
    expect(() => verifyScramServerFinal('v=%%%', Buffer.alloc(32))).toThrow(/not valid base64/);
  });

  it('refuses an empty user name and a nonce with a comma', () => {
    expect(() => scramClientFirst('', 'n')).toThrow(/user name is empty/);
    expect(() => scramClientFirst('u', 'a,b')).toThrow(/printable ASCII without commas/);
  });
});

describe('PLAIN', () => {
  it('encodes authzid NUL user NUL password as UTF-8', () => {
    expect(plainAuthBytes('alice', 'alice-secret')).toEqual(Buffer.from('\0alice\0alice-secret'));
    expect(plainAuthBytes('zoë', 'pässwörd', 'admin')).toEqual(Buffer.from('admin\0zoë\0pässwörd', 'utf8'));
  });

  it('refuses NUL characters and an empty user name', () => {
    expect(() => plainAuthBytes('al\0ice', 'x')).toThrow(SaslError);
    expect(() => plainAuthBytes('alice', 'x\0y')).toThrow(/NUL/);
    expect(() => plainAuthBytes('', 'x')).toThrow(/empty/);
  });

  it('sends one message and is then done', async () => {
    const session = createSaslSession({ mechanism: 'PLAIN', username: 'bob', password: 'pw' });
    expect(await session.respond(null)).toEqual(Buffer.from('\0bob\0pw'));
    expect(await session.respond(Buffer.alloc(0))).toBeNull();
  });

  it('refuses an unknown mechanism', () => {
    expect(() => createSaslSession({ mechanism: 'GSSAPI' as 'PLAIN', username: 'u', password: 'p' })).toThrow(
      /not supported/,
    );
  });
});
