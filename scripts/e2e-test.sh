#!/usr/bin/env bash
# Runs tests/e2e: the real frontend and Go backend (the dev-tagged binary's
# browser endpoint, on temporary databases) driven in Debian's chromium by
# playwright-core, on a virtual display (the dev binary opens its window
# too). Expects build/bin/hubextract and build/bin/hubextract-dev (make
# build build-dev) and tests/e2e/node_modules (make deps). Screenshots and
# the app's logs go to test-artifacts/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v chromium >/dev/null || { echo "e2e: Debian's chromium is not installed (make deps)" >&2; exit 1; }
rm -rf test-artifacts/e2e
mkdir -p test-artifacts/e2e
export HUBEXTRACT_E2E_ARTIFACTS="$PWD/test-artifacts/e2e"

# -noreset: see scripts/window-test.sh.
exec xvfb-run -a -s "-screen 0 1280x900x24 -noreset" \
  node --test --test-concurrency=1 --test-reporter=spec --test-timeout=240000 tests/e2e/
