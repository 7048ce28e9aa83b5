#!/usr/bin/env bash
# The iproute2 equivalent of vlan-switch.ns, as printed by nsh --explain.
set -e

# vlan-switch.ns:2: ns sw r h1 h2
ip netns add sw
ip netns add r
ip netns add h1
ip netns add h2

# vlan-switch.ns:3: bridge sw.br0 vlan
ip -n sw link add name br0 type bridge vlan_filtering 1
ip -n sw link set dev br0 up

# vlan-switch.ns:4: veth h1.eth0 10.0.10.11/24 <-> sw.p1
ip -n h1 link add name eth0 type veth peer name p1 netns sw
ip -n h1 addr add 10.0.10.11/24 dev eth0
ip -n h1 link set dev eth0 up
ip -n sw link set dev p1 up

# vlan-switch.ns:5: veth h2.eth0 10.0.20.12/24 <-> sw.p2
ip -n h2 link add name eth0 type veth peer name p2 netns sw
ip -n h2 addr add 10.0.20.12/24 dev eth0
ip -n h2 link set dev eth0 up
ip -n sw link set dev p2 up

# vlan-switch.ns:6: veth r.t0 <-> sw.up
ip -n r link add name t0 type veth peer name up netns sw
ip -n r link set dev t0 up
ip -n sw link set dev up up

# vlan-switch.ns:7: attach sw.p1 -> sw.br0 vlan 10 untagged
ip -n sw link set dev p1 master br0
bridge -n sw vlan add dev p1 vid 10 pvid untagged
bridge -n sw vlan del dev p1 vid 1

# vlan-switch.ns:8: attach sw.p2 -> sw.br0 vlan 20 untagged
ip -n sw link set dev p2 master br0
bridge -n sw vlan add dev p2 vid 20 pvid untagged
bridge -n sw vlan del dev p2 vid 1

# vlan-switch.ns:9: attach sw.up -> sw.br0 vlan 10,20
ip -n sw link set dev up master br0
bridge -n sw vlan add dev up vid 10
bridge -n sw vlan add dev up vid 20
bridge -n sw vlan del dev up vid 1

# vlan-switch.ns:11: attach sw.up -> sw.br0 vlan 10
ip -n sw link set dev up master br0
bridge -n sw vlan add dev up vid 10
bridge -n sw vlan del dev up vid 20

# vlan-switch.ns:12: vlan r.t0 10 10.0.10.1/24
ip -n r link add link t0 name t0.10 type vlan id 10
ip -n r addr add 10.0.10.1/24 dev t0.10
ip -n r link set dev t0.10 up

# vlan-switch.ns:13: vlan r.t0 20 as t0-office 10.0.20.1/24
ip -n r link add link t0 name t0-office type vlan id 20
ip -n r addr add 10.0.20.1/24 dev t0-office
ip -n r link set dev t0-office up

# vlan-switch.ns:14: forward r
ip netns exec r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
