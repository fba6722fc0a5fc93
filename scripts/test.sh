#!/usr/bin/env bash
# Runs every test of hubextract, each step quiet with its output in
# test-artifacts/logs/, and prints a PASS/FAIL line per step and a summary.
# `make test` calls it after installing the dependencies and building
# build/bin/hubextract and build/bin/hubextract-dev. Needs no display and no
# standard input.
set -uo pipefail
cd "$(dirname "$0")/.."

logs=test-artifacts/logs
mkdir -p "$logs"
: "${GOTESTFLAGS:=}"
export CI="${CI:-}"

passed=0
failed=()
start_all=$SECONDS

step() {
  local name=$1
  shift
  local slug
  slug=$(tr -cs 'a-zA-Z0-9' '-' <<<"$name")
  local log="$logs/${slug%-}.log"
  local t0=${EPOCHREALTIME//[.,]/}
  if "$@" >"$log" 2>&1 </dev/null; then
    printf '  PASS  %-34s %6ss\n' "$name" "$(since "$t0")"
    passed=$((passed + 1))
  else
    printf '  FAIL  %-34s %6ss   log: %s\n' "$name" "$(since "$t0")" "$log"
    # The failing tests first (go test buries them above its last lines).
    grep -E -e '--- FAIL|^FAIL|^panic:|_test\.go:[0-9]+:' "$log" | head -n 40 | sed 's/^/        ! /'
    tail -n 30 "$log" | sed 's/^/        | /'
    failed+=("$name")
  fi
}

# since T0 prints the seconds since T0 (microseconds) as 12.3.
since() {
  local us=$((${EPOCHREALTIME//[.,]/} - $1))
  echo "$((us / 1000000)).$((us / 100000 % 10))"
}

go_files() { find . -name '*.go' -not -path './frontend/node_modules/*' -not -path './.git/*'; }

gofmt_clean() {
  local bad
  bad=$(gofmt -l $(go_files))
  [ -z "$bad" ] || { echo "not gofmt-ed:"; echo "$bad"; return 1; }
}

backend_without_wails() {
  local wails
  wails=$(go list -deps ./backend/... | grep wailsapp || true)
  [ -z "$wails" ] || { echo "backend/ imports Wails:"; echo "$wails"; return 1; }
}

# deadcode_clean fails, listing them, when the production build holds
# functions that no path from main reaches (golang.org/x/tools/cmd/deadcode,
# which scripts/deps.sh installs). backend/testkit is left out: it is test
# support that only _test.go files import, so from main none of it is
# reachable, by design. Go's regexps have no negative lookahead, so the filter
# is an alternation of every other package of the module.
deadcode_clean() {
  local tags=desktop,production,webkit2_41 gobin module pkgs dead
  gobin=$(go env GOBIN)
  module=$(go list -m) || return 1
  pkgs=$(go list -tags "$tags" ./...) || return 1
  pkgs=$(grep -vx "$module/backend/testkit" <<<"$pkgs" | sed 's/[.]/\\./g' | paste -sd '|')
  [ -n "$pkgs" ] || { echo "go list found no package"; return 1; }
  dead=$("${gobin:-$(go env GOPATH)/bin}/deadcode" -tags "$tags" -filter "^($pkgs)\$" ./...) || return 1
  [ -z "$dead" ] || { echo "functions nothing reaches from main (delete them):"; echo "$dead"; return 1; }
}

# workflows_lint runs actionlint (which scripts/deps.sh installs) on the
# GitHub workflows. shellcheck and pyflakes are left out, so the result does
# not depend on whether they happen to be installed.
workflows_lint() {
  local gobin
  gobin=$(go env GOBIN)
  "${gobin:-$(go env GOPATH)/bin}/actionlint" -shellcheck= -pyflakes= .github/workflows/*.yml
}

go_test_rest() {
  # Everything outside backend/ (backend/ runs under -race below).
  go test $GOTESTFLAGS -timeout 5m $(go list ./... | grep -v '^hubextract/backend/')
}

# reliability_fast runs the quick half of tests/reliability (a few seeded
# kills, faults, bad input, files, leaks); make reliability runs all of it.
reliability_fast() {
  mkdir -p test-artifacts/reliability
  HUBEXTRACT_RELIABILITY=fast HUBEXTRACT_RELIABILITY_RESULTS="$PWD/test-artifacts/reliability/fast-results.jsonl" \
    HUBEXTRACT_RELIABILITY_REPORT="$PWD/test-artifacts/reliability/fast.md" \
    go test $GOTESTFLAGS -count=1 -timeout 5m ./tests/reliability/
}

frontend() { (cd frontend && "$@"); }

echo "make test:"
step "gofmt" gofmt_clean
step "go vet ./..." go vet ./...
step "no dead code (deadcode)" deadcode_clean
step "backend imports no Wails" backend_without_wails
step "actionlint" workflows_lint
step "go test (outside backend/)" go_test_rest
step "reliability suite (fast)" reliability_fast
step "go test -race ./backend/..." go test $GOTESTFLAGS -race -timeout 25m ./backend/...
step "frontend: npm run check" frontend npm run --silent check
step "frontend: vitest" frontend npx --no vitest run
step "window under Xvfb" scripts/window-test.sh
step "end-to-end in chromium" scripts/e2e-test.sh

total=$((SECONDS - start_all))
echo "steps: $passed passed, ${#failed[@]} failed"
if [ ${#failed[@]} -eq 0 ]; then
  echo "make test: PASS ($passed steps, ${total}s; screenshots in test-artifacts/window/ and test-artifacts/e2e/)"
else
  echo "make test: FAIL (${#failed[@]} of $((passed + ${#failed[@]})) steps failed: ${failed[*]}; ${total}s)"
  exit 1
fi
