import { Reader } from '../protocol/codec/reader.js';

/** The protocol type of groups formed by Kafka consumers (ConsumerProtocol.PROTOCOL_TYPE). */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/**
 * The topics of a ConsumerProtocolSubscription, read with the v0 layout every later version starts
 * with (int16 version, then an array of topic names), as Kafka's coordinator does so that it never
 * depends on a particular client's version. Null when the bytes are not a subscription.
 */
export function subscribedTopicsOf(metadata: Buffer): string[] | null {
  const r = new Reader(metadata);
  const version = r.int16();
  if (!r.ok || version < 0) return null;
  const count = r.int32();
  if (!r.ok || count < 0 || count > r.remaining) return null;
  const topics: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = r.int16();
    if (n < 0) return null;
    topics.push(r.utf8(n));
    if (!r.ok) return null;
  }
  return topics;
}
