/**
 * Compiled codecs per (API key, version, direction) and per header version, built on first use and
 * cached for the life of the process.
 */
import type { ApiSchema, HeaderSchema } from '../schema.js';
import { inRange } from '../schema.js';
import { ProtocolError } from '../protocol-error.js';
import { apiSchemas, requestHeaderSchema, responseHeaderSchema } from '../schemas.generated.js';
import { compileStruct, type StructCodec } from './compile.js';

export type Direction = 'request' | 'response';

const API_VERSIONS_KEY = 18;
const schemas = apiSchemas as Readonly<Record<number, ApiSchema | undefined>>;
const requestPlans = new Map<number, StructCodec>();
const responsePlans = new Map<number, StructCodec>();
const requestHeaderPlans: StructCodec[] = [];
const responseHeaderPlans: StructCodec[] = [];

export function schemaFor(apiKey: number, apiVersion: number, correlationId?: number): ApiSchema {
  const schema = schemas[apiKey];
  if (schema === undefined) {
    throw new ProtocolError(`unknown API key ${apiKey}`, { reason: 'unknown-api-key', apiKey, apiVersion, correlationId });
  }
  if (!inRange(schema.validVersions, apiVersion)) {
    throw new ProtocolError(
      `${schema.name} v${apiVersion} is not supported (valid ${schema.validVersions[0]}-${schema.validVersions[1]})`,
      { reason: 'unsupported-version', apiKey, apiVersion, correlationId },
    );
  }
  return schema;
}

/** The body codec; throws ProtocolError for an unknown API or an unsupported version. */
export function bodyPlan(direction: Direction, apiKey: number, apiVersion: number, correlationId?: number): StructCodec {
  const cache = direction === 'request' ? requestPlans : responsePlans;
  const id = apiKey * 0x10000 + apiVersion;
  let plan = cache.get(id);
  if (plan === undefined) {
    const schema = schemaFor(apiKey, apiVersion, correlationId);
    const message = schema[direction];
    plan = compileStruct(message.fields, apiVersion, inRange(schema.flexibleVersions, apiVersion));
    cache.set(id, plan);
  }
  return plan;
}

/** Request header v2 for flexible API versions, v1 otherwise (v0 only served ControlledShutdown v0). */
export function requestHeaderVersion(apiKey: number, apiVersion: number): number {
  return inRange(schemaFor(apiKey, apiVersion).flexibleVersions, apiVersion) ? 2 : 1;
}

/**
 * Response header v1 for flexible API versions, v0 otherwise. ApiVersions always answers with v0 so
 * a client can read the reply before it knows what the broker supports (KIP-511).
 */
export function responseHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === API_VERSIONS_KEY) return 0;
  return inRange(schemaFor(apiKey, apiVersion).flexibleVersions, apiVersion) ? 1 : 0;
}

function headerPlan(cache: StructCodec[], schema: HeaderSchema, version: number): StructCodec {
  let plan = cache[version];
  if (plan === undefined) {
    plan = compileStruct(schema.fields, version, inRange(schema.flexibleVersions, version));
    cache[version] = plan;
  }
  return plan;
}

export function requestHeaderPlan(version: number): StructCodec {
  return headerPlan(requestHeaderPlans, requestHeaderSchema, version);
}

export function responseHeaderPlan(version: number): StructCodec {
  return headerPlan(responseHeaderPlans, responseHeaderSchema, version);
}
