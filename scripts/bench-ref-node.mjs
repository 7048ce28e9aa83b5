// scripts/bench-ref-node.mjs: the node floor of scripts/bench-lab, the least any node program
// must pay to build and remove the benchmark's lab: node's start, loading koffi (for libc), the
// kernel work of the C reference (scripts/bench-ref.c) done the way it does it, and a little JS.
// No nsh code (nor a parser, unless --parse gives it nsh's): the netlink messages are encoded by
// hand into Buffers. Run it as root
// inside a private sandbox (bench-lab makes one); never on a real host.
//
//   node bench-ref-node.mjs setup N GROUP      the C reference's setup: one thread; namespaces
//                                              made as `ip netns add` makes them (unshare, bind
//                                              mount under /run/netns, a shared mount), a
//                                              netlink socket opened in each while inside and
//                                              its net.ipv6.conf.default.accept_dad set to 0;
//                                              all veth pairs in one send() per MiB (both ends'
//                                              namespaces by fd, ifindexes chosen: v0 is 2, h$i
//                                              1000+i), each host end's accept_dad 0, host
//                                              addresses and host ends up pipelined likewise;
//                                              one send() of three messages (address, v0 up, lo
//                                              up) per namespace, acks read after all sends
//   node bench-ref-node.mjs setup-par N GROUP  the same, but a worker thread, started first
//                                              thing, makes namespaces too once it is up (the
//                                              two take the next number from a shared counter),
//                                              as nsh makes them on a second thread; the worker
//                                              ends without loading koffi when none is left
//   node bench-ref-node.mjs teardown N GROUP   one RTM_DELLINK by IFLA_GROUP (all host ends, so
//                                              all pairs), then umount + unlink of each
//                                              /run/netns/n$i
//   ... setup|setup-par N GROUP --parse LOADER FILE   before making namespaces (in setup-par once
//                                              the worker may start making them), load LOADER
//                                              (a floor bundle exporting parse(text): Chevrotain
//                                              with nsh's grammar) and parse FILE's text with it:
//                                              the least a node program that reads the lab's
//                                              text with nsh's parser pays besides
//
// BENCH_REF_PHASES=1 in the environment prints the time of each phase on stderr, as bench-ref
// does (the first: node's start until this module runs).
import { closeSync, constants as fsc, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker, isMainThread, workerData } from 'node:worker_threads';

const RUN_DIR = '/run/netns';
const HOST_INDEX0 = 1000; // h$i gets ifindex HOST_INDEX0 + i in the host namespace
const NS_V0_INDEX = 2; // v0 in its fresh namespace (lo is 1)
const CHUNK_BYTES = 1 << 20; // one send() carries at most this many bytes of requests
const SOCK_BUF = 64 << 20; // socket buffers: a chunk and all its acks must fit

// Linux values (x86-64 and aarch64 alike)
const CLONE_NEWNET = 0x40000000;
const MS_BIND = 0x1000, MS_REC = 0x4000, MS_SHARED = 1 << 20, MNT_DETACH = 2;
const AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0o2000000, NETLINK_ROUTE = 0;
const SOL_SOCKET = 1, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33;
const SOL_NETLINK = 270, NETLINK_CAP_ACK = 10, NETLINK_EXT_ACK = 11;
const NLMSG_ERROR = 2, NLM_F_REQUEST = 1, NLM_F_ACK = 4, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
const NLM_F_ACK_TLVS = 0x200, NLMSGERR_ATTR_MSG = 1, NLA_F_NESTED = 0x8000;
const RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_NEWADDR = 20;
const IFLA_IFNAME = 3, IFLA_LINKINFO = 18, IFLA_GROUP = 27, IFLA_NET_NS_FD = 28;
const IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, VETH_INFO_PEER = 1, IFA_ADDRESS = 1, IFA_LOCAL = 2;
const O_RDONLY = 0, O_CLOEXEC = 0o2000000;
const AF_INET = 2, IFF_UP = 1, EINTR = 4, EINVAL = 22, RLIMIT_NOFILE = 7;

const phases = isMainThread && process.env.BENCH_REF_PHASES === '1';
let phaseT0 = 0;
function phase(what) {
  if (!phases) return;
  const t = performance.now();
  writeSync(2, `bench-ref-node: ${what.padEnd(34)} ${(t - phaseT0).toFixed(1).padStart(8)} ms\n`);
  phaseT0 = t;
}

