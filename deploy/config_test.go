package deploy

import (
	"os"
	"regexp"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"chuyenhoa/api"
	"chuyenhoa/cmd/chuyenhoa/config"
	"chuyenhoa/store/storetest"
)

// TestEnvVarsExistInConfig checks that every CHUYENHOA_* variable that a
// manifest sets is one the service reads.
func TestEnvVarsExistInConfig(t *testing.T) {
	known := map[string]bool{}
	for _, v := range config.Reference() {
		known[v.Name] = true
	}
	sources := map[string][]string{}
	add := func(src string, names ...string) { sources[src] = append(sources[src], names...) }

	for k := range dockerfileEnv(t) {
		add("Dockerfile ENV", k)
	}
	c := mustCompose(t)
	for name, s := range c.Services {
		for k := range s.Environment {
			add("compose.yaml service "+name, k)
		}
	}
	for k := range readEnvFile(t, ".env.example") {
		add(".env.example", k)
	}
	k8s := mustK8s(t)
	for k := range k8s.ConfigMap.Data {
		add("k8s ConfigMap", k)
		if !strings.HasPrefix(k, "CHUYENHOA_") {
			t.Errorf("k8s ConfigMap key %s: envFrom passes every key, keep only CHUYENHOA_* there", k)
		}
	}
	for k := range k8s.Secret.StringData {
		add("k8s Secret", k)
	}
	for k := range k8s.Secret.Data {
		add("k8s Secret", k)
	}
	for _, ctr := range append(k8s.Deployment.Spec.Template.Spec.Containers, k8s.Job.Spec.Template.Spec.Containers...) {
		for _, e := range ctr.Env {
			add("k8s container "+ctr.Name, e.Name)
		}
	}
	for k := range systemdEnv(systemdDirectives(t, "systemd/chuyenhoa.service")) {
		add("systemd unit", k)
	}
	for k := range readEnvFile(t, "systemd/chuyenhoa.env.example") {
		add("systemd/chuyenhoa.env.example", k)
	}

	for _, src := range []string{"Dockerfile ENV", ".env.example", "k8s ConfigMap", "k8s Secret", "systemd unit", "systemd/chuyenhoa.env.example"} {
		if len(sources[src]) == 0 {
			t.Errorf("%s sets no variable: the check would prove nothing", src)
		}
	}
	n := 0
	for src, names := range sources {
		for _, name := range names {
			if !strings.HasPrefix(name, "CHUYENHOA_") {
				continue
			}
			n++
			if !known[name] {
				t.Errorf("%s sets %s, which cmd/chuyenhoa/config does not know", src, name)
			}
		}
	}
	t.Logf("%d CHUYENHOA_* settings checked in %d places", n, len(sources))
}

// TestProbesPointAtRoutes checks every health path a manifest names against
// the routes the server registers.
func TestProbesPointAtRoutes(t *testing.T) {
	srv := api.New(api.Options{DB: storetest.MustSQLite(t)})
	routes := map[string]bool{}
	for _, r := range srv.Echo.Routes() {
		if r.Method == "GET" {
			routes[r.Path] = true
		}
	}
	probes := map[string]string{} // where → path
	k := mustK8s(t)
	for _, c := range k.Deployment.Spec.Template.Spec.Containers {
		for name, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe, "startup": c.StartupProbe} {
			if p != nil && p.HTTPGet != nil {
				probes["k8s "+name+" probe"] = p.HTTPGet.Path
			}
		}
	}
	caddy, err := os.ReadFile("Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`health_uri\s+(\S+)`).FindAllSubmatch(caddy, -1) {
		probes["Caddyfile health_uri"] = string(m[1])
	}
	// chuyenhoa healthcheck [ready] GETs these (Dockerfile and compose).
	probes["chuyenhoa healthcheck"] = "/healthz"
	probes["chuyenhoa healthcheck ready"] = "/readyz"
	if len(probes) < 5 {
		t.Errorf("found only %v", probes)
	}
	for where, path := range probes {
		if !routes[path] {
			t.Errorf("%s GETs %s, which is not a route of api.New (routes: %v)", where, path, routes)
		}
	}
}
