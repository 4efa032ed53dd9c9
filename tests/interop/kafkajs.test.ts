// Interop: kafkajs against real Apache Kafka and against Eddy (EDDY_INTEROP_TARGETS selects).
import { describe } from 'vitest';
import { kafkajsDriver } from './drivers/kafkajs.js';
import { interopScenario } from './harness/suite.js';
import { TARGETS } from './harness/targets.js';

describe.each(TARGETS)('kafkajs ↔ %s', (target) => {
  interopScenario(target, kafkajsDriver);
});
