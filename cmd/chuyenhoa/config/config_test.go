package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chuyenhoa/cmd/chuyenhoa/config"
)

// env returns a getenv over the given variables.
func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func mustLoad(t *testing.T, vars map[string]string) *config.Config {
	t.Helper()
	c, err := config.Load(env(vars))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestDefaults(t *testing.T) {
	c := mustLoad(t, nil)
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"Addr", c.Addr, ":8080"},
		{"DatabaseURL", c.DatabaseURL, ""},
		{"DatabaseDSN", c.DatabaseDSN(), "sqlite://" + filepath.Join("data", "chuyenhoa.db")},
		{"RedisURL", c.RedisURL, ""},
		{"DataDir", c.DataDir, "./data"},
		{"LogLevel", c.LogLevel, "info"},
		{"LogFormat", c.LogFormat, "json"},
		{"BaseURL", c.BaseURL, ""},
		{"TLS", c.TLS(), false},
		{"ShutdownTimeout", c.ShutdownTimeout, 15 * time.Second},
		{"RequestTimeout", c.RequestTimeout, 30 * time.Second},
		{"BodyLimit", c.BodyLimit, "25M"},
		{"MigrateOnStart", c.MigrateOnStart, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
			}
		})
	}
}

func TestSet(t *testing.T) {
	c := mustLoad(t, map[string]string{
		"CHUYENHOA_ADDR":             "127.0.0.1:9090",
		"CHUYENHOA_DATABASE_URL":     "postgres://app@db:5432/chuyenhoa?sslmode=disable",
		"CHUYENHOA_REDIS_URL":        "redis://cache:6379/0",
		"CHUYENHOA_DATA_DIR":         "/var/lib/chuyenhoa",
		"CHUYENHOA_LOG_LEVEL":        "debug",
		"CHUYENHOA_LOG_FORMAT":       "text",
		"CHUYENHOA_BASE_URL":         "https://chuyenhoa.example.vn",
		"CHUYENHOA_SHUTDOWN_TIMEOUT": "1m",
		"CHUYENHOA_REQUEST_TIMEOUT":  "5s",
		"CHUYENHOA_BODY_LIMIT":       "10MB",
		"CHUYENHOA_MIGRATE_ON_START": "false",
	})
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"Addr", c.Addr, "127.0.0.1:9090"},
		{"DatabaseDSN", c.DatabaseDSN(), "postgres://app@db:5432/chuyenhoa?sslmode=disable"},
		{"RedisURL", c.RedisURL, "redis://cache:6379/0"},
		{"DataDir", c.DataDir, "/var/lib/chuyenhoa"},
		{"LogLevel", c.LogLevel, "debug"},
		{"LogFormat", c.LogFormat, "text"},
		{"TLS", c.TLS(), true},
		{"ShutdownTimeout", c.ShutdownTimeout, time.Minute},
		{"RequestTimeout", c.RequestTimeout, 5 * time.Second},
		{"BodyLimit", c.BodyLimit, "10MB"},
		{"MigrateOnStart", c.MigrateOnStart, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
			}
		})
	}
	t.Run("sqlite URL", func(t *testing.T) {
		c := mustLoad(t, map[string]string{"CHUYENHOA_DATABASE_URL": "sqlite:///tmp/x.db"})
		if got, want := c.DatabaseDSN(), "sqlite:///tmp/x.db"; got != want {
			t.Errorf("DatabaseDSN = %q, want %q", got, want)
		}
	})
}

// TestTrustedProxies reads CHUYENHOA_TRUSTED_PROXIES (issue 17, item 2):
// none by default, so forwarding headers are ignored.
func TestTrustedProxies(t *testing.T) {
	if got := mustLoad(t, nil).TrustedProxies; len(got) != 0 {
		t.Errorf("default = %v, want none", got)
	}
	c := mustLoad(t, map[string]string{"CHUYENHOA_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.5 ,fd00::/8,10.1.2.3/16"})
	var got []string
	for _, p := range c.TrustedProxies {
		got = append(got, p.String())
	}
	if g, want := strings.Join(got, " "), "10.0.0.0/8 192.168.1.5/32 fd00::/8 10.1.0.0/16"; g != want {
		t.Errorf("TrustedProxies = %s, want %s", g, want)
	}
}

func TestBadVariable(t *testing.T) {
	cases := []struct {
		name  string
		value string
	}{
		{"CHUYENHOA_ADDR", "localhost"},
		{"CHUYENHOA_ADDR", ":99999"},
		{"CHUYENHOA_DATABASE_URL", "mysql://db/x"},
		{"CHUYENHOA_DATABASE_URL", "://nope"},
		{"CHUYENHOA_REDIS_URL", "http://cache:6379"},
		{"CHUYENHOA_REDIS_URL", "cache:6379"},
		{"CHUYENHOA_LOG_LEVEL", "loud"},
		{"CHUYENHOA_LOG_FORMAT", "xml"},
		{"CHUYENHOA_BASE_URL", "ftp://example.vn"},
		{"CHUYENHOA_BASE_URL", "https://"},
		{"CHUYENHOA_SHUTDOWN_TIMEOUT", "soon"},
		{"CHUYENHOA_SHUTDOWN_TIMEOUT", "0s"},
		{"CHUYENHOA_REQUEST_TIMEOUT", "-1s"},
		{"CHUYENHOA_REQUEST_TIMEOUT", "30"},
		{"CHUYENHOA_BODY_LIMIT", "lots"},
		{"CHUYENHOA_BODY_LIMIT", "-1M"},
		{"CHUYENHOA_MIGRATE_ON_START", "maybe"},
		{"CHUYENHOA_TRUSTED_PROXIES", "10.0.0.0/33"},
		{"CHUYENHOA_TRUSTED_PROXIES", "proxy.internal"},
		{"CHUYENHOA_TRUSTED_PROXIES", "10.0.0.0/8;172.16.0.0/12"},
	}
	for _, tc := range cases {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{tc.name: tc.value}))
			if err == nil {
				t.Fatalf("Load accepted %s=%q", tc.name, tc.value)
			}
			if !strings.Contains(err.Error(), tc.name) {
				t.Errorf("error %q does not name %s", err, tc.name)
			}
		})
	}
}

