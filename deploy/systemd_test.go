package deploy

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"chuyenhoa/cmd/chuyenhoa/config"
)

// systemdDirectives parses a unit file into directive → values (in order).
func systemdDirectives(tb testing.TB, path string) map[string][]string {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' || line[0] == '[' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			tb.Fatalf("%s: bad line %q", path, line)
		}
		out[k] = append(out[k], v)
	}
	return out
}

// systemdEnv returns the variables the unit's Environment= lines set.
func systemdEnv(d map[string][]string) map[string]string {
	env := map[string]string{}
	for _, line := range d["Environment"] {
		for _, kv := range strings.Fields(line) {
			k, v, _ := strings.Cut(strings.Trim(kv, `"`), "=")
			env[k] = v
		}
	}
	return env
}

func TestSystemdUnit(t *testing.T) {
	d := systemdDirectives(t, "systemd/chuyenhoa.service")
	want := map[string]string{
		"ProtectSystem":           "strict",
		"ProtectHome":             "yes",
		"PrivateTmp":              "yes",
		"PrivateDevices":          "yes",
		"NoNewPrivileges":         "yes",
		"CapabilityBoundingSet":   "",
		"AmbientCapabilities":     "",
		"MemoryDenyWriteExecute":  "yes",
		"RestrictNamespaces":      "yes",
		"RestrictSUIDSGID":        "yes",
		"LockPersonality":         "yes",
		"ProtectKernelTunables":   "yes",
		"ProtectKernelModules":    "yes",
		"ProtectControlGroups":    "yes",
		"SystemCallArchitectures": "native",
		"DynamicUser":             "yes",
		"StateDirectory":          "chuyenhoa",
		"Restart":                 "on-failure",
	}
	for k, v := range want {
		if got, ok := d[k]; !ok || got[len(got)-1] != v {
			t.Errorf("%s=%v, want %q", k, got, v)
		}
	}
	if !slices.Contains(d["SystemCallFilter"], "@system-service") {
		t.Errorf("SystemCallFilter=%v, want @system-service", d["SystemCallFilter"])
	}
	if f := d["RestrictAddressFamilies"]; len(f) == 0 || strings.Contains(f[0], "AF_PACKET") || !strings.Contains(f[0], "AF_INET") {
		t.Errorf("RestrictAddressFamilies=%v", f)
	}
	if ex := d["ExecStart"]; len(ex) != 1 || !strings.HasSuffix(ex[0], "chuyenhoa serve") {
		t.Errorf("ExecStart=%v, want …/chuyenhoa serve", ex)
	}
	if len(d["EnvironmentFile"]) == 0 {
		t.Errorf("no EnvironmentFile")
	}
	env := systemdEnv(d)
	if got, want := env["CHUYENHOA_DATA_DIR"], "/var/lib/"+d["StateDirectory"][0]; got != want {
		t.Errorf("CHUYENHOA_DATA_DIR=%q, want the StateDirectory %s", got, want)
	}
	file := readEnvFile(t, "systemd/chuyenhoa.env.example")
	for k, v := range env {
		file[k] = v // Environment= lines come after EnvironmentFile= here
	}
	cfg, err := config.Load(mapEnv(file))
	if err != nil {
		t.Fatalf("chuyenhoa.env.example does not load: %v", err)
	}
	stop, err := time.ParseDuration(d["TimeoutStopSec"][0])
	if err != nil || stop <= cfg.ShutdownTimeout {
		t.Errorf("TimeoutStopSec=%v must exceed CHUYENHOA_SHUTDOWN_TIMEOUT=%s so requests drain", d["TimeoutStopSec"], cfg.ShutdownTimeout)
	}

	t.Run("systemd-analyze", func(t *testing.T) {
		if _, err := exec.LookPath("systemd-analyze"); err != nil {
			t.Skip("systemd-analyze not installed")
		}
		// verify wants the executable and the environment file to exist.
		dir := t.TempDir()
		data, _ := os.ReadFile("systemd/chuyenhoa.service")
		unit := strings.NewReplacer("/usr/local/bin/chuyenhoa", "/bin/true", "EnvironmentFile=/", "EnvironmentFile=-/").Replace(string(data))
		path := filepath.Join(dir, "chuyenhoa.service")
		if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("systemd-analyze", "verify", path).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
		out, err := exec.Command("systemd-analyze", "security", "--offline=true", path).CombinedOutput()
		if err != nil && bytes.Contains(out, []byte("offline")) {
			t.Skipf("this systemd-analyze cannot assess offline: %s", out)
		}
		m := regexp.MustCompile(`Overall exposure level for chuyenhoa.service: ([0-9.]+)`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("systemd-analyze security: %v\n%s", err, out)
		}
		if score, _ := strconv.ParseFloat(string(m[1]), 64); score > 2.0 {
			t.Errorf("systemd-analyze security exposure %.1f, want ≤ 2.0 (\"OK\")", score)
		}
	})
}
