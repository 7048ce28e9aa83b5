#!/usr/bin/env bash
# The iproute2 equivalent of move-back.ns, as printed by nsh --explain.
set -e

# move-back.ns:2: ns netns1
ip netns add netns1

# move-back.ns:3: veth host.veth0 <-> host.veth1
ip link add name veth0 type veth peer name veth1
ip link set dev veth0 up
ip link set dev veth1 up

# move-back.ns:4: move host.veth1 -> netns1
ip link set dev veth1 netns netns1

# move-back.ns:5: addr netns1.veth1 10.1.1.1/24
ip -n netns1 addr add 10.1.1.1/24 dev veth1

# move-back.ns:6: up netns1.veth1
ip -n netns1 link set dev veth1 up

# move-back.ns:7: ! in netns1 ping 127.0.0.1 -c 1
if ip netns exec netns1 ping -c 1 -i 0.2 -W 1 127.0.0.1; then
  echo 'nsh: this statement was expected to fail' >&2; exit 1
fi

# move-back.ns:8: move netns1.veth1 -> host as veth1b
ip -n netns1 link set dev veth1 netns "$$" name veth1b

# move-back.ns:9: del host.veth0
ip link del dev veth0