function die(what) {
  writeSync(2, `bench-ref-node: ${isMainThread ? '' : 'worker: '}${what}\n`);
  if (!isMainThread) {
    Atomics.store(workerData.shared, FAILED, 1); // the main thread stops waiting
    Atomics.store(workerData.shared, BUSY, 0);
    Atomics.notify(workerData.shared, BUSY);
  }
  process.exit(1);
}

// ---- libc through koffi: its prebuilt native module when it is the package's version (koffi's
// index.js loads node:crypto, https and zlib for its installer first), else koffi's own loader
let koffi;
function loadKoffi() {
  const require = createRequire(import.meta.url);
  try {
    const native = require(`koffi/build/koffi/${process.platform}_${process.arch}/koffi.node`);
    if (native.version === require('koffi/package.json').version) return native;
  } catch {
    // another layout: koffi's index.js knows it
  }
  return require('koffi');
}
let c;
/** Binds the libc functions (once per thread). */
function libc() {
  koffi = loadKoffi();
  const l = koffi.load('libc.so.6');
  c = {
    open: l.func('int open(const char *path, int flags)'),
    unshare: l.func('int unshare(int flags)'),
    setns: l.func('int setns(int fd, int nstype)'),
    mount: l.func('int mount(const char *src, const char *target, const char *fstype, unsigned long flags, const char *data)'),
    umount2: l.func('int umount2(const char *target, int flags)'),
    socket: l.func('int socket(int domain, int type, int protocol)'),
    setsockopt: l.func('int setsockopt(int fd, int level, int name, void *val, uint32_t len)'),
    bind: l.func('int bind(int fd, void *addr, uint32_t len)'),
    send: l.func('intptr_t send(int fd, void *buf, size_t len, int flags)'),
    recv: l.func('intptr_t recv(int fd, void *buf, size_t len, int flags)'),
    close: l.func('int close(int fd)'),
    getrlimit: l.func('int getrlimit(int resource, void *rlim)'),
    setrlimit: l.func('int setrlimit(int resource, void *rlim)'),
  };
}
const errno = () => koffi.errno();
/** A call's result, or the end of the program when it failed. */
function ok(what, r) {
  const n = Number(r);
  if (n < 0) die(`${what}: errno ${errno()}`);
  return n;
}

// ---- a buffer of netlink messages, each asking for an ack ----
const align = n => (n + 3) & ~3;
let nextSeq = 1;
class Msgs {
  constructor(cap) {
    this.b = Buffer.alloc(cap);
    this.len = 0;
    this.count = 0;
    this.open = 0;
  }
  reserve(n) {
    const at = this.len;
    this.len += align(n);
    this.b.fill(0, at, this.len);
    return at;
  }
  /** A message header plus a fixed-size family header (ifinfomsg, ifaddrmsg); returns the latter's offset. */
  begin(type, flags, famlen) {
    this.open = this.len;
    const at = this.reserve(16 + famlen);
    this.b.writeUInt16LE(type, at + 4);
    this.b.writeUInt16LE(NLM_F_REQUEST | NLM_F_ACK | flags, at + 6);
    this.b.writeUInt32LE(nextSeq++, at + 8);
    return at + 16;
  }
  end() {
    this.b.writeUInt32LE(this.len - this.open, this.open);
    this.count++;
  }
  attrU32(type, v) {
    const at = this.reserve(8);
    this.b.writeUInt16LE(8, at);
    this.b.writeUInt16LE(type, at + 2);
    this.b.writeUInt32LE(v >>> 0, at + 4);
  }
  attrStr(type, s) {
    const at = this.reserve(4 + s.length + 1);
    this.b.writeUInt16LE(4 + s.length + 1, at);
    this.b.writeUInt16LE(type, at + 2);
    this.b.latin1Write(s, at + 4);
  }
  nestBegin(type) {
    const at = this.reserve(4);
    this.b.writeUInt16LE(type | NLA_F_NESTED, at + 2);
    return at;
  }
  nestEnd(at) {
    this.b.writeUInt16LE(this.len - at, at);
  }
  clear() {
    this.len = 0;
    this.count = 0;
  }
}

