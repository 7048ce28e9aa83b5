/** nsh's typed syntax tree: readonly discriminated unions, a source span on every node. */
import type { Span } from './source.js';

// ---- words --------------------------------------------------------------------------------------

/** Literal text; `quoted` tells how it was written (a quoted part of a word is never a keyword or glob). */
export interface TextPart {
  readonly kind: 'text';
  readonly value: string;
  readonly quoted: 'none' | 'double' | 'single';
  readonly span: Span;
}
/** `$name`, `${name}` or `$!`. */
export interface VarPart {
  readonly kind: 'var';
  readonly name: string;
  readonly span: Span;
}
/** `${i+1}`: integer arithmetic (nsh's integers: values.ts INT_LIMIT). */
export interface ExprPart {
  readonly kind: 'expr';
  readonly expr: Expr;
  readonly span: Span;
}
/** Where a word has a syntax error (reported by the parser): expanding the word ends its statement quietly. */
export interface BrokenPart {
  readonly kind: 'broken';
  readonly span: Span;
}
export type WordPart = TextPart | VarPart | ExprPart | BrokenPart;

/**
 * A word. The parser's words are WordNode objects (word-node.ts), whose `parts`, `literal`,
 * `quoted` and `span` are getters and whose `kind` is their class's: read the fields by name (or
 * take the word's toJSON); a walk over its own keys (Object.keys) or a spread does not meet them.
 */
export interface Word {
  readonly kind: 'word';
  readonly parts: readonly WordPart[];
  /** The text as written. */
  readonly raw: string;
  /** The value when the word holds no interpolation; undefined otherwise. */
  readonly literal: string | undefined;
  /** True when any part was quoted. */
  readonly quoted: boolean;
  readonly span: Span;
}

export type Expr =
  | { readonly kind: 'num'; readonly value: bigint; readonly span: Span }
  | { readonly kind: 'ref'; readonly name: string; readonly span: Span }
  | { readonly kind: 'neg'; readonly operand: Expr; readonly span: Span }
  | {
      readonly kind: 'bin';
      readonly op: '+' | '-' | '*' | '/' | '%';
      readonly left: Expr;
      readonly right: Expr;
      readonly span: Span;
    };

// ---- namespace references -------------------------------------------------------------------------

/** NSREF: a namespace name (`host` included), `pid N`, or a path to a namespace file. */
export type NsRefNode =
  | { readonly kind: 'name'; readonly name: Word; readonly span: Span }
  | { readonly kind: 'pid'; readonly pid: Word; readonly span: Span }
  | { readonly kind: 'path'; readonly path: Word; readonly span: Span };

// ---- statements ------------------------------------------------------------------------------------

interface Node<K extends string> {
  readonly kind: K;
  readonly span: Span;
}

export interface NsStmt extends Node<'ns'> {
  readonly names: readonly Word[];
  readonly hostname?: Word;
  /** `on MACHINE`: the namespaces live on that machine. */
  readonly machine?: Word;
}
export interface DelStmt extends Node<'del'> {
  readonly targets: readonly Word[];
}
/** An option and its value word: `delay 10ms`; `span` covers both. */
export interface OptionNode {
  readonly value: Word;
  readonly span: Span;
}
/** The shaping options of `shape` and `veth` (each at most once; jitter and reorder only with delay). */
export interface ShapeOptions {
  readonly delay?: OptionNode;
  readonly jitter?: OptionNode;
  readonly loss?: OptionNode;
  readonly duplicate?: OptionNode;
  readonly reorder?: OptionNode;
  readonly corrupt?: OptionNode;
  readonly rate?: OptionNode;
  readonly limit?: OptionNode;
}
export type ShapeOptionName = keyof ShapeOptions;

