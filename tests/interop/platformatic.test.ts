// Interop: platformatic against real Apache Kafka and against Eddy (EDDY_INTEROP_TARGETS selects).
import { describe } from 'vitest';
import { platformaticDriver } from './drivers/platformatic.js';
import { interopScenario } from './harness/suite.js';
import { TARGETS } from './harness/targets.js';

describe.each(TARGETS)('platformatic ↔ %s', (target) => {
  interopScenario(target, platformaticDriver);
});
