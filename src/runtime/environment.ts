/** Variables and user-defined statements, in nested scopes (a call gets its own scope). */
import type { Text } from '../core/text.js';
import type { DefStmt } from '../syntax/ast.js';

/** A variable's value that is not known: a def parameter while its body is checked without a call. */
export interface Unknown {
  readonly kind: 'unknown';
}
/** The value of a def parameter while its body is checked without a call: expansion stops there. */
export const UNKNOWN: Unknown = Object.freeze({ kind: 'unknown' });
/** What a variable holds: text (`$!`, explained, holds a pid known only when the commands run), or UNKNOWN. */
export type VarValue = Text | Unknown;

export function isUnknown(v: VarValue): v is Unknown {
  return v === UNKNOWN;
}

export class Scope {
  private readonly vars = new Map<string, VarValue>();
  private readonly defs = new Map<string, { def: DefStmt; scope: Scope }>();
  /** Variables that hold a value from the program embedding nsh (see bind()). */
  private readonly bound = new Set<string>();

  constructor(readonly parent?: Scope) {}

  get(name: string): VarValue | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  set(name: string, value: VarValue): void {
    this.vars.set(name, value);
    this.bound.delete(name);
  }

  /**
   * A variable that holds a value from the program embedding nsh (a `${…}` of the library's
   * templates): a word that uses it is data, never an option of a statement.
   */
  bind(name: string, value: string): void {
    this.vars.set(name, value);
    this.bound.add(name);
  }

  /** Whether `name`, where it is visible from here, is a variable made by bind(). */
  isBound(name: string): boolean {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.vars.has(name)) return s.bound.has(name);
    }
    return false;
  }

  /** The variable names visible here (for completion). */
  names(): string[] {
    const out = new Set<string>();
    for (let s: Scope | undefined = this; s; s = s.parent) for (const k of s.vars.keys()) out.add(k);
    return [...out];
  }

  define(def: DefStmt, name: string): void {
    this.defs.set(name, { def, scope: this });
  }

  lookup(name: string): { def: DefStmt; scope: Scope } | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const d = s.defs.get(name);
      if (d) return d;
    }
    return undefined;
  }

  defNames(): string[] {
    const out = new Set<string>();
    for (let s: Scope | undefined = this; s; s = s.parent) for (const k of s.defs.keys()) out.add(k);
    return [...out];
  }
}
