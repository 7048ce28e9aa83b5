/** The rules of the statements that capture and wait, and of the edge: VLANs, macvlans, NAT, VXLAN, machines (parser.ts). */
import type { TokenType } from 'chevrotain';
import type { Grammar } from './parser-dsl.js';
import * as T from './tokens.js';

export function edgeRules($: Grammar): void {
  $.captureStmt = $.RULE('captureStmt', () => {
    $.CONSUME(T.Capture);
    $.CONSUME(T.Word, { LABEL: 'endpoint' });
    $.MANY(() =>
      $.OR([
        {
          ALT: () => {
            $.CONSUME(T.To);
            $.CONSUME2(T.Word, { LABEL: 'file' });
          },
        },
        {
          ALT: () => {
            $.CONSUME(T.Count);
            $.CONSUME3(T.Word, { LABEL: 'count' });
          },
        },
        {
          ALT: () => {
            $.CONSUME(T.For);
            $.CONSUME4(T.Word, { LABEL: 'duration' });
          },
        },
      ]),
    );
    $.OPTION(() => $.CONSUME(T.Amp));
  });

  $.awaitStmt = $.RULE('awaitStmt', () => {
    $.CONSUME(T.Await);
    $.SUBRULE($.nsRef, { LABEL: 'ref' });
    $.OR([
      {
        ALT: () => {
          $.OR2([{ ALT: () => $.CONSUME(T.Tcp, { LABEL: 'protocol' }) }, { ALT: () => $.CONSUME(T.Udp, { LABEL: 'protocol' }) }]);
          $.CONSUME(T.Word, { LABEL: 'port' });
        },
      },
      {
        ALT: () => {
          $.CONSUME(T.Reach);
          $.CONSUME2(T.Word, { LABEL: 'address' });
        },
      },
    ]);
    $.OPTION(() => {
      $.CONSUME(T.Timeout);
      $.CONSUME3(T.Word, { LABEL: 'timeout' });
    });
  });
  $.vlanStmt = $.RULE('vlanStmt', () => {
    $.CONSUME(T.Vlan);
    $.CONSUME(T.Word, { LABEL: 'endpoint' });
    $.CONSUME2(T.Word, { LABEL: 'id' });
    optionAmongAddrs($, T.As, 'name');
  });

  $.macvlanStmt = $.RULE('macvlanStmt', () => {
    $.CONSUME(T.Macvlan);
    $.CONSUME(T.Word, { LABEL: 'parent' });
    $.CONSUME(T.Arrow);
    $.CONSUME2(T.Word, { LABEL: 'endpoint' });
    optionAmongAddrs($, T.Mode, 'mode');
  });

  $.natStmt = $.RULE('natStmt', () => {
    $.CONSUME(T.Nat);
    $.CONSUME(T.Word, { LABEL: 'ns' });
  });

  $.publishStmt = $.RULE('publishStmt', () => {
    $.CONSUME(T.Publish);
    $.CONSUME(T.Word, { LABEL: 'ns' });
    $.OPTION(() =>
      $.OR([{ ALT: () => $.CONSUME(T.Tcp, { LABEL: 'protocol' }) }, { ALT: () => $.CONSUME(T.Udp, { LABEL: 'protocol' }) }]),
    );
    $.CONSUME2(T.Word, { LABEL: 'port' });
    $.CONSUME(T.Arrow);
    $.CONSUME3(T.Word, { LABEL: 'target' });
  });

  $.vxlanStmt = $.RULE('vxlanStmt', () => {
    $.CONSUME(T.Vxlan);
    $.CONSUME(T.Word, { LABEL: 'endpoint' });
    $.CONSUME2(T.Word, { LABEL: 'vni' });
    $.CONSUME(T.Remote);
    $.CONSUME3(T.Word, { LABEL: 'remote' });
    $.MANY(() =>
      $.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            ALT: () => {
              $.CONSUME(T.Local);
              $.CONSUME4(T.Word, { LABEL: 'local' });
            },
          },
          {
            ALT: () => {
              $.CONSUME(T.Port);
              $.CONSUME5(T.Word, { LABEL: 'port' });
            },
          },
          {
            ALT: () => {
              $.CONSUME(T.Mtu);
              $.CONSUME6(T.Word, { LABEL: 'mtu' });
            },
          },
          { ALT: () => $.CONSUME7(T.Word, { LABEL: 'addrs' }) },
        ],
      }),
    );
  });

  $.machineStmt = $.RULE('machineStmt', () => {
    $.CONSUME(T.Machine);
    $.CONSUME(T.Word, { LABEL: 'name' });
    $.CONSUME(T.Ssh);
    $.CONSUME2(T.Word, { LABEL: 'target' });
    $.OPTION(() => {
      $.CONSUME(T.Port);
      $.CONSUME3(T.Word, { LABEL: 'port' });
    });
  });
}

/** `{ KEYWORD WORD | WORD }`: an option word and its value (labelled `label`) anywhere among addresses. */
function optionAmongAddrs($: Grammar, keyword: TokenType, label: string): void {
  $.MANY(() =>
    $.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            $.CONSUME(keyword);
            $.CONSUME3(T.Word, { LABEL: label });
          },
        },
        { ALT: () => $.CONSUME4(T.Word, { LABEL: 'addrs' }) },
      ],
    }),
  );
}
