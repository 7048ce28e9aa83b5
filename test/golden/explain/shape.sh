#!/usr/bin/env bash
# The iproute2 equivalent of shape.ns, as printed by nsh --explain.
set -e

# shape.ns:2: ns a b
ip netns add a
ip netns add b

# shape.ns:3: veth a.v0 <-> b.v0 10.0.0.1/24 delay 10ms jitter 2ms
ip -n a link add name v0 type veth peer name v0 netns b
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v0
ip -n a link set dev v0 up
ip -n b link set dev v0 up
tc -n a qdisc replace dev v0 root netem delay 10ms 2ms
tc -n b qdisc replace dev v0 root netem delay 10ms 2ms

# shape.ns:4: shape a.v0 b.v0 delay 50ms loss 1% duplicate 0.5% corrupt 0.1% rate 10mbit limit 500
tc -n a qdisc replace dev v0 root netem limit 500 delay 50ms loss 1% duplicate 0.5% corrupt 0.1% rate 10mbit
tc -n b qdisc replace dev v0 root netem limit 500 delay 50ms loss 1% duplicate 0.5% corrupt 0.1% rate 10mbit

# shape.ns:5: shape a.v0 delay 20ms reorder 25%
tc -n a qdisc replace dev v0 root netem delay 20ms reorder 25%

# shape.ns:6: shape *.v0 rate 1mbit
tc -n a qdisc replace dev v0 root tbf rate 1mbit burst 3028 latency 50ms
tc -n b qdisc replace dev v0 root tbf rate 1mbit burst 3028 latency 50ms

# shape.ns:7: shape b.v0 rate 2.5gbit
tc -n b qdisc replace dev v0 root tbf rate 2.5gbit burst 3125000 latency 50ms

# shape.ns:8: shape host.eth0 delay 100ms
tc qdisc replace dev eth0 root netem delay 100ms

# shape.ns:9: shape a.v0 off
tc -n a qdisc del dev v0 root 2> /dev/null || true

# shape.ns:10: shape host.eth0 off
tc qdisc del dev eth0 root 2> /dev/null || true
