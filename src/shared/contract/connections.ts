/**
 * Which cluster the UI looks at: the embedded one (id "embedded", always present) or an external
 * Kafka cluster from a saved connection profile. Every other service works on the active one;
 * embedded-only powers (broker lifecycle, files on disk, the timeline) say so by `capabilities`.
 */
import { method, stream } from './define.js';
import { boolean, literal, nullable, object, optional, string, tuple } from './schema.js';

export const EMBEDDED_CONNECTION_ID = 'embedded';

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

const saslSchema = object({
  mechanism: literal('PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'),
  username: string({ minLength: 1, maxLength: 1024 }),
  /** Empty on save means "keep the stored password". */
  password: string({ maxLength: 4096 }),
});

const tlsSchema = object({
  /** PEM of the CA that signed the brokers' certificates; null uses the system's CAs. */
  caPem: nullable(string({ maxLength: 256 * 1024 })),
  /** false accepts any certificate (self-signed test clusters); the UI warns. */
  verifyCertificates: boolean(),
});

export const connectionProfileSchema = object({
  /** Absent when creating a profile; the host assigns one. */
  id: optional(string({ minLength: 1, maxLength: 64, pattern: /^[a-z0-9-]+$/ })),
  name: string({ minLength: 1, maxLength: 100 }),
  /** "host:port,host:port". */
  bootstrap: string({ minLength: 3, maxLength: 4096 }),
  sasl: nullable(saslSchema),
  tls: nullable(tlsSchema),
});

/** A profile as the UI sees it: the password never leaves the host. */
export interface ConnectionProfileView {
  id: string;
  name: string;
  bootstrap: string;
  sasl: { mechanism: SaslMechanism; username: string; hasPassword: boolean } | null;
  tls: { caPem: string | null; verifyCertificates: boolean } | null;
}

export interface Capabilities {
  /** Stop / kill / start brokers (embedded only). */
  brokerLifecycle: boolean;
  /** Segment files on disk (embedded only). */
  files: boolean;
  /** The recorded event timeline (embedded only; external clusters get events Eddy observed itself). */
  timeline: boolean;
}

export interface ActiveConnection {
  id: string;
  /** "Embedded cluster" or the profile's name. */
  name: string;
  kind: 'embedded' | 'external';
  bootstrap: string;
  capabilities: Capabilities;
  /** connected: metadata answered · connecting · failed (message says why). */
  state: 'connecting' | 'connected' | 'failed';
  message: string | null;
}

export interface ConnectionTestResult {
  ok: boolean;
  clusterId: string | null;
  brokers: number;
  /** Why not, as a sentence, when !ok. */
  message: string | null;
}

export const connectionsContract = {
  list: method(tuple([])).returns<ConnectionProfileView[]>(),
  /** Creates or updates; returns the stored view. */
  save: method(tuple([connectionProfileSchema])).returns<ConnectionProfileView>(),
  remove: method(tuple([string({ minLength: 1, maxLength: 64 })])).returns<void>(),
  /** Tries a profile (saved or not) without switching to it. */
  test: method(tuple([connectionProfileSchema])).returns<ConnectionTestResult>(),
  /** Switches every service to this cluster. */
  activate: method(tuple([string({ minLength: 1, maxLength: 64 })])).returns<ActiveConnection>(),
  /** The active connection now and after every change (switch, connect, failure). */
  onActive: stream(tuple([])).emits<ActiveConnection>(),
};
