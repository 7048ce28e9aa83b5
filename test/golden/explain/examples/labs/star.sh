#!/usr/bin/env bash
# The iproute2 equivalent of star.ns, as printed by nsh --explain.
set -e

# examples/labs/star.ns:2: ns sw
ip netns add sw

# examples/labs/star.ns:3: bridge sw.br0
ip -n sw link add name br0 type bridge
ip -n sw link set dev br0 up

# examples/labs/star.ns:6: ns leaf$i
ip netns add leaf1

# examples/labs/star.ns:7: veth leaf$i.eth0 192.168.50.${i+10}/24 <-> sw.p$i
ip -n leaf1 link add name eth0 type veth peer name p1 netns sw
ip -n leaf1 addr add 192.168.50.11/24 dev eth0
ip -n leaf1 link set dev eth0 up
ip -n sw link set dev p1 up

# examples/labs/star.ns:8: attach sw.p$i -> sw.br0
ip -n sw link set dev p1 master br0

# examples/labs/star.ns:6: ns leaf$i
ip netns add leaf2

# examples/labs/star.ns:7: veth leaf$i.eth0 192.168.50.${i+10}/24 <-> sw.p$i
ip -n leaf2 link add name eth0 type veth peer name p2 netns sw
ip -n leaf2 addr add 192.168.50.12/24 dev eth0
ip -n leaf2 link set dev eth0 up
ip -n sw link set dev p2 up

# examples/labs/star.ns:8: attach sw.p$i -> sw.br0
ip -n sw link set dev p2 master br0

# examples/labs/star.ns:6: ns leaf$i
ip netns add leaf3

# examples/labs/star.ns:7: veth leaf$i.eth0 192.168.50.${i+10}/24 <-> sw.p$i
ip -n leaf3 link add name eth0 type veth peer name p3 netns sw
ip -n leaf3 addr add 192.168.50.13/24 dev eth0
ip -n leaf3 link set dev eth0 up
ip -n sw link set dev p3 up

# examples/labs/star.ns:8: attach sw.p$i -> sw.br0
ip -n sw link set dev p3 master br0

# examples/labs/star.ns:6: ns leaf$i
ip netns add leaf4

# examples/labs/star.ns:7: veth leaf$i.eth0 192.168.50.${i+10}/24 <-> sw.p$i
ip -n leaf4 link add name eth0 type veth peer name p4 netns sw
ip -n leaf4 addr add 192.168.50.14/24 dev eth0
ip -n leaf4 link set dev eth0 up
ip -n sw link set dev p4 up

# examples/labs/star.ns:8: attach sw.p$i -> sw.br0
ip -n sw link set dev p4 master br0

# examples/labs/star.ns:12: pingall
nsh_unreachable=0
if ip netns exec leaf1 ping -c 1 -W 1 192.168.50.12 > /dev/null; then echo 'leaf1 -> leaf2 192.168.50.12 ok'; else echo 'leaf1 -> leaf2 192.168.50.12 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf1 ping -c 1 -W 1 192.168.50.13 > /dev/null; then echo 'leaf1 -> leaf3 192.168.50.13 ok'; else echo 'leaf1 -> leaf3 192.168.50.13 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf1 ping -c 1 -W 1 192.168.50.14 > /dev/null; then echo 'leaf1 -> leaf4 192.168.50.14 ok'; else echo 'leaf1 -> leaf4 192.168.50.14 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf2 ping -c 1 -W 1 192.168.50.11 > /dev/null; then echo 'leaf2 -> leaf1 192.168.50.11 ok'; else echo 'leaf2 -> leaf1 192.168.50.11 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf2 ping -c 1 -W 1 192.168.50.13 > /dev/null; then echo 'leaf2 -> leaf3 192.168.50.13 ok'; else echo 'leaf2 -> leaf3 192.168.50.13 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf2 ping -c 1 -W 1 192.168.50.14 > /dev/null; then echo 'leaf2 -> leaf4 192.168.50.14 ok'; else echo 'leaf2 -> leaf4 192.168.50.14 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf3 ping -c 1 -W 1 192.168.50.11 > /dev/null; then echo 'leaf3 -> leaf1 192.168.50.11 ok'; else echo 'leaf3 -> leaf1 192.168.50.11 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf3 ping -c 1 -W 1 192.168.50.12 > /dev/null; then echo 'leaf3 -> leaf2 192.168.50.12 ok'; else echo 'leaf3 -> leaf2 192.168.50.12 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf3 ping -c 1 -W 1 192.168.50.14 > /dev/null; then echo 'leaf3 -> leaf4 192.168.50.14 ok'; else echo 'leaf3 -> leaf4 192.168.50.14 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf4 ping -c 1 -W 1 192.168.50.11 > /dev/null; then echo 'leaf4 -> leaf1 192.168.50.11 ok'; else echo 'leaf4 -> leaf1 192.168.50.11 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf4 ping -c 1 -W 1 192.168.50.12 > /dev/null; then echo 'leaf4 -> leaf2 192.168.50.12 ok'; else echo 'leaf4 -> leaf2 192.168.50.12 unreachable'; nsh_unreachable=1; fi
if ip netns exec leaf4 ping -c 1 -W 1 192.168.50.13 > /dev/null; then echo 'leaf4 -> leaf3 192.168.50.13 ok'; else echo 'leaf4 -> leaf3 192.168.50.13 unreachable'; nsh_unreachable=1; fi
[ "$nsh_unreachable" = 0 ]
