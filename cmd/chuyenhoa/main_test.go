package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cli runs the binary's run function against one SQLite file.
type cli struct {
	t   *testing.T
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	dir := t.TempDir()
	return &cli{t: t, env: map[string]string{
		"CHUYENHOA_DATABASE_URL": "sqlite://" + filepath.Join(dir, "x.db"),
		"CHUYENHOA_DATA_DIR":     filepath.Join(dir, "data"),
	}}
}

// run runs the command line and returns its standard output and error.
func (c *cli) run(args ...string) (stdout, stderr string, err error) {
	c.t.Helper()
	var out, errw bytes.Buffer
	err = run(context.Background(), args, func(k string) string { return c.env[k] }, strings.NewReader(""), &out, &errw)
	return out.String(), errw.String(), err
}

// mustRun runs the command line and fails the test on error.
func (c *cli) mustRun(args ...string) (stdout, stderr string) {
	c.t.Helper()
	stdout, stderr, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("chuyenhoa %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout, stderr
}

var statusLine = regexp.MustCompile(`(?m)^(\d+) applied, (\d+) pending$`)

// status returns the applied and pending counts of migrate status.
func (c *cli) status() (applied, pending string, out string) {
	c.t.Helper()
	out, _ = c.mustRun("migrate", "status")
	m := statusLine.FindStringSubmatch(out)
	if m == nil {
		c.t.Fatalf("migrate status printed no summary:\n%s", out)
	}
	return m[1], m[2], out
}

func TestMigrateAndImport(t *testing.T) {
	c := newCLI(t)

	t.Run("status before migrating lists pending", func(t *testing.T) {
		applied, pending, out := c.status()
		if applied != "0" || pending == "0" {
			t.Errorf("status = %s applied, %s pending, want 0 applied and some pending:\n%s", applied, pending, out)
		}
		if !strings.Contains(out, "pending  20261126000001_units") {
			t.Errorf("status does not list the units migration as pending:\n%s", out)
		}
	})

	t.Run("migrate up", func(t *testing.T) {
		out, _ := c.mustRun("migrate", "up")
		if !strings.HasPrefix(out, "migrated to ") {
			t.Errorf("migrate up printed %q", out)
		}
		out, _ = c.mustRun("migrate", "up")
		if got, want := out, "nothing to migrate\n"; got != want {
			t.Errorf("second migrate up printed %q, want %q", got, want)
		}
	})

	t.Run("status after migrating lists applied", func(t *testing.T) {
		applied, pending, out := c.status()
		if applied == "0" || pending != "0" {
			t.Errorf("status = %s applied, %s pending, want all applied:\n%s", applied, pending, out)
		}
		if !strings.Contains(out, "applied  20261126000001_units") {
			t.Errorf("status does not list the units migration as applied:\n%s", out)
		}
	})

	t.Run("units import", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "units.csv")
		csv := "code,name,kind,parent_code,unit_type\n" +
			"07795,Phường Nếnh,ward,222,Phường\n" +
			"222,Thị xã Việt Yên,district,24,Thị xã\n" +
			"24,Tỉnh Bắc Giang,province,,Tỉnh\n" +
			"01,Thành phố Hà Nội,province,,Thành phố\n" +
			"00004,Phường Ba Đình,ward,01,Phường\n"
		if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
			t.Fatal(err)
		}
		out, errOut := c.mustRun("units", "import", file)
		if got, want := strings.TrimSpace(out), `{"created":5,"by_kind":{"district":1,"province":2,"ward":2}}`; got != want {
			t.Errorf("stdout = %s, want %s", got, want)
		}
		for _, want := range []string{"5 rows read", "5/5", "imported 5 units"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr does not show %q:\n%s", want, errOut)
			}
		}

		t.Run("again names every duplicate line and imports nothing", func(t *testing.T) {
			_, errOut, err := c.run("units", "import", file)
			if err == nil {
				t.Fatal("importing the same file twice succeeded")
			}
			for line := 2; line <= 6; line++ {
				if want := "line " + string(rune('0'+line)) + ": code:"; !strings.Contains(errOut, want) {
					t.Errorf("stderr does not name %q:\n%s", want, errOut)
				}
			}
		})

		t.Run("missing file", func(t *testing.T) {
			if _, _, err := c.run("units", "import", filepath.Join(t.TempDir(), "absent.csv")); err == nil {
				t.Error("importing a missing file succeeded")
			}
		})
	})

	t.Run("migrate down", func(t *testing.T) {
		out, _ := c.mustRun("migrate", "down")
		if !strings.HasPrefix(out, "rolled back ") {
			t.Errorf("migrate down printed %q", out)
		}
		applied, pending, out := c.status()
		if applied != "0" || pending == "0" {
			t.Errorf("status after down = %s applied, %s pending:\n%s", applied, pending, out)
		}
		out, _ = c.mustRun("migrate", "down")
		if got, want := out, "nothing to roll back\n"; got != want {
			t.Errorf("second migrate down printed %q, want %q", got, want)
		}
	})
}

