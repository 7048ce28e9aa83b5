/** The rules of the statements that run and inspect programs, and of a script's control (parser.ts). */
import type { Grammar } from './parser-dsl.js';
import * as T from './tokens.js';

export function programRules($: Grammar): void {
  $.nsRef = $.RULE('nsRef', () => {
    $.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            $.CONSUME(T.Pid);
            $.CONSUME(T.Word, { LABEL: 'pid' });
          },
        },
        { ALT: () => $.CONSUME2(T.Word, { LABEL: 'name' }) },
      ],
    });
  });

  /** `<<< WORD` and `&` at the end of a command. */
  $.commandTail = $.RULE('commandTail', () => {
    $.OPTION(() => {
      $.CONSUME(T.HereString);
      $.CONSUME(T.Word, { LABEL: 'stdin' });
    });
    $.OPTION2(() => $.CONSUME(T.Amp));
  });

  $.inStmt = $.RULE('inStmt', () => {
    $.CONSUME(T.In);
    $.SUBRULE($.nsRef, { LABEL: 'ref' });
    $.MANY(() => $.CONSUME(T.Word, { LABEL: 'argv' }));
    $.SUBRULE($.commandTail);
  });

  $.pingallStmt = $.RULE('pingallStmt', () => {
    $.CONSUME(T.Pingall);
    $.MANY(() => $.CONSUME(T.Word, { LABEL: 'args' }));
  });

  $.showStmt = $.RULE('showStmt', () => {
    $.CONSUME(T.Show);
    $.MANY(() => $.CONSUME(T.Word, { LABEL: 'args' }));
  });

  $.infoStmt = $.RULE('infoStmt', () => {
    $.CONSUME(T.Info);
    $.SUBRULE($.nsRef, { LABEL: 'ref' });
  });

  $.sameStmt = $.RULE('sameStmt', () => {
    $.CONSUME(T.Same);
    $.SUBRULE($.nsRef, { LABEL: 'a' });
    $.SUBRULE2($.nsRef, { LABEL: 'b' });
    $.OPTION(() => $.CONSUME(T.Word, { LABEL: 'type' }));
  });

  $.pinStmt = $.RULE('pinStmt', () => {
    $.CONSUME(T.Pin);
    $.SUBRULE($.nsRef, { LABEL: 'ref' });
    $.OR([
      {
        ALT: () => {
          $.CONSUME(T.As);
          $.CONSUME(T.Word, { LABEL: 'name' });
        },
      },
      {
        ALT: () => {
          $.CONSUME(T.At);
          $.CONSUME2(T.Word, { LABEL: 'path' });
        },
      },
    ]);
  });

  $.spawnStmt = $.RULE('spawnStmt', () => {
    $.CONSUME(T.Spawn);
    $.MANY(() =>
      $.OR([
        { ALT: () => $.CONSUME(T.Uts, { LABEL: 'flags' }) },
        { ALT: () => $.CONSUME(T.Ipc, { LABEL: 'flags' }) },
        { ALT: () => $.CONSUME(T.Pid, { LABEL: 'flags' }) },
        { ALT: () => $.CONSUME(T.Mnt, { LABEL: 'flags' }) },
        { ALT: () => $.CONSUME(T.Net, { LABEL: 'flags' }) },
        { ALT: () => $.CONSUME(T.User, { LABEL: 'flags' }) },
        {
          ALT: () => {
            $.CONSUME(T.Hostname);
            $.CONSUME(T.Word, { LABEL: 'hostname' });
          },
        },
        {
          ALT: () => {
            $.CONSUME(T.As);
            $.CONSUME2(T.Word, { LABEL: 'as' });
          },
        },
      ]),
    );
    $.AT_LEAST_ONE(() => $.CONSUME3(T.Word, { LABEL: 'argv' }));
    $.SUBRULE($.commandTail);
  });

  $.block = $.RULE('block', () => {
    $.CONSUME(T.LBrace);
    $.SUBRULE($.statements);
    $.CONSUME(T.RBrace);
  });

  $.forStmt = $.RULE('forStmt', () => {
    $.CONSUME(T.For);
    $.CONSUME(T.Word, { LABEL: 'variable' });
    $.CONSUME(T.In);
    $.AT_LEAST_ONE(() => $.CONSUME2(T.Word, { LABEL: 'items' }));
    $.SUBRULE($.block);
  });

  $.defStmt = $.RULE('defStmt', () => {
    $.CONSUME(T.Def);
    $.CONSUME(T.Word, { LABEL: 'name' });
    $.MANY(() => $.CONSUME2(T.Word, { LABEL: 'params' }));
    $.SUBRULE($.block);
  });

  $.letStmt = $.RULE('letStmt', () => {
    $.CONSUME(T.Let);
    $.AT_LEAST_ONE(() => $.CONSUME(T.Word, { LABEL: 'words' }));
  });

  $.includeStmt = $.RULE('includeStmt', () => {
    $.CONSUME(T.Include);
    $.CONSUME(T.Word, { LABEL: 'path' });
  });

  $.echoStmt = $.RULE('echoStmt', () => {
    $.CONSUME(T.Echo);
    $.MANY(() => $.CONSUME(T.Word, { LABEL: 'words' }));
  });

  $.sleepStmt = $.RULE('sleepStmt', () => {
    $.CONSUME(T.Sleep);
    $.MANY(() => $.CONSUME(T.Word, { LABEL: 'args' }));
  });

  $.jobsStmt = $.RULE('jobsStmt', () => {
    $.CONSUME(T.Jobs);
    $.MANY(() => $.CONSUME(T.Word, { LABEL: 'args' }));
  });

  $.waitStmt = $.RULE('waitStmt', () => {
    $.CONSUME(T.Wait);
    $.MANY(() => $.CONSUME(T.Word, { LABEL: 'targets' }));
  });

  $.killStmt = $.RULE('killStmt', () => {
    $.CONSUME(T.Kill);
    $.AT_LEAST_ONE(() => $.CONSUME(T.Word, { LABEL: 'targets' }));
  });
}
