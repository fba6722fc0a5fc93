#!/usr/bin/env bash
# The reliability suite of issue 14: crashes, faults, bad local conditions,
# bad input and leaks. `make reliability` calls it after building; it is not
# part of make test (whose "reliability suite (fast)" step runs the quick
# half of tests/reliability).
#
# First the other packages' reliability tests, as `go test -json` into
# test-artifacts/reliability/other-tests.jsonl: tests/crash (kills at fixed
# points, Ctrl-C, a full disk on SQLite's page limit and on a real tmpfs,
# damaged and read-only databases as an unprivileged user, a second
# extraction and the app refused, the key scanned for), backend/hubspot's
# faults and soaks, backend/extract's resume, fault and lock tests, the
# store's error mapping. Then tests/reliability in full (twenty seeded
# kills), whose TestMain renders docs/reliability.md from the results its
# cases recorded (test-artifacts/reliability/results.jsonl) and that file.
set -uo pipefail
cd "$(dirname "$0")/.."

out=$PWD/test-artifacts/reliability # absolute: go test runs in the package's folder
rm -rf "$out"
mkdir -p "$out"
other=$out/other-tests.jsonl
failed=()

# slug turns a step's name into a file name.
slug() { local s; s=$(tr -cs 'a-zA-Z0-9' '-' <<<"$1"); echo "${s%-}"; }

run() {
  local name=$1
  shift
  local t0=$SECONDS
  if "$@"; then
    printf '  PASS  %-40s %5ss\n' "$name" $((SECONDS - t0))
  else
    printf '  FAIL  %-40s %5ss   log: %s\n' "$name" $((SECONDS - t0)) "$out/$(slug "$name").log"
    failed+=("$name")
  fi
}

# gotest_json NAME ARGS...: go test -json appended to $other; the tests'
# output also goes to the step's log.
gotest_json() {
  local base
  base=$out/$(slug "$1")
  shift
  go test -json -count=1 "$@" >"$base.json"
  local code=$?
  cat "$base.json" >>"$other"
  jq -r 'select(.Action == "output") | .Output' <"$base.json" >"$base.log" 2>/dev/null || cp "$base.json" "$base.log"
  return $code
}

# reliability_full runs tests/reliability in full; its TestMain writes the
# report.
reliability_full() {
  HUBEXTRACT_RELIABILITY=full HUBEXTRACT_RELIABILITY_RESULTS="$out/results.jsonl" \
    HUBEXTRACT_RELIABILITY_REPORT="$PWD/docs/reliability.md" HUBEXTRACT_RELIABILITY_GOTEST="$other" \
    go test -count=1 -v -timeout 30m ./tests/reliability/ >"$out/$(slug "tests/reliability (full)").log" 2>&1
}

echo "make reliability:"
run "tests/crash" gotest_json "tests/crash" -timeout 30m ./tests/crash/
HUBEXTRACT_SOAK=1 run "backend/hubspot faults and soaks" gotest_json "backend/hubspot faults and soaks" -timeout 10m \
  -run 'Fault|Soak|Retr|Refus|Permanent|Transport|Token' ./backend/hubspot/
run "backend/extract resume and faults" gotest_json "backend/extract resume and faults" -timeout 20m \
  -run 'Resume|Retries|Fault|DiskFull|BadToken|Refused|Cancelled|Busy|Lock|Stale|Running|TwoRuns' ./backend/extract/
run "backend/store errors" gotest_json "backend/store errors" -timeout 5m -run 'Err|Open|Corrupt|ReadOnly|Disk|Busy' ./backend/store/
run "tests/reliability (full)" reliability_full

if [ ${#failed[@]} -eq 0 ]; then
  echo "make reliability: PASS; the report is docs/reliability.md"
else
  echo "make reliability: FAIL (${failed[*]}); docs/reliability.md says which cases failed; logs in $out/"
  exit 1
fi