export interface VethStmt extends Node<'veth'> {
  readonly left: Word;
  readonly leftAddrs: readonly Word[];
  readonly right: Word;
  readonly rightAddrs: readonly Word[];
  readonly mtu?: Word;
  /** Shaping of both ends; absent when no shaping option is given. */
  readonly shape?: ShapeOptions;
}
export interface BridgeStmt extends Node<'bridge'> {
  readonly bridge: Word;
  readonly ports: readonly Word[];
  /** `bridge NS.BR vlan`: VLAN filtering on. */
  readonly vlanFiltering: boolean;
}
/** `vlan ID untagged` (an access port) or `vlan ID[,ID…]` (a trunk port); `span` covers the words from `vlan`. */
export type PortVlans =
  | { readonly kind: 'access'; readonly id: Word; readonly span: Span }
  | { readonly kind: 'trunk'; readonly ids: Word; readonly span: Span };
export interface AttachStmt extends Node<'attach'> {
  readonly ports: readonly Word[];
  readonly bridge: Word;
  readonly vlans?: PortVlans;
}
export interface AddrStmt extends Node<'addr'> {
  readonly endpoint: Word;
  readonly del: boolean;
  readonly addrs: readonly Word[];
}
export interface LinkStateStmt extends Node<'link-state'> {
  readonly up: boolean;
  readonly endpoints: readonly Word[];
}
export interface MoveStmt extends Node<'move'> {
  readonly endpoint: Word;
  readonly to: NsRefNode;
  readonly newName?: Word;
}
export interface RouteStmt extends Node<'route'> {
  readonly ns: Word;
  readonly del: boolean;
  readonly dest: Word;
  readonly via?: Word;
  readonly dev?: Word;
}
export interface ForwardStmt extends Node<'forward'> {
  readonly namespaces: readonly Word[];
}
export interface SysctlStmt extends Node<'sysctl'> {
  readonly ns: Word;
  readonly settings: readonly Word[];
}
export interface InStmt extends Node<'in'> {
  readonly ref: NsRefNode;
  readonly argv: readonly Word[];
  readonly stdin?: Word;
  readonly background: boolean;
}
export interface PingallStmt extends Node<'pingall'> {
  readonly args: readonly Word[];
}
export interface ShowStmt extends Node<'show'> {
  readonly args: readonly Word[];
}
export interface InfoStmt extends Node<'info'> {
  readonly ref: NsRefNode;
}
export interface SameStmt extends Node<'same'> {
  readonly a: NsRefNode;
  readonly b: NsRefNode;
  readonly type?: Word;
}
export interface PinStmt extends Node<'pin'> {
  readonly ref: NsRefNode;
  readonly target: { readonly kind: 'as'; readonly name: Word } | { readonly kind: 'at'; readonly path: Word };
}
export type SpawnFlag = 'uts' | 'ipc' | 'pid' | 'mnt' | 'net' | 'user';
export interface SpawnStmt extends Node<'spawn'> {
  readonly flags: readonly { readonly name: SpawnFlag; readonly span: Span }[];
  readonly hostname?: Word;
  readonly as?: Word;
  readonly argv: readonly Word[];
  readonly stdin?: Word;
  readonly background: boolean;
}
export type ForItems =
  | { readonly kind: 'range'; readonly from: Word; readonly to: Word; readonly span: Span }
  | { readonly kind: 'list'; readonly words: readonly Word[]; readonly span: Span };
export interface ForStmt extends Node<'for'> {
  readonly variable: Word;
  readonly items: ForItems;
  readonly body: readonly Statement[];
}
export interface DefStmt extends Node<'def'> {
  readonly name: Word;
  readonly params: readonly Word[];
  readonly body: readonly Statement[];
}
export interface CallStmt extends Node<'call'> {
  readonly name: Word;
  readonly args: readonly Word[];
}
export interface LetStmt extends Node<'let'> {
  readonly name: Word;
  readonly value: Word;
}
export interface IncludeStmt extends Node<'include'> {
  readonly path: Word;
  /** Filled in by the loader: the included file's statements. */
  readonly body?: readonly Statement[];
}
export interface EchoStmt extends Node<'echo'> {
  readonly words: readonly Word[];
}
export interface SleepStmt extends Node<'sleep'> {
  readonly args: readonly Word[];
}
export interface JobsStmt extends Node<'jobs'> {
  readonly args: readonly Word[];
}
export interface WaitStmt extends Node<'wait'> {
  readonly targets: readonly Word[];
}
export interface KillStmt extends Node<'kill'> {
  readonly targets: readonly Word[];
}
export interface NotStmt extends Node<'not'> {
  readonly statement: Statement;
}

