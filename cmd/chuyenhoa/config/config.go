// Package config reads the service configuration from CHUYENHOA_*
// environment variables into a typed struct with defaults. It lives under
// cmd/ because only the binary reads the environment; every other package
// receives the values it needs explicitly.
package config

import (
	"fmt"
	"net/netip"
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
	BaseURL         string        `env:"CHUYENHOA_BASE_URL" default:"" doc:"Public URL (https://… turns on Secure, __Host- cookies and Strict-Transport-Security); empty for plain HTTP on a LAN."`
	ShutdownTimeout time.Duration `env:"CHUYENHOA_SHUTDOWN_TIMEOUT" default:"15s" doc:"How long in-flight requests may finish after SIGTERM (after the drain); requests still running then are cut and logged."`
	Drain           time.Duration `env:"CHUYENHOA_DRAIN" default:"5s" min:"0" doc:"After SIGTERM, how long /readyz answers 503 while the server keeps serving, so load balancers stop sending before the listener closes; 0s to skip."`
	RequestTimeout  time.Duration `env:"CHUYENHOA_REQUEST_TIMEOUT" default:"30s" doc:"Deadline of one request's context."`
	BodyLimit       string        `env:"CHUYENHOA_BODY_LIMIT" default:"25M" doc:"Largest accepted request body on the routes that receive files (attachments are up to 20 MB; streamed to temporary files)."`
	FormBodyLimit   string        `env:"CHUYENHOA_FORM_BODY_LIMIT" default:"1M" doc:"Largest JSON or form body on every other route (sign-in takes at most 4 KB)."`
	MigrateOnStart  bool          `env:"CHUYENHOA_MIGRATE_ON_START" default:"true" doc:"Run pending migrations under the migrator's lock when serve starts."`

	// Behind a reverse proxy.
	TrustedProxies []netip.Prefix `env:"CHUYENHOA_TRUSTED_PROXIES" default:"" doc:"Comma-separated CIDRs (or addresses) of the reverse proxies whose X-Forwarded-For / X-Real-IP name the client; empty means the direct peer is the client."`

	ReadHeaderTimeout time.Duration `env:"CHUYENHOA_READ_HEADER_TIMEOUT" default:"5s" doc:"How long a client may take to send a request's headers."`
	ReadTimeout       time.Duration `env:"CHUYENHOA_READ_TIMEOUT" default:"2m" doc:"How long a client may take to send a whole request on the file routes (20 MB at about 1.5 Mbit/s); other bodies get 15s (or this, if shorter)."`
	WriteTimeout      time.Duration `env:"CHUYENHOA_WRITE_TIMEOUT" default:"3m" doc:"Longest time from the end of a request's headers to the end of its answer (downloads included); above the read and request timeouts."`
	IdleTimeout       time.Duration `env:"CHUYENHOA_IDLE_TIMEOUT" default:"2m" doc:"How long a kept-alive connection may wait for its next request."`

	DBConnectTimeout   time.Duration `env:"CHUYENHOA_DB_CONNECT_TIMEOUT" default:"3s" doc:"PostgreSQL connect timeout of the server (whole seconds); a database that does not answer gives 503 after this, not after the request timeout."`
	DBStatementTimeout time.Duration `env:"CHUYENHOA_DB_STATEMENT_TIMEOUT" default:"10s" doc:"PostgreSQL statement_timeout of the server's connections (not of migrations); below the request timeout."`

	CleanupInterval time.Duration `env:"CHUYENHOA_CLEANUP_INTERVAL" default:"10m" doc:"How often serve deletes expired web sessions, idempotency keys, login attempts older than a day and denial counters older than 90 days (safe on several instances)."`
}

