/**
 * Templates for produce runs: placeholders in text keys, values and header values, expanded per
 * record. `{{i}}` the 0-based index of the record in the run, `{{uuid}}` a random UUID v4,
 * `{{now}}` ms since epoch, `{{iso}}` the same instant as ISO 8601 (UTC), `{{random:A:B}}` an
 * integer from A to B inclusive. Anything else between `{{ }}` is an error (checked up front, so a
 * run never starts with a typo in it).
 */
import { randomUUID } from 'node:crypto';

export interface TemplateContext {
  /** 0-based index of the record in the run. */
  index: number;
  /** The record's instant (ms since epoch); one value for every placeholder of one record. */
  now: number;
}

type Part = string | ((ctx: TemplateContext) => string);

/** A compiled template: `expand` builds one record's text. */
export interface Template {
  /** True when the text has at least one placeholder (else `expand` returns it unchanged). */
  readonly dynamic: boolean;
  expand(ctx: TemplateContext): string;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const RANDOM = /^random:(-?\d{1,15}):(-?\d{1,15})$/;

function placeholder(name: string): (ctx: TemplateContext) => string {
  const trimmed = name.trim();
  switch (trimmed) {
    case 'i':
      return (ctx) => String(ctx.index);
    case 'uuid':
      return () => randomUUID();
    case 'now':
      return (ctx) => String(ctx.now);
    case 'iso':
      return (ctx) => new Date(ctx.now).toISOString();
  }
  const random = RANDOM.exec(trimmed);
  if (random) {
    const low = Number(random[1]);
    const high = Number(random[2]);
    if (low > high)
      throw new TemplateError(
        `In {{${name}}} the lower bound ${low} is larger than the upper bound ${high}; swap them.`,
      );
    const span = high - low + 1;
    return () => String(low + Math.floor(Math.random() * span));
  }
  if (trimmed.startsWith('random'))
    throw new TemplateError(
      `{{${name}}} is not a valid random placeholder; write it as {{random:A:B}} with whole numbers A ≤ B.`,
    );
  throw new TemplateError(
    `{{${name}}} is not a known placeholder; use {{i}}, {{uuid}}, {{now}}, {{iso}} or {{random:A:B}}.`,
  );
}

/** Compiles `text`; throws TemplateError naming the first bad placeholder. */
export function compileTemplate(text: string): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(placeholder(m[1]));
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return { dynamic: false, expand: () => text };
  if (last < text.length) parts.push(text.slice(last));
  return {
    dynamic: true,
    expand(ctx) {
      let out = '';
      for (const p of parts) out += typeof p === 'string' ? p : p(ctx);
      return out;
    },
  };
}

/** The sentence for the first bad placeholder in `text`, or null when it is fine. */
export function templateError(text: string): string | null {
  try {
    compileTemplate(text);
    return null;
  } catch (err) {
    if (err instanceof TemplateError) return err.message;
    throw err;
  }
}
