#!/usr/bin/env bash
# The iproute2 equivalent of def-without-params.ns, as printed by nsh --explain.
set -e

# def-without-params.ns:6: echo "before"
echo before

# def-without-params.ns:3: ns lan
ip netns add lan

# def-without-params.ns:4: up lan.lo
ip -n lan link set dev lo up
