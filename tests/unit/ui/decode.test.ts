import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  bytesToHex,
  decodeBytes,
  detectKind,
  hasControlCharacters,
  prettyJson,
  previewLine,
  utf8OrNull,
  utf8OrNullAllowingCutTail,
} from '../../../src/renderer/decode/bytes.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
/** The platform's own base64 (btoa), as an independent reference. */
const platformBase64 = (content: string | Uint8Array) =>
  btoa(String.fromCharCode(...(typeof content === 'string' ? utf8(content) : content)));

describe('base64', () => {
  it('round-trips every length and byte value, matching Node', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      const encoded = bytesToBase64(bytes);
      expect(encoded).toBe(platformBase64(bytes));
      expect(Array.from(base64ToBytes(encoded))).toEqual(Array.from(bytes));
    }
  });

  it('decodes only the head when asked (previews of large values)', () => {
    const bytes = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
    const head = base64ToBytes(platformBase64(bytes), 100);
    expect(head.length).toBe(100);
    expect(Array.from(head)).toEqual(Array.from(bytes.subarray(0, 100)));
  });

  it('accepts missing padding and refuses characters outside the alphabet', () => {
    expect(new TextDecoder().decode(base64ToBytes('aGk'))).toBe('hi');
    expect(() => base64ToBytes('a*b=')).toThrow(SyntaxError);
  });
});

describe('hex', () => {
  it('prints bytes plainly or as an offset / hex / ASCII dump', () => {
    expect(bytesToHex(Uint8Array.of(0xde, 0xad, 0x00, 0x41))).toBe('de ad 00 41');
    const dump = bytesToHex(utf8('Hello, Kafka world!'), true).split('\n');
    expect(dump).toHaveLength(2);
    expect(dump[0]).toBe('00000000  48 65 6c 6c 6f 2c 20 4b 61 66 6b 61 20 77 6f 72  Hello, Kafka wor');
    expect(dump[1].startsWith('00000010  6c 64 21')).toBe(true);
    expect(dump[1].endsWith('ld!')).toBe(true);
  });
});

describe('UTF-8', () => {
  it('tells valid from invalid UTF-8', () => {
    expect(utf8OrNull(utf8('zażółć gęślą jaźń'))).toBe('zażółć gęślą jaźń');
    expect(utf8OrNull(Uint8Array.of(0xff, 0xfe, 0x41))).toBeNull();
    expect(utf8OrNull(Uint8Array.of(0xc3))).toBeNull();
  });

  it('forgives a character cut in half at the end of a preview, but nothing else', () => {
    const bytes = utf8('abcż'); // ż is 2 bytes
    const cut = bytes.subarray(0, bytes.length - 1);
    expect(utf8OrNull(cut)).toBeNull();
    expect(utf8OrNullAllowingCutTail(cut)).toBe('abc');
    expect(utf8OrNullAllowingCutTail(Uint8Array.of(0x41, 0xff, 0x42))).toBeNull();
  });

  it('treats control characters other than tab and newlines as binary', () => {
    expect(hasControlCharacters('a\tb\r\nc')).toBe(false);
    expect(hasControlCharacters('a\u0000b')).toBe(true);
    expect(hasControlCharacters('\u001b[31m')).toBe(true);
  });
});

describe('decodeBytes', () => {
  it('auto-detects JSON documents and pretty-prints them', () => {
    const decoded = decodeBytes(utf8('{"id":7,"items":[1,2]}'), 'auto');
    expect(decoded.kind).toBe('json');
    expect(decoded.text).toBe('{\n  "id": 7,\n  "items": [\n    1,\n    2\n  ]\n}');
    expect(detectKind(utf8('[1,2]'))).toBe('json');
  });

  it('auto-detects plain text, including scalars that happen to parse as JSON', () => {
    expect(decodeBytes(utf8('hello world'), 'auto')).toEqual({
      kind: 'text',
      text: 'hello world',
      problem: null,
    });
    expect(decodeBytes(utf8('42'), 'auto').kind).toBe('text');
    expect(decodeBytes(utf8('{not json'), 'auto').kind).toBe('text');
  });

  it('auto-detects binary (invalid UTF-8 or control characters) as hex', () => {
    const invalid = decodeBytes(Uint8Array.of(0x00, 0x01, 0xff), 'auto');
    expect(invalid.kind).toBe('hex');
    expect(invalid.text).toContain('00 01 ff');
    expect(decodeBytes(utf8('a\u0000b'), 'auto').kind).toBe('hex');
  });

  it('does not try to parse a cut preview as JSON', () => {
    const decoded = decodeBytes(utf8('{"id":7,"na'), 'auto', true);
    expect(decoded.kind).toBe('text');
    expect(decoded.text).toBe('{"id":7,"na');
  });

  it('says why a chosen decoder could not be used and falls back', () => {
    const notUtf8 = decodeBytes(Uint8Array.of(0xff, 0x00), 'text');
    expect(notUtf8).toMatchObject({ kind: 'hex', problem: 'invalid-utf8' });
    const notJson = decodeBytes(utf8('plain'), 'json');
    expect(notJson).toEqual({ kind: 'text', text: 'plain', problem: 'invalid-json' });
    expect(decodeBytes(Uint8Array.of(0xff), 'json').problem).toBe('invalid-utf8');
  });

  it('shows any bytes as hex or base64 on request, and empty as empty', () => {
    expect(decodeBytes(utf8('hi'), 'base64')).toEqual({ kind: 'base64', text: 'aGk=', problem: null });
    expect(decodeBytes(utf8('hi'), 'hex').text).toBe(`00000000  ${'68 69'.padEnd(47)}  hi`);
    expect(decodeBytes(new Uint8Array(0), 'auto').kind).toBe('empty');
  });

  it('pretty-prints JSON only when it parses', () => {
    expect(prettyJson(' {"a":1} ')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('{"a":')).toBeNull();
    expect(prettyJson('  ')).toBeNull();
  });
});

describe('previewLine', () => {
  it('gives one line of text with newlines folded', () => {
    const text = 'line one\nline two\tand more';
    expect(previewLine(platformBase64(text), text.length)).toEqual({
      text: 'line one line two and more',
      binary: false,
    });
  });

  it('decodes only the head of a large value', () => {
    const big = 'x'.repeat(1_000_000);
    const line = previewLine(platformBase64(utf8(big).subarray(0, 3000)), big.length, 160);
    expect(line.text).toHaveLength(160);
  });

  it('shows binary as a short hex run', () => {
    const bytes = Uint8Array.from({ length: 200 }, (_, i) => i);
    const line = previewLine(platformBase64(bytes), bytes.length);
    expect(line.binary).toBe(true);
    expect(line.text.startsWith('00 01 02 03')).toBe(true);
    expect(line.text.split(' ')).toHaveLength(48);
  });

  it('keeps a multi-byte character cut by the preview limit from turning text into hex', () => {
    const text = 'ż'.repeat(200);
    const line = previewLine(platformBase64(text), utf8(text).length, 161);
    expect(line.binary).toBe(false);
    expect(line.text).toBe('ż'.repeat(80));
  });
});
