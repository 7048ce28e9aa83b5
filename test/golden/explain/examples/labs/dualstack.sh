#!/usr/bin/env bash
# The iproute2 equivalent of dualstack.ns, as printed by nsh --explain.
set -e

# examples/labs/dualstack.ns:2: ns left right
ip netns add left
ip netns add right

# examples/labs/dualstack.ns:3: veth left.v0 10.6.0.1/30 fd00:6::1/64 <-> right.v0 10.6.0.2/30 fd00:6::2/64
ip -n left link add name v0 type veth peer name v0 netns right
ip -n left addr add 10.6.0.1/30 dev v0
ip -n left addr add fd00:6::1/64 dev v0 nodad
ip -n right addr add 10.6.0.2/30 dev v0
ip -n right addr add fd00:6::2/64 dev v0 nodad
ip -n left link set dev v0 up
ip -n right link set dev v0 up

# examples/labs/dualstack.ns:4: up left.lo right.lo
ip -n left link set dev lo up
ip -n right link set dev lo up

# examples/labs/dualstack.ns:6: in left ping 10.6.0.2 -c 1
ip netns exec left ping -c 1 -i 0.2 -W 1 10.6.0.2

# examples/labs/dualstack.ns:7: in left ping fd00:6::2 -c 1
ip netns exec left ping -c 1 -i 0.2 -W 1 fd00:6::2

# examples/labs/dualstack.ns:8: show
ip -br link
ip -br addr
ip -n left -br link
ip -n left -br addr
ip -n right -br link
ip -n right -br addr
