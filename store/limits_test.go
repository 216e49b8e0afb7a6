package store_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/store"
	"chuyenhoa/store/storetest"
)

// TestLockDir: a second lock on the same data directory is refused with a
// message naming the directory and the holder; once released, it is free.
func TestLockDir(t *testing.T) {
	dir := t.TempDir()
	release, err := store.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.LockDir(dir)
	if err == nil {
		t.Fatal("second LockDir on the same directory succeeded")
	}
	for _, want := range []string{dir, "in use by another chuyenhoa serve", "pid ", "PostgreSQL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	release()
	again, err := store.LockDir(dir)
	if err != nil {
		t.Fatalf("LockDir after release: %v", err)
	}
	again()
}

// TestStatementTimeout: the serving limit makes PostgreSQL cancel a long
// statement, and the error counts as unavailable (503), not as a bug.
func TestStatementTimeout(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenWithLimits(ctx, storetest.MustPostgresURL(t), store.Limits{ConnectTimeout: time.Second, StatementTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	_, err = db.ExecContext(ctx, "SELECT pg_sleep(5)")
	if err == nil {
		t.Fatal("pg_sleep(5) finished under a 300 ms statement timeout")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("statement cancelled after %s, want about 300 ms", d)
	}
	if !store.IsUnavailable(err) {
		t.Errorf("IsUnavailable(%v) = false", err)
	}
	if _, err := db.ExecContext(ctx, "SELECT 1"); err != nil {
		t.Errorf("the pool is unusable after a cancelled statement: %v", err)
	}
}

// TestConnectTimeout: a PostgreSQL that accepts TCP but never answers
// fails within the connect timeout, as unavailable.
func TestConnectTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	u, _ := url.Parse(storetest.PostgresURL())
	u.Host = ln.Addr().String()
	start := time.Now()
	_, err = store.OpenWithLimits(context.Background(), u.String(), store.Limits{ConnectTimeout: time.Second})
	if err == nil {
		t.Fatal("open succeeded against a silent server")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("gave up after %s, want about 1 s", d)
	}
	if !store.IsUnavailable(err) {
		t.Errorf("IsUnavailable(%v) = false", err)
	}
}

// TestIsUnavailableQueryErrors: errors in the query or the data are not
// outages.
func TestIsUnavailableQueryErrors(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bunDB) {
		_, err := db.ExecContext(context.Background(), "SELECT * FROM no_such_table")
		if err == nil || store.IsUnavailable(err) {
			t.Errorf("a missing table: IsUnavailable(%v) = true", err)
		}
	})
	if store.IsUnavailable(errors.New("boom")) || store.IsUnavailable(nil) {
		t.Error("plain errors count as unavailable")
	}
}

type bunDB = bun.DB
