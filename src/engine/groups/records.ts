import { Reader } from '../protocol/codec/reader.js';
import { Writer } from '../protocol/codec/writer.js';
import { buildBatch, type RecordInput } from '../protocol/records/index.js';

/**
 * The records a group coordinator keeps in `__consumer_offsets`, in Kafka's own key/value schemas
 * (group-coordinator/src/main/resources/common/message/*Key.json, *Value.json), so that Kafka's
 * tools (kafka-console-consumer with the offsets formatter, kafka-dump-log --offsets-decoder) read
 * Eddy's data as they read Kafka's:
 *
 * - OffsetCommitKey (key version 0/1): group, topic, partition → OffsetCommitValue (v1 when an
 *   expire timestamp is set — OffsetCommit v2-4 with a retention time —, v3 otherwise).
 * - GroupMetadataKey (key version 2): group → GroupMetadataValue v3.
 * - A null value is a tombstone.
 * Key versions 3+ (KIP-848 consumer groups, share groups) are recognised and skipped.
 */

export interface OffsetCommitValue {
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** -1 when the offset follows the broker's retention rules. */
  expireTimestamp: number;
}

export interface GroupMetadataMemberValue {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeout: number;
  sessionTimeout: number;
  subscription: Buffer;
  assignment: Buffer;
}

export interface GroupMetadataValue {
  protocolType: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  currentStateTimestamp: number;
  members: GroupMetadataMemberValue[];
}

export type CoordinatorRecord =
  | { type: 'offset'; group: string; topic: string; partition: number; value: OffsetCommitValue | null }
  | { type: 'group'; group: string; value: GroupMetadataValue | null };

const OFFSET_COMMIT_KEY_VERSION = 1;
const GROUP_METADATA_KEY_VERSION = 2;
const GROUP_METADATA_VALUE_VERSION = 3;

export function encodeKey(record: CoordinatorRecord): Buffer {
  const w = new Writer(64);
  if (record.type === 'offset') {
    w.int16(OFFSET_COMMIT_KEY_VERSION);
    writeString(w, record.group);
    writeString(w, record.topic);
    w.int32(record.partition);
  } else {
    w.int16(GROUP_METADATA_KEY_VERSION);
    writeString(w, record.group);
  }
  return w.finish();
}

export function encodeValue(record: CoordinatorRecord): Buffer | null {
  if (record.value === null) return null;
  const w = new Writer(128);
  if (record.type === 'offset') {
    const v = record.value;
    if (v.expireTimestamp >= 0) {
      w.int16(1);
      w.int64(v.offset);
      writeString(w, v.metadata);
      w.int64(v.commitTimestamp);
      w.int64(v.expireTimestamp);
    } else {
      w.int16(3);
      w.int64(v.offset);
      w.int32(v.leaderEpoch);
      writeString(w, v.metadata);
      w.int64(v.commitTimestamp);
    }
    return w.finish();
  }
  const v = record.value;
  w.int16(GROUP_METADATA_VALUE_VERSION);
  writeString(w, v.protocolType);
  w.int32(v.generation);
  writeString(w, v.protocol);
  writeString(w, v.leader);
  w.int64(v.currentStateTimestamp);
  w.int32(v.members.length);
  for (const m of v.members) {
    writeString(w, m.memberId);
    writeString(w, m.groupInstanceId);
    writeString(w, m.clientId);
    writeString(w, m.clientHost);
    w.int32(m.rebalanceTimeout);
    w.int32(m.sessionTimeout);
    writeBytes(w, m.subscription);
    writeBytes(w, m.assignment);
  }
  return w.finish();
}

/** One record batch (uncompressed, CreateTime = now, no producer id) holding `records` in order. */
export function buildCoordinatorBatch(records: CoordinatorRecord[], now: number): Buffer {
  const inputs: RecordInput[] = records.map((r) => ({
    key: encodeKey(r),
    value: encodeValue(r),
    timestamp: now,
  }));
  return buildBatch({ records: inputs });
}

