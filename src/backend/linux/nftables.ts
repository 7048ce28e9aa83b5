/**
 * nftables through libnftables (the library the `nft` program is made of), called with its JSON
 * API: commands go in as one JSON document per transaction, listings come back as JSON, and an
 * error comes back as text in the context's error buffer. A name or a port is a JSON value, never
 * part of a text that libnftables parses.
 *
 * A context acts on the network namespace it was made in: nft_ctx_new() opens its netlink socket
 * there and keeps it (libnftables 1.0.6: a context made inside a namespace, then used from the
 * host, changes only the namespace), so each namespace's handle keeps one (handles.ts).
 * libnftables is loaded on first use; without it `nat` and `publish` fail with a sentence that
 * says what to install.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { OpError } from '../backend.js';
import { nftDocument, type NftCommand } from '../nat-rules.js';
import { AF_NETLINK, bind, bindLibrary, close, recv, send, SOCK_RAW, socket, sockaddrNl, type ForeignFunction } from './libc.js';
import { withNetns } from './netns.js';
import { str } from './netlink/attr.js';
import { NLM_F_REQUEST, NLMSG_ERROR } from './netlink/constants.js';
import { decodeMessages, encodeMessage, parseError } from './netlink/message.js';

const NFT_CTX_DEFAULT = 0;
/** Output as JSON; libnftables then also reads its input as JSON. */
const NFT_CTX_OUTPUT_JSON = 1 << 4;

type Api = Record<'ctxNew' | 'ctxFree' | 'setFlags' | 'bufferOutput' | 'bufferError' | 'output' | 'error' | 'run', ForeignFunction>;
let api: Api | undefined;

function nftLib(): Api {
  if (api) return api;
  try {
    api = bindLibrary('libnftables.so.1', {
      ctxNew: 'void *nft_ctx_new(uint32_t flags)',
      ctxFree: 'void nft_ctx_free(void *ctx)',
      setFlags: 'void nft_ctx_output_set_flags(void *ctx, unsigned int flags)',
      bufferOutput: 'int nft_ctx_buffer_output(void *ctx)',
      bufferError: 'int nft_ctx_buffer_error(void *ctx)',
      output: 'const char *nft_ctx_get_output_buffer(void *ctx)',
      error: 'const char *nft_ctx_get_error_buffer(void *ctx)',
      run: 'int nft_run_cmd_from_buffer(void *ctx, const char *buf)',
    });
  } catch {
    throw new OpError('nat and publish use nftables, and nsh cannot load libnftables.so.1', {
      hint: 'install it: apt install libnftables1 (the nftables package brings it)',
    });
  }
  return api;
}

/** The reasons libnftables gives (strerror text) that callers tell apart, as errno names. */
const CODES: Record<string, string> = {
  'No such file or directory': 'ENOENT',
  'File exists': 'EEXIST',
  'Operation not permitted': 'EPERM',
  'Permission denied': 'EACCES',
  'Operation not supported': 'EOPNOTSUPP',
  'Device or resource busy': 'EBUSY',
  'Invalid argument': 'EINVAL',
};

/** A command libnftables refused: its own sentence, and the errno name when it gave one it knows. */
export class NftError extends Error {
  readonly code: string | undefined;
  readonly errno: number | undefined;

  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NftError';
    const known = Object.keys(CODES).find(text => reason.endsWith(text));
    this.code = known === undefined ? undefined : CODES[known];
    this.errno = this.code === undefined ? undefined : (os.constants.errno as Record<string, number>)[this.code];
  }
}

/**
 * The first error line of libnftables' error buffer, without its place and `Error:`:
 * "internal:0:0-0: Error: Could not process rule: No such file or directory" gives
 * "Could not process rule: No such file or directory".
 */
export function nftReason(buffer: string): string {
  const line = buffer.split('\n').find(l => l.includes('Error: ')) ?? buffer.split('\n').find(l => l.trim()) ?? 'libnftables failed';
  return line.slice(line.indexOf('Error: ') >= 0 ? line.indexOf('Error: ') + 'Error: '.length : 0).trim();
}

