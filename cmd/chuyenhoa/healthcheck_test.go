package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	status := map[string]int{"/healthz": http.StatusOK, "/readyz": http.StatusServiceUnavailable}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status[r.URL.Path])
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	env := func(addr string) func(string) string {
		return func(k string) string {
			if k == "CHUYENHOA_ADDR" {
				return addr
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name, addr string
		args       []string
		ok         bool
	}{
		{"healthz on wildcard address", ":" + port, []string{"healthcheck"}, true},
		{"healthz on loopback address", "127.0.0.1:" + port, []string{"healthcheck"}, true},
		{"readyz 503 fails", ":" + port, []string{"healthcheck", "ready"}, false},
		{"nothing listening fails", ":" + closedPort(t), []string{"healthcheck"}, false},
		{"bad argument fails", ":" + port, []string{"healthcheck", "x"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), tc.args, env(tc.addr), strings.NewReader(""), io.Discard, io.Discard)
			if got, want := err == nil, tc.ok; got != want {
				t.Fatalf("healthcheck ok = %v, want %v (err %v)", got, want, err)
			}
		})
	}
}

func TestLocalAddr(t *testing.T) {
	for in, want := range map[string]string{
		":8080":          "127.0.0.1:8080",
		"0.0.0.0:8080":   "127.0.0.1:8080",
		"[::]:8080":      "[::1]:8080",
		"10.1.2.3:9000":  "10.1.2.3:9000",
		"localhost:8080": "localhost:8080",
	} {
		if got := localAddr(in); got != want {
			t.Errorf("localAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

// closedPort returns a port on which nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close()
	return port
}
