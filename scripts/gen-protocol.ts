/**
 * Generates src/engine/protocol/schemas.generated.ts from Kafka's JSON message specs.
 *
 *   npx tsx scripts/gen-protocol.ts           write the file
 *   npx tsx scripts/gen-protocol.ts --check   regenerate in memory; exit 1 if the committed file differs
 *
 * The specs are read from ../shared/kafka-protocol/messages (relative to the repository root) or from
 * $EDDY_PROTOCOL_SPEC_DIR. They are data: only names, types, version ranges and defaults are
 * carried over, in our own declaration format (src/engine/protocol/schema.ts).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DefaultValue, FieldDecl, PrimitiveType, VersionRange } from '../src/engine/protocol/schema.js';
import { OPEN } from '../src/engine/protocol/schema.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT_FILE = join(REPO_ROOT, 'src/engine/protocol/schemas.generated.ts');

export function specDir(): string {
  return process.env.EDDY_PROTOCOL_SPEC_DIR
    ? resolve(process.env.EDDY_PROTOCOL_SPEC_DIR)
    : resolve(REPO_ROOT, '../shared/kafka-protocol/messages');
}

// ---------------------------------------------------------------------------------------------
// Reading the spec files

interface SpecField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  flexibleVersions?: string;
  default?: string | number | boolean;
  fields?: SpecField[];
}

interface SpecStruct {
  name: string;
  versions?: string;
  fields: SpecField[];
}

interface SpecMessage {
  apiKey?: number;
  type: 'request' | 'response' | 'header';
  name: string;
  validVersions: string;
  flexibleVersions: string;
  latestVersionUnstable?: boolean;
  fields: SpecField[];
  commonStructs?: SpecStruct[];
}

/** Removes `//` line comments, leaving `//` inside string literals alone. */
export function stripLineComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[++i] ?? '';
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      if (i < text.length) out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

/** "3+" → [3, OPEN], "0-7" → [0, 7], "5" → [5, 5], "none" → null. */
export function parseVersions(spec: string): VersionRange | null {
  const s = spec.trim();
  if (s === 'none') return null;
  let m = /^(\d+)\+$/.exec(s);
  if (m) return [Number(m[1]), OPEN];
  m = /^(\d+)-(\d+)$/.exec(s);
  if (m) return [Number(m[1]), Number(m[2])];
  if (/^\d+$/.test(s)) return [Number(s), Number(s)];
  throw new Error(`bad version range "${spec}"`);
}

function requireVersions(spec: string | undefined, where: string): VersionRange {
  const r = spec === undefined ? null : parseVersions(spec);
  if (!r) throw new Error(`${where}: missing or empty "versions"`);
  return r;
}

const PRIMITIVES = new Set<string>([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'uuid',
  'bytes',
  'records',
]);
const INTEGER_TYPES = new Set(['int8', 'int16', 'uint16', 'int32', 'uint32', 'int64']);

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Parses a spec default; undefined means "the type's zero value" (an empty default). */
function parseDefault(raw: string | number | boolean, type: string, where: string): DefaultValue | undefined {
  const s = String(raw);
  if (INTEGER_TYPES.has(type)) {
    const n = s.startsWith('0x') ? parseInt(s.slice(2), 16) : s.startsWith('-0x') ? -parseInt(s.slice(3), 16) : Number(s);
    if (!Number.isInteger(n)) throw new Error(`${where}: bad integer default "${s}"`);
    return n;
  }
  if (type === 'float64') return Number(s);
  if (type === 'bool') {
    if (s.toLowerCase() === 'true') return true;
    if (s.toLowerCase() === 'false') return false;
    throw new Error(`${where}: bad boolean default "${s}"`);
  }
  if (s === 'null') return null;
  if (type === 'string') return s;
  if (s === '') return undefined;
  throw new Error(`${where}: unsupported default "${s}" for type ${type}`);
}

function convertFields(fields: SpecField[], structs: Map<string, SpecStruct>, where: string): FieldDecl[] {
  return fields.map((f) => convertField(f, structs, `${where}.${f.name}`));
}

