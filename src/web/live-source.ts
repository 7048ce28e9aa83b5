/**
 * Where `nsh web` reads a lab from. A LiveSource gives the lab's snapshot on demand; one that can
 * tell when links or addresses change (rtnetlink notifications) offers onChange, and the server
 * then reads at once instead of waiting for its next poll.
 */
import type { LabSnapshot } from '../backend/backend.js';

export interface LiveSource {
  /** The lab as it is now: the host (`host`) and the lab's namespaces. */
  snapshot(): Promise<LabSnapshot>;
  /** Calls `cb` after a link or address of the lab changed; returns the function that stops it. */
  onChange?(cb: () => void): () => void;
}

/** A lab that is up, by name: its journal names its namespaces (read afresh each time, so new ones appear). */
export async function labSource(lab: string): Promise<LiveSource> {
  const { readLab } = await import('../graph/live-lab.js');
  return { snapshot: async () => readLab(lab) };
}
