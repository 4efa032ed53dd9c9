#!/usr/bin/env node
// Reads vitest's JSON report (written when EDDY_TEST_SUMMARY=<file> is set, see vitest.config.ts)
// and prints one closing line: `N passed, N failed, N skipped`.
// Usage: node scripts/test-summary.mjs <report.json> [--exit-code <vitest exit code>]
// Exits 1 when any test failed, a test file failed to run, vitest itself failed, or nothing ran.
import { readFileSync, existsSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args[0];
const ecIdx = args.indexOf('--exit-code');
const runnerExit = ecIdx >= 0 ? Number(args[ecIdx + 1]) : 0;

function finish(passed, failed, skipped, notes) {
  for (const n of notes) console.log(`summary: ${n}`);
  const line = `${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '');
  console.log(line);
  process.exit(failed > 0 || passed + failed === 0 ? 1 : 0);
}

if (!file || !existsSync(file)) {
  finish(0, 1, 0, [
    `no vitest report at ${file ?? '(none given)'}: the test run broke before vitest reported (exit code ${runnerExit})`,
  ]);
}

let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  finish(0, 1, 0, [`unreadable vitest report ${file}: ${err.message}`]);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const notes = [];
for (const tr of report.testResults ?? []) {
  let fileFailed = 0;
  for (const a of tr.assertionResults ?? []) {
    if (a.status === 'passed') passed++;
    else if (a.status === 'failed') {
      failed++;
      fileFailed++;
    } else skipped++; // pending, skipped, todo, disabled
  }
  // A file that failed without a failing test (import error, failing beforeAll/afterAll) counts once.
  if (tr.status === 'failed' && fileFailed === 0) {
    failed++;
    notes.push(`test file failed outside its tests: ${tr.name}: ${String(tr.message ?? '').split('\n')[0]}`);
  }
}
if (runnerExit !== 0 && failed === 0) {
  failed = 1;
  notes.push(`vitest exited with code ${runnerExit} although no test failed (unhandled errors?)`);
}
if (passed + failed === 0) notes.push('no test ran');
finish(passed, failed, skipped, notes);
