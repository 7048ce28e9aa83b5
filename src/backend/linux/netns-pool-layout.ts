/** The shared Int32Array between NetnsPool and its worker: six counters, then a ring of AHEAD slots, one per
 * namespace made and not yet taken. */
export const REMAINING = 0; // namespaces still to make; the worker and the main thread each claim one by decrementing
export const MADE = 1; // namespaces the worker published in slots
export const ENDED = 2; // 0 while the worker runs, then FINISHED or FAILED
export const TAKEN = 3; // namespaces the main thread took
export const STOP = 4; // 1: the main thread wants no more
export const STANDBY = 5; // 1: started before the count is known; the worker waits until it is 0 (or STOP)
export const SLOTS_AT = 6;
export const SLOT = 2; // namespace fd, socket fd
export const FINISHED = 1;
export const FAILED = 2;
/** The worker keeps at most this many made and not yet taken (each holds two fds). */
export const AHEAD = 32;