func TestReferenceDocumentsEveryVariable(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range config.Reference() {
		if !strings.HasPrefix(v.Name, "CHUYENHOA_") {
			t.Errorf("variable %q lacks the CHUYENHOA_ prefix", v.Name)
		}
		if v.Doc == "" {
			t.Errorf("%s has no doc", v.Name)
		}
		if seen[v.Name] {
			t.Errorf("%s declared twice", v.Name)
		}
		seen[v.Name] = true
	}
}

// TestReadmeTable keeps README.md's configuration table equal to the one
// generated from the Config struct.
func TestReadmeTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	const beginMarker, endMarker = "<!-- config:begin", "<!-- config:end -->"
	begin := strings.Index(readme, beginMarker)
	if begin < 0 {
		t.Fatalf("README.md has no %q marker", beginMarker)
	}
	nl := strings.IndexByte(readme[begin:], '\n')
	if nl < 0 {
		t.Fatalf("README.md ends at the %q marker", beginMarker)
	}
	start := begin + nl + 1
	end := strings.Index(readme[start:], endMarker)
	if end < 0 {
		t.Fatalf("README.md has no %q after %q", endMarker, beginMarker)
	}
	if got, want := readme[start:start+end], config.MarkdownTable(); got != want {
		t.Errorf("README.md configuration table is out of date; replace the block between the markers with:\n%s\ngot:\n%s", want, got)
	}
}

// TestTimeoutsAndLimits covers the server timeouts, the drain and the
// database limits (issue 17, items 15, 17, 18, 19).
func TestTimeoutsAndLimits(t *testing.T) {
	c := mustLoad(t, nil)
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"Drain", c.Drain, 5 * time.Second},
		{"ReadHeaderTimeout", c.ReadHeaderTimeout, 5 * time.Second},
		{"ReadTimeout", c.ReadTimeout, 2 * time.Minute},
		{"WriteTimeout", c.WriteTimeout, 3 * time.Minute},
		{"IdleTimeout", c.IdleTimeout, 2 * time.Minute},
		{"DBConnectTimeout", c.DBConnectTimeout, 3 * time.Second},
		{"DBStatementTimeout", c.DBStatementTimeout, 10 * time.Second},
		{"FormBodyLimit", c.FormBodyLimit, "1M"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if c.DBConnectTimeout >= c.RequestTimeout || c.DBStatementTimeout >= c.RequestTimeout {
		t.Errorf("database timeouts %s/%s not below the request timeout %s", c.DBConnectTimeout, c.DBStatementTimeout, c.RequestTimeout)
	}
	t.Run("drain may be zero", func(t *testing.T) {
		if c := mustLoad(t, map[string]string{"CHUYENHOA_DRAIN": "0s"}); c.Drain != 0 {
			t.Errorf("Drain = %s, want 0", c.Drain)
		}
	})
	t.Run("defaults follow a short request timeout", func(t *testing.T) {
		c := mustLoad(t, map[string]string{"CHUYENHOA_REQUEST_TIMEOUT": "6s"})
		if c.DBStatementTimeout >= 6*time.Second || c.DBConnectTimeout >= 6*time.Second {
			t.Errorf("database timeouts %s/%s not below the request timeout 6s", c.DBConnectTimeout, c.DBStatementTimeout)
		}
	})
	for _, tc := range []struct{ name, value string }{
		{"CHUYENHOA_DRAIN", "-1s"},
		{"CHUYENHOA_DRAIN", "soon"},
		{"CHUYENHOA_READ_HEADER_TIMEOUT", "0s"},
		{"CHUYENHOA_READ_HEADER_TIMEOUT", "5m"}, // above the read timeout
		{"CHUYENHOA_IDLE_TIMEOUT", "x"},
		{"CHUYENHOA_WRITE_TIMEOUT", "10s"}, // below the request timeout
		{"CHUYENHOA_DB_CONNECT_TIMEOUT", "30s"},
		{"CHUYENHOA_DB_STATEMENT_TIMEOUT", "1m"},
		{"CHUYENHOA_FORM_BODY_LIMIT", "big"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{tc.name: tc.value}))
			if err == nil {
				t.Fatalf("Load accepted %s=%q", tc.name, tc.value)
			}
			if !strings.Contains(err.Error(), tc.name) {
				t.Errorf("error %q does not name %s", err, tc.name)
			}
		})
	}
}
