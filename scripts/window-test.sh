#!/usr/bin/env bash
# Runs tests/window (build tag windowtest) on a virtual display: the built
# binaries' window rendered and screenshotted (each screen, light and dark,
# over a database filled by `hubextract demo`), their headless commands run
# with no display, the dev binary's browser endpoint. Expects
# build/bin/hubextract and build/bin/hubextract-dev (make build build-dev).
# Screenshots and the app's logs go to test-artifacts/window/.
set -euo pipefail
cd "$(dirname "$0")/.."

# -noreset: Xvfb otherwise resets whenever its last client disconnects, and a
# window opened during the reset fails with "failed to init GTK".
exec xvfb-run -a -s "-screen 0 1280x900x24 -noreset" \
  go test -tags windowtest -count=1 -timeout 6m -v ./tests/window/ \
  -args -binary "$PWD/build/bin/hubextract" -dev-binary "$PWD/build/bin/hubextract-dev" \
  -artifacts "$PWD/test-artifacts/window"
