// Bundles the engine and the CLI with esbuild into out/. Native addons stay external.
import { build } from 'esbuild';

const quiet = process.argv.includes('--quiet');
const started = Date.now();
await build({
  entryPoints: {
    'cli/eddy': 'src/cli/main.ts',
    // Each broker runs this in its own worker thread.
    'engine/broker-worker': 'src/engine/runtime/broker-worker.ts',
    // The message browser reads (fetch + decode + filter) in this worker thread.
    'engine/browse-worker': 'src/headless/browse-worker.ts',
    // Eddy's Kafka client, for bench/ scripts.
    'engine/client': 'src/engine/client/index.ts',
  },
  outdir: 'out',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: quiet ? 'warning' : 'info',
  banner: { js: "import { createRequire as __eddyCreateRequire } from 'node:module'; const require = __eddyCreateRequire(import.meta.url);" },
});
if (!quiet) console.log(`built out/ in ${Date.now() - started} ms`);
