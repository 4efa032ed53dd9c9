/**
 * Turning record bytes (base64 on the wire) into something a person can read: text, pretty JSON,
 * hex or base64, and an auto-detect that picks JSON when it parses, text when the bytes are valid
 * UTF-8 without control characters, else hex. Pure functions, no DOM, so they run in a worker too.
 */

export const DECODERS = ['auto', 'text', 'json', 'hex', 'base64'] as const;
export type Decoder = (typeof DECODERS)[number];
/** What a decoder actually produced (auto resolves to one of these). */
export type DecodedKind = 'text' | 'json' | 'hex' | 'base64' | 'empty';

export interface Decoded {
  kind: DecodedKind;
  text: string;
  /** Why the chosen decoder could not show the bytes as asked (then `text` is the hex fallback). */
  problem: 'invalid-utf8' | 'invalid-json' | null;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_LOOKUP = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) table[BASE64_ALPHABET.charCodeAt(i)] = i;
  // base64url letters too, in case a host ever sends them.
  table['-'.charCodeAt(0)] = 62;
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

/**
 * Decodes base64 (padding optional). `maxBytes` stops early: previews decode only the head of a
 * large value instead of the whole thing.
 */
export function base64ToBytes(base64: string, maxBytes = Infinity): Uint8Array {
  let end = base64.length;
  while (end > 0 && base64.charCodeAt(end - 1) === 61 /* = */) end--;
  const total = Math.floor((end * 3) / 4);
  const size = Math.min(total, maxBytes);
  const out = new Uint8Array(size);
  let bits = 0;
  let buffer = 0;
  let written = 0;
  for (let i = 0; i < end && written < size; i++) {
    const code = base64.charCodeAt(i);
    const value = code < 128 ? BASE64_LOOKUP[code] : -1;
    if (value < 0) {
      if (code === 10 || code === 13 || code === 32) continue;
      throw new SyntaxError(`Invalid base64 character at position ${i}`);
    }
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = (buffer >> bits) & 0xff;
    }
  }
  return written === size ? out : out.subarray(0, written);
}

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out +=
      BASE64_ALPHABET[(n >> 18) & 63] +
      BASE64_ALPHABET[(n >> 12) & 63] +
      BASE64_ALPHABET[(n >> 6) & 63] +
      BASE64_ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += `${BASE64_ALPHABET[(n >> 18) & 63]}${BASE64_ALPHABET[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += `${BASE64_ALPHABET[(n >> 18) & 63]}${BASE64_ALPHABET[(n >> 12) & 63]}${BASE64_ALPHABET[(n >> 6) & 63]}=`;
  }
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** "de ad be ef", 16 bytes a line with the offset in front when `lines` is set. */
export function bytesToHex(bytes: Uint8Array, lines = false): string {
  if (!lines) {
    const parts = new Array<string>(bytes.length);
    for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i]];
    return parts.join(' ');
  }
  const rows: string[] = [];
  for (let row = 0; row < bytes.length; row += 16) {
    const slice = bytes.subarray(row, Math.min(row + 16, bytes.length));
    const hex = Array.from(slice, (b) => HEX[b]).join(' ');
    const ascii = Array.from(slice, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push(`${row.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return rows.join('\n');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as UTF-8, or null when they are not valid UTF-8. */
export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * A preview cut at a byte limit may end inside a multi-byte character; drop at most 3 trailing
 * bytes of an incomplete sequence so the head of a long UTF-8 value still counts as text.
 */
export function utf8OrNullAllowingCutTail(bytes: Uint8Array): string | null {
  const whole = utf8OrNull(bytes);
  if (whole !== null) return whole;
  for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) {
    const lead = bytes[bytes.length - cut];
    if ((lead & 0xc0) === 0xc0) return utf8OrNull(bytes.subarray(0, bytes.length - cut));
    if ((lead & 0xc0) !== 0x80) break;
  }
  return null;
}

/** Control characters other than tab, newline and carriage return mark bytes as binary. */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f) return true;
  }
  return false;
}

/** Pretty JSON (2 spaces) when `text` is a JSON document, else null. */
export function prettyJson(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return null;
  }
}

/** Only objects and arrays count as JSON for auto-detect: "42" or "true" are shown as text. */
function looksLikeJsonDocument(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

/**
 * Decodes bytes with the chosen decoder. `cut` says the bytes are only the head of a longer value
 * (then a trailing partial UTF-8 sequence is tolerated and JSON is not expected to parse).
 */
export function decodeBytes(bytes: Uint8Array, decoder: Decoder, cut = false): Decoded {
  if (bytes.length === 0) return { kind: 'empty', text: '', problem: null };
  switch (decoder) {
    case 'hex':
      return { kind: 'hex', text: bytesToHex(bytes, true), problem: null };
    case 'base64':
      return { kind: 'base64', text: bytesToBase64(bytes), problem: null };
    case 'text': {
      const text = cut ? utf8OrNullAllowingCutTail(bytes) : utf8OrNull(bytes);
      if (text === null) return { kind: 'hex', text: bytesToHex(bytes, true), problem: 'invalid-utf8' };
      return { kind: 'text', text, problem: null };
    }
    case 'json': {
      const text = cut ? utf8OrNullAllowingCutTail(bytes) : utf8OrNull(bytes);
      if (text === null) return { kind: 'hex', text: bytesToHex(bytes, true), problem: 'invalid-utf8' };
      const pretty = prettyJson(text);
      if (pretty === null) return { kind: 'text', text, problem: 'invalid-json' };
      return { kind: 'json', text: pretty, problem: null };
    }
    case 'auto': {
      const text = cut ? utf8OrNullAllowingCutTail(bytes) : utf8OrNull(bytes);
      if (text === null || hasControlCharacters(text)) {
        return { kind: 'hex', text: bytesToHex(bytes, true), problem: null };
      }
      if (!cut && looksLikeJsonDocument(text)) {
        const pretty = prettyJson(text);
        if (pretty !== null) return { kind: 'json', text: pretty, problem: null };
      }
      return { kind: 'text', text, problem: null };
    }
  }
}

/** What auto-detect would call these bytes, without building the pretty text. */
export function detectKind(bytes: Uint8Array, cut = false): DecodedKind {
  if (bytes.length === 0) return 'empty';
  const text = cut ? utf8OrNullAllowingCutTail(bytes) : utf8OrNull(bytes);
  if (text === null || hasControlCharacters(text)) return 'hex';
  if (!cut && looksLikeJsonDocument(text) && prettyJson(text) !== null) return 'json';
  return 'text';
}

/**
 * One line for a table cell: the head of the value as text (newlines and tabs shown as spaces),
 * or as hex when binary. Decodes at most `maxBytes` so a 10 MiB value costs what a short one does.
 */
export function previewLine(base64: string, size: number, maxBytes = 160): { text: string; binary: boolean } {
  if (size === 0) return { text: '', binary: false };
  const bytes = base64ToBytes(base64, maxBytes);
  const cut = bytes.length < size;
  const text = cut ? utf8OrNullAllowingCutTail(bytes) : utf8OrNull(bytes);
  if (text === null || hasControlCharacters(text)) {
    return { text: bytesToHex(bytes.subarray(0, Math.min(bytes.length, 48))), binary: true };
  }
  return { text: text.replace(/[\r\n\t]+/g, ' '), binary: false };
}
