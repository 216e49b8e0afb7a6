package deploy

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer collects a process's output for assertions and failure
// messages.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is one `chuyenhoa serve` process of the test binary.
type server struct {
	name string
	addr string // 127.0.0.1:port
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{} // closed when the process has exited
	// token is the bearer token of the signed-in admin, once signIn ran.
	token string
}

const adminPassword = "mật khẩu quản trị thử nghiệm"

// createAdmin bootstraps the platform admin in the database at dbURL with
// the binary's own CLI, as an operator would.
func createAdmin(tb testing.TB, bin, dbURL string) {
	tb.Helper()
	cmd := exec.Command(bin, "user", "create", "--username", "admin", "--role", "admin", "--password-stdin")
	cmd.Env = append(baseEnv(), "CHUYENHOA_DATABASE_URL="+dbURL, "CHUYENHOA_DATA_DIR="+tb.TempDir())
	cmd.Stdin = strings.NewReader(adminPassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("user create: %v\n%s", err, out)
	}
}

// signIn logs the admin in and keeps the token for later requests.
func (s *server) signIn(tb testing.TB) {
	tb.Helper()
	code, body := s.do(tb, http.MethodPost, "/api/v1/auth/login", map[string]string{"username": "admin", "password": adminPassword})
	if code != http.StatusOK {
		tb.Fatalf("%s login = %d %s", s.name, code, body)
	}
	var r struct{ Token string }
	if err := json.Unmarshal(body, &r); err != nil || r.Token == "" {
		tb.Fatalf("%s login answered no token: %s", s.name, body)
	}
	s.token = r.Token
}

// baseEnv is the test's environment without any CHUYENHOA_* variable, so
// the developer's settings do not leak into the processes under test.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CHUYENHOA_") {
			env = append(env, kv)
		}
	}
	return env
}

func freePort(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// startServer starts `chuyenhoa serve` on a free loopback port with env on
// top of a JSON-logging default; the process is killed when the test ends
// if it is still running.
func startServer(tb testing.TB, bin, name string, env map[string]string) *server {
	tb.Helper()
	s := &server{name: name, addr: "127.0.0.1:" + freePort(tb), logs: &syncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = append(baseEnv(), "CHUYENHOA_ADDR="+s.addr, "CHUYENHOA_DATA_DIR="+tb.TempDir(), "CHUYENHOA_LOG_FORMAT=json", "CHUYENHOA_SHUTDOWN_TIMEOUT=10s")
	for k, v := range env {
		s.cmd.Env = append(s.cmd.Env, k+"="+v)
	}
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	tb.Cleanup(func() {
		select {
		case <-s.done:
		default:
			s.cmd.Process.Kill()
			<-s.done
		}
	})
	return s
}

func (s *server) url(path string) string { return "http://" + s.addr + path }

// waitReady polls /readyz until it answers 200.
func (s *server) waitReady(tb testing.TB, timeout time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			tb.Fatalf("%s exited before it was ready: %v\n%s", s.name, s.cmd.ProcessState, s.logs)
		default:
		}
		if resp, err := http.Get(s.url("/readyz")); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("%s not ready after %s:\n%s", s.name, timeout, s.logs)
}

// stop sends SIGTERM and checks that the process shuts down gracefully:
// it exits 0 and says so. It reports with Errorf only, so it may run in a
// goroutine of its own.
func (s *server) stop(tb testing.TB) {
	tb.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		tb.Errorf("%s: SIGTERM: %v", s.name, err)
		return
	}
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		tb.Errorf("%s still running 30s after SIGTERM:\n%s", s.name, s.logs)
		return
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		tb.Errorf("%s exited %d after SIGTERM, want 0:\n%s", s.name, code, s.logs)
	}
	if !strings.Contains(s.logs.String(), `"msg":"shutting down"`) {
		tb.Errorf("%s did not log its graceful shutdown:\n%s", s.name, s.logs)
	}
}

// do sends a request with an optional JSON body and returns status and body.
func (s *server) do(tb testing.TB, method, path string, body any) (int, []byte) {
	tb.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url(path), r)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, data
}

// logCount counts the JSON log lines whose msg is msg.
func (s *server) logCount(msg string) int {
	n := 0
	for _, line := range strings.Split(s.logs.String(), "\n") {
		var rec struct {
			Msg string `json:"msg"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == msg {
			n++
		}
	}
	return n
}

// healthcheck runs `chuyenhoa healthcheck` against s, as Docker would.
func (s *server) healthcheck(bin string) error {
	cmd := exec.Command(bin, "healthcheck")
	cmd.Env = append(baseEnv(), "CHUYENHOA_ADDR="+s.addr)
	return cmd.Run()
}

// requirePGTools skips when pg_dump or pg_restore is missing, except in CI,
// where it fails.
func requirePGTools(tb testing.TB) {
	tb.Helper()
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				tb.Fatalf("%s not installed (CI=true: failing instead of skipping)", tool)
			}
			tb.Skipf("%s not installed (set CI=true to fail instead)", tool)
		}
	}
}