// Load reads the configuration from the environment (getenv, usually
// os.Getenv) and validates it. The error names the bad variable.
func Load(getenv func(string) string) (*Config, error) {
	c := &Config{}
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	explicit := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("env")
		raw := getenv(name)
		explicit[name] = raw != ""
		if raw == "" {
			raw = f.Tag.Get("default")
		}
		if err := set(v.Field(i), raw, f.Tag.Get("min") == "0"); err != nil {
			return nil, fmt.Errorf("config: %s=%q: %v", name, raw, err)
		}
	}
	c.fitDefaults(explicit)
	return c, c.validate()
}

// fitDefaults keeps the default timeouts consistent with a request timeout
// set far from its default: unless set themselves, the database gives up
// well before the request does, and the write deadline leaves room for the
// answer.
func (c *Config) fitDefaults(explicit map[string]bool) {
	if !explicit["CHUYENHOA_DB_CONNECT_TIMEOUT"] && c.DBConnectTimeout >= c.RequestTimeout {
		c.DBConnectTimeout = c.RequestTimeout / 3
	}
	if !explicit["CHUYENHOA_DB_STATEMENT_TIMEOUT"] && c.DBStatementTimeout >= c.RequestTimeout {
		c.DBStatementTimeout = c.RequestTimeout / 3
	}
	if !explicit["CHUYENHOA_WRITE_TIMEOUT"] && c.WriteTimeout <= c.RequestTimeout {
		c.WriteTimeout = c.RequestTimeout + c.ReadTimeout
	}
}

func set(fv reflect.Value, raw string, zeroOK bool) error {
	switch fv.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if zeroOK && err == nil && d == 0 {
			break
		}
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
	case []netip.Prefix:
		ps, err := parsePrefixes(raw)
		if err != nil {
			return err
		}
		fv.Set(reflect.ValueOf(ps))
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
	if n, err := bytes.Parse(c.FormBodyLimit); err != nil || n <= 0 {
		return fmt.Errorf("config: CHUYENHOA_FORM_BODY_LIMIT=%q: want a positive size such as 1M", c.FormBodyLimit)
	}
	// A dependency that hangs must give up before the request does, or
	// the client gets the request timeout instead of a quick 503.
	if c.DBConnectTimeout >= c.RequestTimeout {
		return fmt.Errorf("config: CHUYENHOA_DB_CONNECT_TIMEOUT=%s: must be below CHUYENHOA_REQUEST_TIMEOUT (%s)", c.DBConnectTimeout, c.RequestTimeout)
	}
	if c.DBStatementTimeout >= c.RequestTimeout {
		return fmt.Errorf("config: CHUYENHOA_DB_STATEMENT_TIMEOUT=%s: must be below CHUYENHOA_REQUEST_TIMEOUT (%s)", c.DBStatementTimeout, c.RequestTimeout)
	}
	if c.ReadHeaderTimeout > c.ReadTimeout {
		return fmt.Errorf("config: CHUYENHOA_READ_HEADER_TIMEOUT=%s: must not exceed CHUYENHOA_READ_TIMEOUT (%s)", c.ReadHeaderTimeout, c.ReadTimeout)
	}
	// The answer to a request that ran to its timeout (a 503) must still
	// fit in the write deadline.
	if c.WriteTimeout <= c.RequestTimeout {
		return fmt.Errorf("config: CHUYENHOA_WRITE_TIMEOUT=%s: must exceed CHUYENHOA_REQUEST_TIMEOUT (%s)", c.WriteTimeout, c.RequestTimeout)
	}
	return nil
}

// parsePrefixes reads a comma- or space-separated list of CIDRs; a bare
// address stands for itself (/32 or /128).
func parsePrefixes(raw string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q is neither a CIDR such as 10.0.0.0/8 nor an address", f)
			}
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// SQLiteDir returns the directory of the SQLite database file, and false
// when the database is PostgreSQL.
func (c *Config) SQLiteDir() (string, bool) {
	dsn := c.DatabaseDSN()
	if !strings.HasPrefix(dsn, "sqlite://") && !strings.HasPrefix(dsn, "file:") {
		return "", false
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == ":memory:" {
		return "", false
	}
	return filepath.Dir(path), true
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
