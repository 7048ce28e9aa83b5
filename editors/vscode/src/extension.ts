/**
 * The VS Code side of nsh: starts `nsh lsp` (the command set by the `nsh.path` setting) for the
 * nsh documents, and stops it with the extension. Highlighting is the TextMate grammar's alone.
 */
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** How the server is started: `<nsh.path> lsp` over its stdin/stdout (no transport named, so no --stdio is added). */
export function serverOptions(path: string | undefined): ServerOptions {
  return { command: path?.trim() || 'nsh', args: ['lsp'] };
}

export async function activate(context: ExtensionContext): Promise<void> {
  const server = serverOptions(workspace.getConfiguration('nsh').get<string>('path'));
  const options: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nsh' },
      { scheme: 'untitled', language: 'nsh' },
    ],
  };
  client = new LanguageClient('nsh', 'nsh language server', server, options);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
