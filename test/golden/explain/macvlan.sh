#!/usr/bin/env bash
# The iproute2 equivalent of macvlan.ns, as printed by nsh --explain.
set -e

# macvlan.ns:2: ns a b
ip netns add a
ip netns add b

# macvlan.ns:3: macvlan host.eth0 -> a.mv0 192.168.1.50/24
ip link add link eth0 name mv0 netns a type macvlan mode bridge
ip -n a addr add 192.168.1.50/24 dev mv0
ip -n a link set dev mv0 up

# macvlan.ns:4: macvlan host.eth0 -> b.mv0 mode private 192.168.1.51/24 fd00:1::51/64
ip link add link eth0 name mv0 netns b type macvlan mode private
ip -n b addr add 192.168.1.51/24 dev mv0
ip -n b addr add fd00:1::51/64 dev mv0 nodad
ip -n b link set dev mv0 up
