// A tiny Kafka-speaking TCP server for client unit tests: real sockets on port 0, real codec,
// and a handler per test that decides what (and when, and how) to answer.
import net from 'node:net';
import {
  ApiKey,
  decodeRequest,
  encodeResponse,
  type DecodedRequest,
} from '../../../src/engine/protocol/index.js';

export interface Reply {
  body: object;
  /** Encode with this version instead of the request's (ApiVersions error replies use v0). */
  version?: number;
}

/** What a handler returns: a reply, null for "never answer", or 'close' to drop the connection. */
export type HandlerResult = Reply | null | 'close';
export type Handler = (req: DecodedRequest, broker: FakeBroker) => HandlerResult | Promise<HandlerResult>;

export interface FakeBroker {
  host: string;
  port: number;
  address: string;
  /** Every request received, in order. */
  requests: DecodedRequest[];
  /** How reply frames are written: whole (default), one byte at a time, or held and sent together. */
  writeMode: 'whole' | 'bytewise';
  sockets: Set<net.Socket>;
  close(): Promise<void>;
}

export type Ranges = Record<number, [number, number]>;

/** Ranges like a Kafka 4.0 broker advertises, for the APIs the client uses. */
export const KAFKA_4_RANGES: Ranges = {
  [ApiKey.Produce]: [0, 11],
  [ApiKey.Fetch]: [4, 17],
  [ApiKey.ListOffsets]: [1, 10],
  [ApiKey.Metadata]: [0, 12],
  [ApiKey.ApiVersions]: [0, 4],
  [ApiKey.CreateTopics]: [2, 7],
  [ApiKey.DeleteTopics]: [1, 6],
  [ApiKey.InitProducerId]: [0, 5],
  [ApiKey.DescribeConfigs]: [1, 4],
  [ApiKey.DescribeCluster]: [0, 1],
};

/** Answers ApiVersions like Kafka: the ranges, or error 35 (encoded as v0) above its own maximum. */
export function apiVersionsReply(req: DecodedRequest, ranges: Ranges): Reply {
  const [, max] = ranges[ApiKey.ApiVersions];
  if (req.header.apiVersion > max) {
    return {
      version: 0,
      body: { errorCode: 35, apiKeys: [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: max }] },
    };
  }
  return {
    body: {
      errorCode: 0,
      apiKeys: Object.entries(ranges).map(([k, [min, maxV]]) => ({
        apiKey: Number(k),
        minVersion: min,
        maxVersion: maxV,
      })),
      throttleTimeMs: 0,
    },
  };
}

export async function startFakeBroker(
  handler: Handler,
  ranges: Ranges = KAFKA_4_RANGES,
): Promise<FakeBroker> {
  const sockets = new Set<net.Socket>();
  const broker: FakeBroker = {
    host: '127.0.0.1',
    port: 0,
    address: '',
    requests: [],
    writeMode: 'whole',
    sockets,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        const size = buffered.readInt32BE(0);
        const frame = buffered.subarray(4, 4 + size);
        buffered = buffered.subarray(4 + size);
        const req = decodeRequest(frame);
        broker.requests.push(req);
        void (async () => {
          const result =
            req.header.apiKey === ApiKey.ApiVersions
              ? apiVersionsReply(req, ranges)
              : await handler(req, broker);
          if (result === 'close') socket.destroy();
          else if (result) {
            const out = encodeResponse(
              req.header.apiKey,
              result.version ?? req.header.apiVersion,
              req.header.correlationId,
              result.body,
            );
            if (broker.writeMode === 'bytewise') {
              for (let i = 0; i < out.length; i++) socket.write(out.subarray(i, i + 1));
            } else socket.write(out);
          }
        })();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  broker.port = (server.address() as net.AddressInfo).port;
  broker.address = `127.0.0.1:${broker.port}`;
  return broker;
}

/** A Metadata answer for one broker (the fake itself) leading every partition of the given topics. */
export function metadataReply(broker: FakeBroker, topics: Record<string, number>, nodeId = 1): Reply {
  return {
    body: {
      brokers: [{ nodeId, host: broker.host, port: broker.port, rack: null }],
      clusterId: 'fake-cluster',
      controllerId: nodeId,
      topics: Object.entries(topics).map(([name, partitions]) => ({
        errorCode: 0,
        name,
        topicId: Buffer.alloc(16, 7),
        isInternal: false,
        partitions: Array.from({ length: partitions }, (_, i) => ({
          errorCode: 0,
          partitionIndex: i,
          leaderId: nodeId,
          leaderEpoch: 0,
          replicaNodes: [nodeId],
          isrNodes: [nodeId],
          offlineReplicas: [],
        })),
      })),
    },
  };
}
