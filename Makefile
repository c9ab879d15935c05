# backupsdk developer tasks. `make demo` and `make test` are all a new user needs.
GO            ?= go
GOLANGCI_VER  := v2.15.0
TOOLS_BIN     := $(CURDIR)/.tools/bin
GOLANGCI      := $(TOOLS_BIN)/golangci-lint
PKGS          := ./...

# Benchmarks (docs/performance.md). benchstat is pinned like golangci-lint.
BENCHSTAT_VER := v0.0.0-20260908200009-22c9c6c9d4da
BENCHSTAT     := $(TOOLS_BIN)/benchstat-$(BENCHSTAT_VER)
BENCH_COUNT   ?= 20
BENCH_TIME    ?= 500ms
BENCH_PERF_COUNT ?= 6
BENCH_DIR     := .tools/bench
BENCH_OUT     := $(BENCH_DIR)/compare.txt
BENCH_METRICS := $(BENCH_DIR)/metrics.txt
BENCH_STAMP   := $(BENCH_DIR)/done
BENCH_BIN     := $(BENCH_DIR)/tests.test
BENCH_CMP     := ^Benchmark(List|Download)$$
BENCH_PERF    := ^Benchmark(AllFlatMemory|ExpiredTokenStampede)$$

NODE_DIR      := tools/node
NODE_BIN      := $(NODE_DIR)/node_modules/.bin
SPEC_NAMES    := vbaws vbgc vbem ibmbr

.PHONY: all generate check-generated lint vet fmt-check spec-validate spec-lint spec-ts spec-mock node-tools docs test test-short demo bench bench-run bench-check tools clean

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

## node-tools: the pinned npm tools of tools/node (from its package-lock.json)
$(NODE_BIN)/redocly: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	npm ci --prefix $(NODE_DIR) --no-audit --no-fund
	@touch $@

node-tools: $(NODE_BIN)/redocly

## spec-lint: Redocly (recommended, strict) and Spectral (oas) on every spec; any warning fails
spec-lint: node-tools
	cd $(NODE_DIR) && ./node_modules/.bin/redocly lint --config redocly.yaml
	cd $(NODE_DIR) && for p in $(SPEC_NAMES); do \
		./node_modules/.bin/spectral lint -r .spectral.yaml ../../specs/$$p/openapi.yaml --fail-severity=warn || exit 1; done

## spec-ts: TypeScript types from every spec (openapi-typescript), compiled by tsc --noEmit
spec-ts: node-tools
	rm -rf $(NODE_DIR)/build/ts
	cd $(NODE_DIR)/ts && ../node_modules/.bin/openapi-typescript
	cd $(NODE_DIR) && ./node_modules/.bin/tsc -p tsconfig.json

## spec-mock: each product's flow with the Go SDK against Prism serving the spec
spec-mock: node-tools
	PRISM=$(CURDIR)/$(NODE_BIN)/prism $(GO) test -count=1 -tags prism ./tests/prism/

## docs: one HTML reference page per spec in docs/api/
docs: node-tools
	mkdir -p docs/api
	for p in $(SPEC_NAMES); do \
		$(NODE_BIN)/redocly build-docs specs/$$p/openapi.yaml -o docs/api/$$p.html || exit 1; done

## test: everything CI runs
test: fmt-check vet spec-validate check-generated lint spec-lint spec-ts
	@mkdir -p .tools
	CONTRACT_REPORT=$(CURDIR)/.tools/contract-coverage.txt $(GO) test -race -count=1 $(PKGS)
	@cat .tools/contract-coverage.txt
	$(MAKE) spec-mock

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

$(BENCHSTAT):
	GOBIN=$(TOOLS_BIN) $(GO) install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VER)
	mv $(TOOLS_BIN)/benchstat $@

## bench-run: the benchmarks of tests/ into $(BENCH_DIR): BenchmarkList and
## BenchmarkDownload in $(BENCH_COUNT) rounds of one run each (go test -count
## would repeat each sub-benchmark back to back; rounds interleave the SDK and
## the baseline, and BENCH_ROUND flips their order every second round), then
## the memory and credential figures, -count $(BENCH_PERF_COUNT).
bench-run:
	@mkdir -p $(BENCH_DIR)
	$(GO) test -c -o $(BENCH_BIN) ./tests/
	@rm -f $(BENCH_STAMP) $(BENCH_OUT).tmp
	@i=1; while [ $$i -le $(BENCH_COUNT) ]; do \
		echo "round $$i of $(BENCH_COUNT): $(BENCH_CMP)"; \
		(cd tests && BENCH_ROUND=$$i ../$(BENCH_BIN) -test.run='^$$' -test.bench='$(BENCH_CMP)' \
			-test.benchmem -test.benchtime=$(BENCH_TIME) -test.count=1) > $(BENCH_OUT).round \
			|| { cat $(BENCH_OUT).round; exit 1; }; \
		grep '^Benchmark' $(BENCH_OUT).round; \
		cat $(BENCH_OUT).round >> $(BENCH_OUT).tmp; \
		i=$$((i+1)); \
	done
	@mv $(BENCH_OUT).tmp $(BENCH_OUT) && rm -f $(BENCH_OUT).round
	@echo "$(BENCH_PERF), -count $(BENCH_PERF_COUNT)"
	@(cd tests && ../$(BENCH_BIN) -test.run='^$$' -test.bench='$(BENCH_PERF)' -test.benchmem \
		-test.count=$(BENCH_PERF_COUNT)) > $(BENCH_METRICS).tmp || { cat $(BENCH_METRICS).tmp; exit 1; }
	@grep '^Benchmark' $(BENCH_METRICS).tmp
	@mv $(BENCH_METRICS).tmp $(BENCH_METRICS)
	@touch $(BENCH_STAMP)

## bench: bench-run, then benchstat's tables: the SDK against plain net/http
## (columns by client=), and the memory and credential figures
bench: $(BENCHSTAT) bench-run
	@echo
	@echo "SDK against plain net/http, $(BENCH_COUNT) interleaved runs a side ($(BENCH_OUT)):"
	@$(BENCHSTAT) -col '/client@(baseline sdk baseline-stream)' $(BENCH_OUT)
	@echo
	@echo "All over 100,000 items, 1,000 callers on an expired credential ($(BENCH_METRICS)):"
	@$(BENCHSTAT) $(BENCH_METRICS)

# The results are stale when a Go source or the module changed since.
$(BENCH_STAMP): $(wildcard $(shell git ls-files '*.go' go.mod go.sum 2>/dev/null))
	$(MAKE) --no-print-directory bench-run

## bench-check: fail if the SDK's median time on any product's list call is
## over 1.10x the baseline's, or its allocs over 1.05x; downloads must not
## allocate more with size; runs the benchmarks first if their results are
## missing or older than the sources
bench-check: $(BENCH_STAMP)
	$(GO) run ./internal/benchcheck $(BENCH_OUT) $(BENCH_METRICS)

clean:
	rm -rf .tools $(NODE_DIR)/node_modules $(NODE_DIR)/build docs/api
