#!/bin/sh
# The VM tier: boots the newest installed Debian kernel (/boot/vmlinuz-*) under QEMU and runs,
# with one mocha process inside it, the tests that need kernel features the machine's own kernel
# may lack (netem, 802.1Q, bridge VLAN filtering: build/test/vm/**/*.test.js) and, as a check
# against a second kernel version, build/test/cli-kernel/lab.test.js. The VM sees the host's root
# read-only through 9p, writes only to build/vm/out, and has no network device. Prints mocha's
# output and exits with mocha's status; QEMU is killed after NSH_VM_TIMEOUT seconds (default 1200).
#   sh test/vm/run.sh [mocha files/options...]     (as root, after npm run build)
#   sh test/vm/run.sh --if-able                     the same, but when the tier cannot run here,
#                                                   one line says why and the exit status is 0
set -eu
cd "$(dirname "$0")/../.."
limit=${NSH_VM_TIMEOUT:-1200}
out=build/vm/out

if_able=false
if [ "${1:-}" = --if-able ]; then if_able=true; shift; fi
cannot() {
  if $if_able; then echo "vm: the VM tier was left out: $*"; exit 0; fi
  echo "vm: cannot run the VM tier: $*" >&2
  exit 1
}
[ "$(id -u)" -eq 0 ] || cannot "it runs as root (the VM's tests are root in it, and Debian's kernel image is readable by root only)"
command -v qemu-system-x86_64 >/dev/null || cannot "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
case $PWD in *[[:space:]]*) cannot "the checkout's path has a space, which the kernel command line cannot carry: $PWD" ;; esac
kernel=$(node test/vm/build-initramfs.mjs build/vm 2>&1) || cannot "${kernel#build-initramfs: }"
version=${kernel%% *}

if [ $# -eq 0 ]; then
  # shellcheck disable=SC2046
  set -- $(find build/test/vm -name '*.test.js' | sort) build/test/cli-kernel/lab.test.js
fi
color=--no-color
if [ -t 1 ]; then color=--color; fi
rm -rf "$out"
mkdir -p "$out"
printf '%s\n' --timeout 120000 --reporter scripts/mocha-reporter.cjs "$color" "$@" > "$out/args"
echo "vm: booting Linux $version under QEMU for $*"
start=$(date +%s)
rc=0
# -bios qboot.rom: a firmware that boots the kernel at once and, unlike SeaBIOS, writes nothing
# to the serial console (SeaBIOS would reset the terminal)
timeout -k 10 "$limit" qemu-system-x86_64 -nographic -nic none -m 2G -smp 2 -accel tcg,thread=multi \
  -bios qboot.rom -no-reboot -kernel "${kernel#* }" -initrd build/vm/initramfs.cpio.gz \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 NSH_VM_DIR=$PWD NSH_VM_KERNEL=$version" \
  -virtfs "local,path=/,mount_tag=hostroot,security_model=passthrough,multidevs=remap,readonly=on" \
  -virtfs "local,path=$PWD/$out,mount_tag=out,security_model=passthrough" \
  < /dev/null || rc=$?
took=$(( $(date +%s) - start ))
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
  echo "vm: FAILED: QEMU was killed after $limit s (NSH_VM_TIMEOUT)"
  exit 1
fi
if [ ! -s "$out/status" ]; then
  echo "vm: FAILED: the VM stopped after $took s without the tests' exit status (QEMU's status: $rc)"
  exit 1
fi
status=$(cat "$out/status")
echo "vm: mocha exited with status $status; the VM ran $took s"
exit "$status"
