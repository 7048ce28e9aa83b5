#!/bin/sh
# Runs the test suite inside a throw-away sandbox: private network, UTS, mount and pid namespaces
# with a tmpfs on /run, so nothing the tests create can reach the machine's network or outlive the
# run. Without root, a user namespace (--map-root-user) gives the same sandbox.
# The shell stays PID 1 (no exec): kernel tests check that PID 1 is this sandbox shell.
#   sh test/sandbox.sh                       every test of .mocharc.json (all but test/stress)
#   sh test/sandbox.sh build/test/X.test.js  only the files named (with any other mocha options)
set -eu
cd "$(dirname "$0")/.."
user=""
[ "$(id -u)" -eq 0 ] || user="--user --map-root-user"
# .mocharc.json's spec would be added to the files named here, so when files are named it is
# left out and its other settings are given as options.
config=""
for a in "$@"; do
  case $a in *.js) config="--no-config --timeout 60000 --reporter scripts/mocha-reporter.cjs" ;; esac
done
# shellcheck disable=SC2086
unshare $user --net --uts --mount --pid --fork --mount-proc \
  sh -c 'mount -t tmpfs -o mode=755 nsh-run /run && NSH_SANDBOX=1 npx mocha "$@"' -- $config "$@"
