import type { ApiHandler } from '../handler.js';
import { produceHandler } from './produce.js';
import { fetchHandler } from './fetch.js';
import { listOffsetsHandler } from './list-offsets.js';
import { metadataHandler } from './metadata.js';
import { apiVersionsHandler } from './api-versions.js';
import { createTopicsHandler } from './create-topics.js';
import { deleteTopicsHandler } from './delete-topics.js';
import { initProducerIdHandler } from './init-producer-id.js';
import { describeConfigsHandler } from './describe-configs.js';
import { describeClusterHandler } from './describe-cluster.js';
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch.js';
import { electLeadersHandler } from './elect-leaders.js';
import { createPartitionsHandler } from './create-partitions.js';
import { describeLogDirsHandler } from './describe-log-dirs.js';
import { alterPartitionReassignmentsHandler, listPartitionReassignmentsHandler } from './partition-reassignments.js';
import { describeProducersHandler } from './describe-producers.js';
import { offsetCommitHandler } from './offset-commit.js';
import { offsetFetchHandler } from './offset-fetch.js';
import { findCoordinatorHandler } from './find-coordinator.js';
import { joinGroupHandler } from './join-group.js';
import { heartbeatHandler } from './heartbeat.js';
import { leaveGroupHandler } from './leave-group.js';
import { syncGroupHandler } from './sync-group.js';
import { describeGroupsHandler } from './describe-groups.js';
import { listGroupsHandler } from './list-groups.js';
import { deleteGroupsHandler } from './delete-groups.js';
import { offsetDeleteHandler } from './offset-delete.js';
import { alterConfigsHandler } from './alter-configs.js';
import { incrementalAlterConfigsHandler } from './incremental-alter-configs.js';
import { deleteRecordsHandler } from './delete-records.js';

/** Every API this broker serves. ApiVersions advertises exactly this list. */
export const handlers: ApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  initProducerIdHandler,
  describeConfigsHandler,
  describeClusterHandler,
  offsetForLeaderEpochHandler,
  electLeadersHandler,
  createPartitionsHandler,
  describeLogDirsHandler,
  alterPartitionReassignmentsHandler,
  listPartitionReassignmentsHandler,
  describeProducersHandler,
  // Classic consumer groups (src/engine/groups).
  offsetCommitHandler,
  offsetFetchHandler,
  findCoordinatorHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  deleteGroupsHandler,
  offsetDeleteHandler,
  // Config changes and record deletion.
  alterConfigsHandler,
  incrementalAlterConfigsHandler,
  deleteRecordsHandler,
];
