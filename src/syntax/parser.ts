/**
 * The nsh grammar as a Chevrotain parser producing a CST. Rule names match grammar/nsh.ebnf.
 * Keywords are Words by category, so a keyword is accepted wherever a plain word is.
 */
import { CstParser, EMPTY_ALT, EOF, tokenMatcher, type ILookaheadStrategy, type TokenType } from 'chevrotain';
import { TableLookahead, type LookaheadTable } from './lookahead.js';
import { messageProvider } from './parse-messages.js';
import { SHAPE_OPTIONS } from './statement-spec.js';
import * as T from './tokens.js';

/** The keywords of the shaping options (shape, veth). */
const shapeWords: readonly TokenType[] = SHAPE_OPTIONS.map(o => T.keyword(o.word));

declare const NSH_BUNDLED: boolean | undefined;
/** The lookahead paths of this grammar, computed by the bundle build (scripts/build.mjs). */
declare const NSH_LOOKAHEAD: LookaheadTable | undefined;

export class NshParser extends CstParser {
  /**
   * `recovering`: after an error, resynchronise and go on, to report several errors in one pass.
   * `lookahead`: by default from the bundle's table of lookahead paths (see lookahead.ts), if any.
   */
  constructor(
    recovering: boolean,
    lookahead: ILookaheadStrategy = new TableLookahead(T.allTokens, typeof NSH_LOOKAHEAD === 'undefined' ? undefined : NSH_LOOKAHEAD, 1),
  ) {
    super(T.allTokens as TokenType[], {
      recoveryEnabled: recovering,
      maxLookahead: 1,
      lookaheadStrategy: lookahead,
      errorMessageProvider: messageProvider({ currentRuleStack: () => this.ruleStackNames() }),
      // the grammar is validated in the tests' build; the bundle skips it (tens of ms at start-up)
      skipValidations: typeof NSH_BUNDLED !== 'undefined',
      nodeLocationTracking: 'full',
    });
    this.performSelfAnalysis();
  }

  /** The names of the rules being parsed, outermost first (for error messages). */
  ruleStackNames(): string[] {
    return (this as unknown as { getHumanReadableRuleStack(): string[] }).getHumanReadableRuleStack();
  }

  private isNot(...types: TokenType[]): () => boolean {
    return () => !types.some(t => tokenMatcher(this.LA(1), t));
  }

  public program = this.RULE('program', () => {
    this.SUBRULE(this.statements);
  });

