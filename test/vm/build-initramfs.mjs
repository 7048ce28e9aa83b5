// Builds the VM's initramfs from the newest installed Debian kernel: busybox (static), /init
// (test/vm/init.sh) and the virtio and 9p modules with their dependencies from modules.dep, as a
// gzipped newc archive. Everything else the VM runs comes from the host's root, read-only.
//   node test/vm/build-initramfs.mjs OUTDIR     writes OUTDIR/initramfs.cpio.gz and prints
//                                              "VERSION VMLINUZ" of the kernel it is for
import { accessSync, closeSync, constants, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { moduleLoadOrder, newestKernel } from './kernel.mjs';
import { chardev, dir, file, newc } from './newc.mjs';

/** What /init needs to mount the host's root: the 9p filesystem over virtio-pci. */
const BOOT_MODULES = ['virtio_pci', '9pnet_virtio', '9p'];
const BUSYBOX = '/bin/busybox';

const fail = msg => {
  console.error(`build-initramfs: ${msg}`);
  process.exit(1);
};

/** True when an ELF file asks for no program interpreter (PT_INTERP), i.e. is statically linked. */
function isStatic(path) {
  const fd = openSync(path, 'r');
  try {
    const h = Buffer.alloc(64);
    readSync(fd, h, 0, 64, 0);
    if (h.toString('latin1', 0, 4) !== '\x7fELF' || h[4] !== 2) return false;
    const phoff = Number(h.readBigUInt64LE(32));
    const phentsize = h.readUInt16LE(54);
    const phnum = h.readUInt16LE(56);
    const ph = Buffer.alloc(phentsize * phnum);
    readSync(fd, ph, 0, ph.length, phoff);
    for (let i = 0; i < phnum; i++) if (ph.readUInt32LE(i * phentsize) === 3) return false;
    return true;
  } finally {
    closeSync(fd);
  }
}

const outDir = process.argv[2] ?? fail('usage: node test/vm/build-initramfs.mjs OUTDIR');
const kernel = newestKernel();
if (typeof kernel === 'string') fail(kernel);
try {
  accessSync(kernel.vmlinuz, constants.R_OK);
} catch {
  fail(`${kernel.vmlinuz} is not readable (Debian makes it readable by root only)`);
}
let busybox;
try {
  busybox = readFileSync(BUSYBOX);
} catch {
  fail(`no ${BUSYBOX} (apt-get install busybox-static)`);
}
if (!isStatic(BUSYBOX)) fail(`${BUSYBOX} is not statically linked (apt-get install busybox-static)`);
let modules;
try {
  modules = moduleLoadOrder(kernel.modules, BOOT_MODULES);
} catch (e) {
  fail(e.message);
}
const compressed = modules.find(m => !m.endsWith('.ko'));
if (compressed) fail(`${compressed} is compressed; busybox insmod loads only plain .ko files`);

const entries = [dir('bin'), dir('dev'), dir('proc'), dir('lib'), dir('lib/modules'), chardev('dev/console', 5, 1)];
const dirs = new Set(['lib/modules']);
for (const m of modules) {
  const parts = dirname(m).split('/');
  for (let i = 1; i <= parts.length; i++) {
    const d = join('lib/modules', ...parts.slice(0, i));
    if (!dirs.has(d)) entries.push(dir(d)), dirs.add(d);
  }
  entries.push(file(`lib/modules/${m}`, readFileSync(join(kernel.modules, m))));
}
entries.push(
  file('bin/busybox', busybox, 0o755),
  file('init', readFileSync(new URL('init.sh', import.meta.url)), 0o755),
  file('modules', Buffer.from(modules.join('\n') + '\n')),
);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'initramfs.cpio.gz'), gzipSync(newc(entries), { level: 1 }));
console.log(`${kernel.version} ${kernel.vmlinuz}`);