// ---- v2 ----------------------------------------------------------------------------------------------

export type Shaping =
  | { readonly kind: 'off'; readonly span: Span }
  | { readonly kind: 'set'; readonly options: ShapeOptions };
export interface ShapeStmt extends Node<'shape'> {
  readonly endpoints: readonly Word[];
  readonly shaping: Shaping;
}
export interface CaptureStmt extends Node<'capture'> {
  readonly endpoint: Word;
  /** `to "FILE"`: a pcap file. */
  readonly file?: Word;
  readonly count?: Word;
  /** `for TIME`. */
  readonly duration?: Word;
  readonly background: boolean;
}
export type AwaitTarget =
  | { readonly kind: 'listen'; readonly protocol: 'tcp' | 'udp'; readonly port: Word; readonly span: Span }
  | { readonly kind: 'reach'; readonly address: Word; readonly span: Span };
export interface AwaitStmt extends Node<'await'> {
  readonly ref: NsRefNode;
  readonly target: AwaitTarget;
  readonly timeout?: Word;
}
export interface VlanStmt extends Node<'vlan'> {
  readonly endpoint: Word;
  readonly id: Word;
  /** `as NAME`; the default is IF.ID. */
  readonly name?: Word;
  readonly addrs: readonly Word[];
}
export interface MacvlanStmt extends Node<'macvlan'> {
  /** The interface it is a macvlan of (may be `host@MACHINE.IF`). */
  readonly parent: Word;
  /** NS.NAME: where it is placed, and its name. */
  readonly endpoint: Word;
  readonly mode?: Word;
  readonly addrs: readonly Word[];
}
export interface NatStmt extends Node<'nat'> {
  readonly ns: Word;
}
export interface PublishStmt extends Node<'publish'> {
  readonly ns: Word;
  /** tcp unless written. */
  readonly protocol: 'tcp' | 'udp';
  readonly port: Word;
  /** ADDR[:PORT], `[IPv6]:PORT`. */
  readonly target: Word;
}
export interface VxlanStmt extends Node<'vxlan'> {
  readonly endpoint: Word;
  readonly vni: Word;
  /** The other end's address. */
  readonly remote: Word;
  readonly local?: Word;
  readonly port?: Word;
  readonly mtu?: Word;
  readonly addrs: readonly Word[];
}
export interface MachineStmt extends Node<'machine'> {
  readonly name: Word;
  /** `[USER@]HOST` after `ssh`. */
  readonly target: Word;
  readonly port?: Word;
}

export type Statement =
  | NsStmt | DelStmt | VethStmt | BridgeStmt | AttachStmt | AddrStmt | LinkStateStmt | MoveStmt
  | RouteStmt | ForwardStmt | SysctlStmt | InStmt | PingallStmt | ShowStmt | InfoStmt | SameStmt
  | PinStmt | SpawnStmt | ForStmt | DefStmt | CallStmt | LetStmt | IncludeStmt | EchoStmt
  | SleepStmt | JobsStmt | WaitStmt | KillStmt | NotStmt
  | ShapeStmt | CaptureStmt | AwaitStmt | VlanStmt | MacvlanStmt | NatStmt | PublishStmt | VxlanStmt | MachineStmt;

export interface Program {
  readonly kind: 'program';
  readonly statements: readonly Statement[];
  readonly span: Span;
}
