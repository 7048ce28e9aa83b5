#!/bin/sh
# PID 1 of the test VM once /init (test/vm/init.sh) has mounted everything and switched to the
# host's root, read-only. Loads the modules listed in test/vm/modules, runs mocha over the files
# and options listed in build/vm/out/args inside the sandbox the other kernel tests use (private
# network, UTS, mount and pid namespaces, a tmpfs on /run: bin/nsh-sandbox, as run-in-sandbox.sh
# starts it, but with mocha started directly, as npx took half a minute to start under emulation), writes
# mocha's exit status to build/vm/out/status and powers the VM off. PID 1 must never exit (the
# kernel would panic), so nothing here uses set -e.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp/home LANG=C.UTF-8 NSH_VM=1
out="$NSH_VM_DIR/build/vm/out"

# busybox (the static one the initramfs holds, installed on the host too) syncs and powers off
# at once; should it fail, PID 1 exits, the kernel panics and reboots (panic=-1), and QEMU,
# started with -no-reboot, ends
poweroff_now() {
  exec busybox poweroff -f
}
fail() {
  echo "nsh-vm: $*"
  poweroff_now
}

mkdir -p "$HOME"
cd "$NSH_VM_DIR" || fail "no $NSH_VM_DIR"
modules=$(grep -v '^#' test/vm/modules)
# shellcheck disable=SC2086
modprobe -a $modules || fail "modprobe failed for one of: $(echo $modules)"
set --
while IFS= read -r arg; do set -- "$@" "$arg"; done < "$out/args"
echo "nsh-vm: kernel $(uname -r) up after $(cut -d' ' -f1 /proc/uptime) s, modules loaded"
bin/nsh-sandbox -- env NSH_SANDBOX=1 node_modules/.bin/mocha --no-config "$@"
echo $? > "$out/status"
poweroff_now
