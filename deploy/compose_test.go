package deploy

import (
	"bufio"
	"bytes"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	yamlv3 "gopkg.in/yaml.v3"

	"chuyenhoa/cmd/chuyenhoa/config"
)

type composeFile struct {
	Name     string                    `yaml:"name"`
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
	Networks map[string]any            `yaml:"networks"`
	// Extension fields (x-…) hold the anchors the services merge.
	Extensions map[string]any `yaml:",inline"`
}

// composeService lists the keys of the compose specification this project
// uses; decoding with KnownFields turns a misspelt key into an error.
type composeService struct {
	Image       string            `yaml:"image"`
	Build       *composeBuild     `yaml:"build"`
	Command     []string          `yaml:"command"`
	Entrypoint  []string          `yaml:"entrypoint"`
	EnvFile     stringList        `yaml:"env_file"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	Ports       []string          `yaml:"ports"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck *struct {
		Test        []string `yaml:"test"`
		Interval    string   `yaml:"interval"`
		Timeout     string   `yaml:"timeout"`
		StartPeriod string   `yaml:"start_period"`
		Retries     int      `yaml:"retries"`
		Disable     bool     `yaml:"disable"`
	} `yaml:"healthcheck"`
	Restart         string     `yaml:"restart"`
	Profiles        []string   `yaml:"profiles"`
	ReadOnly        bool       `yaml:"read_only"`
	Tmpfs           []string   `yaml:"tmpfs"`
	CapDrop         []string   `yaml:"cap_drop"`
	SecurityOpt     []string   `yaml:"security_opt"`
	Networks        stringList `yaml:"networks"`
	Logging         any        `yaml:"logging"`
	ShmSize         string     `yaml:"shm_size"`
	StopGracePeriod string     `yaml:"stop_grace_period"`
	Deploy          any        `yaml:"deploy"`
}

type composeBuild struct {
	Context    string            `yaml:"context"`
	Dockerfile string            `yaml:"dockerfile"`
	Args       map[string]string `yaml:"args"`
}

// stringList accepts a YAML string or list of strings.
type stringList []string

func (s *stringList) UnmarshalYAML(n *yamlv3.Node) error {
	if n.Kind == yamlv3.ScalarNode {
		*s = []string{n.Value}
		return nil
	}
	var l []string
	err := n.Decode(&l)
	*s = l
	return err
}

func mustCompose(tb testing.TB) *composeFile {
	tb.Helper()
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c composeFile
	if err := dec.Decode(&c); err != nil {
		tb.Fatalf("compose.yaml: %v", err)
	}
	return &c
}

// readEnvFile reads KEY=VALUE lines, skipping blanks and comments.
func readEnvFile(tb testing.TB, path string) map[string]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || !regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`).MatchString(k) {
			tb.Fatalf("%s:%d: want KEY=VALUE, got %q", path, n, line)
		}
		env[k] = v
	}
	return env
}

var interpolation = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}`)

// interpolate expands compose's ${VAR}, ${VAR:-default} and ${VAR:?error}
// with env, as docker compose does with the project's .env file.
func interpolate(tb testing.TB, s string, env map[string]string) string {
	tb.Helper()
	return interpolation.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		g := interpolation.FindStringSubmatch(m)
		v, set := env[g[1]]
		switch g[2] {
		case ":-":
			if v == "" {
				return g[3]
			}
		case "-":
			if !set {
				return g[3]
			}
		case ":?", "?":
			if v == "" {
				tb.Errorf("compose.yaml: %s is required (%s) but .env.example leaves it empty", g[1], g[3])
			}
		}
		return v
	})
}

// composeEnv returns the environment a compose service's container gets
// when .env is a copy of .env.example.
func composeEnv(tb testing.TB, s composeService) map[string]string {
	tb.Helper()
	dotenv := readEnvFile(tb, ".env.example")
	env := map[string]string{}
	for _, f := range s.EnvFile {
		if f != ".env" {
			tb.Fatalf("compose.yaml: env_file %s: the operator fills in .env only", f)
		}
		for k, v := range dotenv {
			env[k] = v
		}
	}
	for k, v := range s.Environment {
		env[k] = interpolate(tb, v, dotenv)
	}
	return env
}

