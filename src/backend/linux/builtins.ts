/**
 * Node modules that only some statements need, loaded when first used: importing them with the
 * backend cost every run that makes a lab ~10 ms of start-up (node:child_process alone ~6 ms,
 * node:worker_threads ~4 ms). They are loaded with require, synchronously, because they are used
 * inside withNetns, where nothing may wait.
 */
import { builtin } from './node-require.js';

function lazy<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= builtin<T>(name));
}

export const childProcess = lazy<typeof import('node:child_process')>('node:child_process');
export const net = lazy<typeof import('node:net')>('node:net');
export const dgram = lazy<typeof import('node:dgram')>('node:dgram');
export const workerThreads = lazy<typeof import('node:worker_threads')>('node:worker_threads');
