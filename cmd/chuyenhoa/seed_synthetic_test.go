package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chuyenhoa/tenants/official"
)

func TestSeedSynthetic(t *testing.T) {
	c := newCLI(t)
	// No --units: the official 2019 list embedded in the binary.
	out, stderr := c.mustRun("seed", "synthetic", "--provinces", "4", "--wards", "400", "--years", "2", "--seed", "3")
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
	for _, stage := range []string{"11936 units in the official 2019 national list", "units", "campaigns", "target areas", "reports", "["} {
		if !strings.Contains(stderr, stage) {
			t.Errorf("progress does not show %q:\n%s", stage, stderr)
		}
	}
	// A second run, from the same list given as a file, reuses the units
	// and leaves the campaigns alone.
	list, err := official.CSV(official.List2019)
	if err != nil {
		t.Fatal(err)
	}
	units := filepath.Join(t.TempDir(), "units.csv")
	if err := os.WriteFile(units, list, 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr = c.mustRun("seed", "synthetic", "--provinces", "4", "--wards", "400", "--years", "2", "--seed", "3", "--units", units)
	if !strings.Contains(stderr, "11936 units in the national list "+units) {
		t.Errorf("--units not read:\n%s", stderr)
	}
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
