# backupsdk developer tasks. `make demo` and `make test` are all a new user needs.
GO            ?= go
GOLANGCI_VER  := v2.15.0
TOOLS_BIN     := $(CURDIR)/.tools/bin
GOLANGCI      := $(TOOLS_BIN)/golangci-lint
PKGS          := ./...

.PHONY: all generate check-generated lint vet fmt-check spec-validate test test-short demo bench tools clean

all: test

## generate: regenerate gen/ from specs/ (oapi-codegen pinned in go.mod via tools.go)
generate:
	$(GO) generate ./...

## check-generated: fail if gen/ is not what the specs generate
check-generated: generate
	@git diff --exit-code -- gen/ || (echo "gen/ is out of date: run 'make generate' and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain -- gen/)" || (git status --porcelain -- gen/; echo "untracked files in gen/" >&2; exit 1)

$(GOLANGCI):
	GOBIN=$(TOOLS_BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VER)

tools: $(GOLANGCI)

## lint: golangci-lint (pinned) on everything but gen/
lint: $(GOLANGCI)
	$(GOLANGCI) run ./...

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:" $$out >&2; exit 1; fi

## spec-validate: kin-openapi validation of every spec
spec-validate:
	$(GO) test -count=1 ./specs/...

## test: everything CI runs
test: fmt-check vet spec-validate check-generated lint
	$(GO) test -race -count=1 $(PKGS)

test-short:
	$(GO) test -count=1 $(PKGS)

## demo: the examples against the built-in fake appliances
demo:
	$(GO) run ./examples/quickstart
	@echo
	$(GO) run ./examples/vbgc-policies
	@echo
	$(GO) run ./examples/ibm-policies
	@echo
	$(GO) run ./examples/vbem-scopes -xml

## bench: Go benchmarks with memory statistics
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -count=1 $(PKGS)

clean:
	rm -rf .tools
