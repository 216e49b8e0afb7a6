// Package config reads the service configuration from CHUYENHOA_*
// environment variables into a typed struct with defaults. It lives under
// cmd/ because only the binary reads the environment; every other package
// receives the values it needs explicitly.
package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/gommon/bytes"
)

// Config is the whole configuration of one chuyenhoa process. Each field's
// env tag names its variable, default its default and doc its meaning; the
// README table is generated from these tags (see Reference).
type Config struct {
	Addr            string        `env:"CHUYENHOA_ADDR" default:":8080" doc:"Listen address of the HTTP server."`
	DatabaseURL     string        `env:"CHUYENHOA_DATABASE_URL" default:"" doc:"postgres://… for PostgreSQL; empty means an SQLite file at CHUYENHOA_DATA_DIR/chuyenhoa.db (sqlite://PATH also accepted)."`
	RedisURL        string        `env:"CHUYENHOA_REDIS_URL" default:"" doc:"redis://… for the shared cache; empty means an in-process cache (single instance only)."`
	DataDir         string        `env:"CHUYENHOA_DATA_DIR" default:"./data" doc:"Directory for the SQLite file and attachments; created if missing."`
	LogLevel        string        `env:"CHUYENHOA_LOG_LEVEL" default:"info" doc:"debug, info, warn or error."`
	LogFormat       string        `env:"CHUYENHOA_LOG_FORMAT" default:"json" doc:"json or text."`
	BaseURL         string        `env:"CHUYENHOA_BASE_URL" default:"" doc:"Public URL (https://… turns on Secure, __Host- cookies); empty for plain HTTP on a LAN."`
	ShutdownTimeout time.Duration `env:"CHUYENHOA_SHUTDOWN_TIMEOUT" default:"15s" doc:"How long in-flight requests may finish after SIGTERM."`
	RequestTimeout  time.Duration `env:"CHUYENHOA_REQUEST_TIMEOUT" default:"30s" doc:"Deadline of one request's context."`
	BodyLimit       string        `env:"CHUYENHOA_BODY_LIMIT" default:"25M" doc:"Largest accepted request body (attachments are up to 20 MB)."`
	MigrateOnStart  bool          `env:"CHUYENHOA_MIGRATE_ON_START" default:"true" doc:"Run pending migrations under the migrator's lock when serve starts."`
	CleanupInterval time.Duration `env:"CHUYENHOA_CLEANUP_INTERVAL" default:"10m" doc:"How often serve deletes expired web sessions, idempotency keys, login attempts older than a day and denial counters older than 90 days (safe on several instances)."`
}

// Load reads the configuration from the environment (getenv, usually
// os.Getenv) and validates it. The error names the bad variable.
func Load(getenv func(string) string) (*Config, error) {
	c := &Config{}
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("env")
		raw := getenv(name)
		if raw == "" {
			raw = f.Tag.Get("default")
		}
		if err := set(v.Field(i), raw); err != nil {
			return nil, fmt.Errorf("config: %s=%q: %v", name, raw, err)
		}
	}
	return c, c.validate()
}

func set(fv reflect.Value, raw string) error {
	switch fv.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive duration such as 15s")
		}
		fv.SetInt(int64(d))
	case bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("want true or false")
		}
		fv.SetBool(b)
	case string:
		fv.SetString(raw)
	default:
		return fmt.Errorf("unsupported field type %s", fv.Type())
	}
	return nil
}

func (c *Config) validate() error {
	if _, _, err := splitHostPort(c.Addr); err != nil {
		return fmt.Errorf("config: CHUYENHOA_ADDR=%q: %v", c.Addr, err)
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql" && u.Scheme != "sqlite" && u.Scheme != "file") {
			return fmt.Errorf("config: CHUYENHOA_DATABASE_URL: want postgres://… or sqlite://PATH")
		}
	}
	if c.RedisURL != "" {
		u, err := url.Parse(c.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			return fmt.Errorf("config: CHUYENHOA_REDIS_URL: want redis://host:port/db")
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: CHUYENHOA_LOG_LEVEL=%q: want debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		return fmt.Errorf("config: CHUYENHOA_LOG_FORMAT=%q: want json or text", c.LogFormat)
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: CHUYENHOA_BASE_URL=%q: want http(s)://host", c.BaseURL)
		}
	}
	// Echo's BodyLimit middleware panics on a size it cannot parse, so the
	// value is checked here with the same parser.
	if n, err := bytes.Parse(c.BodyLimit); err != nil || n <= 0 {
		return fmt.Errorf("config: CHUYENHOA_BODY_LIMIT=%q: want a positive size such as 25M", c.BodyLimit)
	}
	return nil
}

func splitHostPort(addr string) (string, int, error) {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return "", 0, fmt.Errorf("want host:port or :port")
	}
	p, err := strconv.Atoi(addr[i+1:])
	if err != nil || p < 0 || p > 65535 {
		return "", 0, fmt.Errorf("bad port")
	}
	return addr[:i], p, nil
}

// DatabaseDSN returns the database URL to open: the configured one, or the
// default SQLite file under DataDir.
func (c *Config) DatabaseDSN() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return "sqlite://" + filepath.Join(c.DataDir, "chuyenhoa.db")
}

// TLS reports whether the service is served over HTTPS, which decides the
// Secure flag and the __Host- prefix of cookies.
func (c *Config) TLS() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Var describes one configuration variable for documentation.
type Var struct {
	Name, Default, Doc string
}

// Reference lists every variable of Config in field order.
func Reference() []Var {
	t := reflect.TypeOf(Config{})
	out := make([]Var, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		out = append(out, Var{Name: f.Tag.Get("env"), Default: f.Tag.Get("default"), Doc: f.Tag.Get("doc")})
	}
	return out
}

// MarkdownTable renders Reference as the README's configuration table.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| variable | default | meaning |\n|---|---|---|\n")
	for _, v := range Reference() {
		def := "(empty)"
		if v.Default != "" {
			def = "`" + v.Default + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", v.Name, def, v.Doc)
	}
	return b.String()
}
