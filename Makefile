# HubSpot Extractor. The two commands for a fresh Debian/Ubuntu machine:
#   make demo   build the app, run the demo extraction, open the window
#   make test   run every test
# Both install what they need first (make deps) and are quick when it is there.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

GO      ?= go
# Release builds set VERSION; otherwise the nearest v* tag, or "dev".
VERSION ?= $(shell git describe --tags --match 'v*' --dirty 2>/dev/null || echo dev)
LDFLAGS := -X hubextract/backend/cli.Version=$(VERSION)

BIN      := build/bin/hubextract
DEV_BIN  := build/bin/hubextract-dev
TAGS     := desktop,production,webkit2_41
DEV_TAGS := dev,webkit2_41
# Where `go install` puts the wails CLI (scripts/deps.sh installs it).
WAILS     = $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)/wails

NODE_STAMP := frontend/node_modules/.installed
E2E_STAMP  := tests/e2e/node_modules/.installed
DIST       := frontend/dist/index.html
BINDINGS   := frontend/wailsjs/go/main/App.d.ts
GO_SOURCES := go.mod go.sum $(shell find . -name '*.go' -not -path './frontend/*' -not -path './.git/*' -not -path './tests/*')
FRONTEND_SOURCES := $(shell find frontend/src frontend/wailsjs -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/svelte.config.js frontend/tsconfig.json build/appicon.png

.PHONY: help deps system-deps demo build build-dev bindings dev test test-window test-e2e clean dist dist-linux test-dist \
	bench reliability

help:
	@echo "make demo        build the app, extract the sample HubSpot data, open the window"
	@echo "make test        run every test: Go, frontend, the window under Xvfb"
	@echo "make deps        install what is missing: Debian packages, the wails CLI, npm packages"
	@echo "make build       the production binary $(BIN)"
	@echo "make build-dev   the dev-tagged binary $(DEV_BIN) (browser endpoint for e2e tests)"
	@echo "make test-window only the window test (screenshots in test-artifacts/window/)"
	@echo "make test-e2e    only the end-to-end tests in chromium (test-artifacts/e2e/)"
	@echo "make bindings    regenerate the TypeScript bindings in frontend/wailsjs"
	@echo "make dev         wails dev: live-reloading window"
	@echo "make dist        the downloads in dist/: Linux .deb and .tar.gz, Windows .exe and installer, SHA256SUMS"
	@echo "make dist-linux  only the Linux .deb and .tar.gz (the release workflow's Linux job)"
	@echo "make test-dist   install and run what make dist built (apt, lintian, wine; installs Debian packages)"
	@echo "make bench       the benchmark: hubextract against the naive strategies and the floor (docs/benchmarks.md)"
	@echo "make reliability the whole reliability suite: kills, faults, bad input, security (docs/reliability.md)"
	@echo "make clean       remove built binaries, the built frontend and test artifacts"

# --- dependencies ------------------------------------------------------------

deps: system-deps $(NODE_STAMP) $(E2E_STAMP)

system-deps:
	@scripts/deps.sh

# npm ci fails here (the lockfile lacks other platforms' optional packages).
$(NODE_STAMP): frontend/package.json frontend/package-lock.json | system-deps
	cd frontend && npm install --no-audit --no-fund --loglevel=error
	@touch $@

# playwright-core only: it drives Debian's chromium and never downloads a browser.
$(E2E_STAMP): tests/e2e/package.json tests/e2e/package-lock.json | system-deps
	cd tests/e2e && npm install --no-audit --no-fund --loglevel=error
	@touch $@

# --- build -------------------------------------------------------------------

build: deps $(BIN)
build-dev: deps $(DEV_BIN)

# The generated bindings are committed (a fresh clone type-checks without
# Wails); they are regenerated when the bound Go code changes: the App, the
# workspace's services, and the packages whose types they take and return.
BOUND_SOURCES := main.go app.go $(filter-out %_test.go,$(wildcard backend/workspace/*.go backend/extract/*.go \
	backend/settings/*.go backend/catalog/*.go backend/schedule/*.go))
$(BINDINGS): $(BOUND_SOURCES) | system-deps
	$(WAILS) generate module >/dev/null
	@touch $@

bindings:
	@rm -f $(BINDINGS)
	@$(MAKE) --no-print-directory $(BINDINGS)

# vite.config.ts keeps frontend/dist/.gitkeep, which go:embed needs on a fresh clone.
$(DIST): $(NODE_STAMP) $(BINDINGS) $(FRONTEND_SOURCES)
	cd frontend && npm run --silent build -- --logLevel warn

$(BIN): $(GO_SOURCES) $(DIST)
	$(GO) build -tags $(TAGS) -trimpath -ldflags "-s -w $(LDFLAGS)" -o $@ .

$(DEV_BIN): $(GO_SOURCES) $(DIST)
	$(GO) build -tags $(DEV_TAGS) -ldflags "$(LDFLAGS)" -o $@ .

# -m: no `go mod tidy` behind the developer's back.
dev: deps $(BINDINGS)
	$(WAILS) dev -m -tags webkit2_41

# --- the two commands ------------------------------------------------------

# The demo extraction: the built-in fake HubSpot on a loopback port, extracted
# into the demo database (next to the real one), then the summary; the window
# opens afterwards when there is a display to open it on.
demo: build
	$(BIN) demo
	@if [ -z "$${CI:-}" ] && [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "Opening $(BIN): close the window to finish."; \
		exec $(BIN); \
	else \
		echo "No display here, so the window was not opened. On a desktop, run:"; \
		echo "  ./$(BIN)          opens the app"; \
		echo "  ./$(BIN) help     lists the command-line commands"; \
	fi

test: deps $(BIN) $(DEV_BIN)
	@scripts/test.sh

test-window: deps $(BIN) $(DEV_BIN)
	@scripts/window-test.sh

test-e2e: deps $(BIN) $(DEV_BIN)
	@scripts/e2e-test.sh

# --- downloads (not part of make test) ----------------------------------------

# scripts/dist.sh: VERSION (git describe's, or VERSION=1.2.0) names the files
# and is what `hubextract version` says. The Windows part needs makensis.
dist: deps $(DIST)
	@command -v makensis >/dev/null || { echo "dist: installing nsis (makensis)"; \
		sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); $$sudo apt-get update -qq || true; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis >/dev/null; }
	@VERSION=$(VERSION) scripts/dist.sh linux windows

dist-linux: deps $(DIST)
	@VERSION=$(VERSION) scripts/dist.sh linux

test-dist:
	@scripts/test-dist.sh

# --- proof (not part of make test: each takes longer) ---------------------------

bench: build
	@scripts/bench.sh

reliability: build
	@scripts/reliability.sh

clean:
	rm -rf build/bin test-artifacts dist
	find frontend/dist -mindepth 1 -not -name .gitkeep -delete