function convertField(f: SpecField, structs: Map<string, SpecStruct>, where: string): FieldDecl {
  const decl: {
    -readonly [K in keyof FieldDecl]: FieldDecl[K];
  } = { name: lowerFirst(f.name), type: 'int8', versions: requireVersions(f.versions, where) };
  let baseType = f.type;
  const isArray = baseType.startsWith('[]');
  if (isArray) baseType = baseType.slice(2);
  if (PRIMITIVES.has(baseType)) {
    if (isArray) {
      decl.type = 'array';
      decl.items = baseType as PrimitiveType;
    } else {
      decl.type = baseType as PrimitiveType;
    }
  } else {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(baseType)) throw new Error(`${where}: unknown type "${f.type}"`);
    decl.type = isArray ? 'array' : 'struct';
    if (isArray) decl.items = 'struct';
    decl.struct = baseType;
    const own = f.fields;
    const common = structs.get(baseType);
    if (own && own.length > 0) {
      decl.fields = convertFields(own, structs, where);
    } else if (common) {
      decl.fields = convertFields(common.fields, structs, where);
    } else {
      throw new Error(`${where}: struct ${baseType} has no fields and is not a common struct`);
    }
  }
  if (f.nullableVersions !== undefined) {
    const r = parseVersions(f.nullableVersions);
    if (r) decl.nullableVersions = r;
  }
  if (f.tag !== undefined) {
    decl.tag = f.tag;
    decl.taggedVersions = requireVersions(f.taggedVersions, `${where} (taggedVersions)`);
  } else if (f.taggedVersions !== undefined) {
    throw new Error(`${where}: taggedVersions without tag`);
  }
  if (f.flexibleVersions !== undefined) decl.flexibleVersions = parseVersions(f.flexibleVersions);
  if (f.default !== undefined) {
    const d = parseDefault(f.default, decl.type, where);
    if (d !== undefined) {
      if (d === null && !decl.nullableVersions) throw new Error(`${where}: null default on a non-nullable field`);
      decl.default = d;
    }
  }
  return decl;
}

interface ParsedMessage {
  spec: SpecMessage;
  fields: FieldDecl[];
  validVersions: VersionRange;
  flexibleVersions: VersionRange | null;
}

function parseMessage(file: string): ParsedMessage {
  const spec = JSON.parse(stripLineComments(readFileSync(file, 'utf8'))) as SpecMessage;
  const structs = new Map<string, SpecStruct>();
  for (const s of spec.commonStructs ?? []) structs.set(s.name, s);
  const validVersions = parseVersions(spec.validVersions);
  if (!validVersions) throw new Error(`${spec.name}: no valid versions`);
  return {
    spec,
    fields: convertFields(spec.fields, structs, spec.name),
    validVersions,
    flexibleVersions: parseVersions(spec.flexibleVersions),
  };
}

// ---------------------------------------------------------------------------------------------
// Emitting

function range(r: VersionRange): string {
  return `[${r[0]}, ${r[1] === OPEN ? 'V' : r[1]}]`;
}

function literal(v: DefaultValue): string {
  return typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(v);
}

function emitFields(fields: readonly FieldDecl[], indent: string): string {
  return fields.map((f) => emitField(f, indent)).join('');
}

function emitField(f: FieldDecl, indent: string): string {
  const parts = [`name: '${f.name}'`, `type: '${f.type}'`];
  if (f.items) parts.push(`items: '${f.items}'`);
  if (f.struct) parts.push(`struct: '${f.struct}'`);
  parts.push(`versions: ${range(f.versions)}`);
  if (f.nullableVersions) parts.push(`nullableVersions: ${range(f.nullableVersions)}`);
  if (f.tag !== undefined && f.taggedVersions) parts.push(`tag: ${f.tag}`, `taggedVersions: ${range(f.taggedVersions)}`);
  if (f.flexibleVersions !== undefined)
    parts.push(`flexibleVersions: ${f.flexibleVersions ? range(f.flexibleVersions) : 'null'}`);
  if (f.default !== undefined) parts.push(`default: ${literal(f.default)}`);
  if (!f.fields) return `${indent}{ ${parts.join(', ')} },\n`;
  return `${indent}{ ${parts.join(', ')}, fields: [\n${emitFields(f.fields, indent + '  ')}${indent}] },\n`;
}

function versionNote(f: FieldDecl, whole: VersionRange): string {
  const notes: string[] = [];
  if (f.versions[0] !== whole[0] || (f.versions[1] !== OPEN && f.versions[1] < whole[1])) {
    notes.push(f.versions[1] === OPEN ? `v${f.versions[0]}+` : `v${f.versions[0]}-${f.versions[1]}`);
  }
  if (f.taggedVersions) notes.push(`tag ${f.tag}`);
  return notes.length ? ` // ${notes.join(', ')}` : '';
}

