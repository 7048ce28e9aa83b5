/**
 * A text parsed again with the pieces of the parses before (src/syntax/piece-cache.ts) gives the
 * same statements, at the same places, as a parse from nothing: after an edit in place, after lines
 * put in or taken out above a piece, after a syntax error comes and goes.
 */
import * as assert from 'node:assert/strict';
import { parseSource, PIECE_LINES } from '../src/syntax/parse.js';
import { PieceCache } from '../src/syntax/piece-cache.js';
import { splitTopLevel } from '../src/syntax/pieces.js';
import { parseRecovering } from '../src/syntax/recover.js';
import { makeSource } from '../src/syntax/source.js';

/** A script of about `units` × 8 lines, so several pieces long. */
function script(units: number): string {
  const out: string[] = [];
  for (let k = 0; k < units; k++) {
    out.push(`# unit ${k}`, `def h${k} N {`, `  ns $N`, `  veth $N.e0 <-> r${k}.$N 10.0.${k % 250}.2/24 mtu 1400`, `}`);
    out.push(`ns r${k}`, `h${k} x${k}`, `echo "unit ${k}"`);
  }
  return `${out.join('\n')}\n`;
}

/** The parse as plain data: each span as its place and the text it covers, in a source of that name. */
function plain(text: string, cache?: PieceCache | 'whole'): unknown {
  const source = makeSource('t.ns', text);
  const r = cache === 'whole' ? parseRecovering(source, PIECE_LINES) : parseSource(source, cache);
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v === null || typeof v !== 'object') return v;
    // a node that keeps some of its fields to be made when read (a plain word's parts) gives them all as JSON
    const json = (v as { toJSON?: () => unknown }).toJSON;
    const o = (json ? json.call(v) : v) as Record<string, unknown>;
    if ('source' in o && typeof o.start === 'number') {
      const source = o.source as { name: string; text: string };
      return { name: source.name, start: o.start, end: o.end, line: o.line, col: o.col, text: source.text.slice(o.start as number, o.end as number) };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, strip(x)]));
  };
  return strip({ statements: r.program.statements, diagnostics: r.diagnostics, incomplete: r.incomplete });
}

describe('parsing again with the pieces parsed before', () => {
  const base = script(60);
  const lines = base.split('\n');
  const at = (line: number) => lines.slice(0, line).join('\n').length + 1;
  const edits: [string, string][] = [
    ['the text itself again', base],
    ['a word changed in place', base.replace('mtu 1400', 'mtu 1500')],
    ['a line put in at the top', `ns top\n${base}`],
    ['a line taken out in the middle', base.slice(0, at(PIECE_LINES * 2)) + base.slice(at(PIECE_LINES * 2 + 1))],
    ['a syntax error in a def body', base.replace('mtu 1400', 'mtu <->')],
    ['a string never closed', base.replace('echo "unit 3"', 'echo "unit 3')],
    ['the error taken back', base],
    ['a character more on a line (offsets move, lines do not)', base.replace('ns r0', 'ns rr0')],
  ];

  it(`gives what a parse from nothing gives (${edits.length} texts in a row)`, () => {
    assert.ok(lines.length > PIECE_LINES * 3, 'the script is several pieces long');
    const cache = new PieceCache();
    for (const [what, text] of edits) assert.deepEqual(plain(text, cache), plain(text), what);
  });

  it('gives the same after the texts in another order', () => {
    const cache = new PieceCache();
    for (const [what, text] of [...edits].reverse()) assert.deepEqual(plain(text, cache), plain(text), what);
  });

  it('gives the same when a piece comes twice in a text, and lines are put in above both', () => {
    const first = splitTopLevel(base, PIECE_LINES)[0]!;
    const twice = base.slice(first.start, first.end).repeat(2) + base;
    const cache = new PieceCache();
    for (const [what, text] of [
      ['the piece twice', twice],
      ['a line put in at the top', `ns top\n${twice}`],
      ['two lines put in at the top', `ns top\nns top2\n${twice}`],
      ['the piece twice again', twice],
    ] as const)
      assert.deepEqual(plain(text, cache), plain(text), what);
  });

  it('parses a text with errors as a recovery of the whole text does, piece by piece where it can', () => {
    const broken: [string, string][] = [
      ['junk after a statement in a def body', base.replace('mtu 1400', 'mtu <->')],
      ['errors in two pieces', base.replace('ns r2\n', 'ns r2 <->\n').replace('ns r40\n', 'ns 1x\n')],
      ['a "}" that closes nothing', base.replace('ns r10\n', 'ns r10\n}\n')],
      ['a block never closed', base.replace('def h20 N {', 'def h20 N {\n  for i in 1..2 {')],
      ['a string never closed', base.replace('echo "unit 30"', 'echo "unit 30')],
      ['a character the lexer does not know', base.replace('ns r5\n', 'ns r5 | x\n')],
      ['a statement that misses words, last', `${base}veth\n`],
    ];
    const cache = new PieceCache();
    for (const [what, text] of broken) {
      const whole = plain(text, 'whole') as { diagnostics: unknown[] };
      assert.ok(whole.diagnostics.length > 0, what);
      assert.deepEqual(plain(text), whole, what);
      assert.deepEqual(plain(text, cache), whole, `${what} (with the cache)`);
    }
  });
});
