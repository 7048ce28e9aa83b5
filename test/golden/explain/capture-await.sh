#!/usr/bin/env bash
# The iproute2 equivalent of capture-await.ns, as printed by nsh --explain.
set -e

# capture-await.ns:2: ns a b
ip netns add a
ip netns add b

# capture-await.ns:3: veth a.v0 <-> b.v0 10.0.0.1/24
ip -n a link add name v0 type veth peer name v0 netns b
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v0
ip -n a link set dev v0 up
ip -n b link set dev v0 up

# capture-await.ns:4: capture b.v0 to "hs.pcap" count 10 &
ip netns exec b tcpdump -n -i v0 -w hs.pcap -c 10 &
nsh_job1=$!

# capture-await.ns:6: in b nc -l 8080 &
ip netns exec b nc -l 8080 &
nsh_job2=$!

# capture-await.ns:7: await b tcp 8080
ip netns exec b timeout 10 sh -c 'until ss -Hltn sport = :8080 | grep -q .; do sleep 0.01; done' || { echo 'nsh: nothing listens on tcp 8080 in "b" after 10 s' >&2; false; }

# capture-await.ns:8: await b udp 53 timeout 2s
ip netns exec b timeout 2 sh -c 'until ss -Hlun sport = :53 | grep -q .; do sleep 0.01; done' || { echo 'nsh: nothing listens on udp 53 in "b" after 2 s' >&2; false; }

# capture-await.ns:9: await a reach 10.0.0.2 timeout 500ms
ip netns exec a timeout 0.5 sh -c 'until ping -c1 -W1 10.0.0.2 > /dev/null 2>&1; do sleep 0.01; done' || { echo 'nsh: 10.0.0.2 does not answer from "a" after 500 ms' >&2; false; }

# capture-await.ns:10: await pid 1 reach fd00::1
nsenter -t 1 -n -u -- timeout 10 sh -c 'until ping -c1 -W1 fd00::1 > /dev/null 2>&1; do sleep 0.01; done' || { echo 'nsh: fd00::1 does not answer from the namespace of process 1 after 10 s' >&2; false; }

# capture-await.ns:11: capture a.v0 for 2s
ip netns exec a timeout 2 tcpdump -n -i v0 -tttt || [ $? -eq 124 ]

# capture-await.ns:12: kill %1
kill "${nsh_job1}"
