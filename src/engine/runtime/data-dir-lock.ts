import fs from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
  /** Writes what other processes (the `eddy broker …` commands, the GUI) need to find this engine. */
  writeInfo(info: object): void;
  release(): void;
}

const LOCK_FILE = 'eddy.lock';
const INFO_FILE = 'eddy.json';

/**
 * One engine per data directory: a second `eddy serve` on the same directory would corrupt the
 * logs, so it is refused with a sentence naming the running process.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const infoPath = path.join(dataDir, INFO_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The data directory ${dataDir} is in use by another Eddy process (pid ${holder}). Stop it or choose another --data-dir.`,
        );
      }
      // A stale lock from a process that died (kill -9): take it over.
      fs.rmSync(lockPath, { force: true });
      if (attempt === 1) throw err;
    }
  }
  let released = false;
  return {
    writeInfo(info) {
      fs.writeFileSync(infoPath, JSON.stringify(info, null, 2));
    },
    release() {
      if (released) return;
      released = true;
      fs.rmSync(infoPath, { force: true });
      fs.rmSync(lockPath, { force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
