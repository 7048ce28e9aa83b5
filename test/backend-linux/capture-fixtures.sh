#!/bin/sh
# Regenerates test/backend-linux/fixtures.ts from iproute2 itself: every command of
# capture-commands.txt runs under strace inside a throw-away sandbox (bin/nsh-sandbox: private
# network, UTS, mount and pid namespaces, tmpfs /run), and the bytes it exchanged with the kernel
# over netlink become hex constants.
# Usage (as root, from the repository root): sh test/backend-linux/capture-fixtures.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
"$here/../../bin/nsh-sandbox" -- sh -c '
  set -u
  mkdir -p /run/netns
  ip netns add a; ip netns add b; ip -n b link set lo up
  while IFS="|" read -r key cmd; do
    strace -o "$1/$key.log" -e trace=sendmsg,sendto,recvmsg -e write=all -e read=all -xx -s 65536 \
      $cmd >/dev/null 2>"$1/$key.err" || true
  done < "$2"
' -- "$out" "$here/capture-commands.txt"
node "$here/capture-fixtures.mjs" "$out" "$here/capture-commands.txt" > "$here/fixtures.ts"
rm -rf "$out"
echo "wrote $here/fixtures.ts"
