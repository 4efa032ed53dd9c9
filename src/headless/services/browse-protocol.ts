/** Messages between the host and the browse worker (src/headless/browse-worker.ts). */
import type { ClusterOptions } from '../../engine/client/index.js';
import type { BrowseBatch } from '../../shared/contract/messages.js';
import type { BrowseQuery } from './browse-scan.js';

export type BrowseWorkerMessage = { type: 'batch'; batch: BrowseBatch } | { type: 'finished' };
export type BrowseHostMessage =
  { type: 'start'; query: BrowseQuery; options: ClusterOptions } | { type: 'credit' } | { type: 'stop' };

/** Batches the worker may have sent that the host has not passed on yet. */
export const BROWSE_CREDITS = 4;
