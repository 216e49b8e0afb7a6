package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"chuyenhoa/cmd/chuyenhoa/config"
	"chuyenhoa/domain"
	"chuyenhoa/store"
	"chuyenhoa/tenants"
)

const unitsUsage = "usage: chuyenhoa units import FILE | chuyenhoa units import --official 2025|2019 [--province CODE[,CODE…]]"

func unitsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 1 || args[0] != "import" {
		return errors.New(unitsUsage)
	}
	fs := flag.NewFlagSet("units import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	list := fs.String("official", "", "import from the official list embedded in the binary: 2025 (two tiers, since 01/07/2025) or 2019 (three tiers)")
	provinces := fs.String("province", "", "with --official: the codes of the provinces to import, comma-separated (default: every province of the list)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch {
	case *list == "" && fs.NArg() != 1, *list != "" && fs.NArg() != 0, *list == "" && *provinces != "":
		return errors.New(unitsUsage)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := store.Migrate(ctx, db); err != nil {
		return err
	}
	// The operator's CLI acts with the platform scope: it runs on the server.
	ctx = tenants.NewContextWithScope(ctx, tenants.Scope{All: true})
	units := &tenants.Units{DB: db}
	start := time.Now()
	var res *tenants.ImportResult
	if *list != "" {
		var codes []string
		for _, c := range strings.Split(*provinces, ",") {
			if c = strings.TrimSpace(c); c != "" {
				codes = append(codes, c)
			}
		}
		fmt.Fprintf(stderr, "official list %s, provinces: %s\n", *list, orAll(codes))
		res, err = units.ImportOfficial(ctx, *list, codes, progressBar(stderr))
	} else {
		res, err = importFile(ctx, units, fs.Arg(0), stderr)
	}
	if err != nil {
		printImportErrors(stderr, err)
		return err
	}
	out, _ := json.Marshal(res)
	fmt.Fprintf(stdout, "%s\n", out)
	fmt.Fprintf(stderr, "imported %d units in %s\n", res.Created, time.Since(start).Round(time.Millisecond))
	return nil
}

func orAll(codes []string) string {
	if len(codes) == 0 {
		return "all"
	}
	return strings.Join(codes, ", ")
}

// importFile imports a units CSV the operator prepared.
func importFile(ctx context.Context, units *tenants.Units, path string, stderr io.Writer) (*tenants.ImportResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, bad, err := tenants.ParseCSV(f)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "%d rows read from %s\n", len(rows), path)
	return units.Import(ctx, rows, bad, progressBar(stderr))
}

// printImportErrors lists every bad line or field of a refused import.
func printImportErrors(w io.Writer, err error) {
	var de *domain.Error
	if !errors.As(err, &de) {
		return
	}
	if lines, ok := de.Detail.([]tenants.ImportError); ok {
		for _, l := range lines {
			fmt.Fprintf(w, "line %d: %s: %s\n", l.Line, l.Field, l.Message)
		}
		return
	}
	for k, v := range de.Fields {
		fmt.Fprintf(w, "%s: %s\n", k, v)
	}
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
