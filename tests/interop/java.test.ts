// Interop: java against real Apache Kafka and against Eddy (EDDY_INTEROP_TARGETS selects).
import { describe } from 'vitest';
import { javaDriver } from './drivers/java.js';
import { interopScenario } from './harness/suite.js';
import { TARGETS } from './harness/targets.js';

describe.each(TARGETS)('java ↔ %s', (target) => {
  interopScenario(target, javaDriver);
});
