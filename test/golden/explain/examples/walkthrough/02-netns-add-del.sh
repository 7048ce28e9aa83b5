#!/usr/bin/env bash
# The iproute2 equivalent of 02-netns-add-del.ns, as printed by nsh --explain.
set -e

# examples/walkthrough/02-netns-add-del.ns:9: ns netns1
ip netns add netns1

# examples/walkthrough/02-netns-add-del.ns:13: in host ls /var/run/netns
ls /var/run/netns

# examples/walkthrough/02-netns-add-del.ns:19: in netns1 ip link list
ip netns exec netns1 ip link list

# examples/walkthrough/02-netns-add-del.ns:22: in host ip netns list
ip netns list

# examples/walkthrough/02-netns-add-del.ns:25: del netns1
ip netns del netns1

# examples/walkthrough/02-netns-add-del.ns:29: in host ip netns list
ip netns list
