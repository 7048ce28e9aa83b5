/** Places in nsh's terms (sources and character offsets) and in the protocol's (URIs, lines and UTF-16 columns). */
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location, Position, Range } from 'vscode-languageserver';
import type { Source, Span } from '../syntax/source.js';
import { inSource } from './syntax-walk.js';

// JavaScript strings count UTF-16 code units, as the protocol's default position encoding does.
const documents = new WeakMap<Source, TextDocument>();

function documentOf(source: Source): TextDocument {
  let d = documents.get(source);
  if (!d) documents.set(source, (d = TextDocument.create('', 'nsh', 0, source.text)));
  return d;
}

export function positionOf(source: Source, offset: number): Position {
  return documentOf(source).positionAt(offset);
}

export function offsetOf(source: Source, p: Position): number {
  return documentOf(source).offsetAt(p);
}

export function rangeOf(span: Span): Range {
  return { start: positionOf(span.source, span.start), end: positionOf(span.source, span.end) };
}

/** The file path of a `file:` URI (undefined for others: an unsaved editor). */
export function fileOfUri(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

export function uriOfFile(file: string): string {
  return pathToFileURL(file).href;
}

/** The file a source was read from: its name is the path relative to the working directory, or absolute. */
export function fileOfSource(source: Source): string {
  return path.resolve(source.name);
}

/** Where a span is, in the document or in a file it includes (`document`: the document's source and URI). */
export function locationOf(span: Span, document: { readonly source: Source; readonly uri: string }): Location {
  const uri = inSource(span, document.source) ? document.uri : uriOfFile(fileOfSource(span.source));
  return { uri, range: rangeOf(span) };
}
