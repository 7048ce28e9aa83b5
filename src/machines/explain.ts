/**
 * `nsh --explain FILE` for a lab across machines: one bash script per machine, each what that
 * machine's nsh would do for its part (its statements and tunnel ends in order), as
 * iproute2 and shell commands. Run by bash on each machine, they build the same lab; what the
 * coordinator itself does across machines (show, pingall) is said in a comment.
 */
import type { Env } from '../core/io.js';
import { LOCAL } from '../core/machines.js';
import { explainStatements } from '../runtime/check.js';
import { loadInline } from '../pipeline.js';
import type { Program } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { error } from '../syntax/diagnostics.js';
import { claimText } from './claims.js';
import { planProgram, type Plan, type PlanLine } from './plan.js';
import { PartError } from './remote.js';
import { machineTarget, tunnelAddresses } from './run.js';
import { VNI_MAX } from '../syntax/values.js';
import { targetText } from './ssh.js';
import { echoWord, markedText } from './text.js';

/** FNV-1a of a text: 32 bits. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * VNIs for an explanation: drawn from the lab's name, so the same script explains the same way (a
 * run draws its own at random).
 */
function steadyDraws(lab: string): { drawVni: (taken: ReadonlySet<number>) => number } {
  let vnis = 0;
  return {
    drawVni: taken => {
      for (;;) {
        const v = 1 + (fnv(`${lab}:vni:${vnis++}`) % VNI_MAX);
        if (!taken.has(v)) return v;
      }
    },
  };
}

/**
 * Each machine's part as nsh text, in order. The coordinator's job N is job n of its machine: `%N`
 * becomes `%n`, and its pid the variable `nsh_pidn`, set from `$!` right after the job starts (the
 * explain backend prints it as the shell variable that holds the job's pid); another machine's
 * job's pid is said in words.
 */
export function partTexts(plan: Plan, address: (from: string, to: string) => string): Map<string, string[]> {
  const texts = new Map<string, string[]>(plan.used.map(m => [m, []]));
  const jobs = new Map<number, { machine: string; n: number }>();
  const started = new Map<string, number>();
  const referenced = referencedJobs(plan);
  // (a job of another machine: its pid is known there only, when it runs)
  const unmark = (m: string, text: string) =>
    text
      .replace(/\uE000job(\d+)\uE001/g, (_, j: string) => {
        const job = jobs.get(Number(j));
        return job?.machine === m ? `\${nsh_pid${job.n}}` : `<the pid of job ${job?.n ?? j} of ${job?.machine ?? 'another machine'}>`;
      })
      .replace(/%\uE002(\d+)\uE003/g, (_, j: string) => `%${jobs.get(Number(j))?.n ?? j}`);
  const add = (m: string, l: PlanLine) => {
    texts.get(m)!.push(unmark(m, l.text));
    if (l.job !== undefined) {
      const n = (started.get(m) ?? 0) + 1;
      started.set(m, n);
      jobs.set(l.job, { machine: m, n });
      if (referenced.has(l.job)) texts.get(m)!.push(`let nsh_pid${n} = $!`);
    }
  };
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'build':
        for (const [m, lines] of step.parts) for (const l of lines) add(m, l);
        break;
      case 'tunnels':
        for (const { tunnel, ends } of step.tunnels) {
          for (const [end, other] of [[ends[0], ends[1]], [ends[1], ends[0]]] as const) texts.get(end.machine)!.push(claimText(tunnel, end, address(end.machine, other.machine)));
        }
        break;
      case 'run':
        add(step.machine, step.line);
        break;
      case 'all':
        for (const [m, l] of step.lines) add(m, l);
        break;
      case 'print':
        texts.get(LOCAL)!.push(unmark(LOCAL, `echo ${echoWord(step.text)}`));
        break;
      case 'sleep':
        texts.get(LOCAL)!.push(`sleep ${step.seconds}`);
        break;
      case 'show':
      case 'pingall':
        break;
    }
  }
  return texts;
}

/** The coordinator's jobs whose pid a later statement uses (`$!`). */
function referencedJobs(plan: Plan): Set<number> {
  const texts = plan.steps.flatMap(step => {
    switch (step.kind) {
      case 'build':
        return [...step.parts.values()].flatMap(lines => lines.map(l => l.text));
      case 'run':
        return [step.line.text];
      case 'all':
        return [...step.lines.values()].map(l => l.text);
      case 'print':
        return [markedText(step.text)];
      default:
        return [];
    }
  });
  return new Set(texts.flatMap(t => [...t.matchAll(/\uE000job(\d+)\uE001/g)].map(m => Number(m[1]))));
}

/**
 * The scripts, one per machine that has a part (the coordinator's own first); or why not. As for
 * one machine, the script was checked: a statement that cannot be explained ends the scripts there.
 */
export async function explainAcross(program: Program, title: string, env: Env, labName: string): Promise<string | Diagnostic> {
  const { plan: planned } = await planProgram(program.statements, { env, labName, ...steadyDraws(labName) });
  let address: (from: string, to: string) => string;
  try {
    address = await tunnelAddresses(planned);
  } catch (e) {
    if (!(e instanceof PartError)) throw e;
    return error(e.message, planned.machines.get(e.machine)?.span);
  }
  const out: string[] = [];
  for (const [m, texts] of partTexts(planned, address)) {
    if (texts.length === 0) continue;
    const where = m === LOCAL ? 'the machine that runs it (local)' : `machine ${m} (ssh ${targetText(machineTarget(planned, m))})`;
    const loaded = loadInline(`${labName}@${m}`, texts.join('\n'));
    const script = await explainStatements(loaded.program.statements, { env, title: `${title}, the part of ${where}`, labName: `${labName}@${m}` });
    out.push(`# ---- ${m} ----\n${script}\n`);
  }
  return out.join('\n');
}
