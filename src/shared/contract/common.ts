/** Schemas and types several services share. */
import { integer, string } from './schema.js';

/** Kafka's topic name rule: 1–249 of [a-zA-Z0-9._-], not "." or "..". The host checks the rest. */
export const topicName = () => string({ minLength: 1, maxLength: 249, pattern: /^[a-zA-Z0-9._-]+$/ });
export const groupId = () => string({ minLength: 1, maxLength: 32_767 });
export const partitionIndex = () => integer({ min: 0, max: 1_000_000 });
export const brokerId = () => integer({ min: 0, max: 2_147_483_647 });
/** Offsets and timestamps travel as JS numbers: exact up to 2^53, far beyond any real log. */
export const offset = () => integer({ min: -2, max: Number.MAX_SAFE_INTEGER });

/** What a broker-side Kafka error looks like to the UI: its name plus our sentence. */
export interface KafkaErrorInfo {
  /** Kafka's numeric error code, e.g. 36. */
  code: number;
  /** Kafka's name, e.g. TOPIC_ALREADY_EXISTS. */
  name: string;
  /** A sentence a person can act on. */
  message: string;
}

/** Bytes as they travel to the renderer: base64, plus the full size when only a preview was sent. */
export interface WireBytes {
  base64: string;
  /** The size of the whole value in bytes; larger than the decoded preview when `truncated`. */
  size: number;
  truncated: boolean;
}
