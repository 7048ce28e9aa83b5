#!/usr/bin/env bash
# The iproute2 equivalent of nat.ns, as printed by nsh --explain.
set -e

# examples/labs/nat.ns:6: ns web
ip netns add web

# examples/labs/nat.ns:7: veth web.eth0 10.0.1.2/24 <-> host.web0 10.0.1.1/24
ip link add name web0 type veth peer name eth0 netns web
ip -n web addr add 10.0.1.2/24 dev eth0
ip addr add 10.0.1.1/24 dev web0
ip -n web link set dev eth0 up
ip link set dev web0 up

# examples/labs/nat.ns:8: up web.lo
ip -n web link set dev lo up

# examples/labs/nat.ns:9: route web default via 10.0.1.1
ip -n web route add default via 10.0.1.1

# examples/labs/nat.ns:13: nat host
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
nft -f - <<'EOF'
add table inet nsh_nat
add set inet nsh_nat lan { type ifname; }
flush set inet nsh_nat lan
add element inet nsh_nat lan { "web0" }
add chain inet nsh_nat postrouting { type nat hook postrouting priority srcnat; policy accept; }
flush chain inet nsh_nat postrouting
add rule inet nsh_nat postrouting oifname != @lan fib saddr type != local masquerade
EOF

# examples/labs/nat.ns:15: publish host 8080 -> 10.0.1.2:80
sysctl -qw net.ipv4.ip_forward=1
nft -f - <<'EOF'
add table inet nsh_nat
add chain inet nsh_nat prerouting { type nat hook prerouting priority dstnat; policy accept; }
add chain inet nsh_nat output { type nat hook output priority -100; policy accept; }
add rule inet nsh_nat prerouting meta nfproto ipv4 fib daddr type local tcp dport 8080 dnat ip to 10.0.1.2:80
add rule inet nsh_nat output meta nfproto ipv4 fib daddr type local ip daddr != 127.0.0.0/8 tcp dport 8080 dnat ip to 10.0.1.2:80
EOF

# examples/labs/nat.ns:18: in web nc -l 80 &
ip netns exec web nc -l 80 &
nsh_job1=$!

# examples/labs/nat.ns:19: in host nc 10.0.1.1 8080 <<< "hello through the published port"
nc -N 10.0.1.1 8080 <<< 'hello through the published port'

# examples/labs/nat.ns:20: wait
wait

# examples/labs/nat.ns:21: show
ip -br link
ip -br addr
ip -n web -br link
ip -n web -br addr