  /** Statements, separated by new lines or ";"; one also ends before "}" or the end of the input. */
  public statements = this.RULE('statements', () => {
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.Newline) },
        { ALT: () => this.CONSUME(T.Semicolon) },
        {
          ALT: () => {
            this.SUBRULE(this.statement);
            this.OR2({
              IGNORE_AMBIGUITIES: true,
              DEF: [
                { ALT: () => this.CONSUME2(T.Newline) },
                { ALT: () => this.CONSUME2(T.Semicolon) },
                { GATE: () => tokenMatcher(this.LA(1), T.RBrace) || this.LA(1).tokenType === EOF, ALT: EMPTY_ALT() },
              ],
              ERR_MSG: 'a new line or ";" after the statement',
            });
          },
        },
      ]),
    );
  });

  /** A statement: "!" inverts its outcome. */
  public statement = this.RULE('statement', () => {
    this.OPTION(() => this.CONSUME(T.Bang));
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.nsStmt) },
        { ALT: () => this.SUBRULE(this.delStmt) },
        { ALT: () => this.SUBRULE(this.vethStmt) },
        { ALT: () => this.SUBRULE(this.bridgeStmt) },
        { ALT: () => this.SUBRULE(this.attachStmt) },
        { ALT: () => this.SUBRULE(this.addrStmt) },
        { ALT: () => this.SUBRULE(this.upStmt) },
        { ALT: () => this.SUBRULE(this.downStmt) },
        { ALT: () => this.SUBRULE(this.moveStmt) },
        { ALT: () => this.SUBRULE(this.routeStmt) },
        { ALT: () => this.SUBRULE(this.forwardStmt) },
        { ALT: () => this.SUBRULE(this.sysctlStmt) },
        { ALT: () => this.SUBRULE(this.inStmt) },
        { ALT: () => this.SUBRULE(this.pingallStmt) },
        { ALT: () => this.SUBRULE(this.showStmt) },
        { ALT: () => this.SUBRULE(this.infoStmt) },
        { ALT: () => this.SUBRULE(this.sameStmt) },
        { ALT: () => this.SUBRULE(this.pinStmt) },
        { ALT: () => this.SUBRULE(this.spawnStmt) },
        { ALT: () => this.SUBRULE(this.forStmt) },
        { ALT: () => this.SUBRULE(this.defStmt) },
        { ALT: () => this.SUBRULE(this.letStmt) },
        { ALT: () => this.SUBRULE(this.includeStmt) },
        { ALT: () => this.SUBRULE(this.echoStmt) },
        { ALT: () => this.SUBRULE(this.sleepStmt) },
        { ALT: () => this.SUBRULE(this.jobsStmt) },
        { ALT: () => this.SUBRULE(this.waitStmt) },
        { ALT: () => this.SUBRULE(this.killStmt) },
        { ALT: () => this.SUBRULE(this.shapeStmt) },
        { ALT: () => this.SUBRULE(this.captureStmt) },
        { ALT: () => this.SUBRULE(this.awaitStmt) },
        { ALT: () => this.SUBRULE(this.vlanStmt) },
        { ALT: () => this.SUBRULE(this.macvlanStmt) },
        { ALT: () => this.SUBRULE(this.natStmt) },
        { ALT: () => this.SUBRULE(this.publishStmt) },
        { ALT: () => this.SUBRULE(this.vxlanStmt) },
        { ALT: () => this.SUBRULE(this.machineStmt) },
        { ALT: () => this.SUBRULE(this.callStmt) },
      ],
      ERR_MSG: 'a statement',
    });
  });

  public nsStmt = this.RULE('nsStmt', () => {
    this.CONSUME(T.Ns);
    this.AT_LEAST_ONE({ GATE: this.isNot(T.Hostname, T.On), DEF: () => this.CONSUME(T.Word, { LABEL: 'names' }) });
    this.MANY(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Hostname);
            this.CONSUME2(T.Word, { LABEL: 'hostname' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.On);
            this.CONSUME3(T.Word, { LABEL: 'machine' });
          },
        },
      ]),
    );
  });

  public delStmt = this.RULE('delStmt', () => {
    this.CONSUME(T.Del);
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word, { LABEL: 'targets' }));
  });

  public vethStmt = this.RULE('vethStmt', () => {
    this.CONSUME(T.Veth);
    this.CONSUME(T.Word, { LABEL: 'left' });
    this.MANY(() => this.CONSUME2(T.Word, { LABEL: 'leftAddrs' }));
    this.CONSUME(T.BiArrow);
    this.CONSUME3(T.Word, { LABEL: 'right' });
    this.MANY2({ GATE: this.isNot(T.Mtu, ...shapeWords), DEF: () => this.CONSUME4(T.Word, { LABEL: 'rightAddrs' }) });
    this.MANY3(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Mtu);
            this.CONSUME5(T.Word, { LABEL: 'mtu' });
          },
        },
        { ALT: () => this.SUBRULE(this.shapeOption) },
      ]),
    );
  });

  /** One shaping option and its value: `delay 10ms`. */
  public shapeOption = this.RULE('shapeOption', () => {
    this.OR(shapeWords.map(t => ({ ALT: () => this.CONSUME(t, { LABEL: 'option' }) })));
    this.CONSUME(T.Word, { LABEL: 'value' });
  });

  public shapeStmt = this.RULE('shapeStmt', () => {
    this.CONSUME(T.Shape);
    this.AT_LEAST_ONE({ GATE: this.isNot(T.Off, ...shapeWords), DEF: () => this.CONSUME(T.Word, { LABEL: 'endpoints' }) });
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.Off) },
        { ALT: () => this.SUBRULE(this.shapeOption) },
      ]),
    );
  });

  public bridgeStmt = this.RULE('bridgeStmt', () => {
    this.CONSUME(T.Bridge);
    this.CONSUME(T.Word, { LABEL: 'bridge' });
    this.OPTION(() => this.CONSUME(T.Vlan));
    this.MANY(() => this.CONSUME2(T.Word, { LABEL: 'ports' }));
  });

  public attachStmt = this.RULE('attachStmt', () => {
    this.CONSUME(T.Attach);
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word, { LABEL: 'ports' }));
    this.CONSUME(T.Arrow);
    this.CONSUME2(T.Word, { LABEL: 'bridge' });
    this.OPTION(() => {
      this.CONSUME(T.Vlan);
      this.CONSUME3(T.Word, { LABEL: 'vlan' });
      this.OPTION2(() => this.CONSUME(T.Untagged));
    });
  });

  public addrStmt = this.RULE('addrStmt', () => {
    this.CONSUME(T.Addr);
    this.CONSUME(T.Word, { LABEL: 'endpoint' });
    this.OPTION(() => this.CONSUME(T.Del));
    this.AT_LEAST_ONE(() => this.CONSUME2(T.Word, { LABEL: 'addrs' }));
  });

  public upStmt = this.RULE('upStmt', () => {
    this.CONSUME(T.Up);
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word, { LABEL: 'endpoints' }));
  });

  public downStmt = this.RULE('downStmt', () => {
    this.CONSUME(T.Down);
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word, { LABEL: 'endpoints' }));
  });

  public moveStmt = this.RULE('moveStmt', () => {
    this.CONSUME(T.Move);
    this.CONSUME(T.Word, { LABEL: 'endpoint' });
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.nsRef, { LABEL: 'to' });
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME2(T.Word, { LABEL: 'newName' });
    });
  });

  public routeStmt = this.RULE('routeStmt', () => {
    this.CONSUME(T.Route);
    this.CONSUME(T.Word, { LABEL: 'ns' });
    this.OPTION(() => this.CONSUME(T.Del));
    this.CONSUME2(T.Word, { LABEL: 'dest' });
    this.MANY(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Via);
            this.CONSUME3(T.Word, { LABEL: 'via' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Dev);
            this.CONSUME4(T.Word, { LABEL: 'dev' });
          },
        },
      ]),
    );
  });

  public forwardStmt = this.RULE('forwardStmt', () => {
    this.CONSUME(T.Forward);
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word, { LABEL: 'namespaces' }));
  });

  public sysctlStmt = this.RULE('sysctlStmt', () => {
    this.CONSUME(T.Sysctl);
    this.CONSUME(T.Word, { LABEL: 'ns' });
    this.AT_LEAST_ONE(() => this.CONSUME2(T.Word, { LABEL: 'settings' }));
  });

  public nsRef = this.RULE('nsRef', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Pid);
            this.CONSUME(T.Word, { LABEL: 'pid' });
          },
        },
        { ALT: () => this.CONSUME2(T.Word, { LABEL: 'name' }) },
      ],
    });
  });

  /** `<<< WORD` and `&` at the end of a command. */
  public commandTail = this.RULE('commandTail', () => {
    this.OPTION(() => {
      this.CONSUME(T.HereString);
      this.CONSUME(T.Word, { LABEL: 'stdin' });
    });
    this.OPTION2(() => this.CONSUME(T.Amp));
  });

  public inStmt = this.RULE('inStmt', () => {
    this.CONSUME(T.In);
    this.SUBRULE(this.nsRef, { LABEL: 'ref' });
    this.MANY(() => this.CONSUME(T.Word, { LABEL: 'argv' }));
    this.SUBRULE(this.commandTail);
  });

  public pingallStmt = this.RULE('pingallStmt', () => {
    this.CONSUME(T.Pingall);
    this.MANY(() => this.CONSUME(T.Word, { LABEL: 'args' }));
  });

  public showStmt = this.RULE('showStmt', () => {
    this.CONSUME(T.Show);
    this.MANY(() => this.CONSUME(T.Word, { LABEL: 'args' }));
  });

  public infoStmt = this.RULE('infoStmt', () => {
    this.CONSUME(T.Info);
    this.SUBRULE(this.nsRef, { LABEL: 'ref' });
  });

  public sameStmt = this.RULE('sameStmt', () => {
    this.CONSUME(T.Same);
    this.SUBRULE(this.nsRef, { LABEL: 'a' });
    this.SUBRULE2(this.nsRef, { LABEL: 'b' });
    this.OPTION(() => this.CONSUME(T.Word, { LABEL: 'type' }));
  });

  public pinStmt = this.RULE('pinStmt', () => {
    this.CONSUME(T.Pin);
    this.SUBRULE(this.nsRef, { LABEL: 'ref' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.As);
          this.CONSUME(T.Word, { LABEL: 'name' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.At);
          this.CONSUME2(T.Word, { LABEL: 'path' });
        },
      },
    ]);
  });

  public spawnStmt = this.RULE('spawnStmt', () => {
    this.CONSUME(T.Spawn);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.Uts, { LABEL: 'flags' }) },
        { ALT: () => this.CONSUME(T.Ipc, { LABEL: 'flags' }) },
        { ALT: () => this.CONSUME(T.Pid, { LABEL: 'flags' }) },
        { ALT: () => this.CONSUME(T.Mnt, { LABEL: 'flags' }) },
        { ALT: () => this.CONSUME(T.Net, { LABEL: 'flags' }) },
        { ALT: () => this.CONSUME(T.User, { LABEL: 'flags' }) },
        {
          ALT: () => {
            this.CONSUME(T.Hostname);
            this.CONSUME(T.Word, { LABEL: 'hostname' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.As);
            this.CONSUME2(T.Word, { LABEL: 'as' });
          },
        },
      ]),
    );
    this.AT_LEAST_ONE(() => this.CONSUME3(T.Word, { LABEL: 'argv' }));
    this.SUBRULE(this.commandTail);
  });

  public block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.SUBRULE(this.statements);
    this.CONSUME(T.RBrace);
  });

  public forStmt = this.RULE('forStmt', () => {
    this.CONSUME(T.For);
    this.CONSUME(T.Word, { LABEL: 'variable' });
    this.CONSUME(T.In);
    this.AT_LEAST_ONE(() => this.CONSUME2(T.Word, { LABEL: 'items' }));
    this.SUBRULE(this.block);
  });

  public defStmt = this.RULE('defStmt', () => {
    this.CONSUME(T.Def);
    this.CONSUME(T.Word, { LABEL: 'name' });
    this.MANY(() => this.CONSUME2(T.Word, { LABEL: 'params' }));
    this.SUBRULE(this.block);
  });

  public letStmt = this.RULE('letStmt', () => {
    this.CONSUME(T.Let);
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word, { LABEL: 'words' }));
  });

  public includeStmt = this.RULE('includeStmt', () => {
    this.CONSUME(T.Include);
    this.CONSUME(T.Word, { LABEL: 'path' });
  });

  public echoStmt = this.RULE('echoStmt', () => {
    this.CONSUME(T.Echo);
    this.MANY(() => this.CONSUME(T.Word, { LABEL: 'words' }));
  });

  public sleepStmt = this.RULE('sleepStmt', () => {
    this.CONSUME(T.Sleep);
    this.MANY(() => this.CONSUME(T.Word, { LABEL: 'args' }));
  });

  public jobsStmt = this.RULE('jobsStmt', () => {
    this.CONSUME(T.Jobs);
    this.MANY(() => this.CONSUME(T.Word, { LABEL: 'args' }));
  });

  public waitStmt = this.RULE('waitStmt', () => {
    this.CONSUME(T.Wait);
    this.MANY(() => this.CONSUME(T.Word, { LABEL: 'targets' }));
  });

  public killStmt = this.RULE('killStmt', () => {
    this.CONSUME(T.Kill);
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word, { LABEL: 'targets' }));
  });

  public captureStmt = this.RULE('captureStmt', () => {
    this.CONSUME(T.Capture);
    this.CONSUME(T.Word, { LABEL: 'endpoint' });
    this.MANY(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.To);
            this.CONSUME2(T.Word, { LABEL: 'file' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Count);
            this.CONSUME3(T.Word, { LABEL: 'count' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.For);
            this.CONSUME4(T.Word, { LABEL: 'duration' });
          },
        },
      ]),
    );
    this.OPTION(() => this.CONSUME(T.Amp));
  });

  public awaitStmt = this.RULE('awaitStmt', () => {
    this.CONSUME(T.Await);
    this.SUBRULE(this.nsRef, { LABEL: 'ref' });
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Tcp, { LABEL: 'protocol' }) }, { ALT: () => this.CONSUME(T.Udp, { LABEL: 'protocol' }) }]);
          this.CONSUME(T.Word, { LABEL: 'port' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Reach);
          this.CONSUME2(T.Word, { LABEL: 'address' });
        },
      },
    ]);
    this.OPTION(() => {
      this.CONSUME(T.Timeout);
      this.CONSUME3(T.Word, { LABEL: 'timeout' });
    });
  });

  /** `{ KEYWORD WORD | WORD }`: an option word and its value (labelled `label`) anywhere among addresses. */
  private optionAmongAddrs(keyword: TokenType, label: string): void {
    this.MANY(() =>
      this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            ALT: () => {
              this.CONSUME(keyword);
              this.CONSUME3(T.Word, { LABEL: label });
            },
          },
          { ALT: () => this.CONSUME4(T.Word, { LABEL: 'addrs' }) },
        ],
      }),
    );
  }

  public vlanStmt = this.RULE('vlanStmt', () => {
    this.CONSUME(T.Vlan);
    this.CONSUME(T.Word, { LABEL: 'endpoint' });
    this.CONSUME2(T.Word, { LABEL: 'id' });
    this.optionAmongAddrs(T.As, 'name');
  });

  public macvlanStmt = this.RULE('macvlanStmt', () => {
    this.CONSUME(T.Macvlan);
    this.CONSUME(T.Word, { LABEL: 'parent' });
    this.CONSUME(T.Arrow);
    this.CONSUME2(T.Word, { LABEL: 'endpoint' });
    this.optionAmongAddrs(T.Mode, 'mode');
  });

  public natStmt = this.RULE('natStmt', () => {
    this.CONSUME(T.Nat);
    this.CONSUME(T.Word, { LABEL: 'ns' });
  });

  public publishStmt = this.RULE('publishStmt', () => {
    this.CONSUME(T.Publish);
    this.CONSUME(T.Word, { LABEL: 'ns' });
    this.OPTION(() =>
      this.OR([{ ALT: () => this.CONSUME(T.Tcp, { LABEL: 'protocol' }) }, { ALT: () => this.CONSUME(T.Udp, { LABEL: 'protocol' }) }]),
    );
    this.CONSUME2(T.Word, { LABEL: 'port' });
    this.CONSUME(T.Arrow);
    this.CONSUME3(T.Word, { LABEL: 'target' });
  });

  public vxlanStmt = this.RULE('vxlanStmt', () => {
    this.CONSUME(T.Vxlan);
    this.CONSUME(T.Word, { LABEL: 'endpoint' });
    this.CONSUME2(T.Word, { LABEL: 'vni' });
    this.CONSUME(T.Remote);
    this.CONSUME3(T.Word, { LABEL: 'remote' });
    this.MANY(() =>
      this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.Local);
              this.CONSUME4(T.Word, { LABEL: 'local' });
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Port);
              this.CONSUME5(T.Word, { LABEL: 'port' });
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Mtu);
              this.CONSUME6(T.Word, { LABEL: 'mtu' });
            },
          },
          { ALT: () => this.CONSUME7(T.Word, { LABEL: 'addrs' }) },
        ],
      }),
    );
  });

  public machineStmt = this.RULE('machineStmt', () => {
    this.CONSUME(T.Machine);
    this.CONSUME(T.Word, { LABEL: 'name' });
    this.CONSUME(T.Ssh);
    this.CONSUME2(T.Word, { LABEL: 'target' });
    this.OPTION(() => {
      this.CONSUME(T.Port);
      this.CONSUME3(T.Word, { LABEL: 'port' });
    });
  });

  /** A call of a def: any word but a statement keyword (those start their statements, chosen first). */
  public callStmt = this.RULE('callStmt', () => {
    this.CONSUME(T.Word, { LABEL: 'name' });
    this.MANY(() => this.CONSUME2(T.Word, { LABEL: 'args' }));
  });
}

const instances = new Map<boolean, NshParser>();

/**
 * A parser, built once (its grammar analysis costs a few milliseconds) and reused. The one without
 * recovery is faster; it serves text that parses, and the recovering one is used after an error.
 */
export function theParser(recovering: boolean): NshParser {
  let p = instances.get(recovering);
  if (!p) instances.set(recovering, (p = new NshParser(recovering)));
  return p;
}

/** The lookahead paths of the grammar, as the bundle build bakes them in. */
export function lookaheadTable(): LookaheadTable {
  const lookahead = new TableLookahead(T.allTokens, undefined, 1);
  new NshParser(false, lookahead);
  return lookahead.computed;
}