/** struct ifinfomsg at `at`: family AF_UNSPEC, index, flags, change. */
function ifinfo(m, at, index, flags = 0, change = 0) {
  m.b.writeInt32LE(index, at + 4);
  m.b.writeUInt32LE(flags, at + 8);
  m.b.writeUInt32LE(change, at + 12);
}
function linkUp(m, index) {
  ifinfo(m, m.begin(RTM_NEWLINK, 0, 16), index, IFF_UP, IFF_UP);
  m.end();
}
function addrAdd(m, index, addr, prefix) {
  const at = m.begin(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, 8);
  m.b[at] = AF_INET;
  m.b[at + 1] = prefix;
  m.b.writeUInt32LE(index, at + 4);
  for (const type of [IFA_LOCAL, IFA_ADDRESS]) m.attrU32(type, ((addr & 255) << 24) | (((addr >>> 8) & 255) << 16) | (((addr >>> 16) & 255) << 8) | (addr >>> 24));
  m.end();
}
/** One RTM_NEWLINK for the pair: this end (name, index, namespace fd, group) and its peer. */
function vethPair(m, name, index, nsfd, group, peer, peerIndex, peerNsfd) {
  ifinfo(m, m.begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 16), index);
  m.attrStr(IFLA_IFNAME, name);
  m.attrU32(IFLA_NET_NS_FD, nsfd);
  m.attrU32(IFLA_GROUP, group);
  const info = m.nestBegin(IFLA_LINKINFO);
  m.attrStr(IFLA_INFO_KIND, 'veth');
  const data = m.nestBegin(IFLA_INFO_DATA);
  const p = m.nestBegin(VETH_INFO_PEER);
  ifinfo(m, m.reserve(16), peerIndex); // the peer's own ifinfomsg, then its attributes
  m.attrStr(IFLA_IFNAME, peer);
  m.attrU32(IFLA_NET_NS_FD, peerNsfd);
  m.nestEnd(p);
  m.nestEnd(data);
  m.nestEnd(info);
  m.end();
}

// ---- sockets ----
const int = v => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
};
const sockaddrNl = (() => {
  const b = Buffer.alloc(12);
  b.writeUInt16LE(AF_NETLINK);
  return b;
})();
function nlOpen() {
  const fd = ok('socket', c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  const size = int(SOCK_BUF);
  const one = int(1);
  if (c.setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, size, 4) < 0) c.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, size, 4);
  if (c.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size, 4) < 0) c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4);
  c.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, one, 4); // acks without the request
  c.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, one, 4);
  ok('bind', c.bind(fd, sockaddrNl, 12));
  return fd;
}
function nlSend(fd, m) {
  if (m.len === 0) return;
  const n = Number(c.send(fd, m.b, m.len, 0));
  if (n !== m.len) die(`send of ${m.len} bytes: ${n < 0 ? `errno ${errno()}` : 'short'}`);
}
const rbuf = Buffer.alloc(1 << 20);
/** Read `count` acks from fd; any error ack ends the program (with the kernel's text when it gives one). */
function nlAcks(fd, count, what) {
  while (count > 0) {
    const n = Number(c.recv(fd, rbuf, rbuf.length, 0));
    if (n < 0) {
      if (errno() === EINTR) continue;
      die(`${what}: recv: errno ${errno()}`);
    }
    for (let off = 0; off + 16 <= n; ) {
      const len = rbuf.readUInt32LE(off);
      if (len < 16) break;
      if (rbuf.readUInt16LE(off + 4) === NLMSG_ERROR) {
        const error = rbuf.readInt32LE(off + 16);
        if (error !== 0) {
          let text = '';
          if (rbuf.readUInt16LE(off + 6) & NLM_F_ACK_TLVS) {
            // with CAP_ACK the request is not echoed: the TLVs follow the header copy
            for (let a = off + 36; a + 4 <= off + len; ) {
              const alen = rbuf.readUInt16LE(a);
              if (alen < 4) break;
              if ((rbuf.readUInt16LE(a + 2) & 0x3fff) === NLMSGERR_ATTR_MSG) text = `: ${rbuf.toString('latin1', a + 4, a + alen).replace(/\0.*$/s, '')}`;
              a += align(alen);
            }
          }
          die(`${what}: request ${rbuf.readUInt32LE(off + 28)} refused: errno ${-error}${text}`);
        }
        count--;
      }
      off += align(len);
    }
  }
}
function nlFlush(fd, m, what) {
  nlSend(fd, m);
  nlAcks(fd, m.count, what);
  m.clear();
}

// ---- namespaces, as `ip netns add` / `ip netns del` ----
/** Write "0" to a /proc/sys/net file: it belongs to the namespace of the thread that opens it. */
function writeZero(path) {
  let fd;
  try {
    fd = openSync(path, fsc.O_WRONLY); // no O_CREAT or O_TRUNC, as bench-ref opens it
  } catch (e) {
    if (e.code === 'ENOENT') return; // a kernel without IPv6
    die(`open ${path}: ${e.message}`);
  }
  writeSync(fd, '0\n');
  closeSync(fd);
}

