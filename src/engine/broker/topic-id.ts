/** Topic ids travel as 16-byte UUIDs on the wire and as 32 hex characters inside Eddy. */
export function topicIdToBuffer(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

export function topicIdFromBuffer(buf: Buffer): string {
  return buf.toString('hex');
}

export function isZeroUuid(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}
