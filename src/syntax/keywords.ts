/**
 * nsh's keywords as plain names, derived from the statement registry (statements.ts): the
 * statement names, and the words with a meaning inside statements (option words, and keywords of
 * the forms such as `via`). tokens.ts makes a token of each; the interpreter, the REPL and
 * completion read the names.
 */
import { keywordsOf } from './statement-usage.js';
import { statements } from './statements.js';

const { statements: names, others } = keywordsOf(statements);

/** The words that start a statement. */
export const statementKeywordNames: readonly string[] = names;
/** Words with a meaning inside statements. */
export const subKeywordNames: readonly string[] = others;

export const keywordNames: ReadonlySet<string> = new Set([...statementKeywordNames, ...subKeywordNames]);
