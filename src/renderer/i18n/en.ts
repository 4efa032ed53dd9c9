// English messages: the reference. pl.ts must have exactly these keys (the compiler checks).
// vue-i18n treats { } @ $ | as syntax: keep them out of plain text.
const en = {
  app: {
    name: 'Eddy',
    tagline: 'A Kafka cluster on your machine',
  },
  nav: {
    label: 'Main navigation',
    cluster: 'Cluster',
  },
  settings: {
    theme: 'Theme',
    themeSystem: 'System',
    themeLight: 'Light',
    themeDark: 'Dark',
    language: 'Language',
  },
  connection: {
    connecting: 'Connecting to the Eddy engine…',
    connected: 'Connected',
    disconnected: 'Disconnected',
    retrying: 'Trying again every few seconds.',
    restartedHint: 'If you restarted `eddy serve`, open the new link it printed.',
    retry: 'Try again',
  },
  cluster: {
    title: 'Cluster overview',
    clusterId: 'Cluster ID',
    brokers: 'Brokers',
    brokersUp: '{up} of {total} up',
    topics: 'Topics',
    controller: 'Controller',
    bootstrap: 'Bootstrap servers',
    copy: 'Copy',
    copied: 'Copied',
    noController: 'none',
    columns: {
      id: 'ID',
      address: 'Address',
      state: 'State',
      role: 'Role',
      name: 'Name',
      partitions: 'Partitions',
      replicationFactor: 'Replication factor',
    },
    state: {
      up: 'Up',
      down: 'Down',
    },
    internal: 'internal',
    noBrokers: 'No broker has registered yet.',
    noTopics:
      'No topics yet — create one with `eddy topics create NAME`, or produce to a new name and the broker creates it.',
  },
  terms: {
    broker: 'A server that stores partitions and answers clients.',
    controller: 'The broker that clients are told manages cluster metadata: topics, partitions and leaders.',
    partitions: 'A topic is split into partitions: ordered logs spread across brokers.',
    replicationFactor: 'How many brokers keep a copy of each partition.',
    bootstrap: 'Give these addresses to a Kafka client to connect.',
    internal: "Kafka's own topic, such as committed consumer offsets.",
  },
  errors: {
    ENGINE_UNREACHABLE: 'Cannot reach the Eddy engine — is it running?',
    ENGINE_NOT_RUNNING: 'The Eddy engine did not start. Check the log for the reason, then restart Eddy.',
    INVALID_ARGUMENT: 'The request was not understood: one of its values has the wrong type or range.',
    UNKNOWN_METHOD:
      'This version of the engine does not offer that operation. Update Eddy so both sides match.',
    CANCELLED: 'The operation was cancelled.',
    UNAUTHORIZED: 'This page is not allowed to talk to the engine. Open the link that `eddy serve` printed.',
    TOO_MANY_REQUESTS: 'Too many operations are in flight at once. Wait for some to finish, then try again.',
    INTERNAL: 'Something went wrong inside Eddy. The log has the details.',
  },
};

export type MessageSchema = typeof en;
export default en;
