#!/usr/bin/env bash
# The iproute2 equivalent of background-job.ns, as printed by nsh --explain.
set -e

# background-job.ns:2: ns a b
ip netns add a
ip netns add b

# background-job.ns:3: veth a.v0 <-> b.v0 10.2.0.1/30
ip -n a link add name v0 type veth peer name v0 netns b
ip -n a addr add 10.2.0.1/30 dev v0
ip -n b addr add 10.2.0.2/30 dev v0
ip -n a link set dev v0 up
ip -n b link set dev v0 up

# background-job.ns:4: in b nc -l 1234 &
ip netns exec b nc -l 1234 &
nsh_job1=$!

# background-job.ns:6: sleep 0.2
sleep 0.2

# background-job.ns:7: in a nc 10.2.0.2 1234 <<< "haha"
ip netns exec a nc -N 10.2.0.2 1234 <<< haha

# background-job.ns:8: wait $listener
wait "${nsh_job1}"

# background-job.ns:9: in b sleep 30 &
ip netns exec b sleep 30 &
nsh_job2=$!

# background-job.ns:10: kill %2
kill "${nsh_job2}"
