package cleanup_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/store/cleanup"
	"chuyenhoa/store/storetest"
)

// seed inserts, in each table the cleaner looks after, rows just past and
// just inside its age at now, and returns how many of each are old.
func seed(t *testing.T, db *bun.DB, now time.Time, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		for _, at := range []time.Time{now.Add(-25 * time.Hour), now.Add(-23 * time.Hour)} {
			if _, err := db.NewRaw("INSERT INTO login_attempts (username, ip, success, at) VALUES (?, ?, ?, ?)", "u", "10.0.0.1", false, at).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := db.NewRaw("INSERT INTO idempotency_keys (user_id, idem_key, route, body_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				1, at.Format(time.RFC3339Nano)+string(rune('a'+i)), "submit", "h", 200, "{}", at).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for j, exp := range []time.Time{now.Add(-time.Minute), now.Add(time.Hour)} {
			if _, err := db.NewRaw("INSERT INTO web_sessions (token, data, expiry) VALUES (?, ?, ?)", exp.Format(time.RFC3339Nano)+string(rune('a'+i))+string(rune('0'+j)), []byte("x"), exp).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, hour := range []time.Time{now.Add(-91 * 24 * time.Hour), now.Add(-80 * 24 * time.Hour)} {
			if _, err := db.NewRaw("INSERT INTO access_denials (user_id, hour, kind, count, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?)", int64(i+1), hour.Truncate(time.Hour), "forbidden", 3, hour, hour).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func count(t *testing.T, db *bun.DB, table string) int {
	t.Helper()
	n, err := db.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestRunOnce(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		now := time.Date(2024, 3, 13, 2, 0, 0, 0, time.UTC)
		seed(t, db, now, 3)
		c := &cleanup.Cleaner{DB: db, Now: func() time.Time { return now }}
		res, err := c.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res, (cleanup.Result{LoginAttempts: 3, WebSessions: 3, IdempotencyKeys: 3, AccessDenials: 3}); got != want {
			t.Errorf("result = %+v, want %+v", got, want)
		}
		for _, table := range []string{"login_attempts", "web_sessions", "idempotency_keys", "access_denials"} {
			if got := count(t, db, table); got != 3 {
				t.Errorf("%s keeps %d rows, want the 3 young ones", table, got)
			}
		}
		// A day later everything but the recent counters has aged out.
		now = now.Add(26 * time.Hour)
		if _, err := c.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		for table, want := range map[string]int{"login_attempts": 0, "idempotency_keys": 0, "web_sessions": 0, "access_denials": 3} {
			if got := count(t, db, table); got != want {
				t.Errorf("a day later %s keeps %d rows, want %d", table, got, want)
			}
		}
	})
}

// TestConcurrentInstances: several instances cleaning at once all succeed
// and delete each row once.
func TestConcurrentInstances(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		now := time.Date(2024, 3, 13, 2, 0, 0, 0, time.UTC)
		seed(t, db, now, 20)
		var wg sync.WaitGroup
		results := make([]cleanup.Result, 4)
		errs := make([]error, 4)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := &cleanup.Cleaner{DB: db, Now: func() time.Time { return now }}
				results[i], errs[i] = c.RunOnce(context.Background())
			}()
		}
		wg.Wait()
		var total int64
		for i, err := range errs {
			if err != nil {
				t.Errorf("instance %d: %v", i, err)
			}
			total += results[i].LoginAttempts
		}
		if total != 20 {
			t.Errorf("login attempts deleted %d times in all, want 20 (%+v)", total, results)
		}
		if got := count(t, db, "login_attempts"); got != 20 {
			t.Errorf("%d login attempts left, want 20", got)
		}
	})
}

// TestLoop: the loop runs a round at once, then every interval, and stops
// with its context.
func TestLoop(t *testing.T) {
	db := storetest.MustSQLite(t)
	now := time.Date(2024, 3, 13, 2, 0, 0, 0, time.UTC)
	seed(t, db, now, 2)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c := &cleanup.Cleaner{DB: db, Now: clock, Interval: 10 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Loop(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for count(t, db, "login_attempts") != 2 {
		if time.Now().After(deadline) {
			t.Fatal("the first round did not run")
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	now = now.Add(48 * time.Hour)
	mu.Unlock()
	for count(t, db, "login_attempts") != 0 {
		if time.Now().After(deadline) {
			t.Fatal("no later round ran")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Loop did not stop with its context")
	}
}

// TestSuccessfulSignInsOutliveFailures: a successful sign-in is what the
// login throttle trusts for identity.KnownClientFor, so a round keeps it
// while it deletes failures older than a day.
func TestSuccessfulSignInsOutliveFailures(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
		for _, r := range []struct {
			ok  bool
			age time.Duration
		}{{false, 2 * time.Hour}, {false, 48 * time.Hour}, {true, 48 * time.Hour}, {true, 60 * 24 * time.Hour}, {true, 100 * 24 * time.Hour}} {
			if _, err := db.NewRaw("INSERT INTO login_attempts (username, ip, success, at) VALUES (?, ?, ?, ?)", "u", "10.0.0.1", r.ok, now.Add(-r.age)).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		res, err := (&cleanup.Cleaner{DB: db, Now: func() time.Time { return now }}).RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.LoginAttempts != 2 || count(t, db, "login_attempts") != 3 {
			t.Errorf("deleted %d, kept %d; want the 2-day-old failure and the 100-day-old success deleted, 3 kept", res.LoginAttempts, count(t, db, "login_attempts"))
		}
	})
}
