/**
 * A TCP server that answers each connection with the address it came from, and a client that
 * prints the answer: what NAT and published ports do to a connection, seen from both ends. Each
 * runs in a namespace (`host`: the sandbox's own) under the test's node.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/** Answers each connection with the address it came from, then closes it. */
const SERVER = `
const net = require('net');
net.createServer(c => c.end(c.remoteAddress.replace(/^::ffff:/, '') + '\\n')).listen(Number(process.argv[1]), '::', () => console.log('up'));
`;
/** Connects, prints what comes back; exits 1 on an error, 2 after 3 s of nothing. */
const CLIENT = `
const net = require('net');
const c = net.connect(Number(process.argv[2]), process.argv[1]);
let got = '';
c.on('data', d => (got += d));
c.on('end', () => { process.stdout.write(got); process.exit(0); });
c.on('error', e => { console.error(e.code); process.exit(1); });
setTimeout(() => { console.error('no answer'); process.exit(2); }, 3000);
`;

/** argv that runs in a namespace (`host`: the sandbox's own). */
function inNs(ns: string, argv: string[]): [string, string[]] {
  return ns === 'host' ? [argv[0]!, argv.slice(1)] : ['ip', ['netns', 'exec', ns, ...argv]];
}

/** Starts a server on `port` (all addresses) in `ns`; resolves once it listens. */
export async function echoServer(ns: string, port: number): Promise<ChildProcess> {
  const [cmd, args] = inNs(ns, [process.execPath, '-e', SERVER, String(port)]);
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => d.toString().includes('up') && resolve());
    p.on('exit', code => reject(new Error(`server in ${ns} ended (${code})`)));
  });
  return p;
}

/** What the server at address:port says the connection came from (throws when nothing answers). */
export function echoFrom(ns: string, address: string, port: number): string {
  const [cmd, args] = inNs(ns, [process.execPath, '-e', CLIENT, address, String(port)]);
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
