// Interop: kcat against real Apache Kafka and against Eddy (EDDY_INTEROP_TARGETS selects).
import { describe } from 'vitest';
import { kcatDriver } from './drivers/kcat.js';
import { interopScenario } from './harness/suite.js';
import { TARGETS } from './harness/targets.js';

describe.each(TARGETS)('kcat ↔ %s', (target) => {
  interopScenario(target, kcatDriver);
});
