# backupsdk developer tasks. `make demo` and `make test` are all a new user needs.
#
# Every step prints one line (==> ...) before it starts. Downloads and tool
# builds print nothing unless they fail, and then print everything.
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
# On Linux the npm tools run on the Node.js that tools/node/runtime brings
# from the npm registry (the version the tools' engines ask for); elsewhere
# on the machine's Node.js.
NODE_RUNTIME  := $(CURDIR)/$(NODE_DIR)/runtime/node_modules/.bin
NODE_ENV      := PATH="$(NODE_RUNTIME):$$PATH"
SPEC_NAMES    := vbaws vbgc vbem ibmbr
# Every spec file; the IBM family keeps its connector and management APIs
# beside the main one, as IBM splits its clients.
SPEC_FILES    := $(foreach p,$(SPEC_NAMES),specs/$(p)/openapi.yaml) specs/ibmbr/connector.yaml specs/ibmbr/management-sre.yaml specs/ibmbr/management-reporting.yaml
EXAMPLES      := quickstart vbaws-backup-restore vbgc-policies ibm-policies vbem-scopes vbem-backup-restore

# step announces what a target does; quiet runs a command and shows its
# output only when it fails.
step  = @printf '==> %s\n' "$(1)"
quiet = out=$$( { $(1); } 2>&1 ) || { printf '%s\n' "$$out" >&2; exit 1; }

.PHONY: all deps generate check-generated lint vet fmt-check spec-validate spec-lint spec-ts spec-mock node-tools docs test test-short demo bench bench-run bench-check tools clean

all: test

## deps: the Go modules, fetched once, quietly
deps:
	$(call step,Go modules (downloaded on the first run only))
	@$(call quiet,$(GO) mod download)

