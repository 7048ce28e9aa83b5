#!/usr/bin/env bash
# The iproute2 equivalent of router.ns, as printed by nsh --explain.
set -e

# examples/labs/router.ns:12: ns r
ip netns add r

# examples/labs/router.ns:13: forward r
ip netns exec r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# examples/labs/router.ns:6: ns $NAME
ip netns add h1

# examples/labs/router.ns:8: veth r.$NAME 10.0.$NET.1/24 <-> $NAME.eth0 10.0.$NET.2/24
ip -n r link add name h1 type veth peer name eth0 netns h1
ip -n r addr add 10.0.1.1/24 dev h1
ip -n h1 addr add 10.0.1.2/24 dev eth0
ip -n r link set dev h1 up
ip -n h1 link set dev eth0 up

# examples/labs/router.ns:9: route $NAME default via 10.0.$NET.1
ip -n h1 route add default via 10.0.1.1

# examples/labs/router.ns:6: ns $NAME
ip netns add h2

# examples/labs/router.ns:8: veth r.$NAME 10.0.$NET.1/24 <-> $NAME.eth0 10.0.$NET.2/24
ip -n r link add name h2 type veth peer name eth0 netns h2
ip -n r addr add 10.0.2.1/24 dev h2
ip -n h2 addr add 10.0.2.2/24 dev eth0
ip -n r link set dev h2 up
ip -n h2 link set dev eth0 up

# examples/labs/router.ns:9: route $NAME default via 10.0.$NET.1
ip -n h2 route add default via 10.0.2.1

# examples/labs/router.ns:16: up *.lo
ip -n r link set dev lo up
ip -n h1 link set dev lo up
ip -n h2 link set dev lo up

# examples/labs/router.ns:18: in h1 ping 10.0.2.2 -c 2
ip netns exec h1 ping -c 2 -i 0.2 -W 1 10.0.2.2

# examples/labs/router.ns:19: pingall
nsh_unreachable=0
if ip netns exec r ping -c 1 -W 1 10.0.1.2 > /dev/null; then echo 'r -> h1 10.0.1.2 ok'; else echo 'r -> h1 10.0.1.2 unreachable'; nsh_unreachable=1; fi
if ip netns exec r ping -c 1 -W 1 10.0.2.2 > /dev/null; then echo 'r -> h2 10.0.2.2 ok'; else echo 'r -> h2 10.0.2.2 unreachable'; nsh_unreachable=1; fi
if ip netns exec h1 ping -c 1 -W 1 10.0.1.1 > /dev/null; then echo 'h1 -> r 10.0.1.1 ok'; else echo 'h1 -> r 10.0.1.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h1 ping -c 1 -W 1 10.0.2.1 > /dev/null; then echo 'h1 -> r 10.0.2.1 ok'; else echo 'h1 -> r 10.0.2.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h1 ping -c 1 -W 1 10.0.2.2 > /dev/null; then echo 'h1 -> h2 10.0.2.2 ok'; else echo 'h1 -> h2 10.0.2.2 unreachable'; nsh_unreachable=1; fi
if ip netns exec h2 ping -c 1 -W 1 10.0.1.1 > /dev/null; then echo 'h2 -> r 10.0.1.1 ok'; else echo 'h2 -> r 10.0.1.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h2 ping -c 1 -W 1 10.0.2.1 > /dev/null; then echo 'h2 -> r 10.0.2.1 ok'; else echo 'h2 -> r 10.0.2.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h2 ping -c 1 -W 1 10.0.1.2 > /dev/null; then echo 'h2 -> h1 10.0.1.2 ok'; else echo 'h2 -> h1 10.0.1.2 unreachable'; nsh_unreachable=1; fi
[ "$nsh_unreachable" = 0 ]
