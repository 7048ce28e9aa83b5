/**
 * What a run starts while its script is still parsed and checked: the worker that makes
 * namespaces ahead, for a script that looks large (backend/linux/netns-pool.ts), and the logins
 * to the machines a script declares (machines/ssh.ts). One of the places that choose the Linux
 * backend, with lab-commands.ts; small, so that the CLI and the library load it before the rest.
 */
import { NetnsPool } from './backend/linux/netns-pool.js';

/** Keeps a worker ready from now on, for this lab and the process's next ones (the library). */
export function keepWorker(): void {
  NetnsPool.keep();
}

/** Starts, for the script `text`, the worker ahead and the machines' logins. */
export async function startAhead(text: string): Promise<void> {
  NetnsPool.standbyFor(text);
  if (/^[ \t]*machine[ \t]/m.test(text)) (await import('./machines/ssh.js')).warmUpFor(text);
}
