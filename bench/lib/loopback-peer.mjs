#!/usr/bin/env node
// One end of the loopback TCP measurement (bench/lib/limits.mjs), run as its own process:
//   node loopback-peer.mjs receive          → prints "port N", then "received BYTES in MS"
//   node loopback-peer.mjs send PORT BYTES  → writes BYTES in 1 MiB chunks to 127.0.0.1:PORT
import net from 'node:net';

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'receive') {
  const server = net.createServer((socket) => {
    const started = process.hrtime.bigint();
    let bytes = 0;
    socket.on('data', (b) => (bytes += b.length));
    socket.on('end', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      process.stdout.write(`received ${bytes} in ${ms}\n`);
      server.close();
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
} else if (mode === 'send') {
  const [port, total] = rest.map(Number);
  const chunk = Buffer.alloc(1 << 20, 0x61);
  const socket = net.connect(port, '127.0.0.1', () => {
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!socket.write(chunk)) return socket.once('drain', pump);
      }
      socket.end();
    };
    pump();
  });
} else {
  process.stderr.write('usage: loopback-peer.mjs receive | send PORT BYTES\n');
  process.exit(2);
}