const TS_PRIMITIVE: Record<PrimitiveType, string> = {
  bool: 'boolean',
  int8: 'number',
  int16: 'number',
  uint16: 'number',
  int32: 'number',
  uint32: 'number',
  int64: 'number',
  float64: 'number',
  string: 'string',
  uuid: 'Buffer',
  bytes: 'Buffer',
  records: 'Buffer',
};

class InterfaceEmitter {
  private readonly seen = new Map<string, string>();
  readonly out: string[] = [];

  emitMessage(typeName: string, fields: readonly FieldDecl[], whole: VersionRange): void {
    this.emitStruct(typeName, typeName, fields, whole);
  }

  private emitStruct(prefix: string, typeName: string, fields: readonly FieldDecl[], whole: VersionRange): void {
    const signature = JSON.stringify(fields);
    const previous = this.seen.get(typeName);
    if (previous !== undefined) {
      if (previous !== signature) throw new Error(`two different structs named ${typeName}`);
      return;
    }
    this.seen.set(typeName, signature);
    const lines: string[] = [];
    const nested: Array<[string, readonly FieldDecl[]]> = [];
    for (const f of fields) {
      let t: string;
      const nullable = f.nullableVersions !== undefined;
      if (f.type === 'array') {
        const item = f.items === 'struct' ? `${prefix}${f.struct}` : TS_PRIMITIVE[f.items as PrimitiveType];
        if (f.items === 'struct') nested.push([`${prefix}${f.struct}`, f.fields ?? []]);
        t = `${item}[]${nullable ? ' | null' : ''}`;
      } else if (f.type === 'struct') {
        t = `${prefix}${f.struct}${nullable ? ' | null' : ''}`;
        nested.push([`${prefix}${f.struct}`, f.fields ?? []]);
      } else {
        t = TS_PRIMITIVE[f.type];
        if (nullable || f.type === 'records') t += ' | null';
      }
      lines.push(`  ${f.name}: ${t};${versionNote(f, whole)}`);
    }
    this.out.push(`export interface ${typeName} {\n${lines.join('\n')}${lines.length ? '\n' : ''}}\n`);
    for (const [name, sub] of nested) this.emitStruct(prefix, name, sub, whole);
  }
}

interface ApiEntry {
  apiKey: number;
  name: string;
  validVersions: VersionRange;
  flexibleVersions: VersionRange | null;
  request: ParsedMessage;
  response: ParsedMessage;
}

