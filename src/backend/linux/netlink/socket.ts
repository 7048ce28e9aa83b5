/**
 * A netlink socket (NETLINK_ROUTE unless told otherwise, e.g. NETLINK_SOCK_DIAG), bound to the
 * network namespace it was opened in (a netlink socket acts
 * on the namespace it was created in, whatever namespace the thread is in later). All I/O is
 * synchronous: rtnetlink handles a request inside sendmsg(), so by the time send() returns its
 * acks (or the first part of a dump) are queued; later dump parts are produced as we read.
 * poll() with a timeout guards against waiting forever on an answer that never comes.
 */
import {
  AF_NETLINK, MSG_TRUNC, NETLINK_CAP_ACK, NETLINK_EXT_ACK, NETLINK_ROUTE, POLLIN, SOCK_RAW, SOL_NETLINK,
  SOL_SOCKET, SO_RCVBUF, SO_RCVBUFFORCE, SO_SNDBUF, SO_SNDBUFFORCE, SysError, bind, close, errnoCode,
  getsockname, pollOne, strerrorText, recvNonBlocking, send, setsockoptInt, sockaddrNl, socket,
} from '../libc.js';
import { withNetns } from '../netns.js';
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_OVERRUN, NLM_F_ACK, NLM_F_DUMP_INTR, NLM_F_MULTI } from './constants.js';
import { NlMessage, NlRequest, decodeMessages, encodeMessage, parseError } from './message.js';

const SOCKET_BUFFER = 4 << 20; // 4 MiB send and receive buffers (FORCE variants need CAP_NET_ADMIN)
const RECV_BUFFER = 1 << 20; // our user-space receive buffer

/**
 * One receive buffer for every socket: all I/O is synchronous and each datagram is copied out
 * before the next read, so sockets can share it (a lab of a thousand namespaces keeps a thousand
 * sockets open; a megabyte each would cost seconds of allocation).
 */
let recvBuf: Buffer | undefined;
const BATCH_MAX_MESSAGES = 256; // messages per sendmsg in batch(): their acks must fit the socket buffer
const BATCH_MAX_BYTES = 256 << 10;
const NLMSG_FLAGS_AT = 6; // nlmsghdr: u32 len, u16 type, u16 flags
const REPLY_TIMEOUT_MS = 10_000;

/** A request the kernel refused: errno, its name, and the extended-ack text when given. */
export class NetlinkError extends Error {
  readonly errno: number;
  readonly code: string;
  /** the kernel's own explanation (extended ack), e.g. "Nexthop has invalid gateway" */
  readonly extack: string | undefined;
  /** byte offset in the request of the offending attribute, when the kernel says */
  readonly offset: number | undefined;
  /** nlmsg_type of the failed request */
  readonly requestType: number;
  /** position of the failed request in a batch (0 for single requests) */
  readonly index: number;
  constructor(errno: number, opts: { extack?: string; offset?: number; requestType: number; index?: number }) {
    const code = errnoCode(errno);
    super(`${opts.extack ?? strerrorText(errno)} (${code})`);
    this.name = 'NetlinkError';
    this.errno = errno;
    this.code = code;
    this.extack = opts.extack;
    this.offset = opts.offset;
    this.requestType = opts.requestType;
    this.index = opts.index ?? 0;
  }
}

/**
 * One request's outcome. `echo` holds what the kernel sent back before the ack for a request
 * with NLM_F_ECHO (e.g. the RTM_NEWLINK of a link just made, with its ifindex).
 */
export type BatchResult = { ok: true; echo?: NlMessage } | { ok: false; error: NetlinkError };

export class RtnlSocket {
  private seq: number;
  private closed = false;
  private port: number | undefined;

  private constructor(readonly fd: number) {
    this.seq = (Date.now() / 1000) >>> 0; // like iproute2: distinct across runs, eases strace reading
  }

  /**
   * Our port id (nl_pid), assigned by the kernel at bind(): asked for when first read (nothing in
   * a lab's build needs it; a getsockname() fewer for each namespace's socket).
   */
  get portId(): number {
    this.port ??= getsockname(this.fd).readUInt32LE(4);
    return this.port;
  }

