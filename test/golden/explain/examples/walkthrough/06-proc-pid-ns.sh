#!/usr/bin/env bash
# The iproute2 equivalent of 06-proc-pid-ns.ns, as printed by nsh --explain.
set -e

# examples/walkthrough/06-proc-pid-ns.ns:8: ns netns1
ip netns add netns1

# examples/walkthrough/06-proc-pid-ns.ns:13: in host sh -c 'ls -l /proc/$$/ns'
sh -c 'ls -l /proc/$$/ns'

# examples/walkthrough/06-proc-pid-ns.ns:14: in netns1 sh -c 'ls -l /proc/$$/ns'
ip netns exec netns1 sh -c 'ls -l /proc/$$/ns'

# examples/walkthrough/06-proc-pid-ns.ns:17: info host
ls -l /proc/$$/ns

# examples/walkthrough/06-proc-pid-ns.ns:18: info netns1
ip netns exec netns1 ls -l /proc/self/ns

# examples/walkthrough/06-proc-pid-ns.ns:22: same host pid 1
test "$(stat -L -c %i /proc/$$/ns/net)" = "$(stat -L -c %i /proc/1/ns/net)"
test "$(stat -L -c %i /proc/$$/ns/uts)" = "$(stat -L -c %i /proc/1/ns/uts)"
test "$(stat -L -c %i /proc/$$/ns/ipc)" = "$(stat -L -c %i /proc/1/ns/ipc)"
test "$(stat -L -c %i /proc/$$/ns/pid)" = "$(stat -L -c %i /proc/1/ns/pid)"
test "$(stat -L -c %i /proc/$$/ns/mnt)" = "$(stat -L -c %i /proc/1/ns/mnt)"
test "$(stat -L -c %i /proc/$$/ns/user)" = "$(stat -L -c %i /proc/1/ns/user)"
test "$(stat -L -c %i /proc/$$/ns/cgroup)" = "$(stat -L -c %i /proc/1/ns/cgroup)"

# examples/walkthrough/06-proc-pid-ns.ns:25: ! same host netns1 net
if test "$(stat -L -c %i /proc/$$/ns/net)" = "$(stat -L -c %i /run/netns/netns1)"; then
  echo 'nsh: this statement was expected to fail' >&2; exit 1
fi

# examples/walkthrough/06-proc-pid-ns.ns:26: same host netns1 uts
test "$(stat -L -c %i /proc/$$/ns/uts)" = "$(stat -L -c %i /proc/$$/ns/uts)"

# examples/walkthrough/06-proc-pid-ns.ns:27: same host netns1 mnt
test "$(stat -L -c %i /proc/$$/ns/mnt)" = "$(stat -L -c %i /proc/$$/ns/mnt)"
