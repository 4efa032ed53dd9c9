import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FILE, generate, parseVersions, specDir, stripLineComments } from '../../../scripts/gen-protocol.js';
import { OPEN } from '../../../src/engine/protocol/schema.js';

describe('gen-protocol helpers', () => {
  it('strips // comments but not // inside strings', () => {
    const text = '{ "a": "http://x//y", // note\n  "b": "q\\"//r" // "fake"\n}';
    expect(JSON.parse(stripLineComments(text))).toEqual({ a: 'http://x//y', b: 'q"//r' });
  });

  it('parses version ranges', () => {
    expect(parseVersions('3+')).toEqual([3, OPEN]);
    expect(parseVersions('0-7')).toEqual([0, 7]);
    expect(parseVersions('5')).toEqual([5, 5]);
    expect(parseVersions('none')).toBeNull();
    expect(() => parseVersions('x')).toThrow();
  });
});

const dir = specDir();
const haveSpecs = existsSync(dir);

describe('schemas.generated.ts', () => {
  // The spec data sits beside every checkout (../shared), in CI too; without it this must fail, not skip.
  it(`finds the spec data in ${dir}`, () => {
    expect(haveSpecs, `spec directory ${dir} not found (set EDDY_PROTOCOL_SPEC_DIR)`).toBe(true);
  });

  it.runIf(haveSpecs)(`is what \`gen-protocol --check\` regenerates from ${dir}`, () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-protocol.ts', '--check'], { cwd: root, encoding: 'utf8', env: { ...process.env, EDDY_PROTOCOL_SPEC_DIR: dir } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // The same comparison in-process, for a readable failure.
    expect(readFileSync(OUTPUT_FILE, 'utf8') === generate(dir), 'schemas.generated.ts is stale: run `npm run gen:protocol`').toBe(true);
  });

  it.runIf(haveSpecs)('--check exits 1 when the specs and the committed file disagree', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const changed = mkdtempSync(join(tmpdir(), 'eddy-specs-'));
    try {
      cpSync(dir, changed, { recursive: true });
      const file = join(changed, 'HeartbeatRequest.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"name": "MemberId"', '"name": "MemberIdentifier"'));
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-protocol.ts', '--check'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, EDDY_PROTOCOL_SPEC_DIR: changed },
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/out of date/);
    } finally {
      rmSync(changed, { recursive: true, force: true });
    }
  });
});
