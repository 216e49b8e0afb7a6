// Package cleanup deletes what only grows: login attempts older than the
// throttling needs, expired web sessions, expired idempotency keys and old
// denial counters. serve runs Loop; every deletion is by age, so running
// it on several instances at once is harmless, and on PostgreSQL a
// transaction-scoped advisory lock lets one instance do each round while
// the others skip it.
package cleanup

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// Defaults of Cleaner.
const (
	// DefaultInterval is the time between two rounds.
	DefaultInterval = 10 * time.Minute
	// DefaultLoginAttemptsAge is how long login attempts are kept: the
	// throttling looks back an hour; the audit log keeps every sign-in.
	DefaultLoginAttemptsAge = 24 * time.Hour
	// SuccessfulLoginAge is how long a successful sign-in is kept: the
	// throttling trusts an address the account signed in from during
	// identity.KnownClientFor (90 days), so those rows must outlive it.
	SuccessfulLoginAge = 90*24*time.Hour + 24*time.Hour
	// DefaultIdempotencyAge is how long an Idempotency-Key replays
	// (reports.DefaultIdempotencyTTL).
	DefaultIdempotencyAge = 24 * time.Hour
	// DefaultDenialsAge is how long the per-hour denial counters are kept.
	DefaultDenialsAge = 90 * 24 * time.Hour
	// batch bounds the rows one statement deletes, so a backlog never
	// holds a long lock; maxBatches bounds one round.
	batch      = 5000
	maxBatches = 200
)

// lockKey is the PostgreSQL advisory lock of a cleanup round ("chuyenhoa
// cleanup" in a 63-bit number).
const lockKey = 0x6368_7568_636c_6e70

// Cleaner deletes expired rows. Now is its clock (time.Now when nil),
// injected by tests.
type Cleaner struct {
	DB       *bun.DB
	Now      func() time.Time
	Log      *slog.Logger
	Interval time.Duration
	// Ages keep rows younger than these; zero means the default.
	LoginAttemptsAge time.Duration
	IdempotencyAge   time.Duration
	DenialsAge       time.Duration
}

// Result counts the rows one round deleted, by table; Skipped says another
// instance held the round's lock.
type Result struct {
	LoginAttempts   int64
	WebSessions     int64
	IdempotencyKeys int64
	AccessDenials   int64
	Skipped         bool
}

func (c *Cleaner) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// task is one table's deletion: rows of table whose column is before the
// cutoff, named by their key column.
type task struct {
	table, key, column string
	cutoff             time.Time
	count              *int64
	// where narrows the rows (login attempts: failures and successes age
	// differently); empty for all rows.
	where string
}

// RunOnce runs one round and returns what it deleted.
func (c *Cleaner) RunOnce(ctx context.Context) (Result, error) {
	var res Result
	now := c.now()
	tasks := []task{
		{"login_attempts", "id", "at", now.Add(-or(c.LoginAttemptsAge, DefaultLoginAttemptsAge)), &res.LoginAttempts, "success = ?"},
		{"login_attempts", "id", "at", now.Add(-SuccessfulLoginAge), &res.LoginAttempts, "success <> ?"},
		{"web_sessions", "token", "expiry", now, &res.WebSessions, ""},
		{"idempotency_keys", "id", "created_at", now.Add(-or(c.IdempotencyAge, DefaultIdempotencyAge)), &res.IdempotencyKeys, ""},
		{"access_denials", "id", "hour", now.Add(-or(c.DenialsAge, DefaultDenialsAge)), &res.AccessDenials, ""},
	}
	if c.DB.Dialect().Name() == dialect.PG {
		err := c.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var got bool
			if err := tx.NewRaw("SELECT pg_try_advisory_xact_lock(?)", int64(lockKey)).Scan(ctx, &got); err != nil {
				return err
			}
			if !got {
				res.Skipped = true
				return nil
			}
			return runTasks(ctx, tx, tasks)
		})
		return res, err
	}
	// SQLite has one writer at a time; each batch is its own statement.
	return res, runTasks(ctx, c.DB, tasks)
}

func runTasks(ctx context.Context, db bun.IDB, tasks []task) error {
	for _, t := range tasks {
		for i := 0; i < maxBatches; i++ {
			sub := db.NewSelect().Table(t.table).Column(t.key).Where("? < ?", bun.Ident(t.column), t.cutoff).Limit(batch)
			if t.where != "" {
				sub = sub.Where(t.where, false)
			}
			r, err := db.NewDelete().Table(t.table).Where("? IN (?)", bun.Ident(t.key), sub).Exec(ctx)
			if err != nil {
				return fmt.Errorf("cleanup: %s: %w", t.table, err)
			}
			n, _ := r.RowsAffected()
			*t.count += n
			if n < batch {
				break
			}
		}
	}
	return nil
}

// Loop runs a round at once and then every Interval until ctx ends. A
// failed round is logged and retried at the next tick.
func (c *Cleaner) Loop(ctx context.Context) {
	log := c.Log
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(or(c.Interval, DefaultInterval))
	defer t.Stop()
	for {
		res, err := c.RunOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.WarnContext(ctx, "cleanup failed", slog.String("error", err.Error()))
		case res.LoginAttempts+res.WebSessions+res.IdempotencyKeys+res.AccessDenials > 0:
			log.InfoContext(ctx, "cleanup", slog.Int64("login_attempts", res.LoginAttempts), slog.Int64("web_sessions", res.WebSessions),
				slog.Int64("idempotency_keys", res.IdempotencyKeys), slog.Int64("access_denials", res.AccessDenials))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
