// `npm start`: builds the engine and the UI, then runs the desktop app when an Electron runtime can
// start here; otherwise says why in one line and runs `eddy serve`, which serves the same UI to a
// browser (it prints `ready … ui=http://127.0.0.1:PORT/#token=…`).
//
//   npm start                  desktop app if possible, else the browser UI
//   npm start -- --headless    always the browser UI; other arguments go to `eddy serve`
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { findOrFetchElectron } from './electron-runtime.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const headless = args.includes('--headless') || process.env.EDDY_HEADLESS === '1';
const serveArgs = args.filter((a) => a !== '--headless');

function run(label, command, commandArgs) {
  const r = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`eddy: ${label} failed (exit code ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}

run('building the engine', process.execPath, ['scripts/build-engine.mjs', '--quiet']);
run('building the UI', process.execPath, [
  join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
  'build',
  '--logLevel',
  'warn',
]);

let command;
let commandArgs;
if (headless) {
  [command, commandArgs] = [process.execPath, ['bin/eddy.js', 'serve', ...serveArgs]];
} else {
  const electron = await findOrFetchElectron({
    onSlow: () => console.log('eddy: fetching the Electron runtime (first run only)…'),
  });
  if (electron.ok) {
    [command, commandArgs] = [electron.binary, ['.']];
  } else {
    console.log(
      `eddy: ${electron.reason}; serving the UI to your browser instead (open the ui= link below).`,
    );
    [command, commandArgs] = [process.execPath, ['bin/eddy.js', 'serve', ...serveArgs]];
  }
}

const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
// Ctrl-C in a terminal reaches the child directly; forward signals sent to this process alone.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
