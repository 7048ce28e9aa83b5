#!/usr/bin/env bash
# The iproute2 equivalent of veth-shorthand.ns, as printed by nsh --explain.
set -e

# veth-shorthand.ns:2: ns a
ip netns add a

# veth-shorthand.ns:3: veth a.v0 <-> host.v1 10.1.1.1/24
ip link add name v1 type veth peer name v0 netns a
ip -n a addr add 10.1.1.1/24 dev v0
ip addr add 10.1.1.2/24 dev v1
ip -n a link set dev v0 up
ip link set dev v1 up

# veth-shorthand.ns:4: up a.lo
ip -n a link set dev lo up

# veth-shorthand.ns:5: in a ping 10.1.1.2 -c 1
ip netns exec a ping -c 1 -i 0.2 -W 1 10.1.1.2
