#!/usr/bin/env node
// Thin launcher: the CLI is built by `npm run build` (scripts/build-engine.mjs) into out/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', 'out', 'cli', 'eddy.mjs');
if (!existsSync(entry)) {
  console.error('eddy: the engine is not built yet. Run `npm run build` in the checkout first.');
  process.exit(1);
}
await import(entry);
