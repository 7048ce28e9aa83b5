/**
 * The REPL's context: after `in NS` alone, a line whose first word is not nsh's (a statement
 * keyword, a def name, `!`, a comment) runs as `in NS LINE`. `in host` ends the context, and so
 * does the namespace going away.
 */
import type { Env } from '../core/io.js';
import { expandWord } from '../runtime/expand.js';
import { DiagnosticError } from '../runtime/errors.js';
import type { Scope } from '../runtime/environment.js';
import { loadInline } from './pipeline-load.js';
import type { InStmt, Statement } from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import { keywordNames, statementKeywordNames } from '../syntax/keywords.js';
import { checkNsName, isProblem } from '../syntax/values.js';

export interface ContextWorld {
  readonly scope: Scope;
  readonly env: Env;
  /** Whether a namespace is the lab's or exists on the system. */
  exists(name: string): boolean;
  /** The problems statements would meet (the session's dry run). */
  check(statements: readonly Statement[]): Promise<Diagnostic[]>;
}

interface Current {
  /** As the prompt shows it. */
  readonly label: string;
  /** The NSREF text put in front of a bare command. */
  readonly ref: string;
  /** The namespace's name, when it is one (not `pid N` or a path). */
  readonly name?: string;
}

export class Context {
  private current: Current | undefined;

  constructor(private readonly world: ContextWorld) {}

  /** The prompt's label, or undefined in the host namespace. */
  get label(): string | undefined {
    return this.current?.label;
  }

  /** The context's namespace name (not for `pid N` or a path). */
  get name(): string | undefined {
    return this.current?.name;
  }

  /** The context rule: a line that does not start with nsh's word runs as `in NS LINE`. */
  apply(line: string): string {
    if (!this.current) return line;
    const first = /^\s*([^\s;{}&<>|]+)/.exec(line)?.[1];
    if (first === undefined || first.startsWith('#') || first.startsWith('!') || first === '}') return line;
    if (statementKeywordNames.includes(first) || this.world.scope.lookup(first)) return line;
    return `in ${this.current.ref} ${line.trimStart()}`;
  }

  /** `in NSREF` alone: switches, or gives the problem. */
  switchTo(s: InStmt): Diagnostic | undefined {
    const r = s.ref;
    if (r.kind !== 'name') {
      const text = r.span.source.text.slice(r.span.start, r.span.end);
      this.current = { label: text, ref: text };
      return undefined;
    }
    let name: string;
    try {
      name = expandWord(r.name, { scope: this.world.scope, env: this.world.env });
    } catch (e) {
      if (e instanceof DiagnosticError) return e.diagnostic;
      throw e;
    }
    const bad = checkNsName(name, { allowHost: true });
    if (isProblem(bad)) return error(bad.problem, r.name.span, bad.hint);
    if (name === 'host') {
      this.current = undefined;
      return undefined;
    }
    if (!this.world.exists(name)) return error(`namespace ${JSON.stringify(name)} does not exist`, r.name.span, `create it first with \`ns ${name}\``);
    this.current = { label: name, ref: name, name };
    return undefined;
  }

  /**
   * The hint for a one-line statement that failed in this context for want of its namespace:
   * the line with the context's namespace written in, when that line passes the check.
   */
  async hint(lines: readonly string[]): Promise<string | undefined> {
    const ns = this.current?.name;
    const fixed = ns !== undefined && lines.length === 1 ? withNamespace(lines[0]!, ns) : undefined;
    if (fixed === undefined) return undefined;
    const l = loadInline('repl', `${fixed}\n`);
    if (l.diagnostics.length > 0 || (await this.world.check(l.program.statements)).length > 0) return undefined;
    return `statements name their namespace even in a context: \`${fixed}\``;
  }

  /** A context namespace that went away (`del a`) ends the context: the sentence that says so. */
  gone(): string | undefined {
    const name = this.current?.name;
    if (name === undefined || this.world.exists(name)) return undefined;
    this.current = undefined;
    return `namespace "${name}" is gone; back in the host namespace`;
  }
}

/** Statements whose first word is a namespace. */
const NAMESPACE_FIRST: ReadonlySet<string> = new Set(['route', 'forward', 'sysctl', 'info', 'nat', 'publish', 'await']);
/** Statements whose words are endpoints: the first, every one, or each end of a pair. */
const ENDPOINTS: Readonly<Record<string, 'first' | 'all' | 'ends'>> = {
  addr: 'first', move: 'first', bridge: 'first', vlan: 'first', capture: 'first', macvlan: 'first', vxlan: 'first',
  up: 'all', down: 'all', del: 'all', shape: 'all', attach: 'all', veth: 'ends',
};

/**
 * A statement typed in context NS as if the context named its namespace (`route del default`,
 * `up lo`): the line with NS written in (`route NS del default`, `up NS.lo`), or undefined when
 * there is nothing to write in. Statements always name their namespace; a context changes only
 * where bare commands run.
 */
export function withNamespace(line: string, ns: string): string | undefined {
  const [keyword, ...args] = line.trim().split(/\s+/);
  if (keyword === undefined) return undefined;
  if (NAMESPACE_FIRST.has(keyword)) return [keyword, ns, ...args].join(' ');
  const which = ENDPOINTS[keyword];
  if (!which) return undefined;
  let changed = false;
  const words = args.map((w, i) => {
    const endpoint = which === 'all' || i === 0 || (which === 'ends' && args[i - 1] === '<->');
    if (!endpoint || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(w) || keywordNames.has(w)) return w;
    changed = true;
    return `${ns}.${w}`;
  });
  return changed ? [keyword, ...words].join(' ') : undefined;
}

/** The first diagnostic with the hint, when there is one. */
export async function withHint(ds: readonly Diagnostic[], hint: () => Promise<string | undefined>): Promise<readonly Diagnostic[]> {
  const [first, ...rest] = ds;
  const h = first ? await hint() : undefined;
  return first && h ? [{ ...first, hint: h }, ...rest] : ds;
}
