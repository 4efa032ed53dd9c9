import { RecordsError, RecordsErrorCode } from './errors.js';
import { Cursor, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

/**
 * One record inside a v2 batch (after decompression):
 *   length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
 *   keyLength varint (-1 = null) | key | valueLength varint (-1 = null) | value |
 *   headerCount varint | headers: keyLength varint, key UTF-8 (not nullable), valueLength varint (-1 = null), value
 * `length` counts the bytes after itself.
 */

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** The fields a record carries on the wire (offset and timestamp relative to its batch). */
export interface RecordFields {
  /** Unused by Kafka (always 0); kept so a decode → encode round trip is exact. */
  attributes?: number;
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: readonly RecordHeader[];
}

export interface DecodedRecord extends RecordFields {
  attributes: number;
  headers: RecordHeader[];
  /** baseOffset + offsetDelta. */
  offset: number;
  /** baseTimestamp + timestampDelta, or the batch's maxTimestamp when the batch uses LogAppendTime. */
  timestamp: number;
}

/** What scanRecord reports about a record without materialising it. */
export interface RecordSummary {
  timestampDelta: number;
  offsetDelta: number;
  hasKey: boolean;
}

/** Size of the record after its length prefix. */
export function sizeOfRecordBody(record: RecordFields): number {
  let size = 1 + sizeOfVarlong(record.timestampDelta) + sizeOfVarint(record.offsetDelta);
  size += sizeOfNullableBytes(record.key) + sizeOfNullableBytes(record.value);
  size += sizeOfVarint(record.headers.length);
  for (const header of record.headers) {
    const keyLength = Buffer.byteLength(header.key, 'utf8');
    size += sizeOfVarint(keyLength) + keyLength + sizeOfNullableBytes(header.value);
  }
  return size;
}

/** Total size of the record including its length prefix. */
export function sizeOfRecord(record: RecordFields): number {
  const body = sizeOfRecordBody(record);
  return sizeOfVarint(body) + body;
}

/**
 * Writes the record (length prefix included) at `offset` and returns the offset after it. `bodySize`
 * must be sizeOfRecordBody(record); callers that sized the buffer already have it.
 */
export function writeRecord(buf: Buffer, offset: number, record: RecordFields, bodySize: number): number {
  let pos = writeVarint(buf, offset, bodySize);
  buf[pos++] = (record.attributes ?? 0) & 0xff;
  pos = writeVarlong(buf, pos, record.timestampDelta);
  pos = writeVarint(buf, pos, record.offsetDelta);
  pos = writeNullableBytes(buf, pos, record.key);
  pos = writeNullableBytes(buf, pos, record.value);
  pos = writeVarint(buf, pos, record.headers.length);
  for (const header of record.headers) {
    const keyLength = Buffer.byteLength(header.key, 'utf8');
    pos = writeVarint(buf, pos, keyLength);
    pos += buf.write(header.key, pos, keyLength, 'utf8');
    pos = writeNullableBytes(buf, pos, header.value);
  }
  return pos;
}

/** Encodes one record into a new buffer (length prefix included). */
export function encodeRecord(record: RecordFields): Buffer {
  const body = sizeOfRecordBody(record);
  const buf = Buffer.allocUnsafe(sizeOfVarint(body) + body);
  writeRecord(buf, 0, record, body);
  return buf;
}

/**
 * Reads the record at the cursor. Keys, values and header values are views into the cursor's buffer
 * (no copies). Throws RecordsError(INVALID_RECORD) on a malformed record, as Kafka's
 * DefaultRecord.readFrom throws InvalidRecordException.
 */
export function readRecord(
  cur: Cursor,
  baseOffset: number,
  baseTimestamp: number,
  logAppendTime: number | null,
): DecodedRecord {
  const bodySize = cur.varint();
  if (cur.bad || bodySize < 0 || bodySize > cur.remaining())
    throw invalidRecord(`invalid record size ${bodySize} with ${cur.remaining()} bytes left`);
  const start = cur.pos;
  const attributes = cur.int8();
  const timestampDelta = cur.varlong();
  const offsetDelta = cur.varint();
  const key = readNullableBytes(cur);
  const value = readNullableBytes(cur);
  const headerCount = cur.varint();
  if (cur.bad || headerCount < 0 || headerCount > cur.remaining())
    throw invalidRecord(`invalid record structure (header count ${headerCount})`);
  const headers: RecordHeader[] = new Array<RecordHeader>(headerCount);
  for (let i = 0; i < headerCount; i++) {
    const keyLength = cur.varint();
    if (keyLength < 0) throw invalidRecord(`invalid negative header key size ${keyLength}`);
    const keyBytes = cur.bytes(keyLength);
    const headerValue = readNullableBytes(cur);
    if (cur.bad || keyBytes === null)
      throw invalidRecord('invalid record structure (header overruns the record)');
    headers[i] = { key: keyBytes.toString('utf8'), value: headerValue };
  }
  if (cur.bad) throw invalidRecord('invalid record structure (record overruns the batch)');
  if (cur.pos - start !== bodySize)
    throw invalidRecord(`invalid record size: expected ${bodySize} bytes but read ${cur.pos - start}`);
  return {
    offset: baseOffset + offsetDelta,
    timestamp: logAppendTime ?? baseTimestamp + timestampDelta,
    attributes,
    timestampDelta,
    offsetDelta,
    key,
    value,
    headers,
  };
}

/**
 * Walks over the record at the cursor without allocating, filling `out`. Returns null when the record
 * is well formed, else a message describing what is wrong (the cursor position is then unspecified).
 */
export function scanRecord(cur: Cursor, out: RecordSummary): string | null {
  const bodySize = cur.varint();
  if (cur.bad || bodySize < 0 || bodySize > cur.remaining())
    return `invalid record size ${bodySize} with ${cur.remaining()} bytes left`;
  const start = cur.pos;
  cur.skip(1); // attributes
  out.timestampDelta = cur.varlong();
  out.offsetDelta = cur.varint();
  const keyLength = cur.varint();
  out.hasKey = keyLength >= 0;
  skipNullableBytes(cur, keyLength);
  skipNullableBytes(cur, cur.varint());
  const headerCount = cur.varint();
  if (cur.bad || headerCount < 0 || headerCount > cur.remaining())
    return `invalid record structure (header count ${headerCount})`;
  for (let i = 0; i < headerCount; i++) {
    const headerKeyLength = cur.varint();
    if (headerKeyLength < 0) return `invalid negative header key size ${headerKeyLength}`;
    cur.skip(headerKeyLength);
    skipNullableBytes(cur, cur.varint());
  }
  if (cur.bad) return 'invalid record structure (record overruns the batch)';
  if (cur.pos - start !== bodySize)
    return `invalid record size: expected ${bodySize} bytes but read ${cur.pos - start}`;
  return null;
}

function sizeOfNullableBytes(bytes: Buffer | null): number {
  return bytes === null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
}

function writeNullableBytes(buf: Buffer, offset: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(buf, offset, -1);
  const pos = writeVarint(buf, offset, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

function readNullableBytes(cur: Cursor): Buffer | null {
  const length = cur.varint();
  if (length === -1) return null;
  return cur.bytes(length); // a length below -1 marks the cursor bad
}

function skipNullableBytes(cur: Cursor, length: number): void {
  if (length !== -1) cur.skip(length);
}

function invalidRecord(message: string): RecordsError {
  return new RecordsError(RecordsErrorCode.INVALID_RECORD, message);
}
