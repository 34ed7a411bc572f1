# AuthorWorks build and test entry points. `make test` is the one command that runs
# every check; CI (.ci/run) calls it too.

GOLANGCI_VERSION := v2.15.0
GOBIN ?= $(shell go env GOPATH)/bin
GOLANGCI := $(GOBIN)/golangci-lint

.PHONY: run build test lint vet fmt-check unit bench

run:
	go run ./cmd/authorworks serve

build:
	go build -o authorworks ./cmd/authorworks

test: fmt-check vet lint unit

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
