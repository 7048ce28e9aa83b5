/**
 * The REPL's backend without root: echo, sleep and `!` work; every statement that would touch
 * the kernel fails with one sentence that says what it needs.
 */
import { OpError, type Backend, type Job } from '../backend/backend.js';
import { LinuxBackend } from '../backend/linux/linux-backend.js';

const NEEDS_ROOT = 'this statement touches the kernel, which needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN)';
const HINT = 'restart nsh with sudo, or with --rootless';

function refuse(): Promise<never> {
  return Promise.reject(new OpError(NEEDS_ROOT, HINT));
}

export class UnprivilegedBackend implements Backend {
  constructor(private readonly out: NodeJS.WritableStream) {}

  nsAdd = refuse;
  nsDel = refuse;
  linkDel = refuse;
  veth = refuse;
  bridge = refuse;
  attach = refuse;
  addr = refuse;
  linkState = refuse;
  move = refuse;
  route = refuse;
  forward = refuse;
  sysctl = refuse;
  exec: () => Promise<Job | undefined> = refuse;
  ping: () => Promise<Job | undefined> = refuse;
  nc: () => Promise<Job | undefined> = refuse;
  pingall = refuse;
  show = refuse;
  info = refuse;
  same = refuse;
  pin = refuse;
  spawn: () => Promise<Job | undefined> = refuse;
  wait = refuse;
  kill = refuse;

  async jobs(): Promise<void> {}

  async print(text: string): Promise<void> {
    this.out.write(`${text}\n`);
  }

  async sleep(seconds: number): Promise<void> {
    await new Promise(r => setTimeout(r, seconds * 1000));
  }

  /** A failure to touch the kernel is a failure, as on the kernel. */
  expectFailure = LinuxBackend.prototype.expectFailure;
}
