/**
 * Inside the test sandbox the network namespace has only lo, and lo is down (127.0.0.1 has no
 * address then): a server test brings it up and puts it back as it found it. Outside the
 * sandbox the machine's lo is left alone.
 */
import { ip, ipJson, IN_SANDBOX } from '../backend-linux/kernel-sandbox.js';

/** Brings the sandbox's lo up; returns what puts it back. */
export function sandboxLoopbackUp(): () => void {
  if (!IN_SANDBOX) return () => undefined;
  const wasUp = ipJson<{ flags: string[] }[]>('link', 'show', 'lo')[0]?.flags.includes('UP') ?? false;
  if (!wasUp) ip('link', 'set', 'lo', 'up');
  return () => {
    if (!wasUp) ip('link', 'set', 'lo', 'down');
  };
}
