#!/usr/bin/env bash
# The iproute2 equivalent of 04-veth.ns, as printed by nsh --explain.
set -e

# examples/walkthrough/04-veth.ns:7: ns netns1
ip netns add netns1

# examples/walkthrough/04-veth.ns:15: veth netns1.veth1 10.1.1.1/24 <-> host.veth0 10.1.1.2/24
ip link add name veth0 type veth peer name veth1 netns netns1
ip -n netns1 addr add 10.1.1.1/24 dev veth1
ip addr add 10.1.1.2/24 dev veth0
ip -n netns1 link set dev veth1 up
ip link set dev veth0 up

# examples/walkthrough/04-veth.ns:19: in host ping 10.1.1.1 -c 2
ping -c 2 -i 0.2 -W 1 10.1.1.1

# examples/walkthrough/04-veth.ns:23: in netns1 ping 10.1.1.2 -c 2
ip netns exec netns1 ping -c 2 -i 0.2 -W 1 10.1.1.2

# examples/walkthrough/04-veth.ns:27: in netns1 ip route
ip netns exec netns1 ip route

# examples/walkthrough/04-veth.ns:31: in netns1 iptables -L -n
ip netns exec netns1 iptables -L -n
