#!/usr/bin/env bash
# The iproute2 equivalent of ipv6-pair.ns, as printed by nsh --explain.
set -e

# ipv6-pair.ns:2: ns a b
ip netns add a
ip netns add b

# ipv6-pair.ns:3: veth a.v0 fd00:1::1/64 <-> b.v0 fd00:1::2/64 mtu 1400
ip -n a link add name v0 mtu 1400 type veth peer name v0 netns b mtu 1400
ip -n a addr add fd00:1::1/64 dev v0 nodad
ip -n b addr add fd00:1::2/64 dev v0 nodad
ip -n a link set dev v0 up
ip -n b link set dev v0 up

# ipv6-pair.ns:4: route a fd00:2::/64 via fd00:1::2
ip -n a -6 route add fd00:2::/64 via fd00:1::2

# ipv6-pair.ns:5: in a ping fd00:1::2 -c 1
ip netns exec a ping -c 1 -i 0.2 -W 1 fd00:1::2
