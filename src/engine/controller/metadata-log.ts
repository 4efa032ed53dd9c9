import fs from 'node:fs';
import path from 'node:path';
import { crc32c } from '@node-rs/crc32';
import type { MetadataRecord } from './records.js';

const FRAME_HEADER = 8; // int32 length + uint32 CRC-32C of the payload

export interface MetadataLogRecovery {
  records: MetadataRecord[];
  /** Bytes cut from the tail because they did not form a whole, valid record (a torn write). */
  truncatedBytes: number;
}

/**
 * The controller's append-only metadata log: one file of length-prefixed, checksummed JSON records.
 * Each append is written and fsynced before the controller acts on it, so a crash never leaves
 * brokers believing in state the log does not hold.
 */
export class MetadataLog {
  private fd: number;
  private size: number;

  private constructor(
    readonly file: string,
    fd: number,
    size: number,
  ) {
    this.fd = fd;
    this.size = size;
  }

  static open(dir: string): { log: MetadataLog; recovery: MetadataLogRecovery } {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'metadata.log');
    const data = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
    const records: MetadataRecord[] = [];
    let pos = 0;
    while (data.length - pos >= FRAME_HEADER) {
      const length = data.readInt32BE(pos);
      if (length <= 0 || data.length - pos - FRAME_HEADER < length) break;
      const payload = data.subarray(pos + FRAME_HEADER, pos + FRAME_HEADER + length);
      if (crc32c(payload) !== data.readUInt32BE(pos + 4)) break;
      let record: MetadataRecord;
      try {
        record = JSON.parse(payload.toString('utf8')) as MetadataRecord;
      } catch {
        break;
      }
      records.push(record);
      pos += FRAME_HEADER + length;
    }
    const truncatedBytes = data.length - pos;
    const fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
    if (truncatedBytes > 0) {
      fs.ftruncateSync(fd, pos);
      fs.fsyncSync(fd);
    }
    return { log: new MetadataLog(file, fd, pos), recovery: { records, truncatedBytes } };
  }

  append(records: MetadataRecord[]): void {
    if (records.length === 0) return;
    const frames = records.map((r) => {
      const payload = Buffer.from(JSON.stringify(r), 'utf8');
      const header = Buffer.allocUnsafe(FRAME_HEADER);
      header.writeInt32BE(payload.length, 0);
      header.writeUInt32BE(crc32c(payload), 4);
      return Buffer.concat([header, payload]);
    });
    const buf = Buffer.concat(frames);
    fs.writeSync(this.fd, buf, 0, buf.length, this.size);
    fs.fsyncSync(this.fd);
    this.size += buf.length;
  }

  close(): void {
    if (this.fd >= 0) {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
  }
}
