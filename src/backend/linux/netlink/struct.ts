/**
 * Fixed C structs declared as layouts (after pyroute2's message classes): a size and the fields
 * as [name, kind, byte offset]. Host byte order is little-endian here; 'be16'/'be32' are the
 * network-order fields (ports, some addresses); 'u64' is read as a number. A field may itself be a struct (nlmsgerr holds
 * a nlmsghdr). Padding and unnamed bytes are zero when packing.
 */

/** u64 fields are read as numbers (exact below 2^53: counters, rates in bytes per second). */
export type Kind = 'u8' | 'u16' | 's16' | 'u32' | 's32' | 'u64' | 'be16' | 'be32';

export interface Struct<T> {
  readonly size: number;
  /** A new buffer of `size` bytes holding `values` (missing fields are 0). */
  pack(values: Partial<T>): Buffer;
  /** Write `values` at b[at..at+size]. */
  packInto(b: Buffer, at: number, values: Partial<T>): void;
  /** Read the fields at b[at..]. */
  unpack(b: Buffer, at?: number): T;
}

type Field<T> = readonly [name: keyof T & string, kind: Kind | Struct<object>, at: number];

export function struct<T extends object>(size: number, fields: readonly Field<T>[]): Struct<T> {
  // Indexed loops, not `for (const [name, kind, at] of fields)`: every request and answer passes
  // here, mostly in code that V8 has not optimised yet, where an array pattern steps an iterator
  // and allocates a result for each element.
  const packInto = (b: Buffer, base: number, values: Partial<T>): void => {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const name = f[0], kind = f[1], at = f[2];
      const v = values[name] as unknown;
      if (typeof kind === 'object') {
        if (v !== undefined) (kind as Struct<unknown>).packInto(b, base + at, v as object);
        continue;
      }
      const n = (v as number | undefined) ?? 0;
      const o = base + at;
      switch (kind) {
        case 'u8': b.writeUInt8(n, o); break;
        case 'u16': b.writeUInt16LE(n, o); break;
        case 's16': b.writeInt16LE(n, o); break;
        case 'u32': b.writeUInt32LE(n >>> 0, o); break;
        case 's32': b.writeInt32LE(n, o); break;
        case 'u64': b.writeBigUInt64LE(BigInt(n), o); break;
        case 'be16': b.writeUInt16BE(n, o); break;
        case 'be32': b.writeUInt32BE(n >>> 0, o); break;
      }
    }
  };
  return {
    size,
    packInto,
    pack(values) {
      const b = Buffer.allocUnsafe(size).fill(0); // (from node's pool of small buffers: cheaper than alloc)
      packInto(b, 0, values);
      return b;
    },
    unpack(b, base = 0) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const name = f[0], kind = f[1], o = base + f[2];
        if (typeof kind === 'object') { out[name] = (kind as Struct<unknown>).unpack(b, o); continue; }
        switch (kind) {
          case 'u8': out[name] = b.readUInt8(o); break;
          case 'u16': out[name] = b.readUInt16LE(o); break;
          case 's16': out[name] = b.readInt16LE(o); break;
          case 'u32': out[name] = b.readUInt32LE(o); break;
          case 's32': out[name] = b.readInt32LE(o); break;
          case 'u64': out[name] = Number(b.readBigUInt64LE(o)); break;
          case 'be16': out[name] = b.readUInt16BE(o); break;
          case 'be32': out[name] = b.readUInt32BE(o); break;
        }
      }
      return out as T;
    },
  };
}
