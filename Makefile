# backupsdk developer tasks. `make demo` and `make test` are all a new user needs.
GO            ?= go
GOLANGCI_VER  := v2.15.0
TOOLS_BIN     := $(CURDIR)/.tools/bin
GOLANGCI      := $(TOOLS_BIN)/golangci-lint
PKGS          := ./...

NODE_DIR      := tools/node
NODE_BIN      := $(NODE_DIR)/node_modules/.bin
SPEC_NAMES    := vbaws vbgc vbem ibmbr

.PHONY: all generate check-generated lint vet fmt-check spec-validate spec-lint spec-ts spec-mock node-tools docs test test-short demo bench tools clean

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
	@mkdir -p .tools && rm -f .tools/contract-coverage.txt
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

## bench: Go benchmarks with memory statistics
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -count=1 $(PKGS)

clean:
	rm -rf .tools $(NODE_DIR)/node_modules $(NODE_DIR)/build docs/api
