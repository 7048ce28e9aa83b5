// Writes a cpio archive in the "newc" format the kernel unpacks as an initramfs
// (Documentation/driver-api/early-userspace/buffer-format.rst): per entry a 110-byte ASCII header
// of thirteen 8-digit hex fields, the NUL-terminated name, the data, each padded to 4 bytes; a
// "TRAILER!!!" entry ends it. Parent directories must come before their children.

/** @typedef {{ name: string, mode: number, data?: Buffer, rdev?: [number, number] }} Entry */

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

export const dir = (name, perm = 0o755) => ({ name, mode: S_IFDIR | perm });
export const file = (name, data, perm = 0o644) => ({ name, mode: S_IFREG | perm, data });
export const symlink = (name, target) => ({ name, mode: S_IFLNK | 0o777, data: Buffer.from(target) });
export const chardev = (name, major, minor, perm = 0o600) => ({ name, mode: S_IFCHR | perm, rdev: [major, minor] });

const pad4 = n => (4 - (n % 4)) % 4;
const hex = n => n.toString(16).padStart(8, '0');

/** @param {Entry[]} entries @returns {Buffer} */
export function newc(entries) {
  const parts = [];
  const add = (e, ino) => {
    const data = e.data ?? Buffer.alloc(0);
    const name = Buffer.from(e.name + '\0');
    const [rmaj, rmin] = e.rdev ?? [0, 0];
    const isDir = (e.mode & 0o170000) === S_IFDIR;
    const fields = [ino, e.mode, 0, 0, isDir ? 2 : 1, 0, data.length, 0, 0, rmaj, rmin, name.length, 0];
    const header = Buffer.from('070701' + fields.map(hex).join(''), 'ascii');
    parts.push(header, name, Buffer.alloc(pad4(header.length + name.length)), data, Buffer.alloc(pad4(data.length)));
  };
  entries.forEach((e, i) => add(e, i + 1));
  add({ name: 'TRAILER!!!', mode: 0 }, 0);
  return Buffer.concat(parts);
}
