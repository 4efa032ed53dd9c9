/** Argument helpers shared by the eddy commands: usage errors, numbers, NAME=VALUE pairs, separators. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const DEFAULT_BOOTSTRAP = '127.0.0.1:9092';

/** A mistake in the command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** node:util parseArgs, with its errors turned into UsageErrors that name the command. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    const message = (err as Error).message.replace(/^Unknown option '(.+?)'.*$/s, "unknown option '$1'");
    throw new UsageError(message, command);
  }
}

/** An integer option within [min, max], or `fallback` when absent. */
export function intOption(
  command: string,
  name: string,
  raw: string | undefined,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? `a whole number of at least ${min}`
        : `a whole number from ${min} to ${max}`;
    throw new UsageError(`--${name} must be ${range} (got '${raw}')`, command);
  }
  return n;
}

/** Splits repeatable NAME=VALUE options into pairs, keeping their order. */
export function keyValues(command: string, name: string, raw: string[] | undefined): [string, string][] {
  return (raw ?? []).map((kv) => {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${name} expects NAME=VALUE (got '${kv}')`, command);
    return [kv.slice(0, eq), kv.slice(eq + 1)];
  });
}

/** Turns the escapes people type for separators (\t, \n, \r, \\) into the characters. */
export function unescape(text: string): string {
  return text.replace(
    /\\([tnr\\])/g,
    (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] as string,
  );
}

/** The topic: the single positional argument or --topic. */
export function topicArgument(command: string, positionals: string[], flag: string | undefined): string {
  const names = [...positionals, ...(flag === undefined ? [] : [flag])];
  if (names.length === 0) throw new UsageError('a topic name is required', command);
  if (names.length > 1)
    throw new UsageError(`one topic at a time, got ${names.map((n) => `'${n}'`).join(', ')}`, command);
  return names[0];
}
