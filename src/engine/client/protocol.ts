/**
 * The client's single seam to the codec and record-batch modules: everything the client needs
 * from ../protocol is imported here and nowhere else, so a change there is a change in one file.
 */
import { ApiKey, encodeRequest, decodeResponse, errorInfo } from '../protocol/index.js';

export { encodeRequest, decodeResponse };
export { ErrorCode } from '../protocol/index.js';
export type {
  RequestBodyInput,
  ResponseBody,
  ProduceResponsePartitionProduceResponse,
  ListOffsetsResponseListOffsetsPartitionResponse,
} from '../protocol/index.js';
export {
  buildBatch,
  decodeBatches,
  defaultPartition,
  CompressionType,
  type DecodedBatch,
} from '../protocol/records/index.js';

/** The APIs the client uses, by Kafka's names. */
export const API = {
  Produce: ApiKey.Produce,
  Fetch: ApiKey.Fetch,
  ListOffsets: ApiKey.ListOffsets,
  Metadata: ApiKey.Metadata,
  ApiVersions: ApiKey.ApiVersions,
  CreateTopics: ApiKey.CreateTopics,
  DeleteTopics: ApiKey.DeleteTopics,
  InitProducerId: ApiKey.InitProducerId,
  DescribeConfigs: ApiKey.DescribeConfigs,
  DescribeCluster: ApiKey.DescribeCluster,
  // Group administration (groups-admin.ts).
  FindCoordinator: ApiKey.FindCoordinator,
  ListGroups: ApiKey.ListGroups,
  DescribeGroups: ApiKey.DescribeGroups,
  OffsetFetch: ApiKey.OffsetFetch,
  OffsetCommit: ApiKey.OffsetCommit,
  DeleteGroups: ApiKey.DeleteGroups,
  OffsetDelete: ApiKey.OffsetDelete,
  // Authentication (connection.ts, sasl.ts).
  SaslHandshake: ApiKey.SaslHandshake,
  SaslAuthenticate: ApiKey.SaslAuthenticate,
} as const;

export interface ErrorInfo {
  name: string;
  retriable: boolean;
  message: string;
}

/** Kafka's name, retriable flag and description for an error code (unknown codes included). */
export function errorFor(code: number): ErrorInfo {
  const info = errorInfo(code);
  return { name: info.name, retriable: info.retriable, message: info.message };
}
export { FrameReader } from '../protocol/frame-reader.js';
