package deploy

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	"chuyenhoa/store"
	"chuyenhoa/store/storetest"
)

// TestReliabilityManifests: the pod waits in preStop, then drains, then
// shuts down, all inside its grace period; GOMEMLIMIT sits below the memory
// limit in Kubernetes and compose; compose's Redis never evicts the version
// counters (issue 17, items 17, 19, 21).
func TestReliabilityManifests(t *testing.T) {
	k := mustK8s(t)
	pod := k.Deployment.Spec.Template.Spec
	c := pod.Containers[0]
	t.Run("preStop and grace period", func(t *testing.T) {
		if c.Lifecycle == nil || c.Lifecycle.PreStop == nil || c.Lifecycle.PreStop.Sleep == nil || c.Lifecycle.PreStop.Sleep.Seconds < 1 {
			t.Fatalf("no preStop sleep: %+v", c.Lifecycle)
		}
		pre := c.Lifecycle.PreStop.Sleep.Seconds
		drain := durationSeconds(t, k.ConfigMap.Data["CHUYENHOA_DRAIN"])
		shutdown := durationSeconds(t, k.ConfigMap.Data["CHUYENHOA_SHUTDOWN_TIMEOUT"])
		if g := pod.TerminationGracePeriodSeconds; g == nil || *g <= pre+drain+shutdown {
			t.Errorf("terminationGracePeriodSeconds %v must exceed preStop %ds + drain %ds + shutdown %ds", g, pre, drain, shutdown)
		}
	})
	t.Run("GOMEMLIMIT below the memory limit", func(t *testing.T) {
		var limit string
		for _, e := range c.Env {
			if e.Name == "GOMEMLIMIT" {
				limit = e.Value
			}
		}
		if limit == "" {
			t.Fatal("the container sets no GOMEMLIMIT")
		}
		soft := resource.MustParse(strings.TrimSuffix(limit, "B"))
		hard := c.Resources.Limits.Memory()
		if soft.Cmp(*hard) >= 0 || soft.Value() > hard.Value()*9/10 {
			t.Errorf("GOMEMLIMIT %s not comfortably below the memory limit %s", limit, hard)
		}
	})
	compose := mustCompose(t)
	t.Run("compose", func(t *testing.T) {
		for _, name := range []string{"app1", "app2"} {
			if compose.Services[name].Environment["GOMEMLIMIT"] == "" {
				t.Errorf("compose %s sets no GOMEMLIMIT", name)
			}
		}
		cmd := compose.Services["redis"].Command
		i := slices.Index(cmd, "--maxmemory-policy")
		if i < 0 || i+1 >= len(cmd) {
			t.Fatalf("redis command names no --maxmemory-policy: %v", cmd)
		}
		if p := cmd[i+1]; p != "noeviction" && !strings.HasPrefix(p, "volatile-") {
			t.Errorf("redis --maxmemory-policy %s may evict the version counters (no TTL); want noeviction or volatile-*", p)
		}
	})
}

// TestBackupWithoutAttachments: before the first upload the attachments
// directory does not exist; backup.sh still succeeds and applies
// retention, and restore.sh verifies what it restored (and fails the
// verification of a database that lacks the dump's tables).
func TestBackupWithoutAttachments(t *testing.T) {
	requirePGTools(t)
	if _, err := exec.LookPath("psql"); err != nil && os.Getenv("CI") == "true" {
		t.Fatal("psql not installed")
	}
	src := storetest.MustPostgresURL(t)
	ctx := context.Background()
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	db.Close()

	dir := t.TempDir()
	old := time.Now().Add(-30 * 24 * time.Hour)
	stale := filepath.Join(dir, "chuyenhoa-20200101T000000Z.dump")
	os.WriteFile(stale, []byte("old"), 0o600)
	os.Chtimes(stale, old, old)
	out := runScript(t, map[string]string{
		"CHUYENHOA_DATABASE_URL": src,
		"BACKUP_DIR":             dir,
		"BACKUP_KEEP_DAYS":       "7",
		"BACKUP_KEEP_MIN":        "1",
		"BACKUP_ATTACHMENTS_DIR": filepath.Join(t.TempDir(), "attachments"), // not created yet
	}, "backup.sh")
	dump := strings.TrimSpace(out)
	if _, err := os.Stat(dump); err != nil {
		t.Fatalf("backup.sh printed %q: %v", dump, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("retention did not run: %s still there", stale)
	}

	dst := storetest.MustPostgresURL(t)
	out = runScript(t, nil, "restore.sh", dump, dst)
	if !strings.Contains(out, "verified: ") || !strings.Contains(out, " migrations (latest ") {
		t.Errorf("restore.sh printed no verification: %q", out)
	}
	if out := runScript(t, nil, "restore.sh", "--verify", dump, dst); !strings.HasPrefix(out, "verified: ") {
		t.Errorf("restore.sh --verify printed %q", out)
	}

	empty := storetest.MustPostgresURL(t)
	cmd := exec.Command("bash", "restore.sh", "--verify", dump, empty)
	cmd.Env = baseEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil {
		t.Errorf("restore.sh --verify passed a database without the dump's tables")
	} else if !strings.Contains(stderr.String(), "missing from the target") {
		t.Errorf("verification failure does not say what is missing: %s", stderr.String())
	}
}
