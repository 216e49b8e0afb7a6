package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"chuyenhoa/migrations"
	"chuyenhoa/store"
	"chuyenhoa/store/storetest"
)

// TestTwoReplicasMigrateOnce starts two servers at the same moment against
// one fresh PostgreSQL database, as two replicas of a rollout do: both come
// up, each migration ran exactly once, and both stop gracefully on SIGTERM.
func TestTwoReplicasMigrateOnce(t *testing.T) {
	dbURL := storetest.MustPostgresURL(t)
	bin := mustBinary(t)

	env := map[string]string{"CHUYENHOA_DATABASE_URL": dbURL, "CHUYENHOA_MIGRATE_ON_START": "true"}
	// Like compose and Kubernetes: replicas share Redis, and /readyz checks it.
	withRedis := redisReachable(t)
	if withRedis {
		env["CHUYENHOA_REDIS_URL"] = storetest.RedisURL()
	}
	replicas := []*server{startServer(t, bin, "replica 1", env), startServer(t, bin, "replica 2", env)}
	for _, s := range replicas {
		s.waitReady(t, 90*time.Second)
	}
	createAdmin(t, bin, dbURL)
	for _, s := range replicas {
		s.signIn(t)
	}

	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	t.Run("each migration applied once", func(t *testing.T) {
		var rows []struct {
			Name  string
			Count int
		}
		if err := db.NewRaw("SELECT name, count(*) AS count FROM bun_migrations GROUP BY name ORDER BY name").Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		ms, err := migrations.New()
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, m := range ms.Sorted() {
			want = append(want, m.Name)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Name)
			if r.Count != 1 {
				t.Errorf("migration %s recorded %d times, want 1", r.Name, r.Count)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("applied migrations %v, want %v", got, want)
		}
		var locks int
		if err := db.NewRaw("SELECT count(*) FROM bun_migration_locks").Scan(ctx, &locks); err != nil {
			t.Fatal(err)
		}
		if locks != 0 {
			t.Errorf("%d migration locks left behind", locks)
		}
		// Exactly one process did the work; the other waited and found
		// nothing to do.
		if n := replicas[0].logCount("migrated") + replicas[1].logCount("migrated"); n != 1 {
			t.Errorf("%d processes logged \"migrated\", want 1\n%s\n%s", n, replicas[0].logs, replicas[1].logs)
		}
	})

	t.Run("both serve", func(t *testing.T) {
		for _, s := range replicas {
			if code, body := s.do(t, http.MethodGet, "/healthz", nil); code != http.StatusOK || !bytes.Contains(body, []byte(testVersion)) {
				t.Errorf("%s GET /healthz = %d %s, want 200 naming version %s", s.name, code, body, testVersion)
			}
			if code, body := s.do(t, http.MethodGet, "/readyz", nil); code != http.StatusOK || withRedis && !bytes.Contains(body, []byte(`"redis":"ok"`)) {
				t.Errorf("%s GET /readyz = %d %s", s.name, code, body)
			}
			if code, body := s.do(t, http.MethodGet, "/api/v1/units", nil); code != http.StatusOK {
				t.Errorf("%s GET /api/v1/units = %d %s", s.name, code, body)
			}
			if err := s.healthcheck(bin); err != nil {
				t.Errorf("%s: chuyenhoa healthcheck: %v", s.name, err)
			}
		}
	})

	t.Run("graceful shutdown", func(t *testing.T) {
		var wg sync.WaitGroup
		for _, s := range replicas {
			wg.Go(func() { s.stop(t) })
		}
		wg.Wait()
		if err := replicas[0].healthcheck(bin); err == nil {
			t.Errorf("chuyenhoa healthcheck succeeded with the server stopped")
		}
	})
}

// seedUnits is a small locality tree with Vietnamese names: a province with
// a district and its wards, and a province whose ward hangs directly under
// it (the two-tier government of 2025).
var seedUnits = []map[string]string{
	{"code": "01", "name": "Thành phố Hà Nội", "kind": "province", "unit_type": "Thành phố Trung ương"},
	{"code": "001", "name": "Quận Ba Đình", "kind": "district", "parent_code": "01", "unit_type": "Quận"},
	{"code": "00001", "name": "Phường Phúc Xá", "kind": "ward", "parent_code": "001", "unit_type": "Phường"},
	{"code": "00004", "name": "Phường Trúc Bạch", "kind": "ward", "parent_code": "001", "unit_type": "Phường"},
	{"code": "00006", "name": "Phường Vĩnh Phúc", "kind": "ward", "parent_code": "001", "unit_type": "Phường"},
	{"code": "79", "name": "Thành phố Hồ Chí Minh", "kind": "province", "unit_type": "Thành phố Trung ương"},
	{"code": "26734", "name": "Phường Bến Thành", "kind": "ward", "parent_code": "79", "unit_type": "Phường"},
	{"code": "26740", "name": "Xã Đông Thạnh", "kind": "ward", "parent_code": "79", "unit_type": "Xã"},
}

