// `npm run dist [-- <electron-builder args>] [-- --electron-dist DIR]`: builds the app
// (electron-vite) and packages it with electron-builder (config: electron-builder.yml).
//
// electron-builder downloads Electron from GitHub unless it is given a local Electron directory.
// Where GitHub is unreachable, pass one with `--electron-dist DIR` (or EDDY_ELECTRON_DIST=DIR):
// it becomes `-c.electronDist=DIR`. Other arguments go to electron-builder unchanged, e.g.
// `--linux dir` (an unpacked app), `--linux AppImage deb`, `--win nsis`, `--mac dmg`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const builderArgs = [];
let build = true;
let electronDist = process.env.EDDY_ELECTRON_DIST || null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--electron-dist') electronDist = args[++i];
  else if (args[i].startsWith('--electron-dist=')) electronDist = args[i].slice('--electron-dist='.length);
  // `--no-build`: package what out/ holds (the tests build it once for every suite).
  else if (args[i] === '--no-build') build = false;
  else builderArgs.push(args[i]);
}
if (electronDist) builderArgs.push(`-c.electronDist=${electronDist}`);

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `dist: \`${command} ${commandArgs.join(' ')}\` failed (exit ${result.status ?? result.signal}).`,
    );
    process.exit(result.status ?? 1);
  }
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
if (build) run(bin('electron-vite'), ['build']);
run(bin('electron-builder'), builderArgs);
