import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  apiSchemas,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type ApiSchema,
} from '../../../src/engine/protocol/index.js';
import { bodyArbitrary, withDefaults } from './schema-arbitrary.js';

const RUNS = Number(process.env.EDDY_PROTOCOL_FC_RUNS ?? 30);
const schemas = Object.values(apiSchemas) as ApiSchema[];

const clientIds = fc.option(fc.string({ unit: 'binary', maxLength: 8 }), { nil: null });

describe.each(schemas.map((s) => [s.name, s] as const))('%s round trips', (_name, schema) => {
  const versions: number[] = [];
  for (let v = schema.validVersions[0]; v <= schema.validVersions[1]; v++) versions.push(v);

  it.each(versions)('request v%i: decode(encode(x)) = x with defaults', (v) => {
    fc.assert(
      fc.property(bodyArbitrary(schema.request.fields, v), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), clientIds, (body, correlationId, clientId) => {
        const frame = encodeRequest(schema.apiKey, v, correlationId, clientId, body);
        expect(frame.readInt32BE(0)).toBe(frame.length - 4);
        const decoded = decodeRequest(frame.subarray(4));
        expect(decoded.header).toEqual({ apiKey: schema.apiKey, apiVersion: v, correlationId, clientId: clientId ?? '' });
        expect(decoded.body).toEqual(withDefaults(schema.request.fields, body, v));
        // Encoding is idempotent: the decoded body encodes to the same bytes.
        expect(encodeRequest(schema.apiKey, v, correlationId, clientId, decoded.body as object).equals(frame)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it.each(versions)('response v%i: decode(encode(x)) = x with defaults', (v) => {
    fc.assert(
      fc.property(bodyArbitrary(schema.response.fields, v), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (body, correlationId) => {
        const frame = encodeResponse(schema.apiKey, v, correlationId, body);
        expect(frame.readInt32BE(0)).toBe(frame.length - 4);
        const decoded = decodeResponse(schema.apiKey, v, frame.subarray(4));
        expect(decoded.correlationId).toBe(correlationId);
        expect(decoded.body).toEqual(withDefaults(schema.response.fields, body, v));
        expect(encodeResponse(schema.apiKey, v, correlationId, decoded.body as object).equals(frame)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
