// Interop: confluent-kafka against real Apache Kafka and against Eddy (EDDY_INTEROP_TARGETS selects).
import { describe } from 'vitest';
import { confluentKafkaDriver } from './drivers/confluent-kafka.js';
import { interopScenario } from './harness/suite.js';
import { TARGETS } from './harness/targets.js';

describe.each(TARGETS)('confluent-kafka ↔ %s', (target) => {
  interopScenario(target, confluentKafkaDriver);
});
