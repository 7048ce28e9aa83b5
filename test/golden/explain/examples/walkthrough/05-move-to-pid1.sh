#!/usr/bin/env bash
# The iproute2 equivalent of 05-move-to-pid1.ns, as printed by nsh --explain.
set -e

# examples/walkthrough/05-move-to-pid1.ns:10: ns netns1
ip netns add netns1

# examples/walkthrough/05-move-to-pid1.ns:11: veth netns1.veth1 10.1.1.1/24 <-> host.veth0 10.1.1.2/24
ip link add name veth0 type veth peer name veth1 netns netns1
ip -n netns1 addr add 10.1.1.1/24 dev veth1
ip addr add 10.1.1.2/24 dev veth0
ip -n netns1 link set dev veth1 up
ip link set dev veth0 up

# examples/walkthrough/05-move-to-pid1.ns:16: in netns1 ip -br link
ip netns exec netns1 ip -br link

# examples/walkthrough/05-move-to-pid1.ns:19: move netns1.veth1 -> pid 1
ip -n netns1 link set dev veth1 netns 1

# examples/walkthrough/05-move-to-pid1.ns:23: in netns1 ip -br link
ip netns exec netns1 ip -br link

# examples/walkthrough/05-move-to-pid1.ns:28: in host ip -br addr show veth1
ip -br addr show veth1

# examples/walkthrough/05-move-to-pid1.ns:29: same host pid 1 net
test "$(stat -L -c %i /proc/$$/ns/net)" = "$(stat -L -c %i /proc/1/ns/net)"

# examples/walkthrough/05-move-to-pid1.ns:38: spawn pid mnt net sh -c 'echo "inside: I am PID $$"; ip link add esc0 type veth peer name esc1; ip link set esc0 netns 1; ip -br link'
unshare --pid --mount --net --fork --kill-child --mount-proc -- sh -c 'echo "inside: I am PID $$"; ip link add esc0 type veth peer name esc1; ip link set esc0 netns 1; ip -br link'

# examples/walkthrough/05-move-to-pid1.ns:42: ! in host ip link show esc0
if ip link show esc0; then
  echo 'nsh: this statement was expected to fail' >&2; exit 1
fi