/** One libnftables context, in one network namespace. */
export class Nft {
  private ctx: unknown;

  private constructor(ctx: unknown) {
    this.ctx = ctx;
  }

  /** A context for the namespace `netFd` (its netlink socket is opened in there). */
  static open(netFd: number): Nft {
    const l = nftLib();
    const ctx: unknown = withNetns(netFd, () => l.ctxNew(NFT_CTX_DEFAULT));
    if (!ctx) throw new OpError('libnftables could not make a context (nft_ctx_new failed)');
    l.setFlags(ctx, NFT_CTX_OUTPUT_JSON);
    l.bufferOutput(ctx);
    l.bufferError(ctx);
    return new Nft(ctx);
  }

  /** Runs commands as one transaction; gives what they listed (parsed JSON), or throws an NftError. */
  run(cmds: readonly NftCommand[]): unknown {
    if (this.ctx === undefined) throw new Error('nftables context used after close()');
    const l = nftLib();
    const rc = l.run(this.ctx, JSON.stringify(nftDocument(cmds))) as number;
    const out = l.output(this.ctx) as string;
    const err = l.error(this.ctx) as string;
    if (rc !== 0) throw new NftError(nftReason(err));
    return out.trim() ? (JSON.parse(out) as unknown) : undefined;
  }

  close(): void {
    if (this.ctx === undefined) return;
    nftLib().ctxFree(this.ctx);
    this.ctx = undefined;
  }
}

/** Runs commands in the namespace `netFd` with a context made for that alone. */
export function nftOnce(netFd: number, cmds: readonly NftCommand[]): unknown {
  const nft = Nft.open(netFd);
  try {
    return nft.run(cmds);
  } finally {
    nft.close();
  }
}

/**
 * Whether asking about a table cannot make the kernel load nf_tables: it is loaded, or built in, or
 * the kernel loads no modules at all (no /proc/modules).
 */
function nfTablesPresent(): boolean {
  if (fs.existsSync('/sys/module/nf_tables')) return true;
  builtIn ??= (() => {
    if (!fs.existsSync('/proc/modules')) return true;
    try {
      return /(^|\/)nf_tables\.ko$/m.test(fs.readFileSync(`/lib/modules/${os.release()}/modules.builtin`, 'utf8'));
    } catch {
      return false;
    }
  })();
  return builtIn;
}
let builtIn: boolean | undefined;

const NETLINK_NETFILTER = 12;
const NFNL_SUBSYS_NFTABLES = 10;
const NFT_MSG_GETTABLE = 1;
const NFTA_TABLE_NAME = 1;
const NFPROTO_INET = 1;

/**
 * Whether the namespace `netFd` has the table `inet NAME`: one NFT_MSG_GETTABLE on a netfilter
 * socket opened in there (a few microseconds, where a libnftables context costs half a
 * millisecond to make), so a snapshot lists only the tables that are there.
 */
export function hasTable(netFd: number, name: string): boolean {
  // asking would make the kernel load nf_tables: where it is not there, no table is
  if (!nfTablesPresent()) return false;
  const fd = withNetns(netFd, () => socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER));
  try {
    bind(fd, sockaddrNl(0, 0));
    const nfgenmsg = Buffer.from([NFPROTO_INET, 0, 0, 0]); // family, version, res_id (big-endian 0)
    send(fd, encodeMessage({ type: (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE, flags: NLM_F_REQUEST, header: nfgenmsg, attrs: [str(NFTA_TABLE_NAME, name)] }, 1));
    const buf = Buffer.alloc(8192);
    const [m] = decodeMessages(buf, recv(fd, buf));
    return m !== undefined && (m.type !== NLMSG_ERROR || parseError(m).errno === 0);
  } finally {
    close(fd);
  }
}
