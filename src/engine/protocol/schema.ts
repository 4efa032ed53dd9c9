/**
 * The shape of the declarations in schemas.generated.ts. The generator (scripts/gen-protocol.ts)
 * turns Kafka's JSON message specs into values of these types; the codec compiles them into
 * per-version encoders and decoders (codec/compile.ts).
 */

/** Upper bound of an open version range such as "3+". */
export const OPEN = 0x7fff;

/** An inclusive version range `[min, max]`; `max === OPEN` for "N+". */
export type VersionRange = readonly [min: number, max: number];

export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'uuid'
  | 'bytes'
  | 'records';

export type FieldType = PrimitiveType | 'struct' | 'array';

/** A default as written in the spec, already parsed: numbers, booleans, strings, or null. */
export type DefaultValue = number | boolean | string | null;

export interface FieldDecl {
  /** Spec name with the first letter lower-cased (the property name in decoded bodies). */
  readonly name: string;
  readonly type: FieldType;
  /** Element type of an array. */
  readonly items?: PrimitiveType | 'struct';
  /** Spec name of the struct type (structs and arrays of structs). */
  readonly struct?: string;
  /** Versions in which the field exists at all. */
  readonly versions: VersionRange;
  readonly nullableVersions?: VersionRange;
  readonly tag?: number;
  /** Versions in which the field lives in the tagged-field section instead of in sequence. */
  readonly taggedVersions?: VersionRange;
  /** Field-level override of the message's flexible versions; null means "never flexible". */
  readonly flexibleVersions?: VersionRange | null;
  /** Explicit default from the spec; absent means the type's zero value. */
  readonly default?: DefaultValue;
  /** Fields of a struct or of the elements of a struct array. */
  readonly fields?: readonly FieldDecl[];
}

export interface MessageSchema {
  /** Spec message name, e.g. "ProduceRequest". */
  readonly name: string;
  readonly fields: readonly FieldDecl[];
}

export interface ApiSchema {
  readonly apiKey: number;
  /** API name without the Request/Response suffix, e.g. "Produce". */
  readonly name: string;
  /** Versions this codec accepts (a `latestVersionUnstable` version is excluded). */
  readonly validVersions: VersionRange;
  /** First flexible version and OPEN, or null when the API has no flexible version. */
  readonly flexibleVersions: VersionRange | null;
  readonly request: MessageSchema;
  readonly response: MessageSchema;
}

export interface HeaderSchema extends MessageSchema {
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange | null;
}

export function inRange(range: VersionRange | null | undefined, version: number): boolean {
  return range != null && version >= range[0] && version <= range[1];
}
