#!/usr/bin/env bash
# The iproute2 equivalent of 07-pin.ns, as printed by nsh --explain.
set -e

# examples/walkthrough/07-pin.ns:12: ns scratch
ip netns add scratch

# examples/walkthrough/07-pin.ns:13: in scratch sleep 300 &
ip netns exec scratch sleep 300 &
nsh_job1=$!

# examples/walkthrough/07-pin.ns:14: del scratch
ip netns del scratch

# examples/walkthrough/07-pin.ns:18: pin pid $! as kept
ip netns attach kept "${nsh_job1}"

# examples/walkthrough/07-pin.ns:22: kill %1
kill "${nsh_job1}"

# examples/walkthrough/07-pin.ns:26: in kept ip link list
ip netns exec kept ip link list

# examples/walkthrough/07-pin.ns:27: ! same kept host net
if test "$(stat -L -c %i /run/netns/kept)" = "$(stat -L -c %i /proc/$$/ns/net)"; then
  echo 'nsh: this statement was expected to fail' >&2; exit 1
fi

# examples/walkthrough/07-pin.ns:33: pin host at "/run/nsh-walkthrough-net"
touch /run/nsh-walkthrough-net && mount --bind /proc/$$/ns/net /run/nsh-walkthrough-net

# examples/walkthrough/07-pin.ns:34: in host findmnt /run/nsh-walkthrough-net
findmnt /run/nsh-walkthrough-net

# examples/walkthrough/07-pin.ns:35: same host "/run/nsh-walkthrough-net" net
test "$(stat -L -c %i /proc/$$/ns/net)" = "$(stat -L -c %i /run/nsh-walkthrough-net)"

# examples/walkthrough/07-pin.ns:40: pin kept at "/run/nsh-walkthrough-kept"
touch /run/nsh-walkthrough-kept && mount --bind /run/netns/kept /run/nsh-walkthrough-kept

# examples/walkthrough/07-pin.ns:41: info "/run/nsh-walkthrough-kept"
nsenter --net=/run/nsh-walkthrough-kept -- ls -l /proc/self/ns

# examples/walkthrough/07-pin.ns:44: del kept
ip netns del kept

# examples/walkthrough/07-pin.ns:47: info "/run/nsh-walkthrough-kept"
nsenter --net=/run/nsh-walkthrough-kept -- ls -l /proc/self/ns
