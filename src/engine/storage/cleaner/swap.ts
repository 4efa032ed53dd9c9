import * as path from 'node:path';

import {
  CLEANED_FILE_SUFFIX,
  INDEX_FILE_SUFFIX,
  LOG_FILE_SUFFIX,
  parseSegmentFileName,
  segmentFileName,
  SWAP_FILE_SUFFIX,
  TIME_INDEX_FILE_SUFFIX,
} from '../files.js';
import { writeFileAtomic, type StorageFs } from '../fs.js';

/**
 * Putting a cleaned segment in the place of the segments it replaces, so that a crash at any point
 * leaves the old segments or the new one, never a mix:
 *
 *   1. the cleaner writes `B.log.cleaned`, `B.index.cleaned`, `B.timeindex.cleaned` (B = base offset
 *      of the first replaced segment) and fsyncs them;
 *   2. `commitCleanedSwap`: the manifest `cleaner-swap.manifest` names the replaced range [B, E)
 *      (E = base offset of the segment after the group), written atomically; then the indexes and
 *      last the log are renamed `.cleaned` → `.swap`. The rename of `B.log.swap` is the commit point;
 *   3. the log deletes the replaced segments (rename to `.deleted`, unlink);
 *   4. `finishCleanedSwap`: `B.log.swap` → `B.log`, then the indexes, then the manifest goes.
 *
 * On open, `recoverCleanerSwap` runs before anything else looks at the directory:
 *   - manifest and `B.log.swap`: committed. Every live segment file with a base offset in [B, E) is
 *     removed and the swap files are renamed into place (missing indexes are rebuilt later);
 *   - manifest without `B.log.swap` but with `B.log.cleaned`: not committed. The old segments are all
 *     there; the `.cleaned` and `.swap` files are left for open() to delete;
 *   - manifest with neither: step 4 had renamed the log. Index `.swap` files whose live name is free
 *     are renamed into place;
 *   - no (readable) manifest: a `.cleaned` or `.swap` file cannot be part of a committed swap (the
 *     manifest outlives every `.swap` file), so open() deletes them as leftovers.
 * The manifest is removed last in every case.
 */

export const CLEANER_SWAP_MANIFEST_FILE = 'cleaner-swap.manifest';

export interface SwapManifest {
  /** Base offset of the first replaced segment, and of the cleaned one. */
  baseOffset: number;
  /** Base offset of the segment after the replaced ones: [baseOffset, endOffset) is replaced. */
  endOffset: number;
}

const MANIFEST_VERSION = '0';

const SEGMENT_SUFFIXES = [INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX] as const;

function manifestPath(dir: string): string {
  return path.join(dir, CLEANER_SWAP_MANIFEST_FILE);
}

/** `B.log.cleaned` and friends: where the cleaner writes the cleaned segment of base offset B. */
export function cleanedFileName(baseOffset: number, suffix: string): string {
  return segmentFileName(baseOffset, suffix) + CLEANED_FILE_SUFFIX;
}

function swapFileName(baseOffset: number, suffix: string): string {
  return segmentFileName(baseOffset, suffix) + SWAP_FILE_SUFFIX;
}

export function readSwapManifest(fs: StorageFs, dir: string): SwapManifest | null {
  const file = manifestPath(dir);
  if (!fs.existsSync(file)) return null;
  const lines = fs
    .readFileSync(file)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0);
  if (lines.length !== 2 || lines[0] !== MANIFEST_VERSION) return null;
  const match = /^replace (\d+) (\d+)$/.exec(lines[1]);
  if (!match) return null;
  const baseOffset = Number(match[1]);
  const endOffset = Number(match[2]);
  if (!Number.isSafeInteger(baseOffset) || !Number.isSafeInteger(endOffset) || endOffset <= baseOffset)
    return null;
  return { baseOffset, endOffset };
}

/**
 * Step 2: records the replaced range, then renames the cleaned files to `.swap` (the log last: its
 * rename commits the swap) and makes the renames durable. The cleaned files must be fsynced already.
 */