  /**
   * Open a socket in the network namespace `netnsFd` (default: the thread's current one).
   * `protocol`: the netlink family (default NETLINK_ROUTE); `groups`: multicast groups to join at
   * bind(), as a bit mask (group G is bit G-1; see monitor.ts).
   */
  static open(netnsFd?: number, opts: { protocol?: number; groups?: number } = {}): RtnlSocket {
    const make = (): number => socket(AF_NETLINK, SOCK_RAW, opts.protocol ?? NETLINK_ROUTE);
    const fd = netnsFd === undefined ? make() : withNetns(netnsFd, make);
    try {
      setBuffer(fd, SO_SNDBUFFORCE, SO_SNDBUF);
      setBuffer(fd, SO_RCVBUFFORCE, SO_RCVBUF);
      // Extended acks: the kernel explains errors in text. Capped acks: error acks echo only the
      // request's header, not the whole request (keeps batch acks small).
      setsockoptInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
      setsockoptInt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
      bind(fd, sockaddrNl(0, opts.groups ?? 0));
      return new RtnlSocket(fd);
    } catch (e) {
      close(fd);
      throw e;
    }
  }

  /** A socket opened and bound elsewhere (another thread, inside another namespace). */
  static adopt(fd: number): RtnlSocket {
    return new RtnlSocket(fd);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    close(this.fd);
  }

  private nextSeq(): number {
    this.seq = (this.seq + 1) >>> 0 || 1;
    return this.seq;
  }

  /** Send one request with NLM_F_ACK and wait for its ack; throws NetlinkError on refusal. */
  request(req: NlRequest): void {
    const [r] = this.batch([req]);
    if (r && !r.ok) throw r.error;
  }

  /**
   * Send many requests pipelined — concatenated into one send() per chunk, each with its own seq —
   * then read their answers. The kernel processes the messages of one buffer in order and keeps
   * going after a failure, answering each failure with an error at once, so each request gets its
   * own result; the NetlinkError of a failed one has `index` set to its position in `reqs`. Only
   * the chunk's last request asks for an ack (NLM_F_ACK): when it comes, every error of those
   * before it has come (one socket, in order), and a request without one succeeded; a chunk of a
   * namespace's five requests is one read, not five.
   */
  batch(reqs: readonly NlRequest[]): BatchResult[] {
    const results: BatchResult[] = new Array(reqs.length);
    let start = 0;
    while (start < reqs.length) {
      const parts: Buffer[] = [];
      const seqs = new Map<number, number>(); // seq → index in reqs
      let bytes = 0;
      let i = start;
      for (; i < reqs.length && i - start < BATCH_MAX_MESSAGES && bytes < BATCH_MAX_BYTES; i++) {
        const req = reqs[i]!;
        const seq = this.nextSeq();
        const msg = encodeMessage(req, seq);
        // (the requests' own flags ask for an ack: all but the chunk's last go without, below)
        msg.writeUInt16LE(msg.readUInt16LE(NLMSG_FLAGS_AT) & ~NLM_F_ACK, NLMSG_FLAGS_AT);
        parts.push(msg);
        seqs.set(seq, i);
        bytes += msg.length;
      }
      const last = parts[parts.length - 1]!;
      last.writeUInt16LE(last.readUInt16LE(NLMSG_FLAGS_AT) | NLM_F_ACK, NLMSG_FLAGS_AT);
      const lastSeq = this.seq;
      send(this.fd, parts.length === 1 ? last : Buffer.concat(parts));
      const echoes = new Map<number, NlMessage>();
      for (let acked = false; !acked; ) {
        for (const m of this.receive()) {
          const index = seqs.get(m.seq);
          if (index === undefined) continue; // stale
          if (m.type !== NLMSG_ERROR) {
            echoes.set(index, m); // NLM_F_ECHO, or a GET's answer: comes before the request's ack
            continue;
          }
          if (m.seq === lastSeq) acked = true;
          const e = parseError(m);
          if (e.errno !== 0) results[index] = { ok: false, error: toError(e, index) };
        }
      }
      for (let k = start; k < i; k++) {
        const echo = echoes.get(k);
        results[k] ??= echo ? { ok: true, echo } : { ok: true };
      }
      start = i;
    }
    return results;
  }

  /** Like batch(), but throws the first failure (its `index` says which request it was). */
  batchOrThrow(reqs: readonly NlRequest[]): void {
    for (const r of this.batch(reqs)) if (!r.ok) throw r.error;
  }

