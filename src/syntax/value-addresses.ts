/** What an address must look like: IPv4 and IPv6 addresses, prefixes, route destinations, publish targets, ssh targets. */
import ipaddr from 'ipaddr.js';
import { cidrText, ipv4Number, ipv4Text, type Cidr } from '../core/net.js';
import { checkPort } from './value-numbers.js';
import { isProblem, problem, shift, show, type Problem } from './value-problem.js';

export { cidrText, type Cidr };

function checkIpv4(text: string): string | Problem {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some(p => !/^\d+$/.test(p))) {
    return problem(`${show(text)} is not a valid IPv4 address`, 'write four numbers 0-255 separated by dots, e.g. 10.0.0.1');
  }
  let at = 0;
  for (const p of parts) {
    if (Number(p) > 255) return problem(`octet ${p} in ${show(text)} is over 255`, undefined, at, at + p.length);
    if (p.length > 1 && p.startsWith('0')) {
      return problem(`octet ${show(p)} in ${show(text)} has a leading zero`, 'leading zeros are ambiguous (octal in some tools); drop them', at, at + p.length);
    }
    at += p.length + 1;
  }
  return text;
}

function checkIpv6(text: string): string | Problem {
  if (text.includes('%')) return problem(`zone ${show(text.slice(text.indexOf('%')))} is not allowed in an address here`, undefined, text.indexOf('%'), text.length);
  const invalid = () => problem(`${show(text)} is not a valid IPv6 address`);
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || /:::/.test(text)) return invalid();
  // parsed once: parse throws where isValid says false (isValid is parse, caught)
  let ip: ipaddr.IPv6;
  try {
    ip = ipaddr.IPv6.parse(text);
  } catch {
    return invalid();
  }
  return ip.toString();
}

/** An address without prefix (a ping target, a gateway). */
export function checkIp(text: string): { family: 4 | 6; address: string } | Problem {
  if (text.includes('/')) return problem(`${show(text)} has a prefix; an address alone is wanted here`, `write ${text.slice(0, text.indexOf('/'))}`);
  if (text.includes(':')) {
    const a = checkIpv6(text);
    return isProblem(a) ? a : { family: 6, address: a };
  }
  if (/^[\d.]+$/.test(text)) {
    const a = checkIpv4(text);
    return isProblem(a) ? a : { family: 4, address: a };
  }
  return problem(`${show(text)} is not an IP address`);
}

/** An address with a prefix length: `10.1.1.1/24`, `fd00::1/64`. */
export function checkCidr(text: string, opts: { needPrefix: boolean } = { needPrefix: true }): Cidr | Problem {
  const slash = text.indexOf('/');
  if (slash === -1) {
    const ip = checkIp(text);
    if (isProblem(ip) || !opts.needPrefix) return isProblem(ip) ? ip : { ...ip, prefix: ip.family === 4 ? 32 : 128 };
    return problem(`address ${show(text)} needs a prefix length`, `e.g. ${text}/${ip.family === 4 ? 24 : 64}`);
  }
  if (slash === 0) return problem(`the address is missing before ${show(text)}`, 'e.g. 10.0.0.1/24', 0, text.length);
  const ip = checkIp(text.slice(0, slash));
  // the caret goes under the address part only
  if (isProblem(ip)) return ip.from === undefined ? { ...ip, from: 0, to: slash } : ip;
  const p = text.slice(slash + 1);
  const max = ip.family === 4 ? 32 : 128;
  if (p === '') return problem('the prefix length is missing after "/"', `e.g. ${text}${ip.family === 4 ? 24 : 64}`, slash, text.length);
  if (!/^\d+$/.test(p)) return problem(`prefix "/${p}" is not a number`, undefined, slash, text.length);
  if (p.length > 1 && p.startsWith('0')) return problem(`prefix "/${p}" has a leading zero`, `write /${Number(p)}`, slash, text.length);
  if (Number(p) > max) {
    return problem(`prefix /${p} is over ${max}, the longest for IPv${ip.family}`, undefined, slash, text.length);
  }
  return { family: ip.family, address: ip.address, prefix: Number(p) };
}

/** A route destination: `default` or a prefix. */
export function checkDestination(text: string): Cidr | 'default' | Problem {
  if (text === 'default') return 'default';
  const c = checkCidr(text, { needPrefix: false });
  return isProblem(c) ? c : checkRoutePrefix(c);
}

function addToBytes(bytes: number[], n: number): boolean {
  let carry = n;
  for (let i = bytes.length - 1; i >= 0 && carry > 0; i--) {
    const v = bytes[i]! + carry;
    bytes[i] = v & 0xff;
    carry = v >> 8;
  }
  return carry === 0;
}

function inPrefix(addr: ipaddr.IPv4 | ipaddr.IPv6, net: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): boolean {
  return addr.kind() === net.kind() && (addr as ipaddr.IPv4).match(net as ipaddr.IPv4, prefix);
}

/**
 * The veth shorthand: the left end gets `c`, the right end the next address of the same prefix;
 * when `c` is the network address, the ends get the first and second host addresses.
 */
