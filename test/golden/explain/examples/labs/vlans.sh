#!/usr/bin/env bash
# The iproute2 equivalent of vlans.ns, as printed by nsh --explain.
set -e

# examples/labs/vlans.ns:9: ns sw r
ip netns add sw
ip netns add r

# examples/labs/vlans.ns:10: bridge sw.br0 vlan
ip -n sw link add name br0 type bridge vlan_filtering 1
ip -n sw link set dev br0 up

# examples/labs/vlans.ns:14: ns $NAME
ip netns add h1

# examples/labs/vlans.ns:15: veth $NAME.eth0 10.0.$VLAN.$ADDR/24 <-> sw.$NAME
ip -n h1 link add name eth0 type veth peer name h1 netns sw
ip -n h1 addr add 10.0.10.11/24 dev eth0
ip -n h1 link set dev eth0 up
ip -n sw link set dev h1 up

# examples/labs/vlans.ns:16: attach sw.$NAME -> sw.br0 vlan $VLAN untagged
ip -n sw link set dev h1 master br0
bridge -n sw vlan add dev h1 vid 10 pvid untagged
bridge -n sw vlan del dev h1 vid 1

# examples/labs/vlans.ns:17: route $NAME default via 10.0.$VLAN.1
ip -n h1 route add default via 10.0.10.1

# examples/labs/vlans.ns:14: ns $NAME
ip netns add h2

# examples/labs/vlans.ns:15: veth $NAME.eth0 10.0.$VLAN.$ADDR/24 <-> sw.$NAME
ip -n h2 link add name eth0 type veth peer name h2 netns sw
ip -n h2 addr add 10.0.10.12/24 dev eth0
ip -n h2 link set dev eth0 up
ip -n sw link set dev h2 up

# examples/labs/vlans.ns:16: attach sw.$NAME -> sw.br0 vlan $VLAN untagged
ip -n sw link set dev h2 master br0
bridge -n sw vlan add dev h2 vid 10 pvid untagged
bridge -n sw vlan del dev h2 vid 1

# examples/labs/vlans.ns:17: route $NAME default via 10.0.$VLAN.1
ip -n h2 route add default via 10.0.10.1

# examples/labs/vlans.ns:14: ns $NAME
ip netns add h3

# examples/labs/vlans.ns:15: veth $NAME.eth0 10.0.$VLAN.$ADDR/24 <-> sw.$NAME
ip -n h3 link add name eth0 type veth peer name h3 netns sw
ip -n h3 addr add 10.0.20.13/24 dev eth0
ip -n h3 link set dev eth0 up
ip -n sw link set dev h3 up

# examples/labs/vlans.ns:16: attach sw.$NAME -> sw.br0 vlan $VLAN untagged
ip -n sw link set dev h3 master br0
bridge -n sw vlan add dev h3 vid 20 pvid untagged
bridge -n sw vlan del dev h3 vid 1

# examples/labs/vlans.ns:17: route $NAME default via 10.0.$VLAN.1
ip -n h3 route add default via 10.0.20.1

# examples/labs/vlans.ns:24: veth r.t0 <-> sw.up
ip -n r link add name t0 type veth peer name up netns sw
ip -n r link set dev t0 up
ip -n sw link set dev up up

# examples/labs/vlans.ns:25: attach sw.up -> sw.br0 vlan 10,20
ip -n sw link set dev up master br0
bridge -n sw vlan add dev up vid 10
bridge -n sw vlan add dev up vid 20
bridge -n sw vlan del dev up vid 1

# examples/labs/vlans.ns:26: vlan r.t0 10 10.0.10.1/24
ip -n r link add link t0 name t0.10 type vlan id 10
ip -n r addr add 10.0.10.1/24 dev t0.10
ip -n r link set dev t0.10 up

# examples/labs/vlans.ns:27: vlan r.t0 20 10.0.20.1/24
ip -n r link add link t0 name t0.20 type vlan id 20
ip -n r addr add 10.0.20.1/24 dev t0.20
ip -n r link set dev t0.20 up

