/**
 * nsh's keywords as plain names: the one list. tokens.ts makes a token of each; the interpreter
 * (a def may not take a statement's name), the REPL and completion read the names.
 */

/** The words that start a statement. */
export const statementKeywordNames: readonly string[] = [
  'ns', 'del', 'veth', 'bridge', 'attach', 'addr', 'up', 'down', 'move', 'route', 'forward', 'sysctl', 'in', 'pingall',
  'show', 'info', 'same', 'pin', 'spawn', 'for', 'def', 'let', 'include', 'echo', 'sleep', 'jobs', 'wait', 'kill',
];
/** Words with a meaning inside statements. */
export const subKeywordNames: readonly string[] = ['hostname', 'mtu', 'as', 'at', 'pid', 'via', 'dev', 'uts', 'ipc', 'mnt', 'net', 'user'];

export const keywordNames: ReadonlySet<string> = new Set([...statementKeywordNames, ...subKeywordNames]);
