package deploy

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	yamlv3 "gopkg.in/yaml.v3"

	"chuyenhoa/cmd/chuyenhoa/config"
)

var update = flag.Bool("update", false, "rewrite the generated configuration table of deploy/README.md")

func TestShellScripts(t *testing.T) {
	for _, s := range []string{"backup.sh", "restore.sh"} {
		t.Run(s, func(t *testing.T) {
			fi, err := os.Stat(s)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode()&0o111 == 0 {
				t.Errorf("%s is not executable", s)
			}
			data, _ := os.ReadFile(s)
			if !bytes.Contains(data, []byte("set -euo pipefail")) {
				t.Errorf("%s lacks set -euo pipefail", s)
			}
			if out, err := exec.Command("bash", "-n", s).CombinedOutput(); err != nil {
				t.Errorf("bash -n %s: %v\n%s", s, err, out)
			}
			if _, err := exec.LookPath("shellcheck"); err == nil {
				if out, err := exec.Command("shellcheck", s).CombinedOutput(); err != nil {
					t.Errorf("shellcheck %s: %v\n%s", s, err, out)
				}
			}
		})
	}
}

// metricNames are the series alerts.yaml and README.md rely on; /metrics
// (issue 6) is to export them under these names.
var metricNames = []string{
	"chuyenhoa_http_requests_total",
	"chuyenhoa_http_request_duration_seconds",
	"chuyenhoa_cache_hits_total",
	"chuyenhoa_cache_misses_total",
	"chuyenhoa_cache_errors_total",
	"chuyenhoa_cache_fallback_total",
	"chuyenhoa_reports_missing",
	"chuyenhoa_access_denied_total",
	"chuyenhoa_access_denied_bursts_total",
}

func TestPrometheusAlerts(t *testing.T) {
	data, err := os.ReadFile("prometheus/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Name  string `yaml:"name"`
			Rules []struct {
				Alert       string            `yaml:"alert"`
				Expr        string            `yaml:"expr"`
				For         string            `yaml:"for"`
				Labels      map[string]string `yaml:"labels"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&rules); err != nil {
		t.Fatalf("alerts.yaml: %v", err)
	}
	exprs := map[string]string{}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			exprs[r.Alert] = r.Expr
			if r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("alert %s needs a severity label and a summary", r.Alert)
			}
		}
	}
	for alert, metric := range map[string]string{
		"ChuyenhoaDown":                         `up{job="chuyenhoa"}`,
		"ChuyenhoaHighErrorRate":                `chuyenhoa_http_requests_total{status=~"5.."}`,
		"ChuyenhoaRedisFallback":                "chuyenhoa_cache_fallback_total",
		"ChuyenhoaReportsMissingBeforeDeadline": `chuyenhoa_reports_missing{period_due="tomorrow"}`,
	} {
		if !strings.Contains(exprs[alert], metric) {
			t.Errorf("alert %s: expr %q does not use %s", alert, exprs[alert], metric)
		}
	}
	for alert, expr := range exprs {
		for _, m := range regexp.MustCompile(`chuyenhoa_[a-z_]+`).FindAllString(expr, -1) {
			m = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m, "_bucket"), "_sum"), "_count")
			if !slices.Contains(metricNames, m) {
				t.Errorf("alert %s uses %s, which is not among the documented metrics", alert, m)
			}
		}
	}
	t.Run("promtool", func(t *testing.T) {
		if _, err := exec.LookPath("promtool"); err != nil {
			t.Skip("promtool not installed")
		}
		for _, args := range [][]string{{"check", "rules", "alerts.yaml"}, {"test", "rules", "alerts_test.yaml"}} {
			cmd := exec.Command("promtool", args...)
			cmd.Dir = "prometheus"
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
	})
}

const (
	tableBegin = "<!-- config:begin"
	tableEnd   = "<!-- config:end -->"
)

// TestReadme checks the operator guide: its configuration table is the one
// generated from the config struct (go test ./deploy -run TestReadme
// -update rewrites it), and it documents every metric and the probes.
func TestReadme(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i := strings.Index(readme, tableBegin)
	j := strings.Index(readme, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %s … %s markers", tableBegin, tableEnd)
	}
	i += strings.Index(readme[i:], "-->") + len("-->\n")
	want := config.MarkdownTable()
	if got := readme[i:j]; got != want {
		if *update {
			if err := os.WriteFile("README.md", []byte(readme[:i]+want+readme[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("README.md configuration table rewritten")
		} else {
			t.Errorf("README.md configuration table is stale; run go test ./deploy -run TestReadme -update\ngot:\n%s\nwant:\n%s", got, want)
		}
	}
	for _, s := range append(slices.Clone(metricNames), "/healthz", "/readyz", "/metrics", "request_id", "backup.sh", "restore.sh", "docker build") {
		if !strings.Contains(readme, s) {
			t.Errorf("README.md does not mention %s", s)
		}
	}
}