# examples/labs/vlans.ns:28: forward r
ip netns exec r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# examples/labs/vlans.ns:29: up *.lo
ip -n sw link set dev lo up
ip -n r link set dev lo up
ip -n h1 link set dev lo up
ip -n h2 link set dev lo up
ip -n h3 link set dev lo up

# examples/labs/vlans.ns:31: in h1 ping 10.0.10.12 -c 1
ip netns exec h1 ping -c 1 -i 0.2 -W 1 10.0.10.12

# examples/labs/vlans.ns:32: in h1 ping 10.0.20.13 -c 1
ip netns exec h1 ping -c 1 -i 0.2 -W 1 10.0.20.13

# examples/labs/vlans.ns:33: pingall
nsh_unreachable=0
if ip netns exec r ping -c 1 -W 1 10.0.10.11 > /dev/null; then echo 'r -> h1 10.0.10.11 ok'; else echo 'r -> h1 10.0.10.11 unreachable'; nsh_unreachable=1; fi
if ip netns exec r ping -c 1 -W 1 10.0.10.12 > /dev/null; then echo 'r -> h2 10.0.10.12 ok'; else echo 'r -> h2 10.0.10.12 unreachable'; nsh_unreachable=1; fi
if ip netns exec r ping -c 1 -W 1 10.0.20.13 > /dev/null; then echo 'r -> h3 10.0.20.13 ok'; else echo 'r -> h3 10.0.20.13 unreachable'; nsh_unreachable=1; fi
if ip netns exec h1 ping -c 1 -W 1 10.0.10.1 > /dev/null; then echo 'h1 -> r 10.0.10.1 ok'; else echo 'h1 -> r 10.0.10.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h1 ping -c 1 -W 1 10.0.20.1 > /dev/null; then echo 'h1 -> r 10.0.20.1 ok'; else echo 'h1 -> r 10.0.20.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h1 ping -c 1 -W 1 10.0.10.12 > /dev/null; then echo 'h1 -> h2 10.0.10.12 ok'; else echo 'h1 -> h2 10.0.10.12 unreachable'; nsh_unreachable=1; fi
if ip netns exec h1 ping -c 1 -W 1 10.0.20.13 > /dev/null; then echo 'h1 -> h3 10.0.20.13 ok'; else echo 'h1 -> h3 10.0.20.13 unreachable'; nsh_unreachable=1; fi
if ip netns exec h2 ping -c 1 -W 1 10.0.10.1 > /dev/null; then echo 'h2 -> r 10.0.10.1 ok'; else echo 'h2 -> r 10.0.10.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h2 ping -c 1 -W 1 10.0.20.1 > /dev/null; then echo 'h2 -> r 10.0.20.1 ok'; else echo 'h2 -> r 10.0.20.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h2 ping -c 1 -W 1 10.0.10.11 > /dev/null; then echo 'h2 -> h1 10.0.10.11 ok'; else echo 'h2 -> h1 10.0.10.11 unreachable'; nsh_unreachable=1; fi
if ip netns exec h2 ping -c 1 -W 1 10.0.20.13 > /dev/null; then echo 'h2 -> h3 10.0.20.13 ok'; else echo 'h2 -> h3 10.0.20.13 unreachable'; nsh_unreachable=1; fi
if ip netns exec h3 ping -c 1 -W 1 10.0.10.1 > /dev/null; then echo 'h3 -> r 10.0.10.1 ok'; else echo 'h3 -> r 10.0.10.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h3 ping -c 1 -W 1 10.0.20.1 > /dev/null; then echo 'h3 -> r 10.0.20.1 ok'; else echo 'h3 -> r 10.0.20.1 unreachable'; nsh_unreachable=1; fi
if ip netns exec h3 ping -c 1 -W 1 10.0.10.11 > /dev/null; then echo 'h3 -> h1 10.0.10.11 ok'; else echo 'h3 -> h1 10.0.10.11 unreachable'; nsh_unreachable=1; fi
if ip netns exec h3 ping -c 1 -W 1 10.0.10.12 > /dev/null; then echo 'h3 -> h2 10.0.10.12 ok'; else echo 'h3 -> h2 10.0.10.12 unreachable'; nsh_unreachable=1; fi
[ "$nsh_unreachable" = 0 ]