export function generate(dir: string = specDir()): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const requests = new Map<number, ParsedMessage>();
  const responses = new Map<number, ParsedMessage>();
  const headers = new Map<string, ParsedMessage>();
  for (const file of files) {
    const msg = parseMessage(join(dir, file));
    const { spec } = msg;
    if (spec.type === 'header') headers.set(spec.name, msg);
    else if (spec.apiKey === undefined) throw new Error(`${file}: no apiKey`);
    else if (spec.type === 'request') requests.set(spec.apiKey, msg);
    else if (spec.type === 'response') responses.set(spec.apiKey, msg);
    else throw new Error(`${file}: unknown message type ${String(spec.type)}`);
  }

  const apis: ApiEntry[] = [];
  for (const [apiKey, request] of [...requests].sort((a, b) => a[0] - b[0])) {
    const response = responses.get(apiKey);
    if (!response) throw new Error(`api ${apiKey}: request without response`);
    if (!request.spec.name.endsWith('Request')) throw new Error(`${request.spec.name}: name must end in Request`);
    const name = request.spec.name.slice(0, -'Request'.length);
    const [min, max] = request.validVersions;
    if (response.validVersions[0] !== min || response.validVersions[1] !== max)
      throw new Error(`${name}: request and response valid versions differ`);
    if (JSON.stringify(request.flexibleVersions) !== JSON.stringify(response.flexibleVersions))
      throw new Error(`${name}: request and response flexible versions differ`);
    // An unstable latest version is not enabled by default in Kafka; we never accept it.
    const unstable = request.spec.latestVersionUnstable === true || response.spec.latestVersionUnstable === true;
    const validVersions: VersionRange = unstable ? [min, max - 1] : [min, max];
    apis.push({ apiKey, name, validVersions, flexibleVersions: request.flexibleVersions, request, response });
  }
  for (const apiKey of responses.keys()) {
    if (!requests.has(apiKey)) throw new Error(`api ${apiKey}: response without request`);
  }
  const requestHeader = headers.get('RequestHeader');
  const responseHeader = headers.get('ResponseHeader');
  if (!requestHeader || !responseHeader) throw new Error('RequestHeader.json and ResponseHeader.json are required');

  let out = '';
  out += '// Generated by scripts/gen-protocol.ts from the Kafka JSON message specs. Do not edit by hand;\n';
  out += '// run `npm run gen:protocol` (and `npm run check:protocol` to verify).\n';
  out += "import type { ApiSchema, HeaderSchema } from './schema.js';\n";
  out += "import { OPEN } from './schema.js';\n\n";
  out += 'const V = OPEN;\n\n';

  out += '/** Kafka API keys by name. */\n';
  out += 'export const ApiKey = {\n';
  for (const a of apis) out += `  ${a.name}: ${a.apiKey},\n`;
  out += '} as const;\n';
  out += 'export type ApiKey = (typeof ApiKey)[keyof typeof ApiKey];\n\n';

  const header = (m: ParsedMessage, exportName: string): string =>
    `export const ${exportName}: HeaderSchema = {\n  name: '${m.spec.name}',\n  validVersions: ${range(m.validVersions)},\n` +
    `  flexibleVersions: ${m.flexibleVersions ? range(m.flexibleVersions) : 'null'},\n` +
    `  fields: [\n${emitFields(m.fields, '    ')}  ],\n};\n\n`;
  out += header(requestHeader, 'requestHeaderSchema');
  out += header(responseHeader, 'responseHeaderSchema');

  out += '/** Every API this codec knows, by API key. */\n';
  out += 'export const apiSchemas: { readonly [K in ApiKey]: ApiSchema } = {\n';
  for (const a of apis) {
    out += `  ${a.apiKey}: {\n`;
    out += `    apiKey: ${a.apiKey},\n    name: '${a.name}',\n    validVersions: ${range(a.validVersions)},\n`;
    out += `    flexibleVersions: ${a.flexibleVersions ? range(a.flexibleVersions) : 'null'},\n`;
    for (const dir of ['request', 'response'] as const) {
      const m = a[dir];
      out += `    ${dir}: {\n      name: '${m.spec.name}',\n      fields: [\n${emitFields(m.fields, '        ')}      ],\n    },\n`;
    }
    out += '  },\n';
  }
  out += '};\n\n';

  const interfaces = new InterfaceEmitter();
  interfaces.emitMessage('RequestHeader', requestHeader.fields, requestHeader.validVersions);
  interfaces.emitMessage('ResponseHeader', responseHeader.fields, responseHeader.validVersions);
  for (const a of apis) {
    interfaces.emitMessage(a.request.spec.name, a.request.fields, a.request.validVersions);
    interfaces.emitMessage(a.response.spec.name, a.response.fields, a.response.validVersions);
  }
  out += interfaces.out.join('\n');
  out += '\n/** Request body type by API key. */\n';
  out += 'export interface ApiRequestMap {\n';
  for (const a of apis) out += `  ${a.apiKey}: ${a.request.spec.name};\n`;
  out += '}\n\n/** Response body type by API key. */\n';
  out += 'export interface ApiResponseMap {\n';
  for (const a of apis) out += `  ${a.apiKey}: ${a.response.spec.name};\n`;
  out += '}\n';
  return out;
}

function main(): void {
  const check = process.argv.includes('--check');
  const dir = specDir();
  if (!existsSync(dir)) {
    console.error(`gen-protocol: spec directory not found: ${dir} (set EDDY_PROTOCOL_SPEC_DIR)`);
    process.exit(2);
  }
  const text = generate(dir);
  if (check) {
    const current = existsSync(OUTPUT_FILE) ? readFileSync(OUTPUT_FILE, 'utf8') : '';
    if (current !== text) {
      const a = current.split('\n');
      const b = text.split('\n');
      let line = 0;
      while (line < a.length && line < b.length && a[line] === b[line]) line++;
      console.error(`gen-protocol --check: ${OUTPUT_FILE} is out of date (first difference at line ${line + 1}).`);
      console.error('Run `npm run gen:protocol` and commit the result.');
      process.exit(1);
    }
    console.log('gen-protocol --check: schemas.generated.ts is up to date');
    return;
  }
  writeFileSync(OUTPUT_FILE, text);
  console.log(`gen-protocol: wrote ${OUTPUT_FILE}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
