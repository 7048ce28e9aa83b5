#!/usr/bin/env bash
# The iproute2 equivalent of 01-namespaces.ns, as printed by nsh --explain.
set -e

# examples/walkthrough/01-namespaces.ns:15: info host
ls -l /proc/$$/ns

# examples/walkthrough/01-namespaces.ns:19: info pid 1
ls -l /proc/1/ns

# examples/walkthrough/01-namespaces.ns:24: ns left right
ip netns add left
ip netns add right

# examples/walkthrough/01-namespaces.ns:31: veth left.veth1 <-> right.veth0
ip -n left link add name veth1 type veth peer name veth0 netns right
ip -n left link set dev veth1 up
ip -n right link set dev veth0 up

# examples/walkthrough/01-namespaces.ns:34: show
ip -br link
ip -br addr
ip -n left -br link
ip -n left -br addr
ip -n right -br link
ip -n right -br addr
