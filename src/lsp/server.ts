/**
 * `nsh lsp`: a language server on standard input and output (the Language Server Protocol, over
 * vscode-languageserver). Diagnostics as `nsh check` gives them, on open and after each change;
 * completion, hover, go to definition, document symbols, and rename of namespaces and defs. Loaded
 * by the command line only for this command.
 */
import {
  createConnection,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
  type TextDocumentPositionParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Io } from '../core/io.js';
import type { Analysis } from './analysis.js';
import { completionsAt, usable } from './completion.js';
import { definitionAt } from './definition.js';
import { toLsp } from './diagnostics.js';
import { hoverAt } from './hover.js';
import { prepareRename, rename } from './rename.js';
import { documentSymbols } from './symbols.js';
import { Workspace } from './workspace.js';

declare const NSH_VERSION: string;

export function startLanguageServer(io: Io): Promise<number> {
  const connection: Connection = createConnection(io.stdin ?? process.stdin, io.stdout);
  const documents = new TextDocuments(TextDocument);
  const publish = (a: Analysis) =>
    void connection.sendDiagnostics({ uri: a.uri, version: a.version, diagnostics: toLsp(a.diagnostics, { source: a.source, uri: a.uri, statements: a.program.statements }) });
  const workspace = new Workspace(io.env, publish);

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '$', '"', '/'] },
        hoverProvider: true,
        definitionProvider: true,
        documentSymbolProvider: true,
        renameProvider: { prepareProvider: true },
      },
      serverInfo: { name: 'nsh', version: typeof NSH_VERSION === 'string' ? NSH_VERSION : '0.0.0-dev' },
    }),
  );

  documents.onDidOpen(e => workspace.open(e.document));
  documents.onDidChangeContent(e => workspace.change(e.document));
  documents.onDidClose(e => {
    workspace.close(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** The current analysis of a request's document and the offset of its position. */
  const at = async (p: TextDocumentPositionParams) => {
    const doc = workspace.document(p.textDocument.uri);
    const a = doc && (await workspace.current(doc.uri));
    return doc && a ? { a, offset: doc.offsetAt(p.position) } : undefined;
  };

  connection.onCompletion(async p => {
    const doc = workspace.document(p.textDocument.uri);
    if (!doc) return [];
    const text = doc.getText();
    const offset = doc.offsetAt(p.position);
    // the latest analysis serves while the text before the line being typed is the same
    const latest = workspace.latest(doc.uri);
    const a = latest && usable(latest, text, offset) ? latest : await workspace.current(doc.uri);
    return a ? completionsAt(a, text, offset, p.position) : [];
  });
  connection.onHover(async p => {
    const r = await at(p);
    return r ? hoverAt(r.a, r.offset, io.env) : null;
  });
  connection.onDefinition(async p => {
    const r = await at(p);
    return r ? definitionAt(r.a, r.offset) : [];
  });
  connection.onDocumentSymbol(async p => {
    const a = await workspace.current(p.textDocument.uri);
    return a ? documentSymbols(a.program.statements, a.source) : [];
  });
  connection.onPrepareRename(async p => {
    const r = await at(p);
    return r ? prepareRename(r.a, r.offset) : null;
  });
  connection.onRenameRequest(async p => {
    const r = await at(p);
    return r ? { changes: { [p.textDocument.uri]: rename(r.a, r.offset, p.newName) } } : null;
  });

  documents.listen(connection);
  connection.listen();
  // the connection ends the process when the editor says exit, or closes the stream
  return new Promise(() => {});
}
