/**
 * Parser error messages in nsh's words: what the statement needs at the point it stopped,
 * e.g. `veth needs the second end (NS.IF) after "<->", found end of line`.
 */
import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import type { OptionSpec, ValueKind } from './statement-spec.js';
import { statementSpec } from './statements.js';
import * as T from './tokens.js';

/** How a token reads in a message. */
export function describeToken(tok: IToken): string {
  if (tok.tokenType === EOF) return 'end of input';
  if (tok.tokenType === T.Newline) return 'end of line';
  const first = tok.image.split(/\r?\n/)[0]!;
  const shown = first.length > 30 ? `${first.slice(0, 29)}…` : first;
  if (/^["']/.test(shown) && first === tok.image) return shown;
  return `"${shown}${first === tok.image || shown.endsWith('…') ? '' : '…'}"`;
}

/** The message for a block that reaches the end of the input; the caret is moved to its "{". */
export const UNCLOSED = '"{" is never closed';

const NSREF = 'a namespace (NAME, host, pid N or "PATH")';
const EP = 'an endpoint (NS.IF)';

/** What each statement needs after a given word; `*` is the default. */
const needs: Record<string, Record<string, string>> = {
  nsStmt: { '*': 'at least one namespace name', hostname: 'a hostname after "hostname"' },
  delStmt: { '*': 'a namespace or NS.IF to delete' },
  vethStmt: { '*': 'the first end (NS.IF)', '<->': 'the second end (NS.IF) after "<->"', mtu: 'a number after "mtu"' },
  // keyed by the token that was expected rather than the one before
  '<->': { '*': '"<->" between the two ends' },
  '->': { '*': '"->" before the target' },
  in: { '*': '"in" after the variable' },
  bridgeStmt: { '*': 'the bridge (NS.BR)' },
  attachStmt: { '*': `${EP} and "->" then the bridge`, '->': 'the bridge (NS.BR) after "->"', vlan: 'a VLAN ID, or a list (10,20), after "vlan"' },
  addrStmt: { '*': 'an address', addr: EP },
  upStmt: { '*': EP },
  downStmt: { '*': EP },
  moveStmt: { '*': 'the link (NS.IF) then "->"', '->': `${NSREF} after "->"`, as: 'the new name after "as"' },
  routeStmt: { '*': 'a destination (PREFIX or default)', route: 'a namespace', via: 'a gateway address after "via"', dev: 'an interface name after "dev"' },
  forwardStmt: { '*': 'a namespace' },
  sysctlStmt: { '*': 'KEY=VALUE', sysctl: 'a namespace' },
  inStmt: { '*': NSREF, '<<<': 'the text for standard input after "<<<"', pid: 'a process id after "pid"' },
  infoStmt: { '*': NSREF, pid: 'a process id after "pid"' },
  sameStmt: { '*': `two namespaces (NAME, host, pid N or "PATH")`, pid: 'a process id after "pid"' },
  pinStmt: { '*': '"as NAME" or "at PATH"', pin: NSREF, pid: 'a process id after "pid"', as: 'a name after "as"', at: 'a path after "at"' },
  spawnStmt: { '*': 'a command to run', hostname: 'a hostname after "hostname"', as: 'a name after "as"', '<<<': 'the text for standard input after "<<<"' },
  forStmt: { '*': 'a block { … } after the list', for: 'a variable name', in: 'a list or a range (A..B) after "in"' },
  defStmt: { '*': 'a block { … } after the parameters', def: 'a name' },
  letStmt: { '*': 'NAME = VALUE' },
  includeStmt: { '*': 'a file name' },
  killStmt: { '*': 'a job (%N) or a process id' },
  shapeStmt: { '*': `${EP}, then shaping options or off` },
  captureStmt: { '*': EP },
  awaitStmt: { '*': 'tcp PORT, udp PORT or reach ADDR', await: NSREF, tcp: 'a port after "tcp"', udp: 'a port after "udp"', reach: 'an address after "reach"', pid: 'a process id after "pid"' },
  vlanStmt: { '*': 'a VLAN ID (1-4094)', vlan: EP },
  macvlanStmt: { '*': 'the interface it is a macvlan of (NS.IF) and "->"', '->': 'the namespace and name (NS.NAME) after "->"' },
  natStmt: { '*': 'a namespace' },
  publishStmt: { '*': 'a port', publish: 'a namespace', '->': 'the target (ADDR or ADDR:PORT) after "->"' },
  vxlanStmt: { '*': 'a VNI (1-16777215), then remote ADDR', vxlan: EP, remote: 'an address after "remote"' },
  machineStmt: { '*': 'ssh [USER@]HOST', machine: 'a name for the machine', ssh: '[USER@]HOST after "ssh"' },
};

/** What each kind of option value reads as in a message. */
const valueNeeds: Record<ValueKind, string> = {
  TIME: 'a time (250us, 10ms, 1.5s)',
  PCT: 'a percentage (1%)',
  RATE: 'a rate (10mbit)',
  N: 'a number',
  PORT: 'a port',
  NAME: 'a name',
  HOST: 'a hostname',
  ADDR: 'an address',
  MACHINE: 'a machine',
  MODE: 'a mode',
  FILE: 'a file name',
  TEXT: 'a word',
};

/** What follows an option word of the statement, if `word` is one that takes a value. */
function optionNeed(stmt: string, word: string): string | undefined {
  const spec = statementSpec(stmt);
  const o: OptionSpec | undefined = [...(spec?.leadingOptions ?? []), ...(spec?.options ?? [])].find(x => x.word === word);
  if (!o?.value) return undefined;
  return `${o.choices ? `one of ${o.choices.join(', ')}` : valueNeeds[o.value]} after "${word}"`;
}

function need(ruleStack: readonly string[], previous: IToken | undefined, expected?: TokenType): { stmt: string; what: string } | undefined {
  const rule = [...ruleStack].reverse().find(r => r.endsWith('Stmt') && needs[r]);
  if (!rule) return undefined;
  const byExpected = expected && needs[String(expected.LABEL ?? '').replace(/"/g, '')];
  const table = byExpected ?? needs[rule]!;
  const prev = previous && previous.tokenType !== EOF ? previous.image : '';
  const stmt = rule.slice(0, -4);
  return { stmt, what: table[prev] ?? (byExpected ? undefined : optionNeed(stmt, prev)) ?? table['*']! };
}

/** Chevrotain tells only the innermost rule; the parser keeps the whole stack for us. */
export interface RuleStackSource {
  currentRuleStack(): readonly string[];
}

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

export function messageProvider(parser: RuleStackSource): IParserErrorMessageProvider {
  const sentence = (actual: IToken, previous: IToken | undefined, fallback: string, expected?: TokenType): string => {
    const n = need(parser.currentRuleStack(), previous, expected);
    const found = describeToken(actual);
    if (actual.tokenType === T.AndAnd) return 'nsh has no "&&": put the statements on separate lines (a failing one stops the script)';
    if (actual.tokenType === T.Amp) return '"&" can only end an in or spawn statement';
    if (actual.tokenType === T.HereString) return '"<<<" can only follow the command of an in or spawn statement';
    return n ? `${n.stmt} needs ${n.what}, found ${found}` : `${fallback}, found ${found}`;
  };
  return {
    buildMismatchTokenMessage({ expected, actual, previous }) {
      if (expected === T.RBrace && actual.tokenType === EOF) return UNCLOSED;
      if (expected === T.BiArrow && actual.tokenType === T.Arrow) return 'expected "<->" between the two ends of veth, found "->"';
      return sentence(actual, previous, `expected ${label(expected)}`, expected);
    },
    buildNotAllInputParsedMessage({ firstRedundant }) {
      if (firstRedundant.tokenType === T.RBrace) return '"}" has no matching "{"';
      if (firstRedundant.tokenType === T.LBrace) return 'a block { … } belongs after for … or def …';
      return `unexpected ${describeToken(firstRedundant)}`;
    },
    buildNoViableAltMessage({ actual, previous, ruleName }) {
      const tok = actual[0]!;
      if (ruleName === 'statements') {
        if (tok.tokenType === T.Amp || tok.tokenType === T.HereString || tok.tokenType === T.AndAnd) return sentence(tok, previous, '');
        if (previous?.tokenType === T.Amp) return '"&" ends a statement but does not separate it from the next: start a new line or add ";"';
        return `unexpected ${describeToken(tok)} after the statement; statements end at a new line or ";"`;
      }
      if (ruleName === 'statement') {
        if (tok.tokenType === T.LBrace) return 'a block { … } belongs after for … or def …';
        if (tok.tokenType === T.Bang) return '"!" may be written only once';
        if (previous?.tokenType === T.Bang) return '"!" must be followed by a statement';
        if (tok.tokenType === T.RBrace) return '"}" has no matching "{"';
        return `${describeToken(tok)} cannot start a statement`;
      }
      return sentence(tok, previous, 'unexpected input');
    },
    buildEarlyExitMessage({ actual, previous }) {
      return sentence(actual[0]!, previous, 'expected more');
    },
  };
}
