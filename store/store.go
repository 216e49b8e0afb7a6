// Package store opens the database through Bun — PostgreSQL in production,
// pure-Go SQLite as the embedded default — and runs the migrations. It is a
// top-level package because it is the one adapter to the database that
// tenants/, authz/ and domain services share; none of the fixed folders is
// its home.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/migrate"
	_ "modernc.org/sqlite" // pure-Go SQLite driver, registered as "sqlite"

	"chuyenhoa/migrations"
	"chuyenhoa/store/outbox"
)

// Open connects to the database named by dsn: postgres://… or
// sqlite://PATH (the directory is created if missing), with no limits
// beyond the driver's (see OpenWithLimits).
func Open(ctx context.Context, dsn string) (*bun.DB, error) {
	return OpenWithLimits(ctx, dsn, Limits{})
}

// OpenWithLimits is Open with bounds on how long the database may keep a
// caller waiting: the serving process uses them so that a database that is
// down or stuck answers 503 quickly instead of holding every request.
func OpenWithLimits(ctx context.Context, dsn string, lim Limits) (*bun.DB, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		sqldb, err := sql.Open("pgx", lim.apply(withSimpleProtocol(dsn)))
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		sqldb.SetMaxOpenConns(20)
		sqldb.SetMaxIdleConns(20)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		db := bun.NewDB(sqldb, pgdialect.New())
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: postgres unreachable: %w", err)
		}
		return db, nil
	case strings.HasPrefix(dsn, "sqlite://"), strings.HasPrefix(dsn, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if path != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				return nil, fmt.Errorf("store: create data directory: %w", err)
			}
		}
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(ON)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
		sqldb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		// One writer at a time is SQLite's model; a small pool lets reads
		// proceed in WAL mode while busy_timeout queues writers.
		sqldb.SetMaxOpenConns(4)
		db := bun.NewDB(sqldb, sqlitedialect.New())
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: sqlite: %w", err)
		}
		return db, nil
	}
	return nil, fmt.Errorf("store: unsupported database URL (want postgres://… or sqlite://PATH)")
}

// withSimpleProtocol asks pgx for the simple query protocol unless the URL
// chooses a mode. Bun renders every argument into the SQL text, so no two
// queries with a different timestamp or id share a statement: pgx's default
// (prepare and cache each statement) would cost an extra round trip per
// query and fill both pgx's and PostgreSQL's statement caches with
// single-use statements.
func withSimpleProtocol(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Get("default_query_exec_mode") == "" {
		q.Set("default_query_exec_mode", "simple_protocol")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// IsPostgres reports whether db speaks PostgreSQL.
func IsPostgres(db bun.IDB) bool { return db.Dialect().Name() == dialect.PG }

// Migrator returns a bun migrator over the embedded migrations with the
// template data of db's dialect.
func Migrator(db *bun.DB) (*migrate.Migrator, error) {
	ms, err := migrations.New()
	if err != nil {
		return nil, err
	}
	return migrate.NewMigrator(db, ms, migrate.WithTemplateData(migrations.For(IsPostgres(db))), migrate.WithMarkAppliedOnSuccess(true)), nil
}

// Migrate applies pending migrations under the migrator's lock. Another
// process holding the lock is waited for (up to the context's deadline), so
// replicas starting together migrate once.
func Migrate(ctx context.Context, db *bun.DB) (*migrate.MigrationGroup, error) {
	m, err := Migrator(db)
	if err != nil {
		return nil, err
	}
	unlock, err := lock(ctx, db, m)
	if err != nil {
		return nil, err
	}
	defer unlock()
	g, err := m.Migrate(ctx)
	if err != nil {
		return g, err
	}
	// The job queue's tables (River's own migrations) under the same lock.
	return g, outbox.Migrate(ctx, db)
}

// Rollback rolls back the last migration group under the lock.
func Rollback(ctx context.Context, db *bun.DB) (*migrate.MigrationGroup, error) {
	m, err := Migrator(db)
	if err != nil {
		return nil, err
	}
	unlock, err := lock(ctx, db, m)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return m.Rollback(ctx)
}

// lock takes a PostgreSQL advisory lock (which also serialises the
// migrator's own table creation) and then bun's migration lock, retrying
// while another process holds it.
func lock(ctx context.Context, db *bun.DB, m *migrate.Migrator) (func(), error) {
	var release []func()
	unlock := func() {
		for i := len(release) - 1; i >= 0; i-- {
			release[i]()
		}
	}
	if IsPostgres(db) {
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7240417)"); err != nil {
			conn.Close()
			return nil, fmt.Errorf("store: migration advisory lock: %w", err)
		}
		release = append(release, func() {
			conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(7240417)")
			conn.Close()
		})
	}
	if err := m.Init(ctx); err != nil {
		unlock()
		return nil, fmt.Errorf("store: migrator init: %w", err)
	}
	for {
		err := m.Lock(ctx)
		if err == nil {
			release = append(release, func() { m.Unlock(context.Background()) })
			return unlock, nil
		}
		select {
		case <-ctx.Done():
			unlock()
			return nil, errors.Join(fmt.Errorf("store: waiting for the migration lock"), err, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Status lists applied and pending migrations.
func Status(ctx context.Context, db *bun.DB) (applied, pending migrate.MigrationSlice, err error) {
	m, err := Migrator(db)
	if err != nil {
		return nil, nil, err
	}
	if err := m.Init(ctx); err != nil {
		return nil, nil, err
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, nil, err
	}
	return ms.Applied(), ms.Unapplied(), nil
}

// pgxDriver keeps the pgx stdlib import (which registers "pgx") explicit.
var _ = stdlib.GetDefaultDriver
