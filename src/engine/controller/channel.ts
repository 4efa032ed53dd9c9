import type { Controller, CreateTopicSpec, TopicResult } from './controller.js';
import type { MetadataRecord } from './records.js';

/**
 * How a broker talks to the controller. In one thread it is a direct call; across worker threads
 * the same interface travels over a MessagePort. Everything is async so callers never assume which.
 */
export interface ControllerChannel {
  registerBroker(reg: { brokerId: number; host: string; port: number; rack: string | null }): Promise<void>;
  /** All metadata records so far, then every new batch of records through `listener`. */
  subscribe(listener: (records: MetadataRecord[]) => void): Promise<{ history: MetadataRecord[]; unsubscribe: () => void }>;
  createTopics(specs: CreateTopicSpec[], validateOnly: boolean): Promise<TopicResult[]>;
  deleteTopics(names: string[]): Promise<TopicResult[]>;
  allocateProducerIds(brokerId: number): Promise<{ firstProducerId: number; count: number }>;
  setConfigs(
    resourceType: 'topic' | 'broker',
    resourceName: string,
    changes: { name: string; value: string | null }[],
  ): Promise<void>;
  brokerShutdown(brokerId: number): Promise<void>;
  alterPartition(request: {
    brokerId: number;
    topicId: string;
    partition: number;
    leaderEpoch: number;
    partitionEpoch: number;
    isr: number[];
  }): Promise<{ errorCode: number }>;
  electPreferredLeaders(
    only?: { topic: string; partition: number }[],
  ): Promise<{ topic: string; partition: number; errorCode: number }[]>;
  electUncleanLeaders(
    only: { topic: string; partition: number }[] | null,
  ): Promise<{ topic: string; partition: number; errorCode: number }[]>;
  createPartitions(
    name: string,
    count: number,
    assignments: number[][] | null,
    validateOnly: boolean,
  ): Promise<{ errorCode: number; errorMessage: string | null }>;
  reassignPartition(
    name: string,
    partition: number,
    target: number[] | null,
  ): Promise<{ errorCode: number; errorMessage: string | null }>;
  ongoingReassignments(): Promise<{ topic: string; partition: number; replicas: number[]; adding: number[]; removing: number[] }[]>;
}

export function inProcessChannel(controller: Controller): ControllerChannel {
  return {
    async registerBroker(reg) {
      controller.registerBroker(reg);
    },
    async subscribe(listener) {
      const history = controller.snapshot();
      controller.on('records', listener);
      return { history, unsubscribe: () => controller.off('records', listener) };
    },
    async createTopics(specs, validateOnly) {
      return controller.createTopics(specs, validateOnly);
    },
    async deleteTopics(names) {
      return controller.deleteTopics(names);
    },
    async allocateProducerIds(brokerId) {
      return controller.allocateProducerIds(brokerId);
    },
    async setConfigs(resourceType, resourceName, changes) {
      controller.setConfigs(resourceType, resourceName, changes);
    },
    async brokerShutdown(brokerId) {
      controller.controlledShutdown(brokerId);
    },
    async alterPartition(request) {
      return controller.alterPartition(request);
    },
    async electPreferredLeaders(only) {
      return controller.electPreferredLeaders(only);
    },
    async electUncleanLeaders(only) {
      return controller.electUncleanLeaders(only);
    },
    async createPartitions(name, count, assignments, validateOnly) {
      return controller.createPartitions(name, count, assignments, validateOnly);
    },
    async reassignPartition(name, partition, target) {
      return controller.reassignPartition(name, partition, target);
    },
    async ongoingReassignments() {
      return controller.ongoingReassignments();
    },
  };
}
