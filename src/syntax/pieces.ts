/**
 * Cuts a long script into pieces at top-level line ends (outside blocks, strings and line
 * continuations) so each piece can be parsed on its own. The scan only has to be right for text
 * that parses: a wrong cut makes a piece fail to parse, and the caller then parses the whole text.
 */
export interface Piece {
  readonly start: number;
  readonly end: number;
  /** 1-based line number of the piece's first line. */
  readonly line: number;
}

export function splitTopLevel(text: string, minLines: number): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let depth = 0;
  let wordStart = true;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 10: // \n
        line++;
        if (depth === 0 && line - startLine >= minLines) {
          pieces.push({ start, end: i + 1, line: startLine });
          start = i + 1;
          startLine = line;
        }
        wordStart = true;
        continue;
      case 92: // backslash: the next character is taken as is
        if (text.charCodeAt(i + 1) === 10) line++;
        i++;
        break;
      case 34: {
        // "…"
        for (i++; i < n && text.charCodeAt(i) !== 34; i++) {
          if (text.charCodeAt(i) === 92) i++;
          if (text.charCodeAt(i) === 10) line++;
        }
        break;
      }
      case 39: // '…'
        for (i++; i < n && text.charCodeAt(i) !== 39; i++) if (text.charCodeAt(i) === 10) line++;
        break;
      case 36: // ${…}
        if (text.charCodeAt(i + 1) === 123) {
          const close = text.indexOf('}', i);
          const nl = text.indexOf('\n', i);
          if (close !== -1 && (nl === -1 || close < nl)) i = close;
        }
        break;
      case 35: // # starts a comment at the start of a word
        if (wordStart) {
          const nl = text.indexOf('\n', i);
          i = (nl === -1 ? n : nl) - 1;
          continue;
        }
        break;
      case 123:
        depth++;
        break;
      case 125:
        if (depth > 0) depth--;
        break;
    }
    wordStart = c === 32 || c === 9 || c === 59 || c === 123 || c === 125;
  }
  if (start < n || pieces.length === 0) pieces.push({ start, end: n, line: startLine });
  return pieces;
}