/** mkdir /run/netns and make it a shared mount point (bind it onto itself first if needed). */
function prepareRunDir() {
  try {
    mkdirSync(RUN_DIR, 0o755);
  } catch (e) {
    if (e.code !== 'EEXIST') die(`mkdir ${RUN_DIR}: ${e.message}`);
  }
  if (c.mount('', RUN_DIR, 'none', MS_SHARED | MS_REC, null) === 0) return;
  if (errno() !== EINVAL) die(`make ${RUN_DIR} shared: errno ${errno()}`);
  ok(`bind ${RUN_DIR}`, c.mount(RUN_DIR, RUN_DIR, 'none', MS_BIND | MS_REC, null));
  ok(`make ${RUN_DIR} shared`, c.mount('', RUN_DIR, 'none', MS_SHARED | MS_REC, null));
}

/**
 * An fd to the calling thread's network namespace. Opened through libc, not node's fs: node
 * closes the fds a worker thread opened with fs when the thread ends.
 */
const ownNetns = () => ok('open own netns', c.open('/proc/thread-self/ns/net', O_RDONLY | O_CLOEXEC));

/**
 * A new named namespace: /run/netns/NAME created, unshare, pin by bind mount; while inside, an
 * fd to it and a netlink socket in it. The calling thread returns to hostFd.
 */
function netnsAdd(name, hostFd) {
  const path = `${RUN_DIR}/${name}`;
  try {
    closeSync(openSync(path, fsc.O_RDONLY | fsc.O_CREAT | fsc.O_EXCL, 0));
  } catch (e) {
    die(`create ${path}: ${e.message}`);
  }
  ok('unshare(CLONE_NEWNET)', c.unshare(CLONE_NEWNET));
  const nsfd = ownNetns();
  writeZero('/proc/sys/net/ipv6/conf/default/accept_dad');
  const sock = nlOpen();
  ok(`bind onto ${path}`, c.mount('/proc/thread-self/ns/net', path, 'none', MS_BIND, null));
  ok('setns back', c.setns(hostFd, CLONE_NEWNET));
  return [nsfd, sock];
}

function raiseFdLimit(n) {
  const r = Buffer.alloc(16);
  const need = BigInt(2 * n + 64);
  if (c.getrlimit(RLIMIT_NOFILE, r) === 0 && r.readBigUInt64LE(0) < need) {
    if (r.readBigUInt64LE(8) < need) r.writeBigUInt64LE(need, 8);
    r.writeBigUInt64LE(need, 0);
    ok(`setrlimit NOFILE ${need}`, c.setrlimit(RLIMIT_NOFILE, r));
  }
}

// ---- the workload ----
const subnet = i => (10 << 24) + 4 * (i - 1);

// The slots of the array that the threads of setup-par share (setup alone uses it too): the last
// number taken, /run/netns ready, the worker is making a namespace, the worker failed, the
// namespaces the worker made; then the fds of namespace i: its own at fdSlot(i), its netlink socket
// at fdSlot(i) + 1.
const NEXT = 0, READY = 1, BUSY = 2, FAILED = 3, MADE = 4, FDS = 5;
const sharedSlots = n => FDS + 2 * n;
const fdSlot = i => FDS + 2 * (i - 1);

/**
 * Makes namespaces, taking each next number from the shared counter until all N are taken. The
 * worker says it is busy before it takes a number, so once the main thread has found none left,
 * it only has to wait until the worker is not busy.
 */
function makeNamespaces(shared, n, busy) {
  const hostFd = ownNetns();
  for (;;) {
    if (busy) Atomics.add(shared, BUSY, 1);
    const i = Atomics.add(shared, NEXT, 1) + 1;
    if (i <= n) [shared[fdSlot(i)], shared[fdSlot(i) + 1]] = netnsAdd(`n${i}`, hostFd);
    if (busy) {
      if (i <= n) Atomics.add(shared, MADE, 1);
      Atomics.sub(shared, BUSY, 1);
      Atomics.notify(shared, BUSY);
    }
    if (i >= n) break;
  }
  c.close(hostFd);
}

