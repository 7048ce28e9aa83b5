#!/usr/bin/env bash
# The iproute2 equivalent of 03-loopback.ns, as printed by nsh --explain.
set -e

# examples/walkthrough/03-loopback.ns:7: ns netns1
ip netns add netns1

# examples/walkthrough/03-loopback.ns:11: ! in netns1 ping 127.0.0.1 -c 1
if ip netns exec netns1 ping -c 1 -i 0.2 -W 1 127.0.0.1; then
  echo 'nsh: this statement was expected to fail' >&2; exit 1
fi

# examples/walkthrough/03-loopback.ns:14: up netns1.lo
ip -n netns1 link set dev lo up

# examples/walkthrough/03-loopback.ns:18: in netns1 ip link list
ip netns exec netns1 ip link list

# examples/walkthrough/03-loopback.ns:22: in netns1 ping 127.0.0.1 -c 2
ip netns exec netns1 ping -c 2 -i 0.2 -W 1 127.0.0.1
