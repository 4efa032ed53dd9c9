import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';


export interface LibraryFixture {
  api: string;
  apiKey: number;
  version: number;
  source: 'kafkajs' | 'platformatic';
  clientId: string;
  correlationId: number;
  frame: Buffer;
  values: any;
  trailing: number;
  note?: string;
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.$hex === 'string' && Object.keys(o).length === 1) return Buffer.from(o.$hex, 'hex');
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

export function loadLibraryRequests(): LibraryFixture[] {
  const path = fileURLToPath(new URL('../fixtures/library-requests.json', import.meta.url));
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { fixtures: any[] };
  return doc.fixtures.map((f) => ({ ...f, frame: Buffer.from(f.frame, 'hex'), values: revive(f.values), trailing: f.trailing ?? 0 }));
}

/** Request header v1 (flexible = false) or v2, written by hand: key, version, correlation id, int16 client id. */
export function requestHeader(apiKey: number, version: number, correlationId: number, clientId: string | null, flexible: boolean): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeInt16BE(apiKey, 0);
  fixed.writeInt16BE(version, 2);
  fixed.writeInt32BE(correlationId, 4);
  const id = clientId === null ? null : Buffer.from(clientId, 'utf8');
  const len = Buffer.alloc(2);
  len.writeInt16BE(id === null ? -1 : id.length, 0);
  return Buffer.concat([fixed, len, id ?? Buffer.alloc(0), flexible ? Buffer.from([0]) : Buffer.alloc(0)]);
}

/** Response header v0, or v1 (with an empty tag section) when `tagged`. */
export function responseHeader(correlationId: number, tagged: boolean): Buffer {
  const b = Buffer.alloc(tagged ? 5 : 4);
  b.writeInt32BE(correlationId, 0);
  return b;
}
