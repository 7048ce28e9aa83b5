#!/bin/busybox sh
# /init of the VM's initramfs (test/vm/build-initramfs.mjs). Loads the virtio and 9p modules
# listed in /modules (dependencies first), mounts the host's root read-only through 9p on
# /newroot, and under it the VM's own /proc, /sys, /dev, cgroup2, tmpfs /tmp and /run, and the
# writable share "out" on build/vm/out of the checkout in NSH_VM_DIR (from the kernel command
# line). Then switch_root moves it all to / (not chroot: a chrooted process may not create user
# namespaces) and test/vm/guest.sh takes over as PID 1. Busybox does all this from memory, which
# is faster than the host's own tools read through 9p.
/bin/busybox --install -s /bin
export PATH=/bin
fail() {
  echo "nsh-vm: $*"
  poweroff -f
}
mount -t proc proc /proc
while read -r m; do insmod "/lib/modules/$m" || fail "insmod $m failed"; done < /modules
umount /proc
r=/newroot
mkdir -p $r
mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose hostroot $r \
  || fail "cannot mount the host's root (9p tag hostroot)"
[ -f "$r$NSH_VM_DIR/test/vm/guest.sh" ] || fail "no test/vm/guest.sh under NSH_VM_DIR=$NSH_VM_DIR"
mount -t proc proc $r/proc
mount -t sysfs sysfs $r/sys
mount -t cgroup2 cgroup2 $r/sys/fs/cgroup
mount -t devtmpfs devtmpfs $r/dev
mkdir -p $r/dev/pts $r/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $r/dev/pts
mount -t tmpfs tmpfs $r/dev/shm
# a checkout under /tmp or /run would be hidden by the VM's own tmpfs there: it is bound aside
# first, and moved back onto its path in the tmpfs
case "$NSH_VM_DIR" in
  /tmp/* | /run/*) mkdir -p /checkout && mount -o bind "$r$NSH_VM_DIR" /checkout || fail "cannot bind $NSH_VM_DIR" ;;
esac
mount -t tmpfs -o mode=1777 tmpfs $r/tmp
mount -t tmpfs -o mode=755 tmpfs $r/run
if [ -d /checkout ]; then
  mkdir -p "$r$NSH_VM_DIR" && mount -o move /checkout "$r$NSH_VM_DIR" || fail "cannot put $NSH_VM_DIR back"
fi
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out "$r$NSH_VM_DIR/build/vm/out" \
  || fail "cannot mount the share out on $NSH_VM_DIR/build/vm/out"
stty -onlcr
hostname nsh-vm
ip link set lo up
exec switch_root $r /bin/sh "$NSH_VM_DIR/test/vm/guest.sh"
