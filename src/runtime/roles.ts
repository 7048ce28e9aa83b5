/**
 * Words in their roles: a word is expanded, then checked as what its place in a statement says it
 * is (a namespace name, an endpoint, an address …). A problem becomes a diagnostic under the
 * word, or under the part of it at fault.
 */
import type * as A from '../syntax/ast.js';
import { error } from '../syntax/diagnostics.js';
import { subSpan, type Span } from '../syntax/source.js';
import * as V from '../syntax/values.js';
import { show } from '../syntax/values.js';
import type { Cidr, Endpoint, JobTarget, NsRef, Pid } from '../backend/backend.js';
import { shellPidOf, type Text } from '../core/text.js';
import type { Scope } from './environment.js';
import { DiagnosticError } from './errors.js';
import { expandText, expandWord } from './expand.js';

export function fail(message: string, span: Span, hint?: string, code?: string): never {
  throw new DiagnosticError(error(message, span, hint, code));
}

export class Roles {
  constructor(
    private readonly env: Readonly<Record<string, string | undefined>>,
    /** The lab's namespaces, for `*.IF`. */
    private readonly lab: ReadonlySet<string>,
  ) {}

  /** How many words read so far were not literal (they hold a variable or arithmetic). */
  varying = 0;

  /** The characters of `w`, where nsh reads them. */
  expand(w: A.Word, scope: Scope): string {
    if (w.literal === undefined) this.varying++;
    return expandWord(w, { scope, env: this.env });
  }

  /** The text of `w` as a program or a variable gets it: it may hold a pid known only when the commands run. */
  text(w: A.Word, scope: Scope): Text {
    if (w.literal === undefined) this.varying++;
    return expandText(w, { scope, env: this.env });
  }

  /** Whether `w` uses a value bound by the embedding program: it is then data, never an option. */
  isData(w: A.Word, scope: Scope): boolean {
    return w.parts.some(p => p.kind === 'var' && scope.isBound(p.name));
  }

  /** Expands `w` and checks it. */
  value<T>(w: A.Word, scope: Scope, check: (text: string) => T | V.Problem): T {
    return this.checked(w, this.expand(w, scope), check);
  }

  /** Checks the expanded text of `w`. */
  checked<T>(w: A.Word, text: string, check: (text: string) => T | V.Problem): T {
    const r = check(text);
    if (!V.isProblem(r)) return r;
    let span = w.span;
    if (r.from !== undefined && w.literal !== undefined && !w.quoted && w.raw === text) {
      span = subSpan(w.span, r.from, r.to ?? r.from + 1);
    }
    throw new DiagnosticError(error(r.problem, span, r.hint));
  }

  nsName(w: A.Word, scope: Scope, allowHost = true): string {
    return this.value(w, scope, t => V.checkNsName(t, { allowHost }));
  }

  /** `NS.IF`, or `host@MACHINE.IF` (another machine's root namespace). */
  endpoint(w: A.Word, scope: Scope): Endpoint {
    const ep = this.value(w, scope, t => V.checkEndpoint(t, { allowStar: false, allowMachine: true }));
    return { ns: ep.ns, ifname: ep.ifname, span: w.span, ...(ep.machine === undefined ? {} : { machine: ep.machine }) };
  }

  /** An endpoint where `*.IF` stands for that interface in every namespace of the lab. */
  endpoints(w: A.Word, scope: Scope): Endpoint[] {
    const ep = this.value(w, scope, t => V.checkEndpoint(t, { allowStar: true, allowMachine: true }));
    if (ep.ns !== '*') return [{ ns: ep.ns, ifname: ep.ifname, span: w.span, ...(ep.machine === undefined ? {} : { machine: ep.machine }) }];
    if (this.lab.size === 0) fail(`${show(w.raw)} matches nothing: the lab has no namespaces yet`, w.span);
    return [...this.lab].map(ns => ({ ns, ifname: ep.ifname, span: w.span }));
  }

  cidr(w: A.Word, scope: Scope): Cidr {
    return this.value(w, scope, t => V.checkCidr(t));
  }

  pid(w: A.Word, scope: Scope): Pid {
    const t = this.text(w, scope);
    if (typeof t === 'string') return this.checked(w, t, V.checkPid);
    return shellPidOf(t) ?? fail(`${show(w.raw)} is not a process id`, w.span);
  }

  nsRef(r: A.NsRefNode, scope: Scope): NsRef {
    switch (r.kind) {
      case 'name':
        return { kind: 'name', name: this.nsName(r.name, scope) };
      case 'pid':
        return { kind: 'pid', pid: this.pid(r.pid, scope) };
      case 'path':
        return { kind: 'path', path: this.value(r.path, scope, nonEmptyPath) };
    }
  }

  path(w: A.Word, scope: Scope): string {
    return this.value(w, scope, nonEmptyPath);
  }

  jobTarget(w: A.Word, scope: Scope): JobTarget {
    const text = this.text(w, scope);
    if (typeof text !== 'string') {
      const pid = shellPidOf(text);
      return pid ? { kind: 'pid', pid } : fail(`${show(w.raw)} is not a job (%N) or a process id`, w.span);
    }
    return this.checked(w, text, (t): JobTarget | V.Problem => {
      if (/^%\d+$/.test(t)) return { kind: 'job', id: Number(t.slice(1)) };
      if (/^\d+$/.test(t)) {
        const n = V.checkPid(t);
        return V.isProblem(n) ? n : { kind: 'pid', pid: n };
      }
      return { problem: `${show(t)} is not a job (%N) or a process id` };
    });
  }
}

function nonEmptyPath(p: string): string | V.Problem {
  return p === '' ? { problem: 'the path is empty' } : p;
}
