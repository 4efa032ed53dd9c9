// English messages: the reference. pl.ts must have exactly these keys (the compiler checks).
// vue-i18n treats { } @ $ | as syntax: keep them out of plain text.
import { en as topicsSection } from './sections/topics.js';
import { en as groupsSection } from './sections/groups.js';
import { en as producerSection } from './sections/producer.js';
import { en as browserSection } from './sections/browser.js';
import { en as brokersSection } from './sections/brokers.js';
import { en as connectionsSection } from './sections/connections.js';
import { en as settingsViewSection } from './sections/settingsView.js';
import { en as commonSection } from './sections/common.js';

const en = {
  app: {
    name: 'Eddy',
    tagline: 'A Kafka cluster on your machine',
  },
  nav: {
    label: 'Main navigation',
    cluster: 'Cluster',
    topics: 'Topics',
    groups: 'Consumer groups',
    produce: 'Produce',
    browse: 'Browse',
    settings: 'Settings',
    collapse: 'Collapse the navigation',
    expand: 'Expand the navigation',
  },
  palette: {
    open: 'Command palette',
    shortcut: 'Ctrl+K',
    placeholder: 'Jump to a view, topic or group, or run an action…',
    empty: 'Nothing matches “{query}”.',
    help: '↑ ↓ to move · Enter to open · Esc to close',
    sections: {
      views: 'Views',
      actions: 'Actions',
      topics: 'Topics',
      groups: 'Consumer groups',
    },
    actions: {
      createTopic: 'Create a topic',
      produce: 'Produce a record',
      browse: 'Browse messages',
      connections: 'Manage cluster connections',
      toggleTheme: 'Switch between light and dark theme',
    },
    topicHint: 'topic · {partitions} partitions',
    groupHint: 'group · {state}',
  },
  status: {
    bootstrap: 'Bootstrap',
    throughput: 'Throughput',
    bytesIn: 'in',
    bytesOut: 'out',
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
    KAFKA_ERROR: 'The cluster refused the request.',
    CLUSTER_UNREACHABLE:
      'Cannot reach the Kafka cluster. Check the bootstrap servers and that the brokers are running.',
    AUTHENTICATION_FAILED: 'The cluster refused the user name or password. Check the connection profile.',
    EMBEDDED_ONLY: 'This works only on the embedded cluster. Switch to it in the cluster switcher.',
    NOT_FOUND: 'That topic, group or profile does not exist (any more).',
    INTERNAL: 'Something went wrong inside Eddy. The log has the details.',
  },
  topics: topicsSection,
  groups: groupsSection,
  producer: producerSection,
  browser: browserSection,
  brokers: brokersSection,
  connections: connectionsSection,
  settingsView: settingsViewSection,
  common: commonSection,
  kafkaErrors: commonSection.kafkaErrors,
};

export type MessageSchema = typeof en;
export default en;
