#!/bin/sh
# Regenerates test/backend-linux/fixtures.ts from iproute2 itself: every command of capture-commands.txt
# runs under strace inside a throw-away sandbox (bin/nsh-sandbox: private network, UTS, mount and
# pid namespaces, tmpfs /run), and the bytes it exchanged with the kernel over netlink become hex
# constants. A line whose key is "-" sets the stage (runs without strace, captures nothing); "&"
# likewise, in the background (a listener for ss to find; it ends with the sandbox).
# Usage (as root, from the repository root): sh test/backend-linux/capture-fixtures.sh [COMMANDS OUTPUT]
#   default: capture-commands.txt -> fixtures.ts; the second set is
#   sh test/backend-linux/capture-fixtures.sh capture-commands-ext.txt fixtures-ext.ts
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cmds=$here/${1:-capture-commands.txt}
target=$here/${2:-fixtures.ts}
out=$(mktemp -d)
"$here/../../bin/nsh-sandbox" -- sh -c '
  set -u
  mkdir -p /run/netns
  ip netns add a; ip netns add b; ip -n b link set lo up
  cat /proc/net/psched > "$1/psched"
  while IFS="|" read -r key cmd; do
    if [ "$key" = - ]; then $cmd >/dev/null 2>&1 || true; continue; fi
    if [ "$key" = "&" ]; then $cmd >/dev/null 2>&1 & continue; fi
    strace -o "$1/$key.log" -e trace=sendmsg,sendto,recvmsg -e write=all -e read=all -xx -s 65536 \
      $cmd >/dev/null 2>"$1/$key.err" || true
  done < "$2"
' -- "$out" "$cmds"
node "$here/capture-fixtures.mjs" "$out" "$cmds" > "$target"
rm -rf "$out"
echo "wrote $target"
