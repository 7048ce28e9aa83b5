/**
 * The explain backend: prints the iproute2 / shell commands that build the same lab, one block per
 * statement, each headed by the nsh source line. It changes nothing and needs no privileges.
 * Run by bash as root, the output builds the lab.
 */
import type { Backend, StatementInfo } from '../backend.js';
import { dispatch, type Handlers, type OpKind, type OpOf, type ResultOf } from '../ops.js';
import type { LabModel } from '../dry-run/model.js';
import { ExplainContext } from './context.js';
import { identityHandlers } from './identities.js';
import { linkHandlers } from './links.js';
import { machineHandlers } from './machines.js';
import { natHandlers } from './nat.js';
import { observeHandlers } from './observe.js';
import { programHandlers } from './programs.js';
import { shapeHandlers } from './shape.js';
import { commentText } from './shell.js';

export interface ExplainOptions {
  /** Where the text goes. */
  readonly write: (text: string) => void;
}

export class ExplainBackend implements Backend {
  private readonly x: ExplainContext;
  private readonly handlers: Handlers;

  constructor(opts: ExplainOptions) {
    this.x = new ExplainContext(opts.write);
    this.handlers = {
      ...linkHandlers(this.x), ...natHandlers(this.x), ...programHandlers(this.x), ...identityHandlers(this.x), ...observeHandlers(this.x),
      ...machineHandlers(this.x),
      ...shapeHandlers(this.x),
    };
  }

  /** The lab as the commands so far build it. */
  get model(): LabModel {
    return this.x.model;
  }

  header(source: string): void {
    this.x.out(`#!/usr/bin/env bash\n# The iproute2 equivalent of ${commentText(source)}, as printed by nsh --explain.\nset -e`);
  }

  begin(stmt: StatementInfo): void {
    const text = `\n# ${commentText(`${stmt.span.source.name}:${stmt.span.line}: ${stmt.text.replace(/\n/g, ' ')}`)}`;
    if (this.x.capture) this.x.capture.push(text);
    else this.x.out(text);
  }

  async apply<K extends OpKind>(op: OpOf<K>): Promise<ResultOf<K>> {
    const r = await dispatch(this.handlers, op);
    try {
      this.x.model.apply(op);
    } catch {
      // the script was checked: what the model finds wrong here is a statement expected to fail (`!`)
    }
    return r;
  }

  async expectFailure(body: () => Promise<void>): Promise<boolean> {
    const x = this.x;
    const outer = x.capture;
    const inner: string[] = [];
    x.capture = inner;
    try {
      await body();
    } finally {
      x.capture = outer;
    }
    const comments = inner.filter(l => l.startsWith('\n#'));
    const cmds = inner.filter(l => !l.startsWith('\n#'));
    x.emit(
      ...comments,
      `if ${cmds.join(' &&\n   ')}; then`,
      `  echo 'nsh: this statement was expected to fail' >&2; exit 1`,
      'fi',
    );
    return true;
  }
}
