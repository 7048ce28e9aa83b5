/**
 * What a run starts while its script is still parsed and checked: the worker that makes
 * namespaces ahead, for a script that looks large (backend/linux/netns-pool.ts), and the logins
 * to the machines a script declares (machines/ssh.ts). One of the places that choose the Linux
 * backend, with lab-commands.ts; small, so that the CLI and the library load it before the rest.
 */
import { NetnsPool } from './backend/linux/netns-pool.js';

/** Starts the worker ahead when `text` makes many namespaces. */
export function standbyFor(text: string): void {
  NetnsPool.standbyFor(text);
}

/** Ends a worker started ahead that no lab took. */
export function dismissStandby(): void {
  NetnsPool.dismiss();
}

/** Starts, for the script `text`, the worker ahead and the machines' logins. */
export async function startAhead(text: string): Promise<void> {
  standbyFor(text);
  if (/^[ \t]*machine[ \t]/m.test(text)) (await import('./machines/ssh.js')).warmUpFor(text);
}
