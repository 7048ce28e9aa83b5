/**
 * The open documents and their analyses. A change is analysed after a short pause (DEBOUNCE_MS),
 * and its diagnostics published; a request that needs the current text analyses it at once.
 * Includes are read from the editor where they are open, else from the disk; a document is
 * analysed again when a file it includes changes in the editor.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Env } from '../core/io.js';
import { fileReader } from '../pipeline.js';
import type { FileReader } from '../syntax/load.js';
import { PieceCache } from '../syntax/piece-cache.js';
import { analyze, type Analysis } from './analysis.js';
import { fileOfUri } from './positions.js';

/** How long after the last change a document is analysed. */
export const DEBOUNCE_MS = 100;

interface Entry {
  doc: TextDocument;
  /** The pieces of its text parsed before. */
  readonly pieces: PieceCache;
  analysis?: Analysis;
  /** The analysis under way, and the version it is of. */
  running?: { readonly version: number; readonly done: Promise<Analysis> };
  timer?: NodeJS.Timeout;
}

export class Workspace {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly env: Env,
    /** Called with each new analysis of an open document. */
    private readonly analysed: (a: Analysis) => void,
  ) {}

  /** Reads a file as the editor holds it if it is open there, else from the disk. */
  readonly reader: FileReader = {
    read: file => {
      for (const e of this.entries.values()) if (fileOfUri(e.doc.uri) === file) return { text: e.doc.getText() };
      return fileReader.read(file);
    },
  };

  open(doc: TextDocument): void {
    this.entries.set(doc.uri, { doc, pieces: new PieceCache() });
    void this.analyse(doc.uri);
    this.dependents(doc.uri);
  }

  change(doc: TextDocument): void {
    const e = this.entries.get(doc.uri);
    if (!e) return this.open(doc);
    e.doc = doc;
    this.schedule(e);
    this.dependents(doc.uri);
  }

  close(uri: string): void {
    const e = this.entries.get(uri);
    if (e?.timer) clearTimeout(e.timer);
    this.entries.delete(uri);
    // what includes it now reads it from the disk
    this.dependents(uri);
  }

  /** The latest analysis of a document, whatever its version (undefined before the first). */
  latest(uri: string): Analysis | undefined {
    return this.entries.get(uri)?.analysis;
  }

  document(uri: string): TextDocument | undefined {
    return this.entries.get(uri)?.doc;
  }

  /** An analysis of the document's current text: the latest if it is current, else one made now. */
  async current(uri: string): Promise<Analysis | undefined> {
    const e = this.entries.get(uri);
    if (!e) return undefined;
    if (e.analysis?.version === e.doc.version) return e.analysis;
    return this.analyse(uri);
  }

  private schedule(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    // (the editor's open is also told as a change)
    if (e.analysis?.version === e.doc.version || e.running?.version === e.doc.version) return;
    e.timer = setTimeout(() => void this.analyse(e.doc.uri), DEBOUNCE_MS);
  }

  /** The documents that read `uri`'s file are analysed again (after the pause). */
  private dependents(uri: string): void {
    const file = fileOfUri(uri);
    if (file === undefined) return;
    for (const e of this.entries.values()) if (e.doc.uri !== uri && e.analysis?.files.has(file)) this.schedule(e);
  }

  private analyse(uri: string): Promise<Analysis> {
    const e = this.entries.get(uri)!;
    if (e.timer) {
      clearTimeout(e.timer);
      e.timer = undefined;
    }
    const version = e.doc.version;
    if (e.running?.version === version) return e.running.done;
    const done = analyze({ uri, version, text: e.doc.getText() }, this.reader, this.env, e.pieces).then(a => {
      const now = this.entries.get(uri);
      if (now === e && (!e.analysis || e.analysis.version <= a.version)) {
        e.analysis = a;
        this.analysed(a);
      }
      if (e.running?.done === done) e.running = undefined;
      return a;
    });
    e.running = { version, done };
    return done;
  }
}
