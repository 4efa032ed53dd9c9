/**
 * Which version of each API the client can speak, and the pick per connection:
 * min(our max, broker max), refused when that is below either side's minimum.
 */
import { API } from './protocol.js';
import { KafkaClientError } from './errors.js';

export interface VersionRange {
  min: number;
  max: number;
}

/**
 * The versions the client's request builders handle. Minimums follow the Kafka 4.0 baseline
 * (KIP-896) where the older versions need different request shapes; maximums are the newest
 * versions whose layouts the codec knows.
 */
export const CLIENT_VERSIONS: ReadonlyMap<number, VersionRange> = new Map([
  [API.Produce, { min: 3, max: 11 }], // v3 = record batch v2; 4.x refuses v0-2
  [API.Fetch, { min: 4, max: 17 }], // v13+ address topics by id
  [API.ListOffsets, { min: 1, max: 10 }],
  [API.Metadata, { min: 1, max: 12 }],
  [API.ApiVersions, { min: 0, max: 4 }],
  [API.CreateTopics, { min: 2, max: 7 }],
  [API.DeleteTopics, { min: 1, max: 6 }],
  [API.InitProducerId, { min: 0, max: 5 }],
  [API.DescribeConfigs, { min: 1, max: 4 }],
  [API.DescribeCluster, { min: 0, max: 1 }],
  [API.FindCoordinator, { min: 0, max: 6 }], // v4+ look up several keys at once
  [API.ListGroups, { min: 0, max: 5 }], // v4 states filter, v5 types filter
  [API.DescribeGroups, { min: 0, max: 5 }],
  [API.OffsetFetch, { min: 1, max: 9 }], // v8+ several groups per request
  [API.OffsetCommit, { min: 2, max: 9 }],
  [API.DeleteGroups, { min: 0, max: 2 }],
  [API.OffsetDelete, { min: 0, max: 0 }],
  // v1: the SASL tokens travel in SaslAuthenticate requests (v0 would send them as raw frames).
  [API.SaslHandshake, { min: 1, max: 1 }],
  [API.SaslAuthenticate, { min: 0, max: 2 }], // v1 session lifetime, v2 flexible
]);

export type BrokerVersions = ReadonlyMap<number, VersionRange>;

/** Picks the version to use for one API, or throws a KafkaClientError of kind 'version'. */
export function pickVersion(
  apiKey: number,
  broker: BrokerVersions,
  ours: ReadonlyMap<number, VersionRange> = CLIENT_VERSIONS,
  brokerName = 'the broker',
): number {
  const mine = ours.get(apiKey);
  if (!mine)
    throw new KafkaClientError(`the client does not implement ${apiName(apiKey)}`, { kind: 'version' });
  const theirs = broker.get(apiKey);
  if (!theirs) {
    throw new KafkaClientError(`${brokerName} does not support ${apiName(apiKey)}`, {
      kind: 'version',
      broker: brokerName,
    });
  }
  const version = Math.min(mine.max, theirs.max);
  if (version < mine.min || version < theirs.min) {
    throw new KafkaClientError(
      `no ${apiName(apiKey)} version in common: the client speaks v${mine.min}-${mine.max}, ${brokerName} v${theirs.min}-${theirs.max}`,
      { kind: 'version', broker: brokerName },
    );
  }
  return version;
}

const API_NAMES = new Map<number, string>(Object.entries(API).map(([name, key]) => [key, name]));

export function apiName(apiKey: number): string {
  return API_NAMES.get(apiKey) ?? `API ${apiKey}`;
}