// unitItems returns the raw JSON items of GET path (a units page).
func unitItems(tb testing.TB, s *server, path string) (json.RawMessage, int) {
	tb.Helper()
	code, body := s.do(tb, http.MethodGet, path, nil)
	if code != http.StatusOK {
		tb.Fatalf("%s GET %s = %d %s", s.name, path, code, body)
	}
	var page struct {
		Items json.RawMessage `json:"items"`
		Total int             `json:"total"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		tb.Fatalf("GET %s: %v: %s", path, err, body)
	}
	return page.Items, page.Total
}

// runScript runs a deploy/ script with env and returns its stdout.
func runScript(tb testing.TB, env map[string]string, script string, args ...string) string {
	tb.Helper()
	cmd := exec.Command("bash", append([]string{script}, args...)...)
	cmd.Env = baseEnv()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s %v: %v\n%s%s", script, args, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// TestBackupRestore seeds a PostgreSQL database through the API, backs it
// up with backup.sh, restores the dump with restore.sh into a fresh
// database, starts the service on it and checks that the API answers the
// same data.
func TestBackupRestore(t *testing.T) {
	requirePGTools(t)
	src := storetest.MustPostgresURL(t)
	bin := mustBinary(t)

	s := startServer(t, bin, "source", map[string]string{"CHUYENHOA_DATABASE_URL": src})
	s.waitReady(t, 90*time.Second)
	createAdmin(t, bin, src)
	s.signIn(t)
	ids := map[string]int64{}
	for _, u := range seedUnits {
		code, body := s.do(t, http.MethodPost, "/api/v1/units", u)
		if code != http.StatusCreated {
			t.Fatalf("POST /api/v1/units %v = %d %s", u, code, body)
		}
		var created struct{ ID int64 }
		json.Unmarshal(body, &created)
		ids[u["code"]] = created.ID
	}
	if code, body := s.do(t, http.MethodPatch, "/api/v1/units/"+itoa(ids["00004"]), map[string]string{"name": "Phường Trúc Bạch (đổi tên)"}); code != http.StatusOK {
		t.Fatalf("PATCH = %d %s", code, body)
	}
	const list = "/api/v1/units?limit=1000"
	const search = "/api/v1/units?q=phuc" // matches Phúc without its diacritics
	before, total := unitItems(t, s, list)
	if total != len(seedUnits) {
		t.Fatalf("seeded %d units, the API lists %d", len(seedUnits), total)
	}
	beforeSearch, n := unitItems(t, s, search)
	if n != 2 {
		t.Fatalf("search %s found %d units, want 2: %s", search, n, beforeSearch)
	}

	// A backup directory with earlier dumps, to see retention at work.
	dir := t.TempDir()
	old := time.Now().Add(-30 * 24 * time.Hour)
	for _, name := range []string{"chuyenhoa-20200101T000000Z", "chuyenhoa-20200102T000000Z", "chuyenhoa-20200103T000000Z"} {
		for _, ext := range []string{".dump", ".attachments.tar.gz"} {
			p := filepath.Join(dir, name+ext)
			os.WriteFile(p, []byte("old"), 0o600)
			os.Chtimes(p, old, old)
		}
	}
	recent := filepath.Join(dir, "chuyenhoa-20991231T000000Z.dump") // sorts newest: kept
	os.WriteFile(recent, []byte("recent"), 0o600)
	attachments := t.TempDir()
	os.WriteFile(filepath.Join(attachments, "biên-bản.pdf"), []byte("%PDF-1.4 tệp đính kèm"), 0o600)

	out := runScript(t, map[string]string{
		"CHUYENHOA_DATABASE_URL": src,
		"BACKUP_DIR":             dir,
		"BACKUP_KEEP_DAYS":       "7",
		"BACKUP_KEEP_MIN":        "3",
		"BACKUP_ATTACHMENTS_DIR": attachments,
	}, "backup.sh")
	dump := strings.TrimSpace(out)

	t.Run("backup files and retention", func(t *testing.T) {
		if !regexp.MustCompile(`^chuyenhoa-\d{8}T\d{6}Z\.dump$`).MatchString(filepath.Base(dump)) || filepath.Dir(dump) != dir {
			t.Fatalf("backup.sh printed %q, want %s/chuyenhoa-YYYYmmddTHHMMSSZ.dump", dump, dir)
		}
		fi, err := os.Stat(dump)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("dump mode %v: readable by others", fi.Mode().Perm())
		}
		tarball := strings.TrimSuffix(dump, ".dump") + ".attachments.tar.gz"
		if out, err := exec.Command("tar", "-tzf", tarball).CombinedOutput(); err != nil || !strings.Contains(string(out), "biên-bản.pdf") {
			t.Errorf("attachments archive: %v\n%s", err, out)
		}
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		// Newest three dumps kept whatever their age (the new one, the
		// "recent" one and 20200103); older ones past 7 days deleted with
		// their archives.
		want := []string{
			"chuyenhoa-20200103T000000Z.attachments.tar.gz", "chuyenhoa-20200103T000000Z.dump",
			filepath.Base(tarball), filepath.Base(dump), "chuyenhoa-20991231T000000Z.dump",
		}
		sort.Strings(want)
		if strings.Join(names, " ") != strings.Join(want, " ") {
			t.Errorf("backup directory after retention:\n got %v\nwant %v", names, want)
		}
	})

	dst := storetest.MustPostgresURL(t)
	runScript(t, nil, "restore.sh", dump, dst)

	r := startServer(t, bin, "restored", map[string]string{"CHUYENHOA_DATABASE_URL": dst})
	r.waitReady(t, 90*time.Second)
	// The admin came with the dump: signing in proves users were restored.
	r.signIn(t)

	t.Run("same data after restore", func(t *testing.T) {
		after, _ := unitItems(t, r, list)
		if !bytes.Equal(before, after) {
			t.Errorf("GET %s differs after restore:\nbefore %s\nafter  %s", list, before, after)
		}
		afterSearch, _ := unitItems(t, r, search)
		if !bytes.Equal(beforeSearch, afterSearch) {
			t.Errorf("GET %s differs after restore:\nbefore %s\nafter  %s", search, beforeSearch, afterSearch)
		}
		code, one := r.do(t, http.MethodGet, "/api/v1/units/"+itoa(ids["26734"]), nil)
		if code != http.StatusOK || !bytes.Contains(one, []byte("Phường Bến Thành")) {
			t.Errorf("GET one restored unit = %d %s", code, one)
		}
		if n := r.logCount("migrated"); n != 0 {
			t.Errorf("the restored database needed migrating: the dump lacks bun_migrations\n%s", r.logs)
		}
	})

	t.Run("restored database accepts writes", func(t *testing.T) {
		// The identity sequences came back too: a new unit gets a fresh id.
		code, body := r.do(t, http.MethodPost, "/api/v1/units", map[string]string{"code": "00007", "name": "Phường Cống Vị", "kind": "ward", "parent_code": "001"})
		if code != http.StatusCreated {
			t.Fatalf("POST after restore = %d %s", code, body)
		}
	})

	t.Run("restore over an existing database", func(t *testing.T) {
		r.stop(t)
		runScript(t, nil, "restore.sh", dump, dst) // --clean --if-exists
		r2 := startServer(t, bin, "restored again", map[string]string{"CHUYENHOA_DATABASE_URL": dst})
		r2.waitReady(t, 90*time.Second)
		r2.signIn(t)
		if again, _ := unitItems(t, r2, list); !bytes.Equal(before, again) {
			t.Errorf("second restore: GET %s = %s, want %s", list, again, before)
		}
		r2.stop(t)
	})
	s.stop(t)
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// redisReachable pings the test Redis without flushing it (other packages
// may be using it). Unreachable fails the test under CI=true; elsewhere the
// replicas run without Redis.
func redisReachable(tb testing.TB) bool {
	tb.Helper()
	opt, err := redis.ParseURL(storetest.RedisURL())
	if err != nil {
		tb.Fatal(err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("Redis at %s unreachable: %v", storetest.RedisURL(), err)
		}
		tb.Logf("Redis at %s unreachable (%v): replicas run without it", storetest.RedisURL(), err)
		return false
	}
	return true
}
