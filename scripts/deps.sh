#!/usr/bin/env bash
# Installs what building and testing hubextract need on Debian or Ubuntu, and
# only what is missing: the GTK/WebKit and test packages (apt), the wails CLI
# matching go.mod and the pinned deadcode and actionlint (go install). Checks Go and Node,
# which it cannot install. Quick and silent when everything is there. The
# frontend's npm install is the Makefile's job (it knows when package.json
# changed).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential pkg-config      # cgo for the WebKit window
  libgtk-3-dev libwebkit2gtk-4.1-dev # the window (built with the webkit2_41 tag)
  xvfb x11-utils xdotool imagemagick # the window test: a virtual display, find the window, screenshot
  chromium fonts-noto-color-emoji    # browser end-to-end tests
  postgresql                         # the team database's tests start a throw-away server
)

die() {
  echo "deps: $*" >&2
  exit 1
}

# --- Go and Node: needed before anything else, not ours to install --------
command -v go >/dev/null || die "Go is not installed: get Go 1.26 or newer from https://go.dev/dl/ and put it on PATH"
command -v node >/dev/null || die "Node.js is not installed: get Node 20.19+ or 22.12+ (https://nodejs.org, or NodeSource's Debian packages)"
node_version=$(node -p 'process.versions.node')
IFS=. read -r major minor _ <<<"$node_version"
if ! (((major == 20 && minor >= 19) || (major == 22 && minor >= 12) || major >= 23)); then
  die "Node $node_version is too old for Vite 7: install Node 20.19+ or 22.12+"
fi

# --- Debian packages --------------------------------------------------------
command -v dpkg-query >/dev/null || die "not a Debian/Ubuntu system: install the equivalents of: ${packages[*]}"
missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing packages (${missing[*]}) and no sudo: install them as root"
    sudo=(sudo)
  fi
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  # Ubuntu ships chromium only as a snap: the end-to-end tests then need it from elsewhere.
  installable=()
  for p in "${missing[@]}"; do
    if apt-cache show "$p" >/dev/null 2>&1; then
      installable+=("$p")
    else
      echo "deps: warning: package $p is not available here; skipping it" >&2
    fi
  done
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${installable[@]}" >/dev/null
fi

# --- the wails CLI, the version go.mod pins ----------------------------------
wails_version=$(go list -m -f '{{.Version}}' github.com/wailsapp/wails/v2)
gobin=$(go env GOBIN)
wails="${gobin:-$(go env GOPATH)/bin}/wails"
if ! go version -m "$wails" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/wailsapp/wails/v2[[:space:]]+$wails_version[[:space:]]"; then
  echo "deps: installing the wails CLI $wails_version"
  go install "github.com/wailsapp/wails/v2/cmd/wails@$wails_version"
fi

# --- deadcode, pinned: `make test` fails on functions nothing reaches --------
deadcode_version=v0.52.0
deadcode="${gobin:-$(go env GOPATH)/bin}/deadcode"
if ! go version -m "$deadcode" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+golang.org/x/tools[[:space:]]+$deadcode_version[[:space:]]"; then
  echo "deps: installing deadcode $deadcode_version"
  go install "golang.org/x/tools/cmd/deadcode@$deadcode_version"
fi

# --- actionlint, pinned: `make test` lints .github/workflows/ ----------------
actionlint_version=v1.7.12
actionlint="${gobin:-$(go env GOPATH)/bin}/actionlint"
if ! go version -m "$actionlint" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/rhysd/actionlint[[:space:]]+$actionlint_version[[:space:]]"; then
  echo "deps: installing actionlint $actionlint_version"
  go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version"
fi
