import type { BrokerStats } from '../observe/events.js';

/** Messages between the supervisor (main thread) and a broker worker. */
export type SupervisorMessage = { kind: 'stop'; controlled: boolean };

export type WorkerMessage =
  | { kind: 'ready'; port: number }
  | { kind: 'stopped' }
  | { kind: 'error'; message: string; code?: string }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { kind: 'stats'; stats: BrokerStats };
