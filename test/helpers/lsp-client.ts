/**
 * An editor's side of the Language Server Protocol, for tests and benchmarks: `bin/nsh lsp` as a
 * child process, spoken to over its standard input and output by vscode-languageserver-protocol.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface LspSession {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  /** Opens a document (the file need not exist) and returns its URI. */
  open(file: string, text: string): string;
  change(uri: string, changes: TextDocumentContentChangeEvent[]): number;
  /** The diagnostics of the document's version `version` (or of the next ones published), when they come. */
  diagnostics(uri: string, version?: number): Promise<Diagnostic[]>;
  /** The server's stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export async function startLsp(opts: { cwd?: string } = {}): Promise<LspSession> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/nsh'), 'lsp'], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiting: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of waiting.splice(0)) w();
  });
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(opts.cwd ?? repoRoot).href,
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: false } } } },
  });
  await connection.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  return {
    connection,
    child,
    open(file, text) {
      const uri = pathToFileURL(path.resolve(opts.cwd ?? repoRoot, file)).href;
      versions.set(uri, 1);
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nsh', version: 1, text } });
      return uri;
    },
    change(uri, changes) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
      return version;
    },
    async diagnostics(uri, version) {
      for (;;) {
        const found = published.find(p => p.uri === uri && (version === undefined || p.version === version));
        if (found) {
          published.splice(published.indexOf(found), 1);
          return found.diagnostics;
        }
        await new Promise<void>(r => waiting.push(r));
      }
    },
    stderr: () => err,
    async close() {
      await connection.sendRequest('shutdown');
      void connection.sendNotification('exit');
      await new Promise(r => child.once('exit', r));
      connection.dispose();
    },
  };
}
