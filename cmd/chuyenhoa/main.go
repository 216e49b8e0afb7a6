// Command chuyenhoa is the one binary of the service: serve, migrate,
// import units and the other operator commands. It is the only place that
// wires configuration, storage, cache and HTTP together.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// version and commit are stamped at build time with -ldflags -X.
var (
	version = "dev"
	commit  = "unknown"
)

const usage = `chuyenhoa — chuyển hóa địa bàn trọng điểm, phức tạp về TTATXH

Usage:
  chuyenhoa serve                      run the HTTP server
  chuyenhoa migrate up|down|status     apply, roll back or list migrations
  chuyenhoa user create --username NAME [--unit CODE] --role ROLE --password-stdin
                                       create a user (the first platform admin is made this way)
  chuyenhoa seed demo                  load the demo province of the seed plan (idempotent)
  chuyenhoa seed synthetic [flags]     build a synthetic national data set for benchmarks
  chuyenhoa units import FILE          import units from a CSV (code,name,kind,parent_code[,unit_type])
  chuyenhoa bench compare [flags]      benchmark the province view of a running server (loopback only)
  chuyenhoa healthcheck [ready]        exit 0 if this host's server answers /healthz (/readyz) with 200
  chuyenhoa version                    print the version and git commit

Configuration comes from CHUYENHOA_* environment variables (see README).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "chuyenhoa:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("unknown command; run 'chuyenhoa help'")

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, getenv, stderr)
	case "migrate":
		return migrateCmd(ctx, args[1:], getenv, stdout)
	case "seed":
		return seedCmd(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		return userCmd(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "units":
		return unitsCmd(ctx, args[1:], getenv, stdout, stderr)
	case "bench":
		return benchCmd(ctx, args[1:], getenv, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args[1:], getenv, stdout)
	case "version", "--version":
		fmt.Fprintf(stdout, "chuyenhoa %s (commit %s)\n", version, commit)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return errUsage
}

func newLogger(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	lv.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lv}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
