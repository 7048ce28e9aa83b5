#!/bin/sh
# The stress tests at their full counts (NSH_STRESS=1), each test file in a sandbox of its own
# (test/backend-linux/run-in-sandbox.sh: private network, UTS, mount and pid namespaces, a tmpfs
# on /run), so files could run side by side without seeing each other's namespaces, links, journals
# or processes. They run one after the other by default: on 2 cores, three at once took longer
# than all in a row (the kernel takes one global lock, rtnl_lock, for every link change and
# namespace cleanup; 60 SIGKILL rounds went from 117 s to 483 s). NSH_STRESS_JOBS=N runs N at
# once. Prints each file's result and time, and each failed file's log; exits 1 if any failed.
#   sh test/stress/run.sh [build/test/stress/X.test.js ...]     (after npm run build)
set -eu
cd "$(dirname "$0")/../.."
jobs=${NSH_STRESS_JOBS:-1}
logs=$(mktemp -d /tmp/nsh-stress-XXXXXX)
if [ $# -eq 0 ]; then
  # longest first, so that the short ones fill in beside them
  set -- labs signals concurrency fuzz limits
  files=""
  for f in "$@"; do files="$files build/test/stress/$f.test.js"; done
  # shellcheck disable=SC2086
  set -- $files
fi
start=$(date +%s)
printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh -c '
  f=$1; logs=$2; name=$(basename "$f" .test.js); t0=$(date +%s)
  if NSH_STRESS=1 sh test/backend-linux/run-in-sandbox.sh --timeout 0 "$f" > "$logs/$name.log" 2>&1; then r=ok; else r=FAILED; fi
  echo "$r $name $(( $(date +%s) - t0 )) s" | tee -a "$logs/summary"
' sh {} "$logs"
failed=$(grep -c '^FAILED' "$logs/summary" || true)
for l in "$logs"/*.log; do
  name=$(basename "$l" .log)
  if grep -q "^FAILED $name " "$logs/summary"; then echo "=== $name"; cat "$l"; else grep -E ' in [0-9.]+ s$' "$l" || true; fi
done
echo "stress: $(grep -c '^ok' "$logs/summary" || true) files passed, $failed failed, in $(( $(date +%s) - start )) s (logs in $logs)"
[ "$failed" -eq 0 ]
