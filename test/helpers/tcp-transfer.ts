/**
 * A TCP transfer whose time the receiver tells, for the tests of `shape … rate`: run inside a lab's
 * namespaces with `in`.
 *
 *   node tcp-transfer.js sink PORT               accepts one connection, reads it to its end, prints
 *                                                `received N bytes in S s` (from the connection's
 *                                                accept to its end: the whole transfer), and exits
 *   node tcp-transfer.js source ADDR PORT BYTES  sends BYTES bytes and closes
 */
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** This program's file (compiled), to run with node. */
export const TCP_TRANSFER = fileURLToPath(import.meta.url);

/** The figures a sink printed. */
export function transferred(out: string): { bytes: number; seconds: number }[] {
  return [...out.matchAll(/^received (\d+) bytes in ([\d.]+) s$/gm)].map(m => ({ bytes: Number(m[1]), seconds: Number(m[2]) }));
}

function sink(port: number): void {
  const server = net.createServer(sock => {
    const start = process.hrtime.bigint();
    let bytes = 0;
    sock.on('data', d => (bytes += d.length));
    sock.on('end', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      process.stdout.write(`received ${bytes} bytes in ${seconds.toFixed(3)} s\n`);
      server.close();
    });
  });
  server.listen(port);
}

function source(address: string, port: number, bytes: number): void {
  const sock = net.connect(port, address, () => sock.end(Buffer.alloc(bytes, 'x')));
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'sink' && args.length === 1) sink(Number(args[0]));
  else if (mode === 'source' && args.length === 3) source(args[0]!, Number(args[1]), Number(args[2]));
  else {
    process.stderr.write('usage: tcp-transfer.js sink PORT | source ADDR PORT BYTES\n');
    process.exit(2);
  }
}
