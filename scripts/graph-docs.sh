#!/bin/sh
# Draws the pictures under docs/ with `nsh graph` (today: docs/router.svg, the picture of
# examples/labs/router.ns). From the file itself when nsh can draw a file (its dry run, no
# privileges); otherwise the lab is built in a throw-away sandbox (private network, mount and pid
# namespaces, a tmpfs on /run) and drawn live.
#   sh scripts/graph-docs.sh           rewrite the pictures
#   sh scripts/graph-docs.sh --check   fail if a picture is not what nsh draws now
set -eu
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

draw() { # draw FILE.ns OUT.svg
  if bin/nsh graph "$1" -o "$2" 2>"$out/err"; then return 0; fi
  grep -q 'dry run' "$out/err" || { cat "$out/err" >&2; exit 1; }
  lab=$(basename "$1" .ns)
  user=""
  [ "$(id -u)" -eq 0 ] || user="--user --map-root-user"
  # shellcheck disable=SC2086
  unshare $user --net --mount --pid --fork --mount-proc sh -c \
    'mount -t tmpfs -o mode=755 nsh-run /run && bin/nsh "$1" >/dev/null 2>&1 && bin/nsh graph "$2" -o "$3"' -- "$1" "$lab" "$2"
}

status=0
for pair in examples/labs/router.ns:docs/router.svg; do
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
