#!/bin/sh
# Runs the kernel tests of the Linux backend (default: build/test/backend-linux/*.test.js, compiled by
# `npx tsc -p .`) inside a throw-away sandbox (bin/nsh-sandbox: private network, UTS, mount and
# pid namespaces with a tmpfs on /run), so nothing they create can reach the machine's network or
# outlive the run. Without root, a user namespace (--user) gives the same sandbox. The launcher's
# shell stays PID 1: the tests check that PID 1 is that sandbox shell before touching the kernel.
#   sh test/backend-linux/run-in-sandbox.sh [mocha files/options...]
set -eu
cd "$(dirname "$0")/../.."
if [ $# -eq 0 ]; then set -- build/test/backend-linux/*.test.js; fi
user=""
[ "$(id -u)" -eq 0 ] || user="--user"
# shellcheck disable=SC2086
exec bin/nsh-sandbox $user -- env NSH_SANDBOX=1 npx mocha --no-config --timeout 60000 "$@"
