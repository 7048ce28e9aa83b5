#!/usr/bin/env bash
# The iproute2 equivalent of nat-publish.ns, as printed by nsh --explain.
set -e

# nat-publish.ns:2: ns web
ip netns add web

# nat-publish.ns:3: veth web.eth0 10.0.1.2/24 <-> host.web0 10.0.1.1/24
ip link add name web0 type veth peer name eth0 netns web
ip -n web addr add 10.0.1.2/24 dev eth0
ip addr add 10.0.1.1/24 dev web0
ip -n web link set dev eth0 up
ip link set dev web0 up

# nat-publish.ns:4: route web default via 10.0.1.1
ip -n web route add default via 10.0.1.1

# nat-publish.ns:5: nat host
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
nft -f - <<'EOF'
add table inet nsh_nat-publish
add set inet nsh_nat-publish lan { type ifname; }
flush set inet nsh_nat-publish lan
add element inet nsh_nat-publish lan { "web0" }
add chain inet nsh_nat-publish postrouting { type nat hook postrouting priority srcnat; policy accept; }
flush chain inet nsh_nat-publish postrouting
add rule inet nsh_nat-publish postrouting oifname != @lan fib saddr type != local masquerade
EOF

# nat-publish.ns:6: publish host 8080 -> 10.0.1.2:80
sysctl -qw net.ipv4.ip_forward=1
nft -f - <<'EOF'
add table inet nsh_nat-publish
add chain inet nsh_nat-publish prerouting { type nat hook prerouting priority dstnat; policy accept; }
add chain inet nsh_nat-publish output { type nat hook output priority -100; policy accept; }
add rule inet nsh_nat-publish prerouting meta nfproto ipv4 fib daddr type local tcp dport 8080 dnat ip to 10.0.1.2:80
add rule inet nsh_nat-publish output meta nfproto ipv4 fib daddr type local ip daddr != 127.0.0.0/8 tcp dport 8080 dnat ip to 10.0.1.2:80
EOF

# nat-publish.ns:7: publish host udp 5353 -> 10.0.1.2:53
sysctl -qw net.ipv4.ip_forward=1
nft -f - <<'EOF'
add table inet nsh_nat-publish
add chain inet nsh_nat-publish prerouting { type nat hook prerouting priority dstnat; policy accept; }
add chain inet nsh_nat-publish output { type nat hook output priority -100; policy accept; }
add rule inet nsh_nat-publish prerouting meta nfproto ipv4 fib daddr type local udp dport 5353 dnat ip to 10.0.1.2:53
add rule inet nsh_nat-publish output meta nfproto ipv4 fib daddr type local ip daddr != 127.0.0.0/8 udp dport 5353 dnat ip to 10.0.1.2:53
EOF

# nat-publish.ns:9: veth web.eth1 <-> host.web1
ip link add name web1 type veth peer name eth1 netns web
ip -n web link set dev eth1 up
ip link set dev web1 up
nft 'add element inet nsh_nat-publish lan { "web1" }'
