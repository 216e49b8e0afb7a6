package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"chuyenhoa/cmd/chuyenhoa/config"
)

// healthcheck asks the server on this host whether it is up: it GETs
// /healthz (or /readyz with "healthcheck ready") on CHUYENHOA_ADDR and
// fails unless the answer is 200. Container images have no curl or shell
// (distroless), so Docker's HEALTHCHECK runs the binary itself.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	path := "/healthz"
	switch {
	case len(args) == 0:
	case len(args) == 1 && args[0] == "ready":
		path = "/readyz"
	default:
		return fmt.Errorf("usage: chuyenhoa healthcheck [ready]")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	url := "http://" + localAddr(cfg.Addr) + path
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s: %s", url, resp.Status)
	}
	fmt.Fprintf(stdout, "ok %s\n", url)
	return nil
}

// localAddr turns a listen address into one to dial from the same host: an
// empty or wildcard host becomes the loopback address.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::", "[::]":
		host = "::1"
	}
	if strings.Contains(host, ":") {
		return "[" + host + "]:" + port
	}
	return host + ":" + port
}
