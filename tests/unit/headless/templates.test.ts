import { describe, expect, it } from 'vitest';
import { compileTemplate, templateError } from '../../../src/headless/services/template.js';

const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

describe('produce templates', () => {
  it('leaves text without placeholders unchanged', () => {
    const t = compileTemplate('plain {text} with { braces }');
    expect(t.dynamic).toBe(false);
    expect(t.expand({ index: 7, now: at })).toBe('plain {text} with { braces }');
  });

  it('expands {{i}}, {{now}} and {{iso}} per record', () => {
    const t = compileTemplate('{"n":{{i}},"at":{{now}},"iso":"{{iso}}"}');
    expect(t.dynamic).toBe(true);
    expect(JSON.parse(t.expand({ index: 0, now: at }))).toEqual({
      n: 0,
      at,
      iso: '2026-01-02T03:04:05.678Z',
    });
    expect(JSON.parse(t.expand({ index: 41, now: at + 1 }))).toEqual({
      n: 41,
      at: at + 1,
      iso: '2026-01-02T03:04:05.679Z',
    });
  });

  it('gives a fresh v4 UUID for every {{uuid}}', () => {
    const t = compileTemplate('{{uuid}}/{{uuid}}');
    const [a, b] = t.expand({ index: 0, now: at }).split('/');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).toMatch(/^[0-9a-f]{8}-/);
    expect(a).not.toBe(b);
  });

  it('draws {{random:A:B}} from A to B inclusive, negative bounds too', () => {
    const t = compileTemplate('{{random:-2:2}}');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(Number(t.expand({ index: i, now: at })));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    expect(compileTemplate('{{random:5:5}}').expand({ index: 0, now: at })).toBe('5');
  });

  it('tolerates spaces inside the braces', () => {
    expect(compileTemplate('k-{{ i }}').expand({ index: 3, now: at })).toBe('k-3');
  });

  it('names the bad placeholder in a sentence', () => {
    expect(templateError('{{i}} ok')).toBeNull();
    expect(templateError('x {{idx}}')).toBe(
      '{{idx}} is not a known placeholder; use {{i}}, {{uuid}}, {{now}}, {{iso}} or {{random:A:B}}.',
    );
    expect(templateError('{{random:9:1}}')).toBe(
      'In {{random:9:1}} the lower bound 9 is larger than the upper bound 1; swap them.',
    );
    expect(templateError('{{random:a:b}}')).toMatch(
      /not a valid random placeholder; write it as \{\{random:A:B\}\}/,
    );
    expect(() => compileTemplate('{{nope}}')).toThrow(/not a known placeholder/);
  });
});
