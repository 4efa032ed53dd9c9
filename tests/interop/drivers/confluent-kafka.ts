// confluent-kafka 2.x (librdkafka bundled in the wheel), from the interop venv.
// partitioner=murmur2_random so keyed records land where Java's partitioner puts them.
import type { ClientDriver } from '../harness/suite.js';
import { pythonScenario } from './python.js';

export const confluentKafkaDriver: ClientDriver = {
  name: 'confluent-kafka',
  tools: ['confluent-kafka'],
  codecs: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
  headerProfile: 'binary',
  ...pythonScenario('confluent_scenario.py'),
};
