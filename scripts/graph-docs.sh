#!/bin/sh
# Draws the pictures under docs/ with `nsh graph` (docs/router.svg, docs/vlans.svg and
# docs/wan.svg, the pictures of those labs under examples/labs/), from the file itself: its dry
# run, no privileges. The test suite runs
# --check (test/graph/docs.test.ts).
#   sh scripts/graph-docs.sh           rewrite the pictures
#   sh scripts/graph-docs.sh --check   fail if a picture is not what nsh draws now
set -eu
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

draw() { # draw FILE.ns OUT.svg
  bin/nsh graph "$1" -o "$2"
}

status=0
for pair in examples/labs/router.ns:docs/router.svg examples/labs/vlans.ns:docs/vlans.svg examples/labs/wan.ns:docs/wan.svg; do
  src=${pair%%:*}
  dst=${pair#*:}
  draw "$src" "$out/picture.svg"
  if $check; then
    cmp -s "$out/picture.svg" "$dst" || { echo "$dst is not what nsh graph draws from $src now: run sh scripts/graph-docs.sh" >&2; status=1; }
  else
    cp "$out/picture.svg" "$dst"
    echo "wrote $dst"
  fi
done
exit $status
