/** Programs, the built-ins, identities, pins, jobs, echo and sleep: their statements as operations. */
import type * as A from '../../syntax/ast.js';
import { usage } from '../../syntax/usage.js';
import * as V from '../../syntax/values.js';
import { show } from '../../syntax/values.js';
import type { Op, SpawnFlag } from '../../backend/ops.js';
import { joinTexts } from '../../core/text.js';
import { fail } from '../roles.js';
import { ncArgs, pingArgs } from './builtin-args.js';
import type { LowerContext } from './context.js';

export type ProgramStatement = A.InStmt | A.PingallStmt | A.ShowStmt | A.InfoStmt | A.SameStmt | A.PinStmt | A.SpawnStmt
  | A.EchoStmt | A.SleepStmt | A.JobsStmt | A.WaitStmt | A.KillStmt;

export function lowerPrograms(s: ProgramStatement, c: LowerContext): Op[] {
  const { roles: r, scope } = c;
  const span = s.span;
  switch (s.kind) {
    case 'in':
      return [inStmt(s, c)];
    case 'pingall':
      noArgs(s.args, 'pingall');
      return [{ kind: 'pingall', span, lab: [...c.lab] }];
    case 'show':
      return [{ kind: 'show', span, ...showQuery(s, c) }];
    case 'info':
      return [{ kind: 'info', span, ref: r.nsRef(s.ref, scope) }];
    case 'same': {
      const a = r.nsRef(s.a, scope);
      const b = r.nsRef(s.b, scope);
      const type = s.type && r.value(s.type, scope, V.checkNsType);
      return [{ kind: 'same', span, a, b, ...(type === undefined ? {} : { type }) }];
    }
    case 'pin': {
      const ref = r.nsRef(s.ref, scope);
      const t = s.target;
      const target = t.kind === 'as'
        ? { kind: 'name' as const, name: r.nsName(t.name, scope, false) }
        : { kind: 'path' as const, path: r.path(t.path, scope) };
      return [{ kind: 'pin', span, ref, target }];
    }
    case 'spawn':
      return [spawn(s, c)];
    case 'echo':
      return [{ kind: 'print', span, text: joinTexts(s.words.map(w => r.text(w, scope)), ' ') }];
    case 'sleep': {
      if (s.args.length !== 1) {
        fail(`sleep takes one time (such as 1.5s or 250ms), got ${s.args.length}`, s.args[1]?.span ?? s.span, `usage: ${usage.sleepStmt}`);
      }
      return [{ kind: 'sleep', span, seconds: r.value(s.args[0]!, scope, t => V.checkTime(t, 'sleep time', { min: 0, max: 86400 })) }];
    }
    case 'jobs':
      noArgs(s.args, 'jobs');
      return [{ kind: 'jobs', span }];
    case 'wait':
      return [{ kind: 'wait', span, targets: s.targets.map(w => r.jobTarget(w, scope)) }];
    case 'kill':
      return [{ kind: 'kill', span, targets: s.targets.map(w => r.jobTarget(w, scope)) }];
  }
}

function noArgs(args: readonly A.Word[], what: string): void {
  const first = args[0];
  if (first) fail(`${what} takes no arguments`, first.span, `usage: ${usage[`${what}Stmt`]}`);
}

function inStmt(s: A.InStmt, { roles: r, scope }: LowerContext): Op {
  const ref = r.nsRef(s.ref, scope);
  if (s.argv.length === 0) {
    fail('in needs a command to run', s.span, `usage: ${usage.inStmt} (a bare "in NS" switches namespace only in the REPL)`);
  }
  const argv = s.argv.map(w => r.text(w, scope));
  const stdin = s.stdin && r.text(s.stdin, scope);
  const io = { ...(stdin === undefined ? {} : { stdin }), background: s.background };
  const builtin = !s.argv[0]!.quoted ? argv[0] : undefined;
  if (builtin === 'ping' || builtin === 'nc') {
    // the built-ins read their words themselves
    const words = s.argv.map(w => r.expand(w, scope));
    const data = s.argv.map(w => r.isData(w, scope));
    if (builtin === 'nc') return { kind: 'nc', span: s.span, ref, ...ncArgs(r, words, s.argv, data), ...io };
    if (s.stdin) fail('the built-in ping reads no standard input', s.stdin.span);
    return { kind: 'ping', span: s.span, ref, ...pingArgs(r, words, s.argv, data), background: s.background };
  }
  return { kind: 'exec', span: s.span, ref, argv, programAt: s.argv[0]!.span, ...io };
}

function showQuery(s: A.ShowStmt, { roles: r, scope, lab: labSet }: LowerContext): { what: 'tree' | 'links' | 'addrs' | 'routes'; json: boolean; lab: string[]; ns?: string } {
  let json = false;
  const rest: A.Word[] = [];
  // (a word that is data, a value of the embedding program, is a namespace name, never an option or a table)
  for (const w of s.args) {
    if (!r.isData(w, scope) && r.expand(w, scope) === '--json') json = true;
    else rest.push(w);
  }
  const lab = [...labSet];
  const hint = `usage: ${usage.showStmt}`;
  if (rest.length === 0) return { what: 'tree', json, lab };
  const first = r.isData(rest[0]!, scope) ? undefined : r.expand(rest[0]!, scope);
  if (first === 'links' || first === 'addrs' || first === 'routes') {
    if (rest.length > 2) fail('show takes at most a table and a namespace', rest[2]!.span, hint);
    const ns = rest[1] && r.nsName(rest[1], scope);
    return { what: first, json, lab, ...(ns ? { ns } : {}) };
  }
  if (rest.length > 1) fail('show takes at most a table and a namespace', rest[1]!.span, hint);
  return { what: 'tree', json, lab, ns: r.nsName(rest[0]!, scope) };
}

function spawn(s: A.SpawnStmt, { roles: r, scope }: LowerContext): Op {
  const given = s.flags.map(f => f.name);
  s.flags.forEach((f, i) => {
    if (given.indexOf(f.name) !== i) fail(`namespace type ${show(f.name)} is listed twice`, f.span);
  });
  const flags: SpawnFlag[] = given.length > 0 ? given : ['uts', 'ipc', 'pid', 'mnt', 'net'];
  const hostname = s.hostname && r.value(s.hostname, scope, V.checkHostname);
  if (hostname !== undefined && !flags.includes('uts')) {
    fail('spawn … hostname needs a new UTS namespace', s.hostname!.span, 'add "uts" to the namespace types');
  }
  const as = s.as && r.nsName(s.as, scope, false);
  if (as !== undefined && !flags.includes('net')) {
    fail('spawn … as NAME names a new network namespace', s.as!.span, 'add "net" to the namespace types');
  }
  const argv = s.argv.map(w => r.text(w, scope));
  const stdin = s.stdin && r.text(s.stdin, scope);
  return {
    kind: 'spawn',
    span: s.span,
    flags,
    argv,
    background: s.background,
    ...(hostname === undefined ? {} : { hostname }),
    ...(as === undefined ? {} : { as }),
    ...(stdin === undefined ? {} : { stdin }),
  };
}
