package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"chuyenhoa/cmd/chuyenhoa/config"
	"chuyenhoa/domain"
	"chuyenhoa/store"
	"chuyenhoa/tenants"
)

func unitsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 2 || args[0] != "import" {
		return fmt.Errorf("usage: chuyenhoa units import FILE")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := store.Migrate(ctx, db); err != nil {
		return err
	}
	rows, bad, err := tenants.ParseCSV(f)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d rows read from %s\n", len(rows), args[1])
	// The operator's CLI acts with the platform scope: it runs on the server.
	ctx = tenants.NewContextWithScope(ctx, tenants.Scope{All: true})
	start := time.Now()
	units := &tenants.Units{DB: db}
	res, err := units.Import(ctx, rows, bad, progressBar(stderr))
	if err != nil {
		var de *domain.Error
		if e, ok := err.(*domain.Error); ok {
			de = e
		}
		if de != nil {
			if lines, ok := de.Detail.([]tenants.ImportError); ok {
				for _, l := range lines {
					fmt.Fprintf(stderr, "line %d: %s: %s\n", l.Line, l.Field, l.Message)
				}
			}
		}
		return err
	}
	out, _ := json.Marshal(res)
	fmt.Fprintf(stdout, "%s\n", out)
	fmt.Fprintf(stderr, "imported %d units in %s\n", res.Created, time.Since(start).Round(time.Millisecond))
	return nil
}

// progressBar draws a one-line bar that redraws in place.
func progressBar(w io.Writer) func(done, total int) {
	return func(done, total int) {
		const width = 40
		n := width * done / max(total, 1)
		bar := make([]byte, width)
		for i := range bar {
			bar[i] = ' '
			if i < n {
				bar[i] = '#'
			}
		}
		fmt.Fprintf(w, "\r[%s] %d/%d", bar, done, total)
		if done >= total {
			fmt.Fprintln(w)
		}
	}
}
