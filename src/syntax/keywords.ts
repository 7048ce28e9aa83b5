/**
 * nsh's keywords as plain names, for what needs them without the lexer (the interpreter's check
 * that a `def` does not take one, completion). tokens.ts makes a token of each and checks at
 * load that the two lists agree.
 */

/** Statement keywords, in the order the lexer tries them (longer ones that share a prefix first). */
export const statementKeywordNames: readonly string[] = [
  'ns', 'del', 'veth', 'bridge', 'attach', 'addr', 'up', 'down', 'move', 'route', 'forward', 'sysctl', 'include', 'info', 'in',
  'pingall', 'pin', 'show', 'same', 'spawn', 'for', 'def', 'let', 'echo', 'sleep', 'jobs', 'wait', 'kill',
];
/** Words with a meaning inside statements. */
export const subKeywordNames: readonly string[] = ['hostname', 'mtu', 'as', 'at', 'pid', 'via', 'dev', 'uts', 'ipc', 'mnt', 'net', 'user'];

export const keywordNames: ReadonlySet<string> = new Set([...statementKeywordNames, ...subKeywordNames]);
