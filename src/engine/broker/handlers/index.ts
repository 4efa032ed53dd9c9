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
];
