/**
 * Golden bytes for every (API, version) the codec accepts, in both directions.
 *
 * Two independent sources:
 *  1. Library frames (fixtures/library-requests.json): requests encoded by kafkajs 2.2.4 and
 *     @platformatic/kafka 1.35, captured by scripts/capture-protocol-fixtures.ts.
 *  2. Hand-written layouts (golden/layouts.ts): each message written field by field with a tiny
 *     byte builder that shares no code with the codec. Where a library frame exists for the same
 *     version, the hand layout must reproduce it byte for byte, which checks the layouts themselves.
 *     Responses have no library encoder, so they are hand-built; library decoders that exist read
 *     them back in golden-library-decoders.test.ts.
 *
 * For each golden: our decoder must return the recorded values, and our encoder must produce the
 * same bytes from them.
 */
import { describe, expect, it } from 'vitest';
import {
  apiSchemas,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type ApiSchema,
} from '../../../src/engine/protocol/index.js';
import { build } from './golden/hand.js';
import { LAYOUTS, type ApiLayout } from './golden/layouts.js';
import { loadLibraryRequests, requestHeader, responseHeader } from './golden/fixtures.js';

const schemas = Object.values(apiSchemas) as ApiSchema[];
const fixtures = loadLibraryRequests();
const API_VERSIONS = 18;

function layoutOf(apiKey: number): ApiLayout {
  const layout = LAYOUTS.get(apiKey);
  if (!layout) throw new Error(`no hand layout for API ${apiKey}`);
  return layout;
}

const isFlexible = (layout: ApiLayout, v: number): boolean => layout.flexibleFrom !== null && v >= layout.flexibleFrom;

function versionsOf(schema: ApiSchema): number[] {
  const out: number[] = [];
  for (let v = schema.validVersions[0]; v <= schema.validVersions[1]; v++) out.push(v);
  return out;
}

describe('coverage', () => {
  it('every API in the schemas has a hand layout and vice versa', () => {
    expect([...LAYOUTS.keys()].sort((a, b) => a - b)).toEqual(schemas.map((s) => s.apiKey));
    for (const s of schemas) expect(layoutOf(s.apiKey).name).toBe(s.name);
  });

  it('library fixtures only name versions the codec accepts', () => {
    for (const f of fixtures) {
      const s = apiSchemas[f.apiKey as keyof typeof apiSchemas];
      expect(s, `${f.api}`).toBeDefined();
      expect(f.version).toBeGreaterThanOrEqual(s.validVersions[0]);
      expect(f.version).toBeLessThanOrEqual(s.validVersions[1]);
    }
  });
});

describe.each(fixtures.map((f) => [`${f.api} v${f.version} request from ${f.source}`, f] as const))('%s', (_name, f) => {
  const layout = layoutOf(f.apiKey);
  const flexible = isFlexible(layout, f.version);
  const header = requestHeader(f.apiKey, f.version, f.correlationId, f.clientId, flexible);
  const payload = f.frame.subarray(4); // after the size prefix
  const handBuilt = () => build(flexible, (h) => layout.request.write(h, f.version, f.values));

  it('frame = size, request header, body', () => {
    expect(f.frame.readInt32BE(0)).toBe(payload.length);
    expect(payload.subarray(0, header.length).toString('hex')).toBe(header.toString('hex'));
  });

  it('library body equals the hand-written layout', () => {
    const hand = handBuilt();
    const body = payload.subarray(header.length, payload.length - f.trailing);
    expect(body.toString('hex')).toBe(hand.bytes.toString('hex'));
  });

  it('decodes to the encoded values', () => {
    const hand = handBuilt();
    const decoded = decodeRequest(payload);
    expect(decoded.header).toEqual({ apiKey: f.apiKey, apiVersion: f.version, correlationId: f.correlationId, clientId: f.clientId });
    expect(decoded.body).toMatchObject(hand.expected);
  });

  it('encodes to the same bytes', () => {
    const hand = handBuilt();
    const ours = encodeRequest(f.apiKey, f.version, f.correlationId, f.clientId, hand.expected);
    expect(ours.subarray(4).toString('hex')).toBe(payload.subarray(0, payload.length - f.trailing).toString('hex'));
  });
});

describe.each(schemas.map((s) => [s.name, s] as const))('%s hand-built goldens', (_name, schema) => {
  const layout = layoutOf(schema.apiKey);

  it.each(versionsOf(schema))('request v%i', (v) => {
    const flexible = isFlexible(layout, v);
    const hand = build(flexible, (h) => layout.request.write(h, v, layout.request.values));
    const frame = Buffer.concat([requestHeader(schema.apiKey, v, 77, 'golden', flexible), hand.bytes]);
    const decoded = decodeRequest(frame);
    expect(decoded.header).toEqual({ apiKey: schema.apiKey, apiVersion: v, correlationId: 77, clientId: 'golden' });
    expect(decoded.body).toMatchObject(hand.expected);
    expect(encodeRequest(schema.apiKey, v, 77, 'golden', hand.expected).subarray(4).toString('hex')).toBe(frame.toString('hex'));
  });

  const responseValues = [['', layout.response.values]];
  // Responses with tagged fields are also checked with every tagged field at its default.
  if (layout.response.untagged) responseValues.push([' (no tagged fields)', layout.response.untagged]);

  it.each(versionsOf(schema).flatMap((v) => responseValues.map(([label, values]) => [v, label, values] as const)))('response v%i%s', (v, _label, values) => {
    const flexible = isFlexible(layout, v);
    const hand = build(flexible, (h) => layout.response.write(h, v, values));
    // Response header v1 only for flexible versions, and never for ApiVersions.
    const frame = Buffer.concat([responseHeader(88, flexible && schema.apiKey !== API_VERSIONS), hand.bytes]);
    const decoded = decodeResponse(schema.apiKey, v, frame);
    expect(decoded.correlationId).toBe(88);
    expect(decoded.body).toMatchObject(hand.expected);
    expect(encodeResponse(schema.apiKey, v, 88, hand.expected).subarray(4).toString('hex')).toBe(frame.toString('hex'));
  });
});
