/**
 * The one contract between the UI and the engine. The renderer calls it through `ContractClient`,
 * the host implements it as `ContractImpl`; both derive from `eddyContract`.
 */
import { clusterContract } from './cluster.js';
import type { ContractClient, ContractImpl } from './define.js';

export const eddyContract = {
  cluster: clusterContract,
};

export type EddyContract = typeof eddyContract;
/** What the renderer holds: every service, with typed methods and streams. */
export type EddyClient = ContractClient<EddyContract>;
/** What a host implements. */
export type EddyServices = ContractImpl<EddyContract>;
export type ClusterService = EddyClient['cluster'];

export type { BrokerSummary, ClusterDescription, TopicSummary } from './cluster.js';
export * from './define.js';
