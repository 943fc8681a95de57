# Sigil developer tasks. `make test` is what CI runs (see .ci/run), minus the
# Postgres DSN: export SIGIL_TEST_POSTGRES to include the Postgres tests.

GO      ?= go
BIN     ?= bin/sigil
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
IMAGE   ?= sigil:$(VERSION)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: build test test-short lint bench run-demo docker clean

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/sigil

test:
	$(GO) test -race -count=1 ./...

test-short:
	$(GO) test -short -count=1 ./...

lint:
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

run-demo:
	$(GO) run ./cmd/sigil demo

docker:
	docker build --build-arg VERSION=$(VERSION) -t $(IMAGE) .

clean:
	rm -rf bin
