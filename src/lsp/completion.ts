/**
 * Completion: the REPL's completer (src/repl/complete.ts, which reads the statement registry)
 * asked about the statement being typed, with the world as the dry run knew it at that point:
 * the lab's namespaces and their interfaces then, the variables and defs visible there, and the
 * files beside the document.
 */
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver';
import { complete, type CompletionWorld } from '../repl/complete.js';
import { statementKeywordNames } from '../syntax/keywords.js';
import type { OptionSpec } from '../syntax/statement-spec.js';
import { statementSpec } from '../syntax/statements.js';
import type { Analysis } from './analysis.js';
import { visibleAt } from './names.js';

/** The text of the statement up to the cursor: its line, with the lines it continues (a trailing `\`). */
function typed(text: string, offset: number): string {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  let line = text.slice(start, offset);
  while (start > 0) {
    const prevStart = text.lastIndexOf('\n', start - 2) + 1;
    const prev = text.slice(prevStart, start - 1).replace(/\r$/, '');
    if (!prev.endsWith('\\')) break;
    line = `${prev.slice(0, -1)} ${line}`;
    start = prevStart;
  }
  return line;
}

/** Where the typed text can be read in the analysis: unchanged before the line being typed. */
export function usable(a: Analysis, text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return a.text.length >= lineStart && a.text.startsWith(text.slice(0, lineStart));
}

export function completionsAt(a: Analysis, text: string, offset: number, position: Position): CompletionItem[] {
  // the lab as it was after what comes before the line: the analysis may be older than the text
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const state = a.trace.stateAt(a.trace.stepAt(lineStart));
  const visible = visibleAt(a.program.statements, a.source, lineStart);
  const world: CompletionWorld = {
    namespaces: () => [...state.lab],
    interfaces: ns => state.model.linkNames(ns),
    variables: () => visible.variables.map(v => v.name),
    defs: () => visible.defs.map(d => d.name),
    cwd: a.dir,
  };
  const line = typed(text, offset);
  const [candidates, current] = complete(line, world);
  const words = line.slice(Math.max(line.lastIndexOf(';'), line.lastIndexOf('{'), line.lastIndexOf('}')) + 1).split(/\s+/).filter(Boolean);
  if (current !== '') words.pop();
  while (words[0] === '!') words.shift();
  const spec = words[0] === undefined ? undefined : statementSpec(words[0]);
  const options = new Map<string, OptionSpec>([...(spec?.leadingOptions ?? []), ...(spec?.options ?? [])].map(o => [o.word, o]));
  const defs = new Map(visible.defs.map(d => [d.name, d.def]));
  const namespaces = new Set([...state.lab, 'host']);
  const range = { start: { line: position.line, character: position.character - current.length }, end: position };
  return candidates.map((c, i): CompletionItem => {
    const label = c.replace(/ $/, '').replace(/^!/, '');
    const item: CompletionItem = { label, sortText: String(i).padStart(5, '0'), textEdit: { range, newText: c.replace(/ $/, '') } };
    if (words.length === 0 && statementKeywordNames.includes(label)) {
      return { ...item, kind: CompletionItemKind.Keyword, detail: statementSpec(label)?.help };
    }
    const def = defs.get(label);
    if (words.length === 0 && def) return { ...item, kind: CompletionItemKind.Function, detail: `def ${[def.name, ...def.params].map(w => w.raw).join(' ')}` };
    const option = options.get(label);
    if (option) return { ...item, kind: CompletionItemKind.Property, detail: option.help };
    if (c.startsWith('$')) return { ...item, kind: CompletionItemKind.Variable };
    if (label.endsWith('.') && namespaces.has(label.slice(0, -1))) {
      // a namespace, then its interfaces
      return { ...item, kind: CompletionItemKind.Module, command: { title: 'interfaces', command: 'editor.action.triggerSuggest' } };
    }
    if (namespaces.has(label)) return { ...item, kind: CompletionItemKind.Module };
    if (/^[^/"']+\.[^/]+$/.test(label) && namespaces.has(label.slice(0, label.indexOf('.')))) return { ...item, kind: CompletionItemKind.Interface };
    if (label.endsWith('/')) return { ...item, kind: CompletionItemKind.Folder, command: { title: 'files', command: 'editor.action.triggerSuggest' } };
    if (/\.ns["']?$/.test(label)) return { ...item, kind: CompletionItemKind.File };
    return { ...item, kind: CompletionItemKind.Value };
  });
}