  /** Send a GET request without NLM_F_DUMP and return its one answer (e.g. linkGetByName). */
  get(req: NlRequest): NlMessage {
    const seq = this.nextSeq();
    send(this.fd, encodeMessage(req, seq));
    for (;;) {
      for (const m of this.receive()) {
        if (m.seq !== seq) continue;
        if (m.type === NLMSG_ERROR) {
          const e = parseError(m);
          if (e.errno !== 0) throw toError(e, 0);
          continue;
        }
        return m;
      }
    }
  }

  /**
   * Send a dump request and collect the NLM_F_MULTI parts until NLMSG_DONE. If the kernel flags
   * the dump as interrupted (NLM_F_DUMP_INTR: the set changed while being dumped) it is redone.
   */
  dump(req: NlRequest): NlMessage[] {
    for (let attempt = 0; ; attempt++) {
      const seq = this.nextSeq();
      send(this.fd, encodeMessage(req, seq));
      const out: NlMessage[] = [];
      let interrupted = false;
      for (let done = false; !done; ) {
        for (const m of this.receive()) {
          if (m.seq !== seq) continue;
          if (m.flags & NLM_F_DUMP_INTR) interrupted = true;
          if (m.type === NLMSG_DONE) {
            // The body of DONE holds an int error (0, or the dump's failure).
            const err = m.body.length >= 4 ? -m.body.readInt32LE(0) : 0;
            if (err > 0) throw new NetlinkError(err, { requestType: req.type });
            done = true;
            break;
          }
          if (m.type === NLMSG_ERROR) {
            const e = parseError(m);
            if (e.errno !== 0) throw toError(e, 0);
            continue;
          }
          if (m.type === NLMSG_OVERRUN) throw new NetlinkError(105 /* ENOBUFS */, { requestType: req.type });
          out.push(m);
          if (!(m.flags & NLM_F_MULTI)) done = true; // a single answer, no DONE follows
        }
      }
      if (!interrupted || attempt >= 3) return out;
    }
  }

  /**
   * Read one datagram (waiting up to REPLY_TIMEOUT_MS) and split it into messages. The kernel
   * answers most requests inside send(), so a read is tried before waiting in poll().
   */
  private receive(): NlMessage[] {
    for (let tries = 0; ; tries++) {
      if (tries > 0 && pollOne(this.fd, POLLIN, REPLY_TIMEOUT_MS) === 0) {
        throw new Error(`netlink: no answer from the kernel within ${REPLY_TIMEOUT_MS} ms`);
      }
      const got = this.receiveNow();
      if (got) return got; // else not there yet (or a spurious wakeup): wait
    }
  }

  /**
   * One datagram's messages if one is queued, else null, without waiting (for multicast
   * notifications read from a timer or when node says the fd is readable). Throws NetlinkError
   * ENOBUFS when the receive queue overflowed and messages were lost.
   */
  receiveNow(): NlMessage[] | null {
    let n: number | null;
    try {
      recvBuf ??= Buffer.alloc(RECV_BUFFER);
      n = recvNonBlocking(this.fd, recvBuf, MSG_TRUNC);
    } catch (e) {
      // ENOBUFS: the socket's receive queue overflowed and answers were dropped.
      if (e instanceof SysError && e.code === 'ENOBUFS') {
        throw new NetlinkError(e.errno, { requestType: 0, extack: 'netlink receive buffer overflowed; answers were lost' });
      }
      throw e;
    }
    if (n === null) return null;
    if (n > recvBuf.length) {
      // With MSG_TRUNC recv returns the datagram's real size: ours was too small and the
      // rest is lost. Grow for next time and report.
      recvBuf = Buffer.alloc(Math.max(n, recvBuf.length * 2));
      throw new Error(`netlink: a ${n}-byte answer did not fit the receive buffer`);
    }
    return decodeMessages(Buffer.from(recvBuf.subarray(0, n)));
  }
}

function setBuffer(fd: number, force: number, plain: number): void {
  try {
    setsockoptInt(fd, SOL_SOCKET, force, SOCKET_BUFFER);
  } catch {
    setsockoptInt(fd, SOL_SOCKET, plain, SOCKET_BUFFER); // capped by net.core.*mem_max
  }
}

function toError(e: ReturnType<typeof parseError>, index: number): NetlinkError {
  const opts: { extack?: string; offset?: number; requestType: number; index: number } = {
    requestType: e.request.type,
    index,
  };
  if (e.message !== undefined) opts.extack = e.message;
  if (e.offset !== undefined) opts.offset = e.offset;
  return new NetlinkError(e.errno, opts);
}