/**
 * Decodes one record read back from `__consumer_offsets`. Returns null for keys this coordinator
 * does not own (KIP-848 and share-group records); throws on bytes that do not parse, which means the
 * partition holds something other than coordinator records.
 */
export function decodeRecord(key: Buffer | null, value: Buffer | null): CoordinatorRecord | null {
  if (key === null) throw new Error('record without a key');
  const r = new Reader(key);
  const keyVersion = r.int16();
  let record: CoordinatorRecord | null;
  if (keyVersion === 0 || keyVersion === 1) {
    const group = readString(r);
    const topic = readString(r);
    const partition = r.int32();
    record = {
      type: 'offset',
      group,
      topic,
      partition,
      value: value === null ? null : decodeOffsetValue(value),
    };
  } else if (keyVersion === 2) {
    const group = readString(r);
    record = { type: 'group', group, value: value === null ? null : decodeGroupValue(value) };
  } else if (keyVersion >= 3) {
    return null;
  } else {
    throw new Error(`unknown key version ${keyVersion}`);
  }
  if (!r.ok) throw new Error(`malformed key: ${r.detail}`);
  return record;
}

function decodeOffsetValue(buf: Buffer): OffsetCommitValue {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0 || version > 4) throw new Error(`unknown OffsetCommitValue version ${version}`);
  const flexible = version >= 4;
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = readString(r, flexible);
  const commitTimestamp = r.int64();
  const expireTimestamp = version === 1 ? r.int64() : -1;
  if (flexible) r.skipTaggedFields();
  if (!r.ok) throw new Error(`malformed OffsetCommitValue: ${r.detail}`);
  return { offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp };
}

function decodeGroupValue(buf: Buffer): GroupMetadataValue {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0 || version > 4) throw new Error(`unknown GroupMetadataValue version ${version}`);
  const flexible = version >= 4;
  const protocolType = readString(r, flexible);
  const generation = r.int32();
  const protocol = readNullableString(r, flexible);
  const leader = readNullableString(r, flexible);
  const currentStateTimestamp = version >= 2 ? r.int64() : -1;
  const count = flexible ? r.uvarint() - 1 : r.int32();
  const members: GroupMetadataMemberValue[] = [];
  for (let i = 0; i < count && r.ok; i++) {
    const memberId = readString(r, flexible);
    const groupInstanceId = version >= 3 ? readNullableString(r, flexible) : null;
    const clientId = readString(r, flexible);
    const clientHost = readString(r, flexible);
    const rebalanceTimeout = version >= 1 ? r.int32() : 0;
    const sessionTimeout = r.int32();
    const subscription = readBytes(r, flexible);
    const assignment = readBytes(r, flexible);
    if (flexible) r.skipTaggedFields();
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      // v0 had one timeout for both.
      rebalanceTimeout: version >= 1 ? rebalanceTimeout : sessionTimeout,
      sessionTimeout,
      subscription,
      assignment,
    });
  }
  if (flexible) r.skipTaggedFields();
  if (!r.ok) throw new Error(`malformed GroupMetadataValue: ${r.detail}`);
  return { protocolType, generation, protocol, leader, currentStateTimestamp, members };
}

function writeString(w: Writer, s: string | null): void {
  if (s === null) {
    w.int16(-1);
    return;
  }
  const n = Buffer.byteLength(s, 'utf8');
  w.int16(n);
  w.utf8(s, n);
}

function writeBytes(w: Writer, b: Buffer): void {
  w.int32(b.length);
  w.bytes(b);
}

function readNullableString(r: Reader, compact = false): string | null {
  const n = r.stringLength(compact);
  if (n < 0) return null;
  return r.utf8(n);
}

function readString(r: Reader, compact = false): string {
  const s = readNullableString(r, compact);
  if (s === null) r.fail('malformed', 'null in a non-nullable string');
  return s ?? '';
}

function readBytes(r: Reader, compact: boolean): Buffer {
  const n = r.bytesLength(compact);
  if (n < 0) return Buffer.alloc(0);
  // Copied: a member's subscription must not pin a whole segment read.
  return Buffer.from(r.slice(n));
}
