/** One line of usage per statement: used in hints, `.help` and the grammar docs. */
export const usage: Readonly<Record<string, string>> = {
  nsStmt: 'ns NAME… [hostname HOST]',
  delStmt: 'del NAME | NS.IF …',
  vethStmt: 'veth NS.IF [ADDR…] <-> NS.IF [ADDR…] [mtu N]',
  bridgeStmt: 'bridge NS.BR [IF…]',
  attachStmt: 'attach NS.IF… -> NS.BR',
  addrStmt: 'addr NS.IF ADDR…  or  addr NS.IF del ADDR…',
  upStmt: 'up NS.IF…',
  downStmt: 'down NS.IF…',
  moveStmt: 'move NS.IF -> NSREF [as NEWNAME]',
  routeStmt: 'route NS default via IP | route NS PREFIX via IP | route NS PREFIX dev IF | route NS del PREFIX',
  forwardStmt: 'forward NS…',
  sysctlStmt: 'sysctl NS KEY=VALUE…',
  inStmt: 'in NSREF CMD ARG… [<<< "text"] [&]',
  pingallStmt: 'pingall',
  showStmt: 'show [NS | links | addrs | routes [NS]] [--json]',
  infoStmt: 'info NSREF',
  sameStmt: 'same NSREF NSREF [TYPE]',
  pinStmt: 'pin pid N as NAME  or  pin NSREF at "PATH"',
  spawnStmt: 'spawn [uts] [ipc] [pid] [mnt] [net] [user] [hostname H] [as NAME] CMD ARG… [&]',
  forStmt: 'for V in A..B { … }  or  for V in w1 w2 … { … }',
  defStmt: 'def NAME P1 P2 … { … }',
  letStmt: 'let V = WORD',
  includeStmt: 'include "file.ns"',
  echoStmt: 'echo "text"',
  sleepStmt: 'sleep SECONDS',
  jobsStmt: 'jobs',
  waitStmt: 'wait [%N | PID]…',
  killStmt: 'kill %N | PID …',
  nsRef: 'NAME | host | pid N | "PATH"',
  block: '{ statements }',
};

/** The statement keyword for each rule, e.g. vethStmt → veth. */
export function ruleKeyword(rule: string): string | undefined {
  return rule.endsWith('Stmt') ? rule.slice(0, -4) : undefined;
}
