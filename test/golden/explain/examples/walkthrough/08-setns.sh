#!/usr/bin/env bash
# The iproute2 equivalent of 08-setns.ns, as printed by nsh --explain.
set -e

# examples/walkthrough/08-setns.ns:18: ns netns1
ip netns add netns1

# examples/walkthrough/08-setns.ns:19: veth netns1.veth1 10.1.1.1/24 <-> host.veth0 10.1.1.2/24
ip link add name veth0 type veth peer name veth1 netns netns1
ip -n netns1 addr add 10.1.1.1/24 dev veth1
ip addr add 10.1.1.2/24 dev veth0
ip -n netns1 link set dev veth1 up
ip link set dev veth0 up

# examples/walkthrough/08-setns.ns:20: pin netns1 at "/run/nsh-walkthrough-netns1"
touch /run/nsh-walkthrough-netns1 && mount --bind /run/netns/netns1 /run/nsh-walkthrough-netns1

# examples/walkthrough/08-setns.ns:21: del netns1
ip netns del netns1

# examples/walkthrough/08-setns.ns:25: in "/run/nsh-walkthrough-netns1" ip -br addr
nsenter --net=/run/nsh-walkthrough-netns1 -- ip -br addr

# examples/walkthrough/08-setns.ns:28: in "/run/nsh-walkthrough-netns1" ping 10.1.1.2 -c 1
nsenter --net=/run/nsh-walkthrough-netns1 -- ping -c 1 -i 0.2 -W 1 10.1.1.2

# examples/walkthrough/08-setns.ns:29: ! same "/run/nsh-walkthrough-netns1" host net
if test "$(stat -L -c %i /run/nsh-walkthrough-netns1)" = "$(stat -L -c %i /proc/$$/ns/net)"; then
  echo 'nsh: this statement was expected to fail' >&2; exit 1
fi
