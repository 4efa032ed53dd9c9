/**
 * Splits a TCP byte stream into Kafka frames (int32 size + payload) without copying more than once.
 * The declared size is checked before anything is allocated for it, so a hostile or broken peer
 * cannot make the broker reserve memory it did not send.
 */
export class FrameTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`frame of ${size} bytes is larger than socket.request.max.bytes (${limit})`);
  }
}

export class InvalidFrameSizeError extends Error {
  constructor(readonly size: number) {
    super(`invalid frame size ${size}`);
  }
}

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being assembled, or -1 when the next 4 bytes are a size prefix. */
  private pendingSize = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk and returns every complete frame (payload only, no size prefix). Throws on a bad size. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.pendingSize < 0) {
        if (this.buffered < 4) break;
        const size = this.take(4).readInt32BE(0);
        if (size < 0) throw new InvalidFrameSizeError(size);
        if (size > this.maxFrameBytes) throw new FrameTooLargeError(size, this.maxFrameBytes);
        this.pendingSize = size;
      }
      if (this.buffered < this.pendingSize) break;
      frames.push(this.take(this.pendingSize));
      this.pendingSize = -1;
    }
    return frames;
  }

  /** Removes exactly n bytes from the front; zero-copy when they sit inside one chunk. */
  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    this.buffered -= n;
    const first = this.chunks[0];
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0];
      const want = n - filled;
      if (c.length <= want) {
        c.copy(out, filled);
        filled += c.length;
        this.chunks.shift();
      } else {
        c.copy(out, filled, 0, want);
        this.chunks[0] = c.subarray(want);
        filled += want;
      }
    }
    return out;
  }
}
