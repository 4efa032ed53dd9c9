// Interop: kafka-cli against real Apache Kafka and against Eddy (EDDY_INTEROP_TARGETS selects).
import { describe } from 'vitest';
import { kafkaCliDriver } from './drivers/kafka-cli.js';
import { interopScenario } from './harness/suite.js';
import { TARGETS } from './harness/targets.js';

describe.each(TARGETS)('kafka-cli ↔ %s', (target) => {
  interopScenario(target, kafkaCliDriver);
});
