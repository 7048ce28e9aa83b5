/**
 * Machines for labs across machines, all on this one: each a sandbox of bin/nsh-sandbox (network,
 * mount, UTS and PID namespaces, a tmpfs on /run), joined by an underlay bridge with TEST-NET
 * addresses (192.0.2.0/24). The coordinator is a sandbox of its own holding the bridge
 * (192.0.2.254); machine i (1…) is 192.0.2.i and runs OpenSSH's sshd there, with a host key and an
 * authorized key made for the test and this checkout's nsh on the PATH of its sessions, and an empty
 * /root of its own (so its sessions read none of this machine's shell start-up files). The
 * coordinator's root sees a /root of its own (a tmpfs) whose .ssh holds the key, the known hosts
 * and a config: nsh reaches the machines with the user's own ssh setup, as anywhere.
 *
 * sshd cannot drop privileges inside a user namespace: this needs root (`available` says why not).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launcher } from './sandbox.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const nshBin = path.join(root, 'bin/nsh');
export const SSHD = '/usr/sbin/sshd';
/** Each machine's sshd listens on port 22 and on this one. */
export const OTHER_PORT = 2222;

/** Why machines cannot be made here, or undefined when they can. */
export function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'sshd cannot drop privileges in a user namespace: these tests need root';
  if (!fs.existsSync(SSHD)) return `OpenSSH's server is not installed (${SSHD}; Debian: openssh-server)`;
  for (const tool of ['ssh', 'ssh-keygen', 'nsenter', 'unshare', 'ip']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

export interface Ran {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A sandbox: its launcher process, and the pid (here) of its PID 1, which nsenter enters. */
export class Box {
  private constructor(
    readonly name: string,
    readonly address: string,
    private readonly proc: ChildProcess,
    readonly pid: number,
  ) {}

  static async start(name: string, address: string): Promise<Box> {
    const proc = spawn(launcher, ['--', 'sh', '-c', 'exec sleep 1000000'], { stdio: 'ignore' });
    // PID 1 of the sandbox is unshare's child
    const deadline = Date.now() + 10_000;
    for (;;) {
      let children = '';
      try {
        children = fs.readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim();
      } catch {
        /* not there yet */
      }
      const pid = Number(children.split(/\s+/)[0]);
      if (pid > 0 && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('nsh-run')) {
        // its /run is mounted once the shell runs its command
        const box = new Box(name, address, proc, pid);
        while (box.sh('mountpoint -q /run && [ "$(stat -f -c %T /run)" = tmpfs ]').status !== 0) {
          if (Date.now() > deadline) throw new Error(`sandbox ${name} did not start`);
          await new Promise(r => setTimeout(r, 20));
        }
        return box;
      }
      if (Date.now() > deadline) throw new Error(`sandbox ${name} did not start`);
      await new Promise(r => setTimeout(r, 20));
    }
  }

  /** The words that run a command inside the sandbox (all its namespaces). */
  enter(argv: readonly string[]): string[] {
    return ['nsenter', '-t', String(this.pid), '-n', '-m', '-u', '-p', '--', ...argv];
  }

  /** A shell command inside, to its end. */
  sh(script: string, opts: { input?: string; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
    const [file, ...args] = this.enter(['sh', '-c', script]);
    return spawnSync(file!, args, { encoding: 'utf8', input: opts.input ?? '', timeout: opts.timeoutMs ?? 60_000 });
  }

  /** Like sh(), failing with its output when the command fails. */
  must(script: string): string {
    const r = this.sh(script);
    if (r.status !== 0) throw new Error(`${this.name}: ${script}: ${r.stderr || r.stdout || r.error?.message}`);
    return r.stdout;
  }

  /** Named network namespaces inside. */
  netns(): string[] {
    return this.must('ip -j netns list 2>/dev/null || echo []')
      .trim()
      .replace(/^$/, '[]')
      .split('\n')
      .flatMap(l => (JSON.parse(l || '[]') as { name: string }[]).map(n => n.name))
      .sort();
  }

  /** Links of the root namespace inside, but lo and the underlay's. */
  hostLinks(): string[] {
    return (JSON.parse(this.must('ip -j link')) as { ifname: string }[]).map(l => l.ifname).filter(n => n !== 'lo' && n !== 'eth0' && !/^ul/.test(n)).sort();
  }

  /** Journals of labs inside. */
  journals(): string[] {
    return this.must('ls /run/nsh/labs 2>/dev/null || true').split('\n').filter(Boolean).sort();
  }

  stop(): void {
    this.proc.kill('SIGKILL');
  }
}

/** A machine: a box with sshd. */
export class Machine {
  sshd: ChildProcess | undefined;
  log = '';

  constructor(
    readonly name: string,
    readonly box: Box,
    private readonly config: string,
    /** The directory on the PATH of its sessions, which holds its nsh. */
    private readonly bin: string,
  ) {}

  /** The machine's nsh: this checkout's (undefined: none at all), or a script given as text. */
  setNsh(script?: string | null): void {
    const file = path.join(this.bin, 'nsh');
    fs.rmSync(file, { force: true });
    if (script === undefined) fs.symlinkSync(nshBin, file);
    else if (script !== null) fs.writeFileSync(file, script, { mode: 0o755 });
  }

  get address(): string {
    return this.box.address;
  }

  /** Starts sshd, and waits until it listens. */
  async startSshd(): Promise<void> {
    this.box.must('mkdir -p /run/sshd && chmod 755 /run/sshd');
    const [file, ...args] = this.box.enter([SSHD, '-D', '-e', '-f', this.config]);
    const p = spawn(file!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
    this.sshd = p;
    const deadline = Date.now() + 10_000;
    while (!/:22\b/.test(this.box.sh('ss -ltnH').stdout)) {
      if (p.exitCode !== null) throw new Error(`sshd on ${this.name} ended: ${this.log}`);
      if (Date.now() > deadline) throw new Error(`sshd on ${this.name} does not listen: ${this.log}`);
      await new Promise(r => setTimeout(r, 20));
    }
  }

  /**
   * Stops sshd and every session it holds (the processes it started: found under it), so the
   * machine cannot be reached, not even through a connection the coordinator keeps open.
   */
  stopSshd(): void {
    const p = this.sshd;
    if (!p?.pid) return;
    const tree = (pid: number): number[] => {
      let kids: number[] = [];
      try {
        for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
          kids.push(...fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
        }
      } catch {
        /* gone */
      }
      kids = kids.flatMap(k => [k, ...tree(k)]);
      return kids;
    };
    // nsenter (p) forked sshd: the listener and its sessions are below it
    const pids = [p.pid, ...tree(p.pid)];
    for (const pid of pids.reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    this.sshd = undefined;
  }
}

export interface Cluster {
  readonly dir: string;
  readonly coordinator: Box;
  readonly machines: readonly Machine[];
  /** `machine mI ssh root@192.0.2.I` for each machine. */
  readonly declarations: string;
  /** bin/nsh in the coordinator, to its end. */
  nsh(args: readonly string[], opts?: { timeoutMs?: number; cwd?: string }): Ran;
  /** bin/nsh in the coordinator, in the background. */
  nshStart(args: readonly string[], opts?: { cwd?: string }): { child: ChildProcess; result: Promise<Ran> };
  /** Closes the coordinator's ssh connections (ControlMaster), as a new login would find them. */
  closeConnections(): void;
  stop(): void;
}

/** The coordinator and `n` machines. */
export async function startCluster(n: number): Promise<Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-machines-'));
  fs.chmodSync(dir, 0o755);
  const run = (file: string, args: string[]) => {
    const r = spawnSync(file, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`);
  };
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nsh-test-host', '-f', path.join(dir, 'host_key')]);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nsh-test-user', '-f', path.join(dir, 'id_ed25519')]);
  fs.copyFileSync(path.join(dir, 'id_ed25519.pub'), path.join(dir, 'authorized_keys'));

  const coordinator = await Box.start('coordinator', '192.0.2.254');
  const boxes: Box[] = [];
  try {
    for (let i = 1; i <= n; i++) boxes.push(await Box.start(`m${i}`, `192.0.2.${i}`));
  } catch (e) {
    coordinator.stop();
    for (const b of boxes) b.stop();
    throw e;
  }
  coordinator.must('ip link set lo up && ip link add ul0 type bridge && ip addr add 192.0.2.254/24 dev ul0 && ip link set ul0 up');
  const hostKey = fs.readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const known: string[] = [];
  const machines = boxes.map((b, i) => {
    const name = `m${i + 1}`;
    // made here (pids are this namespace's), then its end moved into the coordinator
    run('ip', ['link', 'add', `ul${i + 1}`, 'netns', String(coordinator.pid), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(b.pid)]);
    coordinator.must(`ip link set ul${i + 1} master ul0 up`);
    b.must(`ip link set lo up && ip addr add ${b.address}/24 dev eth0 && ip link set eth0 up`);
    // a home of its own: a session reads no shell start-up files of this machine's root
    b.must('mount -t tmpfs -o mode=700 nsh-root /root');
    // the PATH of the machine's sessions: this checkout's nsh, and node
    const bin = path.join(dir, `bin-${name}`);
    fs.mkdirSync(bin);
    fs.symlinkSync(nshBin, path.join(bin, 'nsh'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const config = path.join(dir, `sshd_config.${name}`);
    fs.writeFileSync(
      config,
      [
        `ListenAddress ${b.address}`,
        'Port 22',
        // (another port, for `machine … port N`)
        `Port ${OTHER_PORT}`,
        `HostKey ${path.join(dir, 'host_key')}`,
        'PidFile none',
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'MaxSessions 100',
        'MaxStartups 100',
        'LogLevel ERROR',
        `SetEnv PATH=${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
        '',
      ].join('\n'),
    );
    known.push(`${b.address} ${hostKey}`, `[${b.address}]:${OTHER_PORT} ${hostKey}`);
    return new Machine(name, b, config, bin);
  });
  // the coordinator's ~/.ssh, in a /root of its own
  fs.writeFileSync(path.join(dir, 'known_hosts'), `${known.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'ssh_config'), 'Host *\n  StrictHostKeyChecking yes\n  ConnectTimeout 5\n');
  coordinator.must(
    [
      'mount -t tmpfs -o mode=700 nsh-root /root',
      'mkdir -m 700 /root/.ssh',
      `cp ${dir}/id_ed25519 ${dir}/known_hosts /root/.ssh/`,
      `cp ${dir}/ssh_config /root/.ssh/config`,
      'chmod 600 /root/.ssh/*',
    ].join(' && '),
  );
  await Promise.all(machines.map(m => m.startSshd()));

  const env = { ...process.env, NO_COLOR: '1' };
  const cluster: Cluster = {
    dir,
    coordinator,
    machines,
    declarations: machines.map(m => `machine ${m.name} ssh root@${m.address}`).join('\n'),
    nsh(args, opts = {}) {
      const [file, ...rest] = coordinator.enter([nshBin, ...args]);
      const out = path.join(dir, `out.${process.hrtime.bigint()}`);
      const fdOut = fs.openSync(`${out}.stdout`, 'w+');
      const fdErr = fs.openSync(`${out}.stderr`, 'w+');
      try {
        const r = spawnSync(file!, rest, { stdio: ['ignore', fdOut, fdErr], env, cwd: opts.cwd ?? dir, timeout: opts.timeoutMs ?? 120_000, killSignal: 'SIGKILL' });
        return { code: r.status, signal: r.signal, stdout: fs.readFileSync(`${out}.stdout`, 'utf8'), stderr: fs.readFileSync(`${out}.stderr`, 'utf8') };
      } finally {
        fs.closeSync(fdOut);
        fs.closeSync(fdErr);
        fs.rmSync(`${out}.stdout`, { force: true });
        fs.rmSync(`${out}.stderr`, { force: true });
      }
    },
    nshStart(args, opts = {}) {
      const [file, ...rest] = coordinator.enter([nshBin, ...args]);
      const child = spawn(file!, rest, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: opts.cwd ?? dir });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const result = new Promise<Ran>(resolve => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
      return { child, result };
    },
    closeConnections() {
      for (const m of machines) coordinator.sh(`ssh -O exit -o ControlPath=/run/nsh/ssh/%C root@${m.address} 2>/dev/null`);
    },
    stop() {
      for (const m of machines) m.stopSshd();
      for (const m of machines) m.box.stop();
      coordinator.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
