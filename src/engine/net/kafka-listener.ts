import net from 'node:net';
import { EventEmitter } from 'node:events';
import { FrameReader } from '../protocol/frame-reader.js';

/** What the listener knows about a connection; handlers may attach per-connection state. */
export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly listenerName: string;
  /** Free-form per-connection state owned by the request layer (e.g. SASL state, client software). */
  state: Record<string, unknown>;
}

/**
 * The request layer's answer to one frame:
 * - a Buffer: the whole response frame (size prefix included);
 * - null: no response (Produce with acks=0);
 * - a Promise of either, for requests that wait (acks=all, long-poll Fetch).
 * Throwing (or rejecting) closes the connection, which is Kafka's answer to an unparseable request.
 */
export type FrameHandler = (frame: Buffer, conn: ConnectionInfo) => Buffer | null | Promise<Buffer | null>;

export interface ListenerOptions {
  host: string;
  port: number;
  listenerName?: string;
  /** socket.request.max.bytes: frames above it close the connection before any allocation. */
  maxRequestBytes?: number;
  /** Requests in flight on one connection before reading pauses (back-pressure). */
  maxInFlightPerConnection?: number;
  /** Reading pauses while a connection has this many response bytes unsent. */
  maxQueuedResponseBytes?: number;
  onError?: (err: Error, conn: ConnectionInfo | null) => void;
}

interface Pending {
  done: boolean;
  response: Buffer | null;
}

/**
 * A TCP listener that speaks Kafka framing. Requests on one connection may finish out of order
 * (a long-poll Fetch behind a quick Metadata) but responses always leave in request order,
 * as Kafka's clients require.
 */
export class KafkaListener extends EventEmitter {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;
  private boundPort = 0;

  constructor(
    private readonly options: ListenerOptions,
    private readonly handler: FrameHandler,
  ) {
    super();
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.options.host;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  async start(): Promise<void> {
    const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      server.listen({ host: this.options.host, port: this.options.port, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (err) => this.options.onError?.(err, null));
    const address = server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : this.options.port;
  }

  /** Stops accepting, closes every connection and waits until the server is closed. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const maxInFlight = this.options.maxInFlightPerConnection ?? 128;
    const maxQueued = this.options.maxQueuedResponseBytes ?? 64 * 1024 * 1024;
    const conn: ConnectionInfo = {
      id: this.nextConnectionId++,
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
      listenerName: this.options.listenerName ?? 'PLAINTEXT',
      state: {},
    };
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const reader = new FrameReader(this.options.maxRequestBytes ?? 100 * 1024 * 1024);
    const queue: Pending[] = [];
    let closed = false;

    const close = (err?: Error) => {
      if (closed) return;
      closed = true;
      if (err) this.options.onError?.(err, conn);
      this.sockets.delete(socket);
      socket.destroy();
      this.emit('connectionClosed', conn);
    };

    const updateFlow = () => {
      if (closed) return;
      const congested = queue.length >= maxInFlight || socket.writableLength >= maxQueued;
      if (congested && !socket.isPaused()) socket.pause();
      else if (!congested && socket.isPaused()) socket.resume();
    };

    const flush = () => {
      while (queue.length > 0 && queue[0].done) {
        const head = queue.shift()!;
        if (head.response && !closed) socket.write(head.response);
      }
      updateFlow();
    };

    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = reader.push(chunk);
      } catch (err) {
        close(err as Error);
        return;
      }
      for (const frame of frames) {
        if (closed) return;
        const slot: Pending = { done: false, response: null };
        queue.push(slot);
        let result: Buffer | null | Promise<Buffer | null>;
        try {
          result = this.handler(frame, conn);
        } catch (err) {
          close(err as Error);
          return;
        }
        if (result instanceof Promise) {
          result.then(
            (response) => {
              slot.done = true;
              slot.response = response;
              flush();
            },
            (err: Error) => close(err),
          );
        } else {
          slot.done = true;
          slot.response = result;
        }
      }
      flush();
    });
    socket.on('drain', updateFlow);
    socket.on('error', () => close());
    socket.on('close', () => close());
    this.emit('connectionOpened', conn);
  }
}
