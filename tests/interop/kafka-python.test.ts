// Interop: kafka-python against real Apache Kafka and against Eddy (EDDY_INTEROP_TARGETS selects).
import { describe } from 'vitest';
import { kafkaPythonDriver } from './drivers/kafka-python.js';
import { interopScenario } from './harness/suite.js';
import { TARGETS } from './harness/targets.js';

describe.each(TARGETS)('kafka-python ↔ %s', (target) => {
  interopScenario(target, kafkaPythonDriver);
});
