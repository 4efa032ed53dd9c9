/**
 * The one contract between the UI and the engine. The renderer calls it through `ContractClient`,
 * the host implements it as `ContractImpl`; both derive from `eddyContract`.
 */
import { brokersContract } from './brokers.js';
import { clusterContract } from './cluster.js';
import { connectionsContract } from './connections.js';
import type { ContractClient, ContractImpl } from './define.js';
import { groupsContract } from './groups.js';
import { messagesContract } from './messages.js';
import { producerContract } from './producer.js';
import { settingsContract } from './settings.js';
import { topicsContract } from './topics.js';

export const eddyContract = {
  cluster: clusterContract,
  connections: connectionsContract,
  brokers: brokersContract,
  topics: topicsContract,
  groups: groupsContract,
  producer: producerContract,
  messages: messagesContract,
  settings: settingsContract,
};

export type EddyContract = typeof eddyContract;
/** What the renderer holds: every service, with typed methods and streams. */
export type EddyClient = ContractClient<EddyContract>;
/** What a host implements. */
export type EddyServices = ContractImpl<EddyContract>;
export type ClusterService = EddyClient['cluster'];

export type * from './brokers.js';
export type * from './cluster.js';
export type * from './common.js';
export type * from './connections.js';
export type * from './groups.js';
export type * from './messages.js';
export type * from './producer.js';
export type * from './settings.js';
export type * from './topics.js';
export { EMBEDDED_CONNECTION_ID } from './connections.js';
export { TIMELINE_EVENT_TYPES } from './brokers.js';
export * from './define.js';
