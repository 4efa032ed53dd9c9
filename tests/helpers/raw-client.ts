import net from 'node:net';
import { decodeResponse, encodeRequest } from '../../src/engine/protocol/index.js';

/**
 * A bare Kafka connection for broker tests: sends exactly the bytes asked for and hands back
 * decoded responses, so tests can also send garbage and watch the connection close.
 */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private readonly waiting: { resolve: (frame: Buffer) => void; reject: (err: Error) => void }[] = [];
  private nextCorrelationId = 1;
  closed = false;
  private closeWaiters: (() => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length < 4 + size) break;
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        this.waiting.shift()?.resolve(frame);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w.reject(new Error('connection closed'));
      for (const c of this.closeWaiters.splice(0)) c();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Sends one request and resolves with the decoded response body. */
  async request<T = any>(apiKey: number, apiVersion: number, body: object, clientId = 'eddy-test'): Promise<T> {
    const correlationId = this.nextCorrelationId++;
    const frame = encodeRequest(apiKey, apiVersion, correlationId, clientId, body);
    const response = this.nextFrame();
    this.socket.write(frame);
    const decoded = decodeResponse(apiKey, apiVersion, await response);
    if (decoded.correlationId !== correlationId) {
      throw new Error(`correlation id ${decoded.correlationId} does not match ${correlationId}`);
    }
    return decoded.body as T;
  }

  /** Sends a request that gets no response (Produce acks=0). */
  send(apiKey: number, apiVersion: number, body: object): void {
    this.socket.write(encodeRequest(apiKey, apiVersion, this.nextCorrelationId++, 'eddy-test', body));
  }

  nextFrame(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.closed) reject(new Error('connection closed'));
      else this.waiting.push({ resolve, reject });
    });
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves when the server closes the connection. */
  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }
}