export function commitCleanedSwap(fs: StorageFs, dir: string, manifest: SwapManifest): void {
  writeFileAtomic(
    fs,
    manifestPath(dir),
    Buffer.from(`${MANIFEST_VERSION}\nreplace ${manifest.baseOffset} ${manifest.endOffset}\n`, 'utf8'),
  );
  for (const suffix of SEGMENT_SUFFIXES) {
    fs.renameSync(
      path.join(dir, cleanedFileName(manifest.baseOffset, suffix)),
      path.join(dir, swapFileName(manifest.baseOffset, suffix)),
    );
  }
  fs.fsyncDirSync(dir);
}

/** Step 4, once the replaced segments are gone: the swap files take their live names, the manifest goes. */
export function finishCleanedSwap(fs: StorageFs, dir: string, baseOffset: number): void {
  for (const suffix of [LOG_FILE_SUFFIX, INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) {
    fs.renameSync(
      path.join(dir, swapFileName(baseOffset, suffix)),
      path.join(dir, segmentFileName(baseOffset, suffix)),
    );
  }
  fs.fsyncDirSync(dir);
  fs.unlinkSync(manifestPath(dir));
}

/** Removes the cleaner's unfinished output (a pass given up before its commit). Never throws. */
export function removeCleanedFiles(fs: StorageFs, dir: string, baseOffset: number): void {
  for (const suffix of SEGMENT_SUFFIXES) {
    const file = path.join(dir, cleanedFileName(baseOffset, suffix));
    try {
      if (fs.existsSync(file)) fs.unlinkSync(file);
    } catch {
      // open() removes whatever is left
    }
  }
}

/**
 * Completes or rolls back a swap interrupted by a crash (see above). `names` is the directory
 * listing; returns the listing afterwards. What it did is appended to `actions`.
 */
export function recoverCleanerSwap(
  fs: StorageFs,
  dir: string,
  names: readonly string[],
  actions: string[],
): string[] {
  if (!names.includes(CLEANER_SWAP_MANIFEST_FILE)) return [...names];
  const manifest = readSwapManifest(fs, dir);
  const present = new Set(names);
  if (manifest === null) {
    actions.push(`removed an unreadable ${CLEANER_SWAP_MANIFEST_FILE}; its .cleaned/.swap files are dropped`);
  } else {
    const { baseOffset: base, endOffset: end } = manifest;
    const has = (name: string) => present.has(name);
    if (has(swapFileName(base, LOG_FILE_SUFFIX))) {
      // Committed: the old segments in [base, end) go, whatever is left of them.
      for (const name of names) {
        const parsed = parseSegmentFileName(name);
        if (!parsed || parsed.state !== '' || parsed.baseOffset < base || parsed.baseOffset >= end) continue;
        fs.unlinkSync(path.join(dir, name));
      }
      for (const suffix of [LOG_FILE_SUFFIX, INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) {
        if (!has(swapFileName(base, suffix))) continue; // a missing index is rebuilt from the log
        fs.renameSync(
          path.join(dir, swapFileName(base, suffix)),
          path.join(dir, segmentFileName(base, suffix)),
        );
      }
      fs.fsyncDirSync(dir);
      actions.push(`completed the log cleaner's swap of segments [${base}, ${end})`);
    } else if (has(cleanedFileName(base, LOG_FILE_SUFFIX))) {
      actions.push(`rolled back an uncommitted log cleaner swap of segments [${base}, ${end})`);
    } else {
      // The log had been renamed into place; indexes may still carry .swap.
      for (const suffix of [INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) {
        const live = segmentFileName(base, suffix);
        if (has(swapFileName(base, suffix)) && !has(live) && has(segmentFileName(base, LOG_FILE_SUFFIX)))
          fs.renameSync(path.join(dir, swapFileName(base, suffix)), path.join(dir, live));
      }
      fs.fsyncDirSync(dir);
      actions.push(`finished the log cleaner's swap of segments [${base}, ${end})`);
    }
  }
  fs.unlinkSync(manifestPath(dir));
  return fs.readdirSync(dir);
}