function setup(n, group, worker, parse) {
  raiseFdLimit(n);
  const hostFd = ownNetns();
  const host = nlOpen();
  prepareRunDir();
  const shared = worker?.shared ?? new Int32Array(sharedSlots(n));
  if (worker) {
    Atomics.store(shared, READY, 1);
    Atomics.notify(shared, READY);
  }
  if (parse) {
    createRequire(import.meta.url)(parse.loader).parse(readFileSync(parse.file, 'utf8'));
    phase("the text parsed (Chevrotain, nsh's grammar)");
  }
  makeNamespaces(shared, n, false);
  phase('namespaces (unshare, socket, mount)');
  if (worker) {
    // until the worker has made the namespace it is making, if any (not until it has started)
    for (let b = Atomics.load(shared, BUSY); b !== 0; b = Atomics.load(shared, BUSY)) Atomics.wait(shared, BUSY, b, 1000);
    if (shared[FAILED]) die('the worker thread failed');
    phase(`namespaces (the worker made ${shared[MADE]})`);
  }
  const nsfd = i => shared[fdSlot(i)];
  const sock = i => shared[fdSlot(i) + 1];

  // host side: all pairs, host addresses, host ends up; one send() per CHUNK_BYTES
  const m = new Msgs(CHUNK_BYTES + (64 << 10));
  for (let i = 1; i <= n; i++) {
    vethPair(m, `h${i}`, HOST_INDEX0 + i, hostFd, group, 'v0', NS_V0_INDEX, nsfd(i));
    if (m.len >= CHUNK_BYTES) nlFlush(host, m, 'create veth pairs');
  }
  nlFlush(host, m, 'create veth pairs');
  phase('veth pairs');
  for (let i = 1; i <= n; i++) writeZero(`/proc/sys/net/ipv6/conf/h${i}/accept_dad`);
  phase('host ends: IPv6 DAD off');
  for (let i = 1; i <= n; i++) {
    addrAdd(m, HOST_INDEX0 + i, subnet(i) + 2, 30);
    linkUp(m, HOST_INDEX0 + i);
    if (m.len >= CHUNK_BYTES) nlFlush(host, m, 'host addresses and link up');
  }
  nlFlush(host, m, 'host addresses and link up');
  phase('host addresses, host ends up');

  // namespace side: one send() of three messages per namespace, then all the acks
  const nb = new Msgs(4096);
  for (let i = 1; i <= n; i++) {
    addrAdd(nb, NS_V0_INDEX, subnet(i) + 1, 30);
    linkUp(nb, NS_V0_INDEX);
    linkUp(nb, 1); // lo
    nlSend(sock(i), nb);
    nb.clear();
  }
  for (let i = 1; i <= n; i++) {
    nlAcks(sock(i), 3, 'namespace address and links up');
    c.close(sock(i));
    c.close(nsfd(i));
  }
  c.close(host);
  c.close(hostFd);
  phase('namespace address, v0 and lo up');
}

function teardown(n, group) {
  const host = nlOpen();
  const m = new Msgs(4096);
  ifinfo(m, m.begin(RTM_DELLINK, 0, 16), 0); // no index, no name: the kernel deletes every link of the group
  m.attrU32(IFLA_GROUP, group);
  m.end();
  nlFlush(host, m, 'delete link group');
  c.close(host);
  phase('delete link group');
  for (let i = 1; i <= n; i++) {
    const path = `${RUN_DIR}/n${i}`;
    ok(`umount ${path}`, c.umount2(path, MNT_DETACH));
    unlinkSync(path);
  }
  phase('umount, unlink');
}

if (!isMainThread) {
  // the second maker of setup-par: once /run/netns is ready, makes namespaces until none is left
  // (and ends at once, without loading koffi, when the main thread has taken them all)
  const { shared, n } = workerData;
  try {
    Atomics.wait(shared, READY, 0);
    if (Atomics.load(shared, NEXT) < n) {
      libc();
      makeNamespaces(shared, n, true);
    }
  } catch (e) {
    die(e.message);
  }
} else {
  const [what, ns, gs, opt, loader, file] = process.argv.slice(2);
  const n = Number(ns);
  const group = Number(gs);
  const parse = opt === '--parse' && what !== 'teardown' && loader && file ? { loader, file } : null;
  if (!['setup', 'setup-par', 'teardown'].includes(what) || !(n >= 1) || !(group >= 0) || (opt !== undefined && !parse)) {
    die('usage: node bench-ref-node.mjs setup|setup-par|teardown N GROUP [--parse LOADER FILE]');
  }
  let worker = null;
  if (what === 'setup-par') {
    const shared = new Int32Array(new SharedArrayBuffer(4 * sharedSlots(n)));
    worker = { shared, thread: new Worker(new URL(import.meta.url), { workerData: { shared, n } }) };
  }
  phase('node start, module loaded');
  libc();
  phase('koffi and libc loaded');
  if (what === 'teardown') teardown(n, group);
  else setup(n, group, worker, parse);
}
