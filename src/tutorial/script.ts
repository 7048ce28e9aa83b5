/**
 * A walkthrough script read as a tutorial step. The script's first comment block is the step's
 * header: `# Step N: TITLE.`, then what the step is about. After it, each statement comes with
 * the comment lines above it: prose (`# text`), and the classic commands it stands for
 * (`#   command`, indented).
 */

export interface Note {
  readonly kind: 'prose' | 'classic';
  readonly text: string;
}

export interface Item {
  readonly notes: readonly Note[];
  /** The statement as the script writes it (one line). */
  readonly statement: string;
  /** Its line in the script. */
  readonly line: number;
}

export interface StepScript {
  readonly title: string;
  readonly about: readonly Note[];
  readonly items: readonly Item[];
}

function note(comment: string): Note {
  const text = comment.replace(/^\s*#/, '').trimEnd();
  // a classic command keeps its indentation beyond the usual three spaces (a continued line)
  return /^ {2,}\S/.test(text) ? { kind: 'classic', text: text.replace(/^ {1,3}/, '') } : { kind: 'prose', text: text.trim() };
}

export function readStep(text: string): StepScript {
  const lines = text.split('\n');
  let i = 0;
  const header: string[] = [];
  for (; i < lines.length && lines[i]!.trimStart().startsWith('#'); i++) header.push(lines[i]!);
  const title = /^#\s*Step \d+:\s*(.*?)\.?$/.exec(header[0] ?? '')?.[1] ?? '';
  const about = header.slice(1).map(note);
  while (about[0]?.text === '') about.shift();
  const items: Item[] = [];
  let notes: Note[] = [];
  for (; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t.startsWith('#')) notes.push(note(t === '#' ? '' : lines[i]!));
    else if (t !== '') {
      items.push({ notes, statement: t, line: i + 1 });
      notes = [];
    }
  }
  return { title, about, items };
}
