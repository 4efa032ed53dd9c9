/** The log cleaner (compaction): the public surface of src/engine/storage/cleaner (see README.md here). */
export {
  cleanerBrokerSettings,
  cleanerConfigFrom,
  CLEANER_CONFIG_DEFAULTS,
  type CleanerBrokerSettings,
  type CleanerConfig,
} from './config.js';
export { CLEANER_CHECKPOINT_FILE, readCleanerCheckpoint, type CleanerCheckpoint } from './checkpoint.js';
export {
  cleanableState,
  cleanLog,
  cleanLogNow,
  groupSegmentsBySize,
  runCleanerSteps,
  type CleanableState,
  type CleanOptions,
  type CleanResult,
} from './log-cleaner.js';
export { CLEANER_SWAP_MANIFEST_FILE } from './swap.js';
export { LogCleaner, type CleanerLogger, type CleanerTarget, type LogCleanerOptions } from './scheduler.js';
