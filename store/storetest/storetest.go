// Package storetest opens real databases and Redis for tests: a fresh SQLite
// file and a fresh PostgreSQL database per call, both migrated. With CI=true
// an unreachable PostgreSQL or Redis fails the test; elsewhere it skips.
//
// Under go test -short (the fast tier of the edit–test loop) every helper
// that needs PostgreSQL or Redis skips the test, whatever CI says: -short
// is a deliberate choice to run SQLite alone, not a missing service.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"

	"chuyenhoa/store"
	"chuyenhoa/store/cache"
)

// DefaultPostgresURL is used when CHUYENHOA_TEST_DATABASE_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// DefaultRedisURL is used when CHUYENHOA_TEST_REDIS_URL is unset.
const DefaultRedisURL = "redis://127.0.0.1:6379/15"

func unavailable(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf(format, args...)
	}
	tb.Skipf(format+" (set CI=true to fail instead of skipping)", args...)
}

// SkipShort skips the test under go test -short, saying what the fast tier
// leaves out (e.g. "PostgreSQL", "a fault test"); the full run still has it.
func SkipShort(tb testing.TB, what string) {
	tb.Helper()
	if testing.Short() {
		tb.Skipf("%s skipped under -short (the fast tier runs SQLite only; go test ./... runs it)", what)
	}
}

// MustSQLite returns a migrated database in a new SQLite file.
func MustSQLite(tb testing.TB) *bun.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite://"+filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := store.Migrate(ctx, db); err != nil {
		tb.Fatal(err)
	}
	return db
}

// PostgresURL returns the URL of the test server.
func PostgresURL() string {
	if u := os.Getenv("CHUYENHOA_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// MustPostgresURL creates a fresh, empty database on the test server, drops
// it when the test ends, and returns its URL.
func MustPostgresURL(tb testing.TB) string {
	tb.Helper()
	SkipShort(tb, "PostgreSQL")
	base := PostgresURL()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		unavailable(tb, "PostgreSQL at %s unreachable: %v", redact(base), err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "chuyenhoa_t_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// MustPostgres returns a migrated, fresh PostgreSQL database.
func MustPostgres(tb testing.TB) *bun.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, MustPostgresURL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := store.Migrate(ctx, db); err != nil {
		tb.Fatal(err)
	}
	return db
}

// ForEachDB runs f as the subtests "sqlite" and "postgres", each with its
// own fresh, migrated database; under -short the "postgres" one skips.
func ForEachDB(t *testing.T, f func(t *testing.T, db *bun.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, MustSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, MustPostgres(t)) })
}

// RedisURL returns the URL of the test Redis.
func RedisURL() string {
	if u := os.Getenv("CHUYENHOA_TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultRedisURL
}

// MustRedis returns a client of the test Redis with its database flushed.
// Tests that use it must not run in parallel with each other.
func MustRedis(tb testing.TB) *redis.Client {
	tb.Helper()
	SkipShort(tb, "Redis")
	opt, err := redis.ParseURL(RedisURL())
	if err != nil {
		tb.Fatal(err)
	}
	c := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		unavailable(tb, "Redis at %s unreachable: %v", RedisURL(), err)
	}
	if err := c.FlushDB(ctx).Err(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(bad url)"
	}
	return strings.Replace(p.Redacted(), "xxxxx", "***", 1)
}

// Name returns "postgres" or "sqlite" for db, for messages.
func Name(db bun.IDB) string {
	if store.IsPostgres(db) {
		return "postgres"
	}
	return fmt.Sprint("sqlite")
}

// MustRedisViews returns views on the test Redis under a fresh key prefix,
// so tests in several packages can share one Redis without flushing it;
// its keys are deleted when the test ends.
func MustRedisViews(tb testing.TB) *cache.Views {
	tb.Helper()
	c := mustRedisClient(tb)
	var b [6]byte
	rand.Read(b[:])
	prefix := "test:" + hex.EncodeToString(b[:]) + ":"
	rs, err := cache.NewRedis(RedisURL())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if len(keys) > 0 {
			c.Del(ctx, keys...)
		}
		rs.Client.Close()
		c.Close()
	})
	v := cache.NewViews(rs)
	v.Prefix = prefix
	return v
}

func mustRedisClient(tb testing.TB) *redis.Client {
	tb.Helper()
	SkipShort(tb, "Redis")
	opt, err := redis.ParseURL(RedisURL())
	if err != nil {
		tb.Fatal(err)
	}
	c := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		unavailable(tb, "Redis at %s unreachable: %v", RedisURL(), err)
	}
	return c
}
