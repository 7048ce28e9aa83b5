/** The library's options and results (the results are the operations' own, from core/results.ts). */
import type { NcReport, ProgramResult } from '../core/results.js';

export type { NcReport, PingReply, PingReport, ProgramResult, ShowLink, ShowNamespace, ShowRoute } from '../core/results.js';

/** What a template may interpolate: one word's text (a number or bigint as its decimal text). */
export type Value = string | number | bigint;

/** Somewhere to write: a stream, or anything with a write method. */
export interface Output {
  write(chunk: string | Uint8Array): unknown;
}

export interface LabOptions {
  /** The lab's name, as `nsh ls` and `nsh down` know it (default `lab-N`, the first N free). */
  readonly name?: string;
  /** Keep what a failed first build made, to look at (default: it is removed). */
  readonly keepOnError?: boolean;
  /**
   * Where the lab's statements write (`echo`, `show`, `in … ping`, programs run by `in`):
   * default this process's standard output and error; null discards.
   */
  readonly stdout?: Output | null;
  readonly stderr?: Output | null;
}

export interface AttachOptions {
  /** Dispose takes the lab down, as for a lab made here (default: dispose only lets go of it). */
  readonly own?: boolean;
  readonly stdout?: Output | null;
  readonly stderr?: Output | null;
}

export interface ExecOptions {
  /** The program's standard input, exactly (no newline added); without it, none. */
  readonly input?: string;
}

/** A program running in the background. */
export interface Job {
  readonly pid: number;
  /** Settles when it ends, with its exit and output. */
  readonly exited: Promise<ProgramResult>;
  /** Sends SIGTERM to the program (and what it started); `exited` tells when it has ended. */
  kill(): Promise<void>;
}

export interface PingOptions {
  /** Probes (default 3). */
  readonly count?: number;
  /** Seconds between probes (default 0.2). */
  readonly interval?: number;
  /** Seconds to wait for the last reply (default 1). */
  readonly timeout?: number;
}

export interface ListenOptions {
  readonly udp?: boolean;
}

export interface ConnectOptions {
  /** What to send, exactly; the connection is then half-closed and the answer read until the peer closes. */
  readonly input?: string;
  readonly udp?: boolean;
  /** Seconds to wait for the connection (nc's -w). */
  readonly wait?: number;
}

/** The built-in nc listening in the background: it takes one connection (or a UDP peer's datagrams). */
export interface Listener {
  /** Settles when the peer has closed (UDP: after a second of quiet), with what arrived. */
  readonly received: Promise<NcReport>;
  /** Stops listening; `received` then settles with what arrived so far. */
  kill(): Promise<void>;
}
