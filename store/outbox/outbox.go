// Package outbox is the durable half of every write: a service emits its
// domain events into the job queue (River, in the same database) inside the
// write's own transaction, so an event exists exactly when the write
// committed. Workers on any instance then deliver each event to the
// consumers, retrying until they accept it — the first consumer bumps the
// cache version, so a view older than an acknowledged write is not served
// for long once Redis answers, even if the writing instance died.
//
// River serves both databases: riverdatabasesql on PostgreSQL (through the
// pgx stdlib pool bun already uses) and riversqlite on the embedded SQLite.
// Neither driver listens for notifications, so clients poll (PollOnly).
package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"chuyenhoa/domain"
)

// EventArgs is the job that carries one domain event.
type EventArgs struct {
	domain.Event
}

// Kind implements river.JobArgs.
func (EventArgs) Kind() string { return "domain_event" }

// Consumer acts on delivered events. It must be idempotent: an event is
// delivered at least once (again after a failure or a crash mid-delivery).
type Consumer interface {
	Consume(ctx context.Context, ev domain.Event) error
}

// ConsumerFunc adapts a function to Consumer.
type ConsumerFunc func(ctx context.Context, ev domain.Event) error

// Consume implements Consumer.
func (f ConsumerFunc) Consume(ctx context.Context, ev domain.Event) error { return f(ctx, ev) }

// ErrRetrySoon says a consumer's dependency is unreachable: the event is
// tried again after RetrySoon without counting an attempt, so an outage of
// any length loses nothing and delivery resumes within a second or two of
// the dependency answering again.
var ErrRetrySoon = errors.New("outbox: dependency unreachable, retry soon")

// RetrySoon is the delay after ErrRetrySoon. It is under River's scheduler
// interval (5 s), so the job stays available to every instance's poll and
// does not wait for the leader to schedule it.
const RetrySoon = time.Second

// Options configure an Outbox.
type Options struct {
	Logger *slog.Logger
	// Consumers receive every delivered event, in order.
	Consumers []Consumer
	// PollInterval is how often each instance looks for events to
	// deliver; 500 ms when zero.
	PollInterval time.Duration
	// Workers bounds concurrent deliveries per instance; 4 when zero.
	Workers int
}

// Outbox emits events in transactions and, once started, delivers them.
type Outbox struct {
	db        *bun.DB
	client    *river.Client[*sql.Tx]
	consumers []Consumer
	log       *slog.Logger
}

// driver returns the River driver for db's dialect.
func driver(db *bun.DB) riverdriver.Driver[*sql.Tx] {
	if db.Dialect().Name() == dialect.PG {
		return riverdatabasesql.New(db.DB)
	}
	return riversqlite.New(db.DB)
}

// Migrate creates or updates River's tables (river_job and its
// companions) in db; store.Migrate runs it after the schema's own
// migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	m, err := rivermigrate.New(driver(db), nil)
	if err != nil {
		return fmt.Errorf("outbox: migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("outbox: migrate job queue: %w", err)
	}
	return nil
}

// retryPolicy retries a failed delivery quickly and then every few
// seconds: the consumers are cheap and their failures are outages, which
// the next attempt should notice ending.
type retryPolicy struct{}

func (retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	d := time.Duration(job.Attempt) * 500 * time.Millisecond
	if d > 4*time.Second {
		d = 4 * time.Second
	}
	return time.Now().Add(d)
}

