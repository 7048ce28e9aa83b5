#!/usr/bin/env bash
# The iproute2 equivalent of bridge-star.ns, as printed by nsh --explain.
set -e

# bridge-star.ns:2: ns sw
ip netns add sw

# bridge-star.ns:4: ns h$i
ip netns add h1

# bridge-star.ns:5: veth h$i.eth0 10.0.0.$i/24 <-> sw.p$i
ip -n h1 link add name eth0 type veth peer name p1 netns sw
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n h1 link set dev eth0 up
ip -n sw link set dev p1 up

# bridge-star.ns:4: ns h$i
ip netns add h2

# bridge-star.ns:5: veth h$i.eth0 10.0.0.$i/24 <-> sw.p$i
ip -n h2 link add name eth0 type veth peer name p2 netns sw
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n h2 link set dev eth0 up
ip -n sw link set dev p2 up

# bridge-star.ns:4: ns h$i
ip netns add h3

# bridge-star.ns:5: veth h$i.eth0 10.0.0.$i/24 <-> sw.p$i
ip -n h3 link add name eth0 type veth peer name p3 netns sw
ip -n h3 addr add 10.0.0.3/24 dev eth0
ip -n h3 link set dev eth0 up
ip -n sw link set dev p3 up

# bridge-star.ns:7: bridge sw.br0 p1 p2 p3
ip -n sw link add name br0 type bridge
ip -n sw link set dev p1 master br0
ip -n sw link set dev p2 master br0
ip -n sw link set dev p3 master br0
ip -n sw link set dev br0 up

# bridge-star.ns:8: pingall
nsh_unreachable=0
if ip netns exec h1 ping -c 1 -W 1 10.0.0.2 > /dev/null; then echo 'h1 -> h2 10.0.0.2 ok'; else echo 'h1 -> h2 10.0.0.2 unreachable'; nsh_unreachable=1; fi
if ip netns exec h1 ping -c 1 -W 1 10.0.0.3 > /dev/null; then echo 'h1 -> h3 10.0.0.3 ok'; else echo 'h1 -> h3 10.0.0.3 unreachable'; nsh_unreachable=1; fi
if ip netns exec h2 ping -c 1 -W 1 10.0.0.1 > /dev/null; then echo 'h2 -> h1 10.0.0.1 ok'; else echo 'h2 -> h1 10.0.0.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h2 ping -c 1 -W 1 10.0.0.3 > /dev/null; then echo 'h2 -> h3 10.0.0.3 ok'; else echo 'h2 -> h3 10.0.0.3 unreachable'; nsh_unreachable=1; fi
if ip netns exec h3 ping -c 1 -W 1 10.0.0.1 > /dev/null; then echo 'h3 -> h1 10.0.0.1 ok'; else echo 'h3 -> h1 10.0.0.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h3 ping -c 1 -W 1 10.0.0.2 > /dev/null; then echo 'h3 -> h2 10.0.0.2 ok'; else echo 'h3 -> h2 10.0.0.2 unreachable'; nsh_unreachable=1; fi
[ "$nsh_unreachable" = 0 ]
