#!/usr/bin/env bash
# The iproute2 equivalent of 09-clone.ns, as printed by nsh --explain.
set -e

# examples/walkthrough/09-clone.ns:11: echo "the root namespaces:"
echo 'the root namespaces:'

# examples/walkthrough/09-clone.ns:12: info host
ls -l /proc/$$/ns

# examples/walkthrough/09-clone.ns:18: spawn uts ipc pid mnt net as child sh -c "hostname in-namespace; $hello; $await_veth; $ifconfig" &
mkdir -p /run/netns && touch /run/netns/child && unshare --uts --ipc --pid --mount --net=/run/netns/child --fork --kill-child --mount-proc -- sh -c 'hostname in-namespace; echo "child: my PID is $$, my hostname is $(hostname)"; ls -l /proc/$$/ns; n=0; until ip -br -4 addr show veth1 2>/dev/null | grep -q " UP .*169.254.1.2/30"; do n=$((n+1)); [ $n -lt 200 ] || exit 1; sleep 0.05; done; echo "child: veth1 has arrived:"; ip -br -4 addr show veth1' &
nsh_job1=$!
until mountpoint -q /run/netns/child; do sleep 0.01; done

# examples/walkthrough/09-clone.ns:24: veth child.veth1 169.254.1.2/30 <-> host.veth0 169.254.1.1/30
ip link add name veth0 type veth peer name veth1 netns child
ip -n child addr add 169.254.1.2/30 dev veth1
ip addr add 169.254.1.1/30 dev veth0
ip -n child link set dev veth1 up
ip link set dev veth0 up

# examples/walkthrough/09-clone.ns:25: ! same host child net
if test "$(stat -L -c %i /proc/$$/ns/net)" = "$(stat -L -c %i /run/netns/child)"; then
  echo 'nsh: this statement was expected to fail' >&2; exit 1
fi

# examples/walkthrough/09-clone.ns:28: wait %1
wait "${nsh_job1}"

# examples/walkthrough/09-clone.ns:33: in child nc -l 1234 &
ip netns exec child nc -l 1234 &
nsh_job2=$!

# examples/walkthrough/09-clone.ns:34: in host nc 169.254.1.2 1234 <<< "haha"
nc -N 169.254.1.2 1234 <<< haha

# examples/walkthrough/09-clone.ns:35: wait
wait