// TestUnitsImportOfficial onboards provinces from the lists embedded in the
// binary: no file to prepare.
func TestUnitsImportOfficial(t *testing.T) {
	c := newCLI(t)
	out, errOut := c.mustRun("units", "import", "--official", "2025", "--province", "24")
	if got, want := strings.TrimSpace(out), `{"created":100,"by_kind":{"province":1,"ward":99}}`; got != want {
		t.Errorf("2025 Bắc Ninh: stdout = %s, want %s", got, want)
	}
	if !strings.Contains(errOut, "100/100") || !strings.Contains(errOut, "imported 100 units") {
		t.Errorf("stderr shows no progress:\n%s", errOut)
	}
	// The 2019 list holds another province 24 (Bắc Giang): one database
	// holds both lists only with dated units, so the code is refused.
	_, errOut, err := c.run("units", "import", "--official", "2019", "--province", "24")
	if err == nil || !strings.Contains(errOut, "province: Mã 24 đã được dùng") {
		t.Errorf("2019 province 24 over the 2025 one: err %v, stderr:\n%s", err, errOut)
	}
	out, _ = c.mustRun("units", "import", "--official", "2019", "--province", "02, 04")
	if got, want := strings.TrimSpace(out), `{"created":`; !strings.HasPrefix(got, want) || !strings.Contains(got, `"province":2`) {
		t.Errorf("2019 Hà Giang and Cao Bằng: stdout = %s", got)
	}
	_, errOut, err = c.run("units", "import", "--official", "2019", "--province", "999")
	if err == nil || !strings.Contains(errOut, `province: Danh mục 2019 không có tỉnh, thành phố mã "999"`) {
		t.Errorf("unknown province: err %v, stderr:\n%s", err, errOut)
	}
	_, errOut, err = c.run("units", "import", "--official", "2010")
	if err == nil || !strings.Contains(errOut, "official: Không có danh mục") {
		t.Errorf("unknown list: err %v, stderr:\n%s", err, errOut)
	}
}

func TestUsage(t *testing.T) {
	c := newCLI(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no command", nil},
		{"unknown command", []string{"frobnicate"}},
		{"migrate without verb", []string{"migrate"}},
		{"migrate bad verb", []string{"migrate", "sideways"}},
		{"units without file", []string{"units", "import"}},
		{"units with a file and a list", []string{"units", "import", "--official", "2025", "x.csv"}},
		{"units --province without a list", []string{"units", "import", "--province", "24", "x.csv"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := c.run(tc.args...); err == nil {
				t.Errorf("chuyenhoa %v succeeded", tc.args)
			}
		})
	}
	t.Run("bad configuration names the variable", func(t *testing.T) {
		c.env["CHUYENHOA_LOG_LEVEL"] = "loud"
		defer delete(c.env, "CHUYENHOA_LOG_LEVEL")
		_, _, err := c.run("migrate", "status")
		if err == nil || !strings.Contains(err.Error(), "CHUYENHOA_LOG_LEVEL") {
			t.Errorf("err = %v, want one naming CHUYENHOA_LOG_LEVEL", err)
		}
	})
	t.Run("version", func(t *testing.T) {
		out, _ := c.mustRun("version")
		if !strings.HasPrefix(out, "chuyenhoa ") {
			t.Errorf("version printed %q", out)
		}
	})
}
