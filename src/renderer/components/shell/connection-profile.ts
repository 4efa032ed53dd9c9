/**
 * The connection profile form's model and its checks, done before anything is sent (the host
 * checks again). Pure functions: the dialog and the tests share them.
 */
import type { ConnectionProfileView, SaslMechanism } from '../../../shared/contract/index.js';
import type { ConnectionProfileInput } from '../../stores/connection.js';

export interface ProfileForm {
  id: string | undefined;
  name: string;
  bootstrap: string;
  sasl: 'none' | SaslMechanism;
  username: string;
  password: string;
  /** The stored profile has a password: an empty field keeps it. */
  hasPassword: boolean;
  tls: boolean;
  caPem: string;
  verifyCertificates: boolean;
}

export type ProfileField = 'name' | 'bootstrap' | 'username' | 'password' | 'caPem';

/** An i18n key under `connections.validation` with its named values. */
export interface ProfileIssue {
  key: string;
  named?: Record<string, string>;
}

export function emptyProfileForm(): ProfileForm {
  return {
    id: undefined,
    name: '',
    bootstrap: '',
    sasl: 'none',
    username: '',
    password: '',
    hasPassword: false,
    tls: false,
    caPem: '',
    verifyCertificates: true,
  };
}

export function profileFormFrom(view: ConnectionProfileView): ProfileForm {
  return {
    id: view.id,
    name: view.name,
    bootstrap: view.bootstrap,
    sasl: view.sasl?.mechanism ?? 'none',
    username: view.sasl?.username ?? '',
    password: '',
    hasPassword: view.sasl?.hasPassword ?? false,
    tls: view.tls !== null,
    caPem: view.tls?.caPem ?? '',
    verifyCertificates: view.tls?.verifyCertificates ?? true,
  };
}

// A DNS name or IPv4 address, or an IPv6 address in brackets.
const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?)$/;

/** "host:port,host:port" → the first problem, or null. */
export function bootstrapIssue(text: string): ProfileIssue | null {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0) return { key: 'bootstrapRequired' };
  for (const entry of entries) {
    const colon = entry.lastIndexOf(':');
    const host = colon > 0 ? entry.slice(0, colon) : '';
    const port = colon > 0 ? entry.slice(colon + 1) : '';
    if (!HOST.test(host) || !/^\d{1,5}$/.test(port)) return { key: 'bootstrapEntry', named: { entry } };
    const n = Number(port);
    if (n < 1 || n > 65_535) return { key: 'bootstrapPort', named: { entry } };
  }
  if (text.length > 4096) return { key: 'bootstrapEntry', named: { entry: `${text.slice(0, 20)}…` } };
  return null;
}

export function profileIssues(form: ProfileForm): Partial<Record<ProfileField, ProfileIssue>> {
  const issues: Partial<Record<ProfileField, ProfileIssue>> = {};
  const name = form.name.trim();
  if (!name) issues.name = { key: 'nameRequired' };
  else if (name.length > 100) issues.name = { key: 'nameTooLong' };
  const bootstrap = bootstrapIssue(form.bootstrap);
  if (bootstrap) issues.bootstrap = bootstrap;
  if (form.sasl !== 'none') {
    if (!form.username.trim()) issues.username = { key: 'usernameRequired' };
    if (!form.password && !form.hasPassword) issues.password = { key: 'passwordRequired' };
  }
  if (form.tls && form.caPem.trim()) {
    const pem = form.caPem.trim();
    if (!pem.includes('-----BEGIN CERTIFICATE-----') || !pem.includes('-----END CERTIFICATE-----')) {
      issues.caPem = { key: 'caPem' };
    }
  }
  return issues;
}

/** What goes over the wire: trimmed, the bootstrap list normalised. */
export function profileInput(form: ProfileForm): ConnectionProfileInput {
  return {
    ...(form.id ? { id: form.id } : {}),
    name: form.name.trim(),
    bootstrap: form.bootstrap
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
      .join(','),
    sasl:
      form.sasl === 'none'
        ? null
        : { mechanism: form.sasl, username: form.username.trim(), password: form.password },
    tls: form.tls ? { caPem: form.caPem.trim() || null, verifyCertificates: form.verifyCertificates } : null,
  };
}
