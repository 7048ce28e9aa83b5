/**
 * The pipeline (lexer, parser, checker) as the REPL loads it: once its first prompt is out, not
 * before, so that the prompt does not wait for Chevrotain and nsh's grammar. Each entry waits for
 * loadPipeline() (the session does) before anything here parses.
 */
import type * as Pipeline from '../pipeline.js';

export type { Loaded } from '../pipeline.js';

let pipeline: typeof Pipeline | undefined;
let loading: Promise<typeof Pipeline> | undefined;

/** Loads the pipeline's code (once); resolves when it is ready. */
export function loadPipeline(): Promise<typeof Pipeline> {
  return (loading ??= import('../pipeline.js').then(m => (pipeline = m)));
}

function loaded(): typeof Pipeline {
  if (!pipeline) throw new Error('the REPL parsed before its parser was loaded');
  return pipeline;
}

/** The pipeline's `loadInline`, once loadPipeline() has resolved. */
export function loadInline(name: string, text: string): Pipeline.Loaded {
  return loaded().loadInline(name, text);
}

/** Whether a diagnostic's message is the parser's for a `{` never closed (the entry goes on). */
export function isUnclosed(message: string): boolean {
  return message === loaded().UNCLOSED;
}
