package deploy

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Stamp given to the test binary, as docker build --build-arg would.
const (
	testVersion = "v0.0.0-deploytest"
	testCommit  = "c0ffee1"
)

// dockerfileBuildLine returns the shell command of the Dockerfile's RUN
// instruction that runs go build, continuation lines joined.
func dockerfileBuildLine(tb testing.TB) string {
	tb.Helper()
	for _, in := range dockerfileInstructions(tb) {
		if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			return in.args
		}
	}
	tb.Fatal("deploy/Dockerfile: no RUN … go build line")
	return ""
}

var binary struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

// mustBinary builds cmd/chuyenhoa once per test run with exactly the
// Dockerfile's go build command (its output path moved to a temporary
// directory), stamped with testVersion and testCommit, and returns its path.
func mustBinary(tb testing.TB) string {
	tb.Helper()
	line := dockerfileBuildLine(tb)
	binary.once.Do(func() {
		dir, err := os.MkdirTemp("", "chuyenhoa-deploy-test-")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "chuyenhoa")
		if !strings.Contains(line, "-o /out/chuyenhoa") {
			binary.err = fmt.Errorf("the Dockerfile's build line no longer writes -o /out/chuyenhoa: %s", line)
			return
		}
		line = strings.Replace(line, "-o /out/chuyenhoa", "-o "+binary.path, 1)
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir = ".." // the build context: the repository root
		cmd.Env = append(os.Environ(), "VERSION="+testVersion, "COMMIT="+testCommit)
		binary.out, binary.err = cmd.CombinedOutput()
	})
	if binary.err != nil {
		tb.Fatalf("building with the Dockerfile's command: %v\n%s", binary.err, binary.out)
	}
	return binary.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.path != "" {
		os.RemoveAll(filepath.Dir(binary.path))
	}
	os.Exit(code)
}

// TestStaticBuild builds the binary the way the Dockerfile does and checks
// that it is static, stripped and stamped: what CI ships is what it tests.
func TestStaticBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the release binary with its own flags (CGO off, -trimpath), a slow cold build: skipped under -short")
	}
	line := dockerfileBuildLine(t)
	for _, flag := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}"`, "./cmd/chuyenhoa"} {
		if !strings.Contains(line, flag) {
			t.Errorf("Dockerfile build line lacks %s: %s", flag, line)
		}
	}
	bin := mustBinary(t)

	t.Run("version is stamped", func(t *testing.T) {
		out, err := exec.Command(bin, "version").CombinedOutput()
		if err != nil {
			t.Fatalf("chuyenhoa version: %v\n%s", err, out)
		}
		if got, want := string(out), "chuyenhoa "+testVersion+" (commit "+testCommit+")\n"; got != want {
			t.Errorf("chuyenhoa version = %q, want %q", got, want)
		}
	})

	t.Run("static and stripped", func(t *testing.T) {
		if runtime.GOOS != "linux" {
			t.Skip("ELF check on linux only")
		}
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
				t.Errorf("binary has a %v program header: not static", p.Type)
			}
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			t.Errorf("binary links %v: not static", libs)
		}
		if s := f.Section(".symtab"); s != nil {
			t.Errorf("binary has a symbol table: -s did not strip it")
		}
	})

	t.Run("trimpath", func(t *testing.T) {
		data, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		root, _ := filepath.Abs("..")
		if bytes.Contains(data, []byte(root+"/")) {
			t.Errorf("binary contains the build directory %s: -trimpath missing", root)
		}
	})

	t.Run("usage names healthcheck", func(t *testing.T) {
		out, _ := exec.Command(bin, "help").CombinedOutput()
		if !regexp.MustCompile(`(?m)^\s+chuyenhoa healthcheck`).Match(out) {
			t.Errorf("chuyenhoa help does not list healthcheck:\n%s", out)
		}
	})
}
