#!/bin/sh
# Runs the test suite inside a throw-away sandbox (bin/nsh-sandbox: private network, UTS, mount
# and pid namespaces with a tmpfs on /run), so nothing the tests create can reach the machine's
# network or outlive the run. Without root, a user namespace (--user) gives the same sandbox.
# The launcher's shell stays PID 1: kernel tests check that PID 1 is that sandbox shell.
#   sh test/sandbox.sh                       every test of .mocharc.json (all but test/stress)
#   sh test/sandbox.sh build/test/X.test.js  only the files named (with any other mocha options)
set -eu
cd "$(dirname "$0")/.."
user=""
[ "$(id -u)" -eq 0 ] || user="--user"
# .mocharc.json's spec would be added to the files named here, so when files are named it is
# left out and its other settings are given as options.
config=""
for a in "$@"; do
  case $a in *.js) config="--no-config --timeout 60000 --reporter scripts/mocha-reporter.cjs" ;; esac
done
# shellcheck disable=SC2086
exec bin/nsh-sandbox $user -- env NSH_SANDBOX=1 npx mocha $config "$@"