// New returns an outbox over db. It emits at once; it delivers only after
// Start.
func New(db *bun.DB, opts Options) (*Outbox, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 500 * time.Millisecond
	}
	if opts.Workers == 0 {
		opts.Workers = 4
	}
	o := &Outbox{db: db, consumers: opts.Consumers, log: opts.Logger}
	workers := river.NewWorkers()
	river.AddWorker(workers, &eventWorker{o: o})
	client, err := river.NewClient(driver(db), &river.Config{
		Logger:            opts.Logger.With(slog.String("component", "outbox")),
		PollOnly:          true,
		FetchPollInterval: opts.PollInterval,
		FetchCooldown:     opts.PollInterval / 5,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Workers}},
		Workers:           workers,
		RetryPolicy:       retryPolicy{},
		// A delivery is a Redis call or two; one that hangs this long is
		// cut, and one orphaned by a dead instance is taken back soon.
		JobTimeout:           10 * time.Second,
		RescueStuckJobsAfter: 30 * time.Second,
		MaxAttempts:          1000,
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	o.client = client
	return o, nil
}

// Emit inserts events into the job queue inside tx, the transaction of the
// write they describe: they exist if and only if it commits. A nil Outbox
// emits nothing (tests and tools that run services without delivery).
func (o *Outbox) Emit(ctx context.Context, tx bun.IDB, events ...domain.Event) error {
	if o == nil || len(events) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(events))
	for i, ev := range events {
		params[i] = river.InsertManyParams{Args: EventArgs{Event: ev}}
	}
	var err error
	switch t := tx.(type) {
	case bun.Tx:
		_, err = o.client.InsertManyTx(ctx, t.Tx, params)
	case *bun.Tx:
		_, err = o.client.InsertManyTx(ctx, t.Tx, params)
	default:
		// Not a transaction: the write has committed already.
		_, err = o.client.InsertMany(ctx, params)
	}
	if err != nil {
		return fmt.Errorf("outbox: emit %s: %w", events[0].Type, err)
	}
	return nil
}

// Start delivers events until Stop.
func (o *Outbox) Start(ctx context.Context) error {
	if o == nil {
		return nil
	}
	return o.client.Start(ctx)
}

// Stop finishes the deliveries under way and stops.
func (o *Outbox) Stop(ctx context.Context) error {
	if o == nil {
		return nil
	}
	return o.client.Stop(ctx)
}

type eventWorker struct {
	river.WorkerDefaults[EventArgs]
	o *Outbox
}

func (w *eventWorker) Work(ctx context.Context, job *river.Job[EventArgs]) error {
	for _, c := range w.o.consumers {
		if err := c.Consume(ctx, job.Args.Event); err != nil {
			if errors.Is(err, ErrRetrySoon) {
				return river.JobSnooze(RetrySoon)
			}
			return err
		}
	}
	return nil
}

// Counts are the events not yet delivered.
type Counts struct {
	// Pending are waiting for a first or another delivery attempt.
	Pending int64
	// Failed were given up on (discarded after MaxAttempts).
	Failed int64
}

// Count returns the undelivered events, for the metrics.
func Count(ctx context.Context, db bun.IDB) (Counts, error) {
	var c Counts
	err := db.NewRaw(`SELECT
		COALESCE(SUM(CASE WHEN state IN ('available','scheduled','retryable','running','pending') THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = 'discarded' THEN 1 ELSE 0 END), 0)
		FROM river_job WHERE kind = ?`, EventArgs{}.Kind()).Scan(ctx, &c.Pending, &c.Failed)
	return c, err
}

// FindEvents returns the events in the queue (delivered or not, until the
// queue's cleaner removes delivered ones after a day), oldest first.
func FindEvents(ctx context.Context, db bun.IDB) ([]domain.Event, error) {
	var rows []struct {
		Args []byte `bun:"args"`
	}
	// riversqlite keeps args as JSONB; json() turns them back into text.
	col := "args"
	if db.Dialect().Name() == dialect.SQLite {
		col = "json(args) AS args"
	}
	if err := db.NewRaw("SELECT "+col+" FROM river_job WHERE kind = ? ORDER BY id", EventArgs{}.Kind()).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]domain.Event, 0, len(rows))
	for _, r := range rows {
		var a EventArgs
		if err := json.Unmarshal(r.Args, &a); err != nil {
			return nil, err
		}
		out = append(out, a.Event)
	}
	return out, nil
}