export function shorthandPair(c: Cidr): [Cidr, Cidr] | Problem {
  const text = cidrText(c);
  const bits = c.family === 4 ? 32 : 128;
  const hostBits = bits - c.prefix;
  if (hostBits < 1) return problem(`${text} leaves no room for a second address`, `use a shorter prefix, e.g. ${c.address}/${c.family === 4 ? 30 : 126}`);
  if (c.family === 4) return shorthandPair4(c, hostBits);
  const addr = ipaddr.parse(c.address);
  const net = ipaddr.IPv6.networkAddressFromCIDR(text);
  const step = (a: ipaddr.IPv4 | ipaddr.IPv6, n: number) => {
    const b = a.toByteArray();
    return addToBytes(b, n) ? ipaddr.fromByteArray(b) : undefined;
  };
  // With a /127 both addresses are hosts (as a /31's, RFC 3021); otherwise the network address is not.
  const left = inPrefix(addr, net, bits) && hostBits > 1 ? step(addr, 1) : addr;
  const right = left && step(left, 1);
  if (!left || !right || !inPrefix(right, net, c.prefix)) {
    return problem(`${text} has no room for the next address in its prefix`, `give both ends an address, or start lower: ${net.toString()}/${c.prefix}`);
  }
  const mk = (a: ipaddr.IPv4 | ipaddr.IPv6): Cidr => ({ family: c.family, address: a.toString(), prefix: c.prefix });
  return [mk(left), mk(right)];
}

/** The same for IPv4, in numbers (a lab of many veth pairs has one each, and ipaddr.js parses by regular expressions). */
function shorthandPair4(c: Cidr, hostBits: number): [Cidr, Cidr] | Problem {
  const addr = ipv4Number(c.address);
  const size = 2 ** hostBits;
  const net = addr - (addr % size);
  // With a /31 both addresses are hosts (RFC 3021); otherwise the network address is not, nor the broadcast address.
  const left = addr === net && hostBits > 1 ? addr + 1 : addr;
  const right = left + 1;
  if (right >= net + size || (hostBits > 1 && right === net + size - 1)) {
    return problem(`${cidrText(c)} has no room for the next address in its prefix`, `give both ends an address, or start lower: ${ipv4Text(net)}/${c.prefix}`);
  }
  const mk = (a: number): Cidr => ({ family: 4, address: ipv4Text(a), prefix: c.prefix });
  return [mk(left), mk(right)];
}

/** A route destination whose host bits are zero, as iproute2 requires. */
export function checkRoutePrefix(c: Cidr): Cidr | Problem {
  const net = c.family === 4
    ? ipaddr.IPv4.networkAddressFromCIDR(`${c.address}/${c.prefix}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${c.address}/${c.prefix}`).toString();
  if (net !== c.address) {
    return problem(`${c.address}/${c.prefix} has host bits set: the prefix is ${net}/${c.prefix}`, `write ${net}/${c.prefix}`);
  }
  return c;
}

export interface PublishTarget {
  readonly family: 4 | 6;
  readonly address: string;
  /** Absent: the published port. */
  readonly port?: number;
}

/** `10.0.0.2`, `10.0.0.2:8080`, `fd00::2`, `[fd00::2]:80`. */
export function checkPublishTarget(text: string): PublishTarget | Problem {
  let host = text;
  let portText: string | undefined;
  let portAt = 0;
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
    portAt = host.length + 3;
    if (!host.includes(':')) return problem(`${show(text)}: brackets are for an IPv6 address`, `write ${host}${portText === undefined ? '' : `:${portText}`}`);
  } else if (text.startsWith('[')) {
    return problem(`${show(text)} has no closing "]"`, 'an IPv6 target with a port is written [fd00::2]:80');
  } else if (/^[^:]*:[^:]*$/.test(text)) {
    [host, portText] = text.split(':') as [string, string];
    portAt = host.length + 1;
  }
  const ip = checkIp(host);
  if (isProblem(ip)) return bracket ? shift(ip, 1, host.length + 1) : ip.from === undefined ? { ...ip, from: 0, to: host.length } : ip;
  if (portText === undefined) return { family: ip.family, address: ip.address };
  const port = checkPort(portText);
  if (isProblem(port)) return { ...port, from: portAt, to: text.length };
  return { family: ip.family, address: ip.address, port };
}

export interface SshTarget {
  readonly user?: string;
  readonly host: string;
}

/** `[USER@]HOST`: HOST a host name or an IP address. */
export function checkSshTarget(text: string): SshTarget | Problem {
  const at = text.lastIndexOf('@');
  const user = at === -1 ? undefined : text.slice(0, at);
  const host = text.slice(at + 1);
  if (user !== undefined && !/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(user)) {
    return problem(`${show(user)} is not a user name`, 'write USER@HOST, e.g. root@10.0.0.5', 0, Math.max(at, 1));
  }
  if (host === '') return problem(`${show(text)} has no host after "@"`, 'write USER@HOST, e.g. root@10.0.0.5', at, at + 1);
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (/^[\d.]+$/.test(bare) || bare.includes(':')) {
    const ip = checkIp(bare);
    return isProblem(ip) ? shift(ip, at + 1, text.length) : { ...(user ? { user } : {}), host: ip.address };
  }
  const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  if (host.length > 253 || !host.split('.').every(l => label.test(l))) {
    return problem(`${show(host)} is not a host name or an IP address`, undefined, at + 1, text.length);
  }
  return { ...(user ? { user } : {}), host };
}
