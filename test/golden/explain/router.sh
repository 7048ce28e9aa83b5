#!/usr/bin/env bash
# The iproute2 equivalent of router.ns, as printed by nsh --explain.
set -e

# router.ns:7: ns r
ip netns add r

# router.ns:3: ns $host
ip netns add left

# router.ns:4: veth $host.eth0 $net.2/24 <-> r.$host $gw/24
ip -n left link add name eth0 type veth peer name left netns r
ip -n left addr add 10.0.1.2/24 dev eth0
ip -n r addr add 10.0.1.1/24 dev left
ip -n left link set dev eth0 up
ip -n r link set dev left up

# router.ns:5: route $host default via $gw
ip -n left route add default via 10.0.1.1

# router.ns:3: ns $host
ip netns add right

# router.ns:4: veth $host.eth0 $net.2/24 <-> r.$host $gw/24
ip -n right link add name eth0 type veth peer name right netns r
ip -n right addr add 10.0.2.2/24 dev eth0
ip -n r addr add 10.0.2.1/24 dev right
ip -n right link set dev eth0 up
ip -n r link set dev right up

# router.ns:5: route $host default via $gw
ip -n right route add default via 10.0.2.1

# router.ns:10: forward r
ip netns exec r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# router.ns:11: in left ping 10.0.2.2 -c 2 -W 1
ip netns exec left ping -c 2 -i 0.2 -W 1 10.0.2.2
