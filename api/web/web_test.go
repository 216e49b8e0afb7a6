package web

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"chuyenhoa/domain"
)

func TestNew(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Views()) != len(views) {
		t.Errorf("views = %v", e.Views())
	}
	if !strings.HasPrefix(e.CSSPath, "/static/app.css?v=") || !strings.HasPrefix(e.JSPath, "/static/app.js?v=") {
		t.Errorf("asset paths %q %q", e.CSSPath, e.JSPath)
	}
}

var (
	tmplKeyRE = regexp.MustCompile(`\bt "([a-z0-9_.]+)"`)
	goKeyRE   = regexp.MustCompile(`(?:\.t\(c, |\.T\(lang, |\.T\([a-zA-Z.]+, )"([a-z0-9_.]+)"[,)]`)
)

// TestEveryKeyExists checks that every literal key the templates and the
// handlers ask for is in the catalogue (which itself checks that English
// has every Vietnamese key).
func TestEveryKeyExists(t *testing.T) {
	cat, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	check := func(where string, src []byte, re *regexp.Regexp) int {
		n := 0
		for _, m := range re.FindAllSubmatch(src, -1) {
			n++
			if k := string(m[1]); !cat.Has(k) {
				t.Errorf("%s: key %q is not in the catalogue", where, k)
			}
		}
		return n
	}
	n := 0
	fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(templateFS, p)
		n += check(p, b, tmplKeyRE)
		return nil
	})
	files, _ := filepath.Glob("../*.go")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n += check(f, b, goKeyRE)
	}
	if n < 100 {
		t.Errorf("found only %d key uses: is the pattern still right?", n)
	}
}

func TestCatalogueText(t *testing.T) {
	cat, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Langs {
		for k, v := range cat.msgs[lang] {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s %s is empty", lang, k)
			}
			if !norm.NFC.IsNormalString(v) {
				t.Errorf("%s %s is not in NFC: diacritics must be precomposed", lang, k)
			}
		}
	}
	if got, want := cat.T(LangVI, "home.deadline.overdue", "n", 1234), "Quá hạn 1.234 ngày"; got != want {
		t.Errorf("T = %q, want %q", got, want)
	}
	if got, want := cat.T(LangEN, "home.deadline.overdue", "n", 1234), "1,234 days overdue"; got != want {
		t.Errorf("T = %q, want %q", got, want)
	}
	if got, want := cat.T("fr", "nav.home"), "Trang chủ"; got != want {
		t.Errorf("unknown language: T = %q, want Vietnamese %q", got, want)
	}
	if got := cat.T(LangVI, "no.such.key"); got != "⟦no.such.key⟧" {
		t.Errorf("missing key = %q", got)
	}
}

func TestFormatInt(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int64
		want string
	}{
		{LangVI, 0, "0"}, {LangVI, 999, "999"}, {LangVI, 1000, "1.000"}, {LangVI, 1234567, "1.234.567"},
		{LangVI, -1234, "-1.234"}, {LangEN, 1234567, "1,234,567"}, {LangEN, -999, "-999"},
	} {
		if got := FormatInt(c.lang, c.n); got != c.want {
			t.Errorf("FormatInt(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

func TestDates(t *testing.T) {
	d := domain.Date{Year: 2024, Month: 3, Day: 5}
	if got, want := FormatDate(d), "05/03/2024"; got != want {
		t.Errorf("FormatDate = %q, want %q", got, want)
	}
	if got := FormatDate(domain.Date{}); got != "—" {
		t.Errorf("zero date = %q", got)
	}
	for _, c := range []struct {
		today, due domain.Date
		want       int
	}{
		{d, d, 0}, {d, d.AddDays(3), 3}, {d.AddDays(2), d, -2},
		// Across the end of February in a leap year.
		{domain.Date{Year: 2024, Month: 2, Day: 28}, domain.Date{Year: 2024, Month: 3, Day: 1}, 2},
	} {
		if got := DaysBetween(c.today, c.due); got != c.want {
			t.Errorf("DaysBetween(%v, %v) = %d, want %d", c.today, c.due, got, c.want)
		}
	}
}

func TestRenderKeepsPagesSmall(t *testing.T) {
	e := MustNew()
	var buf bytes.Buffer
	p := Page{Lang: LangVI, CSSPath: e.CSSPath, JSPath: e.JSPath}
	if err := e.Render(&buf, LangVI, "login", struct {
		Page
		Next, Username, Error string
	}{Page: p}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "⟦") {
		t.Errorf("untranslated key in %s", buf.String())
	}
	css, _, _ := e.Asset("app.css")
	if n := buf.Len() + len(css); n > 100_000 {
		t.Errorf("sign-in page with its stylesheet = %d bytes", n)
	}
}
