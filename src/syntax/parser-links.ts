/** The rules of the statements that make namespaces, links, addresses and routes, and of shaping (parser.ts). */
import type { TokenType } from 'chevrotain';
import { isNot, type Grammar } from './parser-dsl.js';
import { SHAPE_OPTIONS } from './statement-spec.js';
import * as T from './tokens.js';

/** The keywords of the shaping options (shape, veth). */
const shapeWords: readonly TokenType[] = SHAPE_OPTIONS.map(o => T.keyword(o.word));

export function linkRules($: Grammar): void {
  $.nsStmt = $.RULE('nsStmt', () => {
    $.CONSUME(T.Ns);
    $.AT_LEAST_ONE({ GATE: isNot($, T.Hostname, T.On), DEF: () => $.CONSUME(T.Word, { LABEL: 'names' }) });
    $.MANY(() =>
      $.OR([
        {
          ALT: () => {
            $.CONSUME(T.Hostname);
            $.CONSUME2(T.Word, { LABEL: 'hostname' });
          },
        },
        {
          ALT: () => {
            $.CONSUME(T.On);
            $.CONSUME3(T.Word, { LABEL: 'machine' });
          },
        },
      ]),
    );
  });

  $.delStmt = $.RULE('delStmt', () => {
    $.CONSUME(T.Del);
    $.AT_LEAST_ONE(() => $.CONSUME(T.Word, { LABEL: 'targets' }));
  });

  $.vethStmt = $.RULE('vethStmt', () => {
    $.CONSUME(T.Veth);
    $.CONSUME(T.Word, { LABEL: 'left' });
    $.MANY(() => $.CONSUME2(T.Word, { LABEL: 'leftAddrs' }));
    $.CONSUME(T.BiArrow);
    $.CONSUME3(T.Word, { LABEL: 'right' });
    $.MANY2({ GATE: isNot($, T.Mtu, ...shapeWords), DEF: () => $.CONSUME4(T.Word, { LABEL: 'rightAddrs' }) });
    $.MANY3(() =>
      $.OR([
        {
          ALT: () => {
            $.CONSUME(T.Mtu);
            $.CONSUME5(T.Word, { LABEL: 'mtu' });
          },
        },
        { ALT: () => $.SUBRULE($.shapeOption) },
      ]),
    );
  });

  /** One shaping option and its value: `delay 10ms`. */
  $.shapeOption = $.RULE('shapeOption', () => {
    $.OR(shapeWords.map(t => ({ ALT: () => $.CONSUME(t, { LABEL: 'option' }) })));
    $.CONSUME(T.Word, { LABEL: 'value' });
  });

  $.shapeStmt = $.RULE('shapeStmt', () => {
    $.CONSUME(T.Shape);
    $.AT_LEAST_ONE({ GATE: isNot($, T.Off, ...shapeWords), DEF: () => $.CONSUME(T.Word, { LABEL: 'endpoints' }) });
    $.MANY(() =>
      $.OR([
        { ALT: () => $.CONSUME(T.Off) },
        { ALT: () => $.SUBRULE($.shapeOption) },
      ]),
    );
  });

  $.bridgeStmt = $.RULE('bridgeStmt', () => {
    $.CONSUME(T.Bridge);
    $.CONSUME(T.Word, { LABEL: 'bridge' });
    $.OPTION(() => $.CONSUME(T.Vlan));
    $.MANY(() => $.CONSUME2(T.Word, { LABEL: 'ports' }));
  });

  $.attachStmt = $.RULE('attachStmt', () => {
    $.CONSUME(T.Attach);
    $.AT_LEAST_ONE(() => $.CONSUME(T.Word, { LABEL: 'ports' }));
    $.CONSUME(T.Arrow);
    $.CONSUME2(T.Word, { LABEL: 'bridge' });
    $.OPTION(() => {
      $.CONSUME(T.Vlan);
      $.CONSUME3(T.Word, { LABEL: 'vlan' });
      $.OPTION2(() => $.CONSUME(T.Untagged));
    });
  });

  $.addrStmt = $.RULE('addrStmt', () => {
    $.CONSUME(T.Addr);
    $.CONSUME(T.Word, { LABEL: 'endpoint' });
    $.OPTION(() => $.CONSUME(T.Del));
    $.AT_LEAST_ONE(() => $.CONSUME2(T.Word, { LABEL: 'addrs' }));
  });

  $.upStmt = $.RULE('upStmt', () => {
    $.CONSUME(T.Up);
    $.AT_LEAST_ONE(() => $.CONSUME(T.Word, { LABEL: 'endpoints' }));
  });

  $.downStmt = $.RULE('downStmt', () => {
    $.CONSUME(T.Down);
    $.AT_LEAST_ONE(() => $.CONSUME(T.Word, { LABEL: 'endpoints' }));
  });

  $.moveStmt = $.RULE('moveStmt', () => {
    $.CONSUME(T.Move);
    $.CONSUME(T.Word, { LABEL: 'endpoint' });
    $.CONSUME(T.Arrow);
    $.SUBRULE($.nsRef, { LABEL: 'to' });
    $.OPTION(() => {
      $.CONSUME(T.As);
      $.CONSUME2(T.Word, { LABEL: 'newName' });
    });
  });

  $.routeStmt = $.RULE('routeStmt', () => {
    $.CONSUME(T.Route);
    $.CONSUME(T.Word, { LABEL: 'ns' });
    $.OPTION(() => $.CONSUME(T.Del));
    $.CONSUME2(T.Word, { LABEL: 'dest' });
    $.MANY(() =>
      $.OR([
        {
          ALT: () => {
            $.CONSUME(T.Via);
            $.CONSUME3(T.Word, { LABEL: 'via' });
          },
        },
        {
          ALT: () => {
            $.CONSUME(T.Dev);
            $.CONSUME4(T.Word, { LABEL: 'dev' });
          },
        },
      ]),
    );
  });

  $.forwardStmt = $.RULE('forwardStmt', () => {
    $.CONSUME(T.Forward);
    $.AT_LEAST_ONE(() => $.CONSUME(T.Word, { LABEL: 'namespaces' }));
  });

  $.sysctlStmt = $.RULE('sysctlStmt', () => {
    $.CONSUME(T.Sysctl);
    $.CONSUME(T.Word, { LABEL: 'ns' });
    $.AT_LEAST_ONE(() => $.CONSUME2(T.Word, { LABEL: 'settings' }));
  });
}
