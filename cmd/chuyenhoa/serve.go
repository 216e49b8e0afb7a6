package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
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
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.MigrateOnStart {
		mctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		group, err := store.Migrate(mctx, db)
		cancel()
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if !group.IsZero() {
			log.Info("migrated", slog.String("group", group.String()))
		}
	}
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
		checks = append(checks, api.Check{Name: "redis", Ping: rdb.Ping})
	}
	enf, err := authz.New(ctx, db)
	if err != nil {
		return err
	}
	ids := &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(identity.DefaultParams, 0), Versions: views}
	srv := api.New(api.Options{
		DB: db, Logger: log, Authorizer: &api.TokenAuthorizer{Identity: ids, Enforcer: enf}, Identity: ids, Enforcer: enf, Checks: checks,
		BodyLimit: cfg.BodyLimit, RequestTimeout: cfg.RequestTimeout, Version: version, TLS: cfg.TLS(),
		DataDir: cfg.DataDir, Views: views,
	})
	// Expired sessions, keys and attempts are deleted in the background;
	// the loop ends with ctx (SIGTERM).
	go (&cleanup.Cleaner{DB: db, Log: log, Interval: cfg.CleanupInterval}).Loop(ctx)
	hs := &http.Server{Addr: cfg.Addr, Handler: srv.Echo, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() {
		log.Info("listening", slog.String("addr", cfg.Addr), slog.String("version", version))
		errc <- hs.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
