package deploy

import (
	"os"
	"slices"
	"strings"
	"testing"
)

type instruction struct {
	cmd, args string
	stage     int // index of the FROM stage it belongs to
	line      int
}

// dockerfileInstructions parses deploy/Dockerfile into instructions,
// joining continuation lines and dropping comments.
func dockerfileInstructions(tb testing.TB) []instruction {
	tb.Helper()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		tb.Fatal(err)
	}
	var out []instruction
	stage := -1
	var cur strings.Builder
	start := 0
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if strings.HasPrefix(line, "#") {
			continue // a comment inside a continued instruction
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`))
			cur.WriteString(" ")
			continue
		}
		cur.WriteString(line)
		full := strings.Join(strings.Fields(cur.String()), " ")
		cur.Reset()
		cmd, args, _ := strings.Cut(full, " ")
		cmd = strings.ToUpper(cmd)
		if cmd == "FROM" {
			stage++
		}
		out = append(out, instruction{cmd: cmd, args: args, stage: stage, line: start})
	}
	return out
}

func TestDockerfile(t *testing.T) {
	ins := dockerfileInstructions(t)
	var froms []instruction
	for _, in := range ins {
		if in.cmd == "FROM" {
			froms = append(froms, in)
		}
	}
	if len(froms) < 2 {
		t.Fatalf("Dockerfile has %d stages, want a multi-stage build", len(froms))
	}
	if !strings.HasPrefix(froms[0].args, "golang:1.26") {
		t.Errorf("builder stage is FROM %s, want golang:1.26", froms[0].args)
	}
	final := len(froms) - 1
	if base := froms[final].args; !strings.Contains(base, "distroless/static") && base != "scratch" {
		t.Errorf("final stage is FROM %s, want distroless static or scratch", base)
	}
	var user, healthcheck, entrypoint string
	for _, in := range ins {
		if in.stage != final {
			continue
		}
		switch in.cmd {
		case "USER":
			user = in.args
		case "HEALTHCHECK":
			healthcheck = in.args
		case "ENTRYPOINT":
			entrypoint = in.args
		case "RUN":
			t.Errorf("line %d: RUN in the final stage, which has no shell: %s", in.line, in.args)
		}
	}
	if u, _, _ := strings.Cut(user, ":"); u == "" || u == "root" || u == "0" {
		t.Errorf("final stage USER is %q, want a non-root user", user)
	}
	// No shell at run time: health check and entry point in exec (JSON) form.
	if i := strings.Index(healthcheck, "CMD "); i < 0 || !strings.HasPrefix(healthcheck[i+4:], "[") || !strings.Contains(healthcheck, `"healthcheck"`) {
		t.Errorf("HEALTHCHECK = %q, want CMD [\"…/chuyenhoa\", \"healthcheck\"] in exec form", healthcheck)
	}
	if !strings.HasPrefix(entrypoint, "[") {
		t.Errorf("ENTRYPOINT = %q, want exec form", entrypoint)
	}
	build := dockerfileBuildLine(t)
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-s -w", "-X main.version=${VERSION}", "-X main.commit=${COMMIT}"} {
		if !strings.Contains(build, want) {
			t.Errorf("build line lacks %s: %s", want, build)
		}
	}

	t.Run("dockerignore", func(t *testing.T) {
		data, err := os.ReadFile("../.dockerignore")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		if !slices.Contains(lines, ".git") {
			t.Errorf(".dockerignore does not exclude .git")
		}
		for _, needed := range []string{"go.mod", "go.sum", "cmd", "cmd/", "migrations", "migrations/", "*.go", "**/*.go", "*.sql"} {
			if slices.Contains(lines, needed) {
				t.Errorf(".dockerignore excludes %s, which the build needs", needed)
			}
		}
	})
}

// dockerfileEnv returns the variables the Dockerfile's final stage sets.
func dockerfileEnv(tb testing.TB) map[string]string {
	tb.Helper()
	env := map[string]string{}
	for _, in := range dockerfileInstructions(tb) {
		if in.cmd != "ENV" {
			continue
		}
		for _, kv := range strings.Fields(in.args) {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				tb.Fatalf("ENV %s: use the KEY=VALUE form", in.args)
			}
			env[k] = v
		}
	}
	return env
}
