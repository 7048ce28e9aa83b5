/**
 * Where `nsh web` and the REPL's `.web` read a lab from. A LiveSource gives the lab's snapshot on
 * demand; one that can tell when links or addresses change (a backend's watch: rtnetlink
 * notifications) offers onChange, and the server then reads at once instead of waiting for its
 * next poll.
 */
import type { LabSnapshot } from '../backend/backend.js';
import type { LabReader } from '../graph/live-lab.js';

export interface LiveSource {
  /** The lab as it is now: the host (`host`, the lab's part of it) and the lab's namespaces. */
  snapshot(): Promise<LabSnapshot>;
  /** Calls `cb` after a link or address of the lab changed; returns the function that stops it. */
  onChange?(cb: () => void): () => void;
}

/**
 * A lab that is up, by name, read through `backend`: its journal names its namespaces (read afresh
 * each time, so new ones appear), the backend reads them and tells of changes.
 */
export async function labSource(lab: string, backend: LabReader): Promise<LiveSource> {
  const { labNamespaces, readLab } = await import('../graph/live-lab.js');
  backend.forLab?.(lab);
  const watch = backend.watch?.bind(backend);
  return {
    snapshot: () => readLab(lab, backend),
    ...(watch ? { onChange: (cb: () => void) => watch(() => labNamespaces(lab, backend) ?? [], cb) } : {}),
  };
}
