# AuthorWorks build and test entry points. `make test` is the one command that runs
# every check; CI (.ci/run) calls it too. `make run` builds the web app (web/, needs
# Node 20.19+) into the binary and serves it.

GOLANGCI_VERSION := v2.15.0
GOBIN ?= $(shell go env GOPATH)/bin
GOLANGCI := $(GOBIN)/golangci-lint

# npm ci rewrites this file, so it is newer than the lock file once the
# dependencies match it.
WEB_DEPS := web/node_modules/.package-lock.json

.PHONY: run build test lint vet fmt-check unit bench node web-build web-test web-e2e

run: web-build
	go run -tags webui ./cmd/authorworks serve

build: web-build
	go build -tags webui -o authorworks ./cmd/authorworks

test: fmt-check vet lint web-test web-e2e unit

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	go vet ./...

$(GOLANGCI):
	GOFLAGS= go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION)

lint: $(GOLANGCI)
	@$(GOLANGCI) version | grep -q '$(patsubst v%,%,$(GOLANGCI_VERSION))' || GOFLAGS= go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION)
	$(GOLANGCI) run ./...

# The PostgreSQL and Redis suites run when AUTHORWORKS_TEST_POSTGRES_URL and
# AUTHORWORKS_TEST_REDIS_URL are set; with CI=true they must be.
unit:
	go test -race -count=1 -timeout 15m ./...

bench:
	go run ./bench/authload
	go run ./bench/contentload

# The web app: Node is needed from here on.
node:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
		echo "make: the web app (web/) needs Node 20.19 or newer and npm, and they are not on PATH."; \
		echo "      Install them from https://nodejs.org, or build the server alone with: go build ./cmd/authorworks"; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20 || (a===20 && b<19)) { console.error("make: the web app needs Node 20.19 or newer; this is " + process.version); process.exit(1) }'

$(WEB_DEPS): web/package.json web/package-lock.json | node
	npm ci --prefix web --no-audit --no-fund

web-build: $(WEB_DEPS)
	npm run build --prefix web

# The API types are current, then the type check, ESLint and the Vitest suite; then
# the built app is embedded and checked from Go.
web-test: $(WEB_DEPS)
	npm run check --prefix web
	npm run build --prefix web
	go test -count=1 -tags webui ./internal/webui

# End-to-end journeys in a real browser (web/e2e/run.mjs): the server built with the
# app embedded, on a free port with a fresh data directory, driven through Chromium
# (CHROMIUM, or chromium on PATH). Without Chromium this is skipped locally and fails
# with CI=true (.ci/run installs it), as internal/testenv does for test tools.
E2E_DIR := $(or $(TMPDIR),/tmp)/authorworks-e2e
web-e2e: $(WEB_DEPS)
	@chromium="$${CHROMIUM:-$$(command -v chromium || command -v chromium-browser || true)}"; \
	if [ -z "$$chromium" ] || [ ! -x "$$chromium" ]; then \
		case "$$CI" in [Tt][Rr][Uu][Ee]|1) echo "web-e2e: chromium is not installed: .ci/run must install it" >&2; exit 1;; esac; \
		echo "web-e2e: chromium not installed; skipping the browser tests (set CHROMIUM to its path)"; exit 0; \
	fi; \
	set -e; \
	npm run build --prefix web; \
	mkdir -p $(E2E_DIR); \
	go build -tags webui -o $(E2E_DIR)/authorworks ./cmd/authorworks; \
	CHROMIUM="$$chromium" AUTHORWORKS_E2E_BIN=$(E2E_DIR)/authorworks npm run e2e --prefix web
