/** Eddy's own Kafka client: the public surface used by the CLI, the GUI's service layer and replication. */
export {
  Connection,
  NO_RESPONSE,
  type ConnectionOptions,
  type SendOptions,
  type TlsOptions,
} from './connection.js';
export { SASL_MECHANISMS, type SaslMechanism, type SaslOptions } from './sasl.js';
export {
  Cluster,
  parseBootstrap,
  type ClusterOptions,
  type BrokerInfo,
  type PartitionInfo,
  type TopicInfo,
  type MetadataSnapshot,
} from './cluster.js';
export {
  Admin,
  type NewTopic,
  type CreateTopicsOptions,
  type CreateTopicResult,
  type DeleteTopicResult,
  type TopicDescription,
  type ConfigResource,
  type ConfigResourceType,
  type ConfigResourceResult,
  type ConfigEntry,
  type ConfigSource,
  type ClusterDescription,
} from './admin.js';
export {
  Producer,
  type ProducerOptions,
  type ProducerRecord,
  type RecordMetadata,
  type RecordHeaders,
  type Compression,
  type Acks,
} from './producer.js';
export {
  Consumer,
  type ConsumerOptions,
  type ConsumerRecord,
  type TopicPartition,
  type SeekPosition,
} from './consumer.js';
export { type OffsetSpec, type OffsetQuery, type ListedOffset, type IsolationLevel } from './list-offsets.js';
export {
  GroupAdmin,
  decodeAssignment,
  decodeSubscription,
  type GroupAdminOptions,
  type CoordinatorInfo,
  type ListGroupsOptions,
  type GroupListing,
  type GroupDescription,
  type GroupMemberDescription,
  type ConsumerSubscription,
  type ConsumerAssignment,
  type TopicPartitions,
  type CommittedOffset,
  type OffsetToCommit,
  type PartitionResult,
  type GroupResult,
} from './groups-admin.js';
export {
  describeGroupOffsets,
  resetGroupOffsets,
  type GroupOffsets,
  type GroupOffsetRow,
  type OffsetResetSpec,
  type OffsetResetScope,
  type OffsetResetResult,
} from './group-offsets.js';
export { KafkaClientError, type ClientErrorKind } from './errors.js';
export { ErrorCode } from './protocol.js';
export { CLIENT_VERSIONS, pickVersion, type VersionRange } from './versions.js';
export { formatUuid } from './util.js';
