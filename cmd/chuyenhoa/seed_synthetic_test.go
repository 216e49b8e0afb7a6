package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"chuyenhoa/store/synthetic"
)

func TestSeedSynthetic(t *testing.T) {
	wd, _ := os.Getwd()
	units, ok := synthetic.FindSharedFile(wd, "vn-units-2019.csv")
	if !ok {
		if os.Getenv("CI") == "true" {
			t.Fatal("shared/data/vn-units-2019.csv not found")
		}
		t.Skip("shared/data/vn-units-2019.csv not found")
	}
	c := newCLI(t)
	out, stderr := c.mustRun("seed", "synthetic", "--provinces", "4", "--wards", "400", "--years", "2", "--seed", "3", "--units", units)
	var res struct {
		Provinces, Wards, Campaigns, Reports, Evaluations int
		TargetAreas                                       int `json:"target_areas"`
		UnitsCreated                                      int `json:"units_created"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	if res.Provinces != 4 || res.Wards != 400 || res.Campaigns != 8 || res.TargetAreas < 8 || res.Reports == 0 || res.Reports != res.Evaluations {
		t.Errorf("result %+v", res)
	}
	for _, stage := range []string{"units", "campaigns", "target areas", "reports", "["} {
		if !strings.Contains(stderr, stage) {
			t.Errorf("progress does not show %q:\n%s", stage, stderr)
		}
	}
	// A second run reuses the units and leaves the campaigns alone.
	out, _ = c.mustRun("seed", "synthetic", "--provinces", "4", "--wards", "400", "--years", "2", "--seed", "3", "--units", units)
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.UnitsCreated != 0 || res.Campaigns != 0 {
		t.Errorf("second run created %d units and %d campaigns", res.UnitsCreated, res.Campaigns)
	}
	if _, _, err := c.run("seed", "synthetic", "--wards", "0"); err == nil {
		t.Error("--wards 0 accepted")
	}
}
