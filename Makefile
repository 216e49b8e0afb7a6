.PHONY: test serve build

test:
	./scripts/test

serve:
	go run ./cmd/chuyenhoa serve

build:
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$$(git describe --tags --always 2>/dev/null || echo dev) -X main.commit=$$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" -o chuyenhoa ./cmd/chuyenhoa
