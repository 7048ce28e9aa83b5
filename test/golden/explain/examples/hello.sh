#!/usr/bin/env bash
# The iproute2 equivalent of hello.ns, as printed by nsh --explain.
set -e

# examples/hello.ns:3: ns a b
ip netns add a
ip netns add b

# examples/hello.ns:6: veth a.v0 <-> b.v0 10.1.1.1/24
ip -n a link add name v0 type veth peer name v0 netns b
ip -n a addr add 10.1.1.1/24 dev v0
ip -n b addr add 10.1.1.2/24 dev v0
ip -n a link set dev v0 up
ip -n b link set dev v0 up

# examples/hello.ns:7: in a ping 10.1.1.2
ip netns exec a ping -c 3 -i 0.2 -W 1 10.1.1.2
