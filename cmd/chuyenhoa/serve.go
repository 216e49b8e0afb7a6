package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/cmd/chuyenhoa/config"
	"chuyenhoa/store"
	"chuyenhoa/store/cache"
	"chuyenhoa/store/cleanup"
	"chuyenhoa/store/outbox"
)

func openDB(ctx context.Context, cfg *config.Config) (*bun.DB, error) {
	return store.Open(ctx, cfg.DatabaseDSN())
}

// redisLogger sends go-redis's own messages to the debug log.
type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

func serve(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
	// One SQLite database takes one server: a second one would serve its
	// own in-process cache, stale for the first one's writes.
	if dir, ok := cfg.SQLiteDir(); ok {
		release, err := store.LockDir(dir)
		if err != nil {
			return err
		}
		defer release()
	}
	if cfg.MigrateOnStart {
		// Migrations run on a connection of their own, without the
		// statement timeout of the serving pool: rewriting a large table
		// may take longer than any request should.
		if err := migrateOnStart(ctx, cfg, log); err != nil {
			return err
		}
	}
	db, err := store.OpenWithLimits(ctx, cfg.DatabaseDSN(), store.Limits{ConnectTimeout: cfg.DBConnectTimeout, StatementTimeout: cfg.DBStatementTimeout})
	if err != nil {
		return err
	}
	defer db.Close()
	var checks []api.Check
	views := cache.NewViews(cache.NewMemory())
	if cfg.RedisURL != "" {
		rdb, err := cache.NewRedis(cfg.RedisURL)
		if err != nil {
			return fmt.Errorf("config: CHUYENHOA_REDIS_URL: %w", err)
		}
		defer rdb.Client.Close()
		views = cache.NewViews(rdb)
		views.Log = log
		// go-redis prints every failed dial; the views log when Redis fails and recovers.
		redis.SetLogger(redisLogger{log})
		// Not Critical: without Redis the views come from the database, so
		// an outage of the cache degrades the service but leaves it ready.
		checks = append(checks, api.Check{Name: "redis", Ping: rdb.Ping})
	}
	enf, err := authz.New(ctx, db)
	if err != nil {
		return err
	}
	ids := &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(identity.DefaultParams, 0), Versions: views}
	// Every write's events wait in the job queue until a worker on any
	// instance delivers them; the cache bump is the first consumer.
	events, err := outbox.New(db, outbox.Options{Logger: log, Consumers: []outbox.Consumer{outbox.CacheBump(db, views)}})
	if err != nil {
		return err
	}
	if err := events.Start(ctx); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		events.Stop(sctx)
	}()
	srv := api.New(api.Options{
		DB: db, Logger: log, Authorizer: &api.TokenAuthorizer{Identity: ids, Enforcer: enf}, Identity: ids, Enforcer: enf, Checks: checks,
		BodyLimit: cfg.BodyLimit, FormBodyLimit: cfg.FormBodyLimit, BodyReadTimeout: min(api.DefaultBodyReadTimeout, cfg.ReadTimeout), RequestTimeout: cfg.RequestTimeout, Version: version, TLS: cfg.TLS(), TrustedProxies: cfg.TrustedProxies,
		DataDir: cfg.DataDir, Views: views, Outbox: events,
	})
	// Expired sessions, keys and attempts are deleted in the background;
	// the loop ends with ctx (SIGTERM).
	go (&cleanup.Cleaner{DB: db, Log: log, Interval: cfg.CleanupInterval}).Loop(ctx)
	hs := &http.Server{
		Addr: cfg.Addr, Handler: srv.Echo,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout, ReadTimeout: cfg.ReadTimeout,
		WriteTimeout: cfg.WriteTimeout, IdleTimeout: cfg.IdleTimeout,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() {
		log.Info("listening", slog.String("addr", cfg.Addr), slog.String("version", version))
		errc <- hs.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return shutdown(hs, srv, cfg, log, errc)
}

// shutdown stops the server without refusing anyone: /readyz reports
// draining for cfg.Drain while everything else is served as before (load
// balancers and Kubernetes endpoints need that long to stop sending), then
// the listener closes and in-flight requests get cfg.ShutdownTimeout to
// finish; any still running then are cut, and the log says how many.
func shutdown(hs *http.Server, srv *api.Server, cfg *config.Config, log *slog.Logger, errc <-chan error) error {
	log.Info("shutting down", slog.Duration("drain", cfg.Drain), slog.Duration("timeout", cfg.ShutdownTimeout))
	srv.Drain()
	select {
	case <-time.After(cfg.Drain):
	case err := <-errc:
		return err
	}
	log.Info("drained: closing the listener", slog.Int64("in_flight", srv.Metrics().InFlight()))
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		log.Warn("shutdown timeout: cutting in-flight requests", slog.Int64("in_flight", srv.Metrics().InFlight()), slog.Duration("timeout", cfg.ShutdownTimeout))
		hs.Close()
	case err != nil && !errors.Is(err, http.ErrServerClosed):
		return err
	}
	log.Info("stopped")
	return nil
}

// migrateOnStart applies pending migrations through a database handle of
// its own, closed before serving starts.
func migrateOnStart(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	mctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	group, err := store.Migrate(mctx, db)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if !group.IsZero() {
		log.Info("migrated", slog.String("group", group.String()))
	}
	return nil
}
