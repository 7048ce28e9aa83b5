/**
 * The libc calls of packet capture: AF_PACKET sockets, their mmap()ed ring, and writev() from
 * memory outside the JS heap (the pcap writer's iovecs). The functions are bound lazily through
 * libc.ts, which alone loads koffi.
 */
import { SysError, check, ffi, libcFunctions } from './libc.js';

export const AF_PACKET = 17;
export const ETH_P_ALL = 0x0003;
export const SOL_PACKET = 263;
export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const MAP_SHARED = 0x1;

const packetLib = libcFunctions({
  mmap: 'void *mmap(void *addr, size_t len, int prot, int flags, int fd, int64_t off)',
  munmap: 'int munmap(void *addr, size_t len)',
  writev: 'intptr_t writev(int fd, void *iov, int iovcnt)',
});

/** Memory outside the JS heap: its address (for iovecs), and a view of it that copies nothing. */
export interface Mapped {
  readonly ptr: unknown;
  readonly address: number;
  readonly size: number;
  readonly buffer: ArrayBuffer;
}

/** mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0): a packet socket's ring. */
export function mmapShared(fd: number, size: number): Mapped {
  const k = ffi();
  const ptr = packetLib().mmap(null, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const address = ptr === null ? -1n : BigInt(k.address(ptr));
  if (address === -1n || address === 0xffffffffffffffffn) throw new SysError('mmap', k.errno());
  return { ptr, address: Number(address), size, buffer: k.view(ptr, size) };
}
export function munmap(m: Mapped): void {
  check('munmap', packetLib().munmap(m.ptr, m.size));
}
/** koffi-allocated memory (stable, never moved by the GC); free it with freeStable. */
export function allocStable(size: number): Mapped {
  const k = ffi();
  const ptr = k.alloc('uint8_t', size);
  return { ptr, address: Number(BigInt(k.address(ptr))), size, buffer: k.view(ptr, size) };
}
export function freeStable(m: Mapped): void {
  ffi().free(m.ptr);
}
/** writev(fd, iov, count) with the iovec array in stable memory; returns the bytes written. */
export function writev(fd: number, iov: Mapped, count: number): number {
  return check('writev', packetLib().writev(fd, iov.ptr, count));
}
