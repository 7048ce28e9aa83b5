#!/usr/bin/env bash
# The iproute2 equivalent of 09-clone.ns, as printed by nsh --explain.
set -e

# examples/walkthrough/09-clone.ns:10: info host
ls -l /proc/$$/ns

# examples/walkthrough/09-clone.ns:17: spawn uts ipc pid mnt net as child sh -c 'hostname in-namespace; echo "child: my PID is $$, my hostname is $(hostname)"; ls -l /proc/$$/ns'
mkdir -p /run/netns && touch /run/netns/child && unshare --uts --ipc --pid --mount --net=/run/netns/child --fork --kill-child --mount-proc -- sh -c 'hostname in-namespace; echo "child: my PID is $$, my hostname is $(hostname)"; ls -l /proc/$$/ns'

# examples/walkthrough/09-clone.ns:23: veth child.veth1 169.254.1.2/30 <-> host.veth0 169.254.1.1/30
ip link add name veth0 type veth peer name veth1 netns child
ip -n child addr add 169.254.1.2/30 dev veth1
ip addr add 169.254.1.1/30 dev veth0
ip -n child link set dev veth1 up
ip link set dev veth0 up

# examples/walkthrough/09-clone.ns:27: in child ip -br addr show veth1
ip netns exec child ip -br addr show veth1

# examples/walkthrough/09-clone.ns:32: in child nc -l 1234 &
ip netns exec child nc -l 1234 &
nsh_job1=$!

# examples/walkthrough/09-clone.ns:33: in host nc 169.254.1.2 1234 <<< "haha"
nc -N 169.254.1.2 1234 <<< haha

# examples/walkthrough/09-clone.ns:34: wait
wait