## generate: regenerate gen/ and the services from specs/ (oapi-codegen pinned in go.mod via tools.go)
generate: deps
	$(call step,generating gen/ and pkg/*/services.gen.go from specs/)
	@$(GO) generate ./...

## check-generated: fail if gen/ or the services are not what the specs generate
check-generated: generate
	$(call step,checking that the generated code is committed)
	@git diff --exit-code -- gen/ 'pkg/*/services.gen.go' || (echo "generated code is out of date: run 'make generate' and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain -- gen/ 'pkg/*/services.gen.go')" || (git status --porcelain -- gen/ 'pkg/*/services.gen.go'; echo "untracked generated files" >&2; exit 1)

$(GOLANGCI):
	$(call step,building golangci-lint $(GOLANGCI_VER) (first run only: about two minutes))
	@$(call quiet,GOBIN=$(TOOLS_BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VER))

tools: $(GOLANGCI)

## lint: golangci-lint (pinned) on everything but gen/
lint: $(GOLANGCI)
	$(call step,golangci-lint)
	@$(GOLANGCI) run ./...

vet: deps
	$(call step,go vet)
	@$(GO) vet $(PKGS)

fmt-check:
	$(call step,gofmt)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:" $$out >&2; exit 1; fi

## spec-validate: kin-openapi validation of every spec
spec-validate: deps
	$(call step,validating the specs (kin-openapi, endpoint tables, examples))
	@$(GO) test -count=1 ./specs/...

## node-tools: the pinned npm tools of tools/node (from its package-lock.json), and on Linux the Node.js they run on
$(NODE_BIN)/redocly: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json $(NODE_DIR)/runtime/package.json $(NODE_DIR)/runtime/package-lock.json
	$(call step,installing the pinned npm tools (first run only))
	@$(call quiet,npm ci --prefix $(NODE_DIR)/runtime --ignore-scripts --no-audit --no-fund)
	@$(call quiet,$(NODE_ENV) npm ci --prefix $(NODE_DIR) --ignore-scripts --no-audit --no-fund)
	@touch $@

node-tools: $(NODE_BIN)/redocly

## spec-lint: Redocly (recommended, strict) and Spectral (oas) on every spec; any warning fails
spec-lint: node-tools
	$(call step,linting the specs (Redocly recommended-strict, Spectral oas))
	@cd $(NODE_DIR) && $(NODE_ENV) ./node_modules/.bin/redocly lint --config redocly.yaml
	@cd $(NODE_DIR) && for f in $(SPEC_FILES); do \
		$(NODE_ENV) ./node_modules/.bin/spectral lint -r .spectral.yaml ../../$$f --fail-severity=warn --quiet || exit 1; done

## spec-ts: TypeScript types from every spec (openapi-typescript), compiled by tsc --noEmit
spec-ts: node-tools
	$(call step,generating TypeScript from the specs and compiling it (tsc --strict))
	@rm -rf $(NODE_DIR)/build/ts
	@cd $(NODE_DIR)/ts && $(NODE_ENV) ../node_modules/.bin/openapi-typescript
	@cd $(NODE_DIR) && $(NODE_ENV) ./node_modules/.bin/tsc -p tsconfig.json

## spec-mock: each product's flow with the Go SDK against Prism serving the spec
spec-mock: node-tools
	$(call step,running each product's flow against Prism serving its spec)
	@$(NODE_ENV) PRISM=$(CURDIR)/$(NODE_BIN)/prism $(GO) test -count=1 -tags prism ./tests/prism/

## docs: one HTML reference page per spec in docs/api/
docs: node-tools
	$(call step,rendering docs/api/*.html)
	@mkdir -p docs/api
	@for f in $(SPEC_FILES); do n=$$(echo $$f | sed 's|specs/||; s|/openapi.yaml||; s|/|-|; s|.yaml||'); \
		$(NODE_ENV) $(NODE_BIN)/redocly build-docs $$f -o docs/api/$$n.html || exit 1; done

## test: everything CI runs
test: fmt-check vet spec-validate check-generated lint spec-lint spec-ts
	$(call step,go test -race on every package (the first run compiles everything with the race detector: a minute or two))
	@mkdir -p .tools && rm -f .tools/contract-coverage.txt
	@CONTRACT_REPORT=$(CURDIR)/.tools/contract-coverage.txt $(GO) test -race -count=1 $(PKGS)
	$(call step,contract coverage of the specs)
	@cat .tools/contract-coverage.txt
	@$(MAKE) --no-print-directory spec-mock

test-short: deps
	$(call step,go test (no race detector))
	@$(GO) test -count=1 $(PKGS)

## demo: the examples against the built-in fake appliances
demo: deps
	$(call step,building the examples (the first build compiles the SDK and its fakes: about a minute))
	@mkdir -p $(TOOLS_BIN)/examples
	@$(call quiet,$(GO) build -o $(TOOLS_BIN)/examples/ $(addprefix ./examples/,$(EXAMPLES)))
	$(call step,Veeam Backup for AWS (examples/quickstart))
	@$(TOOLS_BIN)/examples/quickstart
	$(call step,Veeam Backup for AWS: start a backup and wait then restore an EC2 instance (examples/vbaws-backup-restore))
	@$(TOOLS_BIN)/examples/vbaws-backup-restore
	$(call step,Veeam Backup for Google Cloud (examples/vbgc-policies))
	@$(TOOLS_BIN)/examples/vbgc-policies
	$(call step,IBM Cloud Backup and Recovery (examples/ibm-policies))
	@$(TOOLS_BIN)/examples/ibm-policies
	$(call step,Veeam Backup Enterprise Manager in XML (examples/vbem-scopes))
	@$(TOOLS_BIN)/examples/vbem-scopes -xml
	$(call step,Veeam Backup Enterprise Manager: start a backup and wait then restore a VM (examples/vbem-backup-restore))
	@$(TOOLS_BIN)/examples/vbem-backup-restore

$(BENCHSTAT):
	$(call step,building benchstat (first run only))
	@$(call quiet,GOBIN=$(TOOLS_BIN) $(GO) install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VER) && mv $(TOOLS_BIN)/benchstat $@)

## bench-run: the benchmarks of tests/ into $(BENCH_DIR): BenchmarkList and
## BenchmarkDownload in $(BENCH_COUNT) rounds of one run each (go test -count
## would repeat each sub-benchmark back to back; rounds interleave the SDK and
## the baseline, and BENCH_ROUND flips their order every second round), then
## the memory and credential figures, -count $(BENCH_PERF_COUNT).
bench-run: deps
	$(call step,compiling the benchmarks and running $(BENCH_COUNT) interleaved rounds (about seven minutes))
	@mkdir -p $(BENCH_DIR)
	@$(GO) test -c -o $(BENCH_BIN) ./tests/
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
	$(call step,checking the SDK against the baselines (internal/benchcheck))
	@$(GO) run ./internal/benchcheck $(BENCH_OUT) $(BENCH_METRICS)

clean:
	rm -rf .tools $(NODE_DIR)/node_modules $(NODE_DIR)/runtime/node_modules $(NODE_DIR)/build docs/api
