import * as nodeFs from 'node:fs';
import * as path from 'node:path';

import { TEMP_FILE_SUFFIX } from './files.js';

/**
 * The few synchronous file operations the log needs. A broker owns its partitions on one worker thread,
 * so storage calls block that thread briefly instead of interleaving with other work on the loop.
 * Everything goes through this interface so tests can tear writes, fill the disk and fail fsync.
 */
export interface StorageFs {
  openSync(file: string, flags: 'r' | 'r+' | 'w' | 'w+'): number;
  closeSync(fd: number): void;
  /** Reads at an absolute position; returns the bytes read (0 at end of file). */
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number;
  /** Writes at an absolute position; may write fewer bytes than asked (see writeFully). */
  writeSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number;
  fstatSync(fd: number): { size: number; mtimeMs: number };
  ftruncateSync(fd: number, length: number): void;
  fsyncSync(fd: number): void;
  existsSync(file: string): boolean;
  readdirSync(dir: string): string[];
  mkdirSync(dir: string): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
  readFileSync(file: string): Buffer;
  /** Removes a directory and everything in it. */
  removeDirSync(dir: string): void;
  /** Makes a directory's entries (creates, renames) durable. Not every platform can (Windows). */
  fsyncDirSync(dir: string): void;
}

/** The real thing, over node:fs. */
export const nodeStorageFs: StorageFs = {
  openSync: (file, flags) => nodeFs.openSync(file, flags),
  closeSync: (fd) => nodeFs.closeSync(fd),
  readSync: (fd, buffer, offset, length, position) => nodeFs.readSync(fd, buffer, offset, length, position),
  writeSync: (fd, buffer, offset, length, position) => nodeFs.writeSync(fd, buffer, offset, length, position),
  fstatSync: (fd) => {
    const stat = nodeFs.fstatSync(fd);
    return { size: stat.size, mtimeMs: stat.mtimeMs };
  },
  ftruncateSync: (fd, length) => nodeFs.ftruncateSync(fd, length),
  fsyncSync: (fd) => nodeFs.fsyncSync(fd),
  existsSync: (file) => nodeFs.existsSync(file),
  readdirSync: (dir) => nodeFs.readdirSync(dir),
  mkdirSync: (dir) => void nodeFs.mkdirSync(dir, { recursive: true }),
  renameSync: (from, to) => nodeFs.renameSync(from, to),
  unlinkSync: (file) => nodeFs.unlinkSync(file),
  readFileSync: (file) => nodeFs.readFileSync(file),
  removeDirSync: (dir) => nodeFs.rmSync(dir, { recursive: true, force: true }),
  fsyncDirSync: (dir) => {
    let fd: number | undefined;
    try {
      fd = nodeFs.openSync(dir, 'r');
      nodeFs.fsyncSync(fd);
    } catch (err) {
      // Windows cannot open or fsync a directory; its renames are durable without it.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw err;
    } finally {
      if (fd !== undefined) nodeFs.closeSync(fd);
    }
  },
};

/** Writes all of `buffer` at `position`, looping over short writes. */
export function writeFully(fs: StorageFs, fd: number, buffer: Buffer, position: number): void {
  let written = 0;
  while (written < buffer.length) {
    const n = fs.writeSync(fd, buffer, written, buffer.length - written, position + written);
    if (n <= 0) throw Object.assign(new Error('write returned no progress'), { code: 'EIO' });
    written += n;
  }
}

