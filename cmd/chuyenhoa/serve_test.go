package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer is a goroutine-safe log sink.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// served is one in-process `chuyenhoa serve`.
type served struct {
	addr string
	logs *lockedBuffer
	stop context.CancelFunc
	done chan struct{} // closed when serve returned err
	err  error
}

func startServe(t *testing.T, env map[string]string) *served {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	vars := map[string]string{"CHUYENHOA_ADDR": addr, "CHUYENHOA_LOG_FORMAT": "json"}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{addr: addr, logs: &lockedBuffer{}, stop: cancel, done: make(chan struct{})}
	go func() { s.err = serve(ctx, func(k string) string { return vars[k] }, s.logs); close(s.done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
		}
	})
	return s
}

func (s *served) url(path string) string { return "http://" + s.addr + path }

func (s *served) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			t.Fatalf("serve exited: %v\n%s", s.err, s.logs)
		default:
		}
		if res, err := http.Get(s.url("/readyz")); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("not ready:\n%s", s.logs)
}

// trickle opens a connection and sends a POST to path whose body comes one
// byte every interval; it returns when the server answers or closes.
func trickle(addr, path string, interval time.Duration) (time.Duration, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	start := time.Now()
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", path)
	closed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, c)
		close(closed)
	}()
	for {
		select {
		case <-closed:
			return time.Since(start), nil
		case <-time.After(interval):
			if _, err := c.Write([]byte(" ")); err != nil {
				<-closed
				return time.Since(start), nil
			}
		}
		if time.Since(start) > 30*time.Second {
			return time.Since(start), errors.New("still open after 30s")
		}
	}
}

// TestServeReliability runs serve on SQLite: a second serve on the same
// data directory is refused; slow headers and trickled bodies are cut by
// the read timeouts; on shutdown /readyz reports draining while every other
// route is served and nobody is refused, then the listener closes, a
// request still running at the timeout is cut and logged, and serve
// returns nil (exit 0), releasing the data directory.
func TestServeReliability(t *testing.T) {
	if testing.Short() {
		t.Skip("a fault test (timeouts, drain, shutdown on the wall clock): skipped under -short")
	}
	dir := t.TempDir()
	env := map[string]string{
		"CHUYENHOA_DATA_DIR":            filepath.Join(dir, "data"),
		"CHUYENHOA_DRAIN":               "1500ms",
		"CHUYENHOA_SHUTDOWN_TIMEOUT":    "1s",
		"CHUYENHOA_READ_HEADER_TIMEOUT": "1s",
		"CHUYENHOA_READ_TIMEOUT":        "4s",
	}
	a := startServe(t, env)
	a.waitReady(t)

	t.Run("a second serve on the same data directory is refused", func(t *testing.T) {
		b := startServe(t, env)
		select {
		case <-b.done:
			if b.err == nil || !strings.Contains(b.err.Error(), "in use by another chuyenhoa serve") {
				t.Errorf("second serve returned %v", b.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("second serve on the same data directory started")
		}
	})

	t.Run("slow headers are cut", func(t *testing.T) {
		c, err := net.Dial("tcp", a.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n"))
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		io.Copy(io.Discard, c)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("connection with unfinished headers held %s (read header timeout 1s)", d)
		}
	})

	t.Run("a trickled login body is cut", func(t *testing.T) {
		d, err := trickle(a.addr, "/api/v1/auth/login", 500*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if d > 7*time.Second {
			t.Errorf("trickled body held the connection %s (read timeout 4s)", d)
		}
	})

	t.Run("drain and shutdown", func(t *testing.T) {
		// A request in flight when the listener closes, still running at the
		// shutdown timeout.
		inflight := make(chan struct{})
		go func() { trickle(a.addr, "/api/v1/auth/login", 200*time.Millisecond); close(inflight) }()
		time.Sleep(200 * time.Millisecond)
		a.stop()
		var readyz, healthz, refused int
		draining := time.Now().Add(1200 * time.Millisecond)
		time.Sleep(100 * time.Millisecond)
		for time.Now().Before(draining) {
			for path, n := range map[string]*int{"/readyz": &readyz, "/healthz": &healthz} {
				res, err := http.Get(a.url(path))
				if err != nil {
					if errors.Is(err, syscall.ECONNREFUSED) {
						refused++
					}
					t.Errorf("GET %s during the drain: %v", path, err)
					continue
				}
				res.Body.Close()
				if path == "/readyz" && res.StatusCode == http.StatusServiceUnavailable || path == "/healthz" && res.StatusCode == http.StatusOK {
					*n++
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		if readyz == 0 || healthz == 0 || refused != 0 {
			t.Errorf("during the drain: %d readyz 503, %d healthz 200, %d refused; want some, some, 0", readyz, healthz, refused)
		}
		select {
		case <-a.done:
			if a.err != nil {
				t.Errorf("serve returned %v after the signal, want nil", a.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("serve still running 10s after the signal\n%s", a.logs)
		}
		<-inflight
		if _, err := http.Get(a.url("/healthz")); err == nil {
			t.Errorf("still serving after shutdown")
		}
		logs := a.logs.String()
		for _, msg := range []string{`"msg":"shutting down"`, `"msg":"drained: closing the listener"`, `"msg":"shutdown timeout: cutting in-flight requests","in_flight":1`, `"msg":"stopped"`} {
			if !strings.Contains(logs, msg) {
				t.Errorf("log lacks %s\n%s", msg, logs)
			}
		}
	})

	t.Run("the data directory is free again", func(t *testing.T) {
		c := startServe(t, env)
		c.waitReady(t)
	})
}
