// kafka-python 3.x (pure Python), from the interop venv. Its DefaultPartitioner is murmur2 (Java-compatible);
// idempotence is on by default. Codecs: gzip built in; snappy, lz4, zstd via the pinned extras.
import type { ClientDriver } from '../harness/suite.js';
import { pythonScenario } from './python.js';

export const kafkaPythonDriver: ClientDriver = {
  name: 'kafka-python',
  tools: ['kafka-python'],
  codecs: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
  headerProfile: 'binary',
  ...pythonScenario('kafka_python_scenario.py'),
};