func TestCompose(t *testing.T) {
	c := mustCompose(t)
	for _, name := range []string{"postgres", "redis", "migrate", "proxy"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("compose.yaml: no %s service", name)
		}
	}
	migrate := c.Services["migrate"]
	if got, want := strings.Join(migrate.Command, " "), "migrate up"; got != want {
		t.Errorf("migrate service runs %q, want %q", got, want)
	}
	if migrate.Build == nil || migrate.Build.Dockerfile != "deploy/Dockerfile" || migrate.Build.Context != ".." {
		t.Errorf("migrate service builds %+v, want context .. and deploy/Dockerfile", migrate.Build)
	}
	if migrate.Restart != "no" {
		t.Errorf("migrate service restart = %q, want \"no\" (a one-shot)", migrate.Restart)
	}

	var replicas []string
	for name, s := range c.Services {
		if slices.Equal(s.Command, []string{"serve"}) {
			replicas = append(replicas, name)
		}
	}
	sort.Strings(replicas)
	if len(replicas) < 2 {
		t.Fatalf("compose.yaml runs %d replicas of serve (%v), want at least 2", len(replicas), replicas)
	}
	caddy, err := os.ReadFile("Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range replicas {
		t.Run(name, func(t *testing.T) {
			s := c.Services[name]
			env := composeEnv(t, s)
			if got := env["CHUYENHOA_MIGRATE_ON_START"]; got != "false" {
				t.Errorf("CHUYENHOA_MIGRATE_ON_START = %q, want false: the migrate service runs them once", got)
			}
			if got := s.DependsOn["migrate"].Condition; got != "service_completed_successfully" {
				t.Errorf("depends_on migrate: condition %q, want service_completed_successfully", got)
			}
			for _, dep := range []string{"postgres", "redis"} {
				if got := s.DependsOn[dep].Condition; got != "service_healthy" {
					t.Errorf("depends_on %s: condition %q, want service_healthy", dep, got)
				}
			}
			if s.Image == "" || s.Image != migrate.Image {
				t.Errorf("image %q, want the migrate service's image %q", s.Image, migrate.Image)
			}
			if s.Healthcheck == nil || !slices.Contains(s.Healthcheck.Test, "healthcheck") {
				t.Errorf("healthcheck %+v, want the binary's healthcheck subcommand", s.Healthcheck)
			}
			if !s.ReadOnly || !slices.Contains(s.CapDrop, "ALL") {
				t.Errorf("read_only=%v cap_drop=%v, want a read-only root and no capabilities", s.ReadOnly, s.CapDrop)
			}
			dataDir := env["CHUYENHOA_DATA_DIR"]
			if !slices.ContainsFunc(s.Volumes, func(v string) bool { return strings.HasPrefix(v, "attachments:"+dataDir) }) {
				t.Errorf("volumes %v: want the attachments volume at CHUYENHOA_DATA_DIR=%s", s.Volumes, dataDir)
			}
			db, err := url.Parse(env["CHUYENHOA_DATABASE_URL"])
			if err != nil || db.Hostname() != "postgres" {
				t.Errorf("CHUYENHOA_DATABASE_URL = %q, want the postgres service", env["CHUYENHOA_DATABASE_URL"])
			}
			rd, err := url.Parse(env["CHUYENHOA_REDIS_URL"])
			if err != nil || rd.Hostname() != "redis" {
				t.Errorf("CHUYENHOA_REDIS_URL = %q, want the redis service", env["CHUYENHOA_REDIS_URL"])
			}
			if _, err := config.Load(mapEnv(env)); err != nil {
				t.Errorf("the replica's environment does not load: %v", err)
			}
			_, port, _ := net.SplitHostPort(env["CHUYENHOA_ADDR"])
			if !bytes.Contains(caddy, []byte(name+":"+port)) {
				t.Errorf("Caddyfile does not proxy to %s:%s", name, port)
			}
		})
	}

	t.Run("volumes", func(t *testing.T) {
		for _, v := range []string{"pgdata", "attachments"} {
			if _, ok := c.Volumes[v]; !ok {
				t.Errorf("compose.yaml declares no %s volume", v)
			}
		}
		if !slices.Contains(c.Services["postgres"].Volumes, "pgdata:/var/lib/postgresql/data") {
			t.Errorf("postgres volumes %v: want pgdata:/var/lib/postgresql/data", c.Services["postgres"].Volumes)
		}
	})

	t.Run("backup", func(t *testing.T) {
		b, ok := c.Services["backup"]
		if !ok {
			t.Skip("no backup service")
		}
		if !slices.ContainsFunc(b.Volumes, func(v string) bool { return strings.HasPrefix(v, "./backup.sh:") }) {
			t.Errorf("backup service does not mount backup.sh: %v", b.Volumes)
		}
		if b.Image != c.Services["postgres"].Image {
			t.Errorf("backup image %s differs from postgres image %s: pg_dump must match the server", b.Image, c.Services["postgres"].Image)
		}
	})
}

func mapEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}
