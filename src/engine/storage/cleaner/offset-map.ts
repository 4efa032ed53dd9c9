import { createHash } from 'node:crypto';

/** Keys up to this size are held as they are; longer ones by their SHA-256. */
const MAX_LITERAL_KEY_BYTES = 64;

/**
 * Key → latest offset over the dirty section of a log (Kafka's SkimpyOffsetMap, which holds an MD5
 * of each key; here short keys are held exactly and long ones by a SHA-256, so a collision is not a
 * practical concern). Bounded by a number of entries.
 */
export class OffsetMap {
  private readonly entries = new Map<string, number>();

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** Records `offset` as the latest for `key`; false (nothing stored) when the key is new and the map is full. */
  put(key: Buffer, offset: number): boolean {
    const id = keyId(key);
    if (this.entries.size >= this.maxEntries && !this.entries.has(id)) return false;
    this.entries.set(id, offset);
    return true;
  }

  get(key: Buffer): number | undefined {
    return this.entries.get(keyId(key));
  }
}

function keyId(key: Buffer): string {
  if (key.length <= MAX_LITERAL_KEY_BYTES) return 'k' + key.toString('latin1');
  return 'h' + createHash('sha256').update(key).digest('base64');
}
