#!/usr/bin/env bash
# The iproute2 equivalent of wan.ns, as printed by nsh --explain.
set -e

# examples/labs/wan.ns:10: ns c r1 r2 s
ip netns add c
ip netns add r1
ip netns add r2
ip netns add s

# examples/labs/wan.ns:11: forward r1 r2
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# examples/labs/wan.ns:12: veth c.eth0 10.1.0.2/24 <-> r1.lan 10.1.0.1/24
ip -n c link add name eth0 type veth peer name lan netns r1
ip -n c addr add 10.1.0.2/24 dev eth0
ip -n r1 addr add 10.1.0.1/24 dev lan
ip -n c link set dev eth0 up
ip -n r1 link set dev lan up

# examples/labs/wan.ns:13: veth s.eth0 10.2.0.2/24 <-> r2.lan 10.2.0.1/24
ip -n s link add name eth0 type veth peer name lan netns r2
ip -n s addr add 10.2.0.2/24 dev eth0
ip -n r2 addr add 10.2.0.1/24 dev lan
ip -n s link set dev eth0 up
ip -n r2 link set dev lan up

# examples/labs/wan.ns:14: veth r1.wan <-> r2.wan 192.0.2.1/30 delay 40ms loss 1% rate 10mbit
ip -n r1 link add name wan type veth peer name wan netns r2
ip -n r1 addr add 192.0.2.1/30 dev wan
ip -n r2 addr add 192.0.2.2/30 dev wan
ip -n r1 link set dev wan up
ip -n r2 link set dev wan up
tc -n r1 qdisc replace dev wan root netem delay 40ms loss 1% rate 10mbit
tc -n r2 qdisc replace dev wan root netem delay 40ms loss 1% rate 10mbit

# examples/labs/wan.ns:15: route c default via 10.1.0.1
ip -n c route add default via 10.1.0.1

# examples/labs/wan.ns:16: route s default via 10.2.0.1
ip -n s route add default via 10.2.0.1

# examples/labs/wan.ns:17: route r1 10.2.0.0/24 via 192.0.2.2
ip -n r1 route add 10.2.0.0/24 via 192.0.2.2

# examples/labs/wan.ns:18: route r2 10.1.0.0/24 via 192.0.2.1
ip -n r2 route add 10.1.0.0/24 via 192.0.2.1

# examples/labs/wan.ns:21: in s nc -l 8080 &
ip netns exec s nc -l 8080 &
nsh_job1=$!

# examples/labs/wan.ns:22: await s tcp 8080
ip netns exec s timeout 10 sh -c 'until ss -Hltn sport = :8080 | grep -q .; do sleep 0.01; done' || { echo 'nsh: nothing listens on tcp 8080 in "s" after 10 s' >&2; false; }

# examples/labs/wan.ns:25: capture s.eth0 to "wan.pcap" &
ip netns exec s tcpdump -n -i eth0 -w wan.pcap &
nsh_job2=$!

# examples/labs/wan.ns:26: in c nc 10.2.0.2 8080 <<< "hello across the WAN"
ip netns exec c nc -N 10.2.0.2 8080 <<< 'hello across the WAN'

# examples/labs/wan.ns:27: wait %1
wait "${nsh_job1}"

# examples/labs/wan.ns:28: kill %2
kill "${nsh_job2}"

# examples/labs/wan.ns:31: in c ping 10.2.0.2 -c 3
ip netns exec c ping -c 3 -i 0.2 -W 1 10.2.0.2

# examples/labs/wan.ns:32: show
ip -br link
ip -br addr
ip -n c -br link
ip -n c -br addr
ip -n r1 -br link
ip -n r1 -br addr
ip -n r2 -br link
ip -n r2 -br addr
ip -n s -br link
ip -n s -br addr
