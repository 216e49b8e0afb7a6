package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"chuyenhoa/cmd/chuyenhoa/config"
	"chuyenhoa/store"
	"chuyenhoa/store/synthetic"
)

// seedSynthetic builds the synthetic national data set (issue 6): the real
// national unit list cut or grown to --provinces and --wards, a campaign
// per province and year, about 5% of wards a year as target areas, and
// reports with plausible values and their evaluations.
func seedSynthetic(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed synthetic", flag.ContinueOnError)
	fs.SetOutput(stderr)
	provinces := fs.Int("provinces", 63, "number of provinces (tenants)")
	wards := fs.Int("wards", 10600, "number of wards and communes")
	years := fs.Int("years", 5, "number of campaign years, ending with --last-year")
	lastYear := fs.Int("last-year", 0, "latest campaign year (default: this year)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same data set")
	share := fs.Int("target-share", 50, "wards made target areas each year, per mille (50 = 5%)")
	unitsFile := fs.String("units", "", "another national unit list CSV (code,name,kind,parent_code,unit_type); default: the official 2019 list embedded in the binary")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("seed synthetic: unexpected argument %q", fs.Arg(0))
	}
	path := *unitsFile
	opts := synthetic.Options{Provinces: *provinces, Wards: *wards, Years: *years, LastYear: *lastYear, Seed: *seed, TargetShare: *share}
	if path == "" {
		opts.Units = synthetic.NationalUnits()
		fmt.Fprintf(stderr, "%d units in the official 2019 national list\n", len(opts.Units))
	} else {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		opts.Units, err = synthetic.ParseUnits(f)
		f.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%d units in the national list %s\n", len(opts.Units), path)
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
	start := time.Now()
	stage, shown := "", -1
	bar := progressBar(stderr)
	opts.Progress = func(s string, done, total int) {
		if s != stage {
			stage, shown = s, -1
			fmt.Fprintf(stderr, "%s\n", s)
		}
		// Redraw when the bar moves a percent, not on every row.
		if pct := 100 * done / max(total, 1); pct != shown {
			shown = pct
			bar(done, total)
		}
	}
	res, err := synthetic.Generate(ctx, db, opts)
	if err != nil {
		return err
	}
	out, _ := json.Marshal(struct {
		Provinces    int     `json:"provinces"`
		Districts    int     `json:"districts"`
		Wards        int     `json:"wards"`
		UnitsCreated int     `json:"units_created"`
		Campaigns    int     `json:"campaigns"`
		TargetAreas  int     `json:"target_areas"`
		Reports      int     `json:"reports"`
		Evaluations  int     `json:"evaluations"`
		Seconds      float64 `json:"seconds"`
	}{res.Provinces, res.Districts, res.Wards, res.UnitsCreated, res.Campaigns, res.TargetAreas, res.Reports, res.Evaluations, time.Since(start).Seconds()})
	fmt.Fprintf(stdout, "%s\n", out)
	return nil
}