/** Reads up to `length` bytes at `position`; the result is shorter only at end of file. */
export function readFully(fs: StorageFs, fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const n = fs.readSync(fd, buffer, filled, length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

/** Replaces `file` with `data` so that a crash leaves either the old or the new content, never a mix. */
export function writeFileAtomic(fs: StorageFs, file: string, data: Buffer): void {
  const temp = file + TEMP_FILE_SUFFIX;
  const fd = fs.openSync(temp, 'w');
  try {
    writeFully(fs, fd, data, 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  fs.fsyncDirSync(path.dirname(file));
}

// ---------------------------------------------------------------------------------------------
// Fault injection for crash and disk-full tests.
// ---------------------------------------------------------------------------------------------

type PathMatcher = (file: string) => boolean;

export interface FaultStats {
  reads: number;
  bytesRead: number;
  writes: number;
  bytesWritten: number;
  fsyncs: number;
}

/** Thrown by every call after FaultyStorageFs.crash() or a torn write: the "process" is dead. */
export class SimulatedCrashError extends Error {
  constructor(what: string) {
    super(`simulated crash: ${what}`);
    this.name = 'SimulatedCrashError';
  }
}

function fault(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  const messages: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EIO: 'i/o error',
    EACCES: 'permission denied',
  };
  return Object.assign(new Error(`${code}: ${messages[code] ?? 'simulated fault'}, ${syscall} '${file}'`), {
    code,
    syscall,
    path: file,
  });
}

const anyPath: PathMatcher = () => true;

/**
 * A StorageFs over a real one that can misbehave on request:
 * - `failWritesAfter(n)`: the disk fills after n more bytes; the write that crosses the line lands its
 *   first part and then fails (ENOSPC by default), later writes fail outright;
 * - `tearNextWrite(keep)`: the next matching write lands only `keep` bytes and the process "dies"
 *   (every open file is closed and every later call throws SimulatedCrashError);
 * - `failFsync()`: fsync fails (EIO);
 * - `failNext(op)`: the next open/rename/unlink/ftruncate fails.
 * It also counts reads and writes, and tracks open descriptors so tests can spot leaks.
 */
export class FaultyStorageFs implements StorageFs {
  readonly stats: FaultStats = { reads: 0, bytesRead: 0, writes: 0, bytesWritten: 0, fsyncs: 0 };
  private readonly open = new Map<number, string>();
  private crashed = false;
  private writeBudget: { bytes: number; code: string; matches: PathMatcher } | null = null;
  private tear: { keep: number; matches: PathMatcher } | null = null;
  private fsyncFault: { code: string; matches: PathMatcher } | null = null;
  private nextFaults: {
    op: 'open' | 'rename' | 'unlink' | 'ftruncate';
    code: string;
    matches: PathMatcher;
  }[] = [];

  constructor(private readonly inner: StorageFs = nodeStorageFs) {}

  failWritesAfter(bytes: number, options: { code?: string; path?: PathMatcher } = {}): void {
    this.writeBudget = { bytes, code: options.code ?? 'ENOSPC', matches: options.path ?? anyPath };
  }

  tearNextWrite(keep: number, options: { path?: PathMatcher } = {}): void {
    this.tear = { keep, matches: options.path ?? anyPath };
  }

  failFsync(options: { code?: string; path?: PathMatcher } = {}): void {
    this.fsyncFault = { code: options.code ?? 'EIO', matches: options.path ?? anyPath };
  }

  failNext(
    op: 'open' | 'rename' | 'unlink' | 'ftruncate',
    options: { code?: string; path?: PathMatcher } = {},
  ): void {
    this.nextFaults.push({ op, code: options.code ?? 'EIO', matches: options.path ?? anyPath });
  }

  /** Removes every armed fault (the disk has room again); a crash stays a crash. */
  heal(): void {
    this.writeBudget = null;
    this.tear = null;
    this.fsyncFault = null;
    this.nextFaults = [];
  }

  /** The process dies: open files are closed without flushing anything, later calls throw. */
  crash(): void {
    for (const fd of this.open.keys()) this.inner.closeSync(fd);
    this.open.clear();
    this.crashed = true;
  }

  get openDescriptors(): number {
    return this.open.size;
  }

  resetStats(): void {
    Object.assign(this.stats, { reads: 0, bytesRead: 0, writes: 0, bytesWritten: 0, fsyncs: 0 });
  }

  private alive(what: string): void {
    if (this.crashed) throw new SimulatedCrashError(`${what} after the crash`);
  }

  private takeNextFault(op: 'open' | 'rename' | 'unlink' | 'ftruncate', file: string): void {
    const index = this.nextFaults.findIndex((f) => f.op === op && f.matches(file));
    if (index < 0) return;
    const [armed] = this.nextFaults.splice(index, 1);
    throw fault(armed.code, op, file);
  }

  private pathOf(fd: number): string {
    return this.open.get(fd) ?? `<fd ${fd}>`;
  }

  openSync(file: string, flags: 'r' | 'r+' | 'w' | 'w+'): number {
    this.alive(`open ${file}`);
    this.takeNextFault('open', file);
    const fd = this.inner.openSync(file, flags);
    this.open.set(fd, file);
    return fd;
  }

  closeSync(fd: number): void {
    if (this.crashed) return; // already closed by crash()
    this.open.delete(fd);
    this.inner.closeSync(fd);
  }

  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
    this.alive('read');
    const n = this.inner.readSync(fd, buffer, offset, length, position);
    this.stats.reads++;
    this.stats.bytesRead += n;
    return n;
  }

  writeSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
    this.alive('write');
    const file = this.pathOf(fd);
    if (this.tear && this.tear.matches(file)) {
      const keep = Math.min(this.tear.keep, length);
      this.tear = null;
      if (keep > 0) this.inner.writeSync(fd, buffer, offset, keep, position);
      this.crash();
      throw new SimulatedCrashError(`torn write to ${file} after ${keep} of ${length} bytes`);
    }
    const budget = this.writeBudget;
    if (budget && budget.matches(file)) {
      if (budget.bytes <= 0) throw fault(budget.code, 'write', file);
      if (length > budget.bytes) {
        // The write that fills the disk: its head lands, then the error.
        const landed = this.inner.writeSync(fd, buffer, offset, budget.bytes, position);
        budget.bytes = 0;
        this.stats.writes++;
        this.stats.bytesWritten += landed;
        throw fault(budget.code, 'write', file);
      }
      budget.bytes -= length;
    }
    const n = this.inner.writeSync(fd, buffer, offset, length, position);
    this.stats.writes++;
    this.stats.bytesWritten += n;
    return n;
  }

  fstatSync(fd: number): { size: number; mtimeMs: number } {
    this.alive('fstat');
    return this.inner.fstatSync(fd);
  }

  ftruncateSync(fd: number, length: number): void {
    this.alive('ftruncate');
    this.takeNextFault('ftruncate', this.pathOf(fd));
    this.inner.ftruncateSync(fd, length);
  }

  fsyncSync(fd: number): void {
    this.alive('fsync');
    const file = this.pathOf(fd);
    if (this.fsyncFault && this.fsyncFault.matches(file)) throw fault(this.fsyncFault.code, 'fsync', file);
    this.stats.fsyncs++;
    this.inner.fsyncSync(fd);
  }

  existsSync(file: string): boolean {
    this.alive('exists');
    return this.inner.existsSync(file);
  }

  readdirSync(dir: string): string[] {
    this.alive('readdir');
    return this.inner.readdirSync(dir);
  }

  mkdirSync(dir: string): void {
    this.alive('mkdir');
    this.inner.mkdirSync(dir);
  }

  renameSync(from: string, to: string): void {
    this.alive('rename');
    this.takeNextFault('rename', from);
    this.inner.renameSync(from, to);
  }

  unlinkSync(file: string): void {
    this.alive('unlink');
    this.takeNextFault('unlink', file);
    this.inner.unlinkSync(file);
  }

  readFileSync(file: string): Buffer {
    this.alive('readFile');
    const data = this.inner.readFileSync(file);
    this.stats.reads++;
    this.stats.bytesRead += data.length;
    return data;
  }

  removeDirSync(dir: string): void {
    this.alive('removeDir');
    this.inner.removeDirSync(dir);
  }

  fsyncDirSync(dir: string): void {
    this.alive('fsyncDir');
    if (this.fsyncFault && this.fsyncFault.matches(dir)) throw fault(this.fsyncFault.code, 'fsync', dir);
    this.stats.fsyncs++;
    this.inner.fsyncDirSync(dir);
  }
}
