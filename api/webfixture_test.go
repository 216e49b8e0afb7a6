package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/tenants"
)

// uiFixture is the real server over a real database with the demo's
// units and one user per role, for the page tests and the browser tests.
type uiFixture struct {
	db    *bun.DB
	srv   *api.Server
	ts    *httptest.Server
	ids   *identity.Service
	enf   *authz.Enforcer
	root  context.Context
	units map[string]*tenants.Unit
	users map[string]*identity.User
	now   time.Time
	html  *htmlChecker
}

// webPassword is every fixture user's password.
func webPassword(username string) string { return "mật-khẩu-" + username + "-2024" }

func mustUIFixture(t testing.TB, db *bun.DB) *uiFixture {
	t.Helper()
	ctx := tenants.NewContextWithScope(context.Background(), tenants.Scope{All: true})
	enf, err := authz.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	f := &uiFixture{db: db, enf: enf, root: ctx, units: map[string]*tenants.Unit{}, users: map[string]*identity.User{},
		now: time.Date(2024, time.April, 8, 9, 0, 0, 0, time.UTC)}
	f.ids = &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(identity.Params{MemoryKiB: 64, Time: 1, Threads: 1}, 0)}
	units := &tenants.Units{DB: db}
	mk := func(key string, in tenants.NewUnit) *tenants.Unit {
		u, err := units.CreateUnit(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		f.units[key] = u
		return u
	}
	p := mk("province", tenants.NewUnit{Code: "24", Name: "Tỉnh Bắc Giang", Kind: "province", UnitType: "Tỉnh"})
	d := mk("district", tenants.NewUnit{Code: "222", Name: "Thị xã Việt Yên", Kind: "district", ParentID: &p.ID, UnitType: "Thị xã"})
	mk("nenh", tenants.NewUnit{Code: "07795", Name: "Phường Nếnh", Kind: "ward", ParentID: &d.ID, UnitType: "Phường"})
	mk("quangchau", tenants.NewUnit{Code: "07798", Name: "Xã Quang Châu", Kind: "ward", ParentID: &d.ID, UnitType: "Xã"})
	for _, u := range []struct {
		name, unit, role string
	}{
		{"admin", "", identity.RoleAdmin},
		{"tinh", "province", identity.RoleProvince},
		{"huyen", "district", identity.RoleDistrict},
		{"nenh", "nenh", identity.RoleWard},
		{"quangchau", "quangchau", identity.RoleWard},
		{"congan.nenh", "nenh", identity.RolePolice},
		{"congan.huyen", "district", identity.RolePolice},
	} {
		in := identity.NewUser{Username: u.name, FullName: "Cán bộ " + u.name, Roles: []string{u.role}, Password: webPassword(u.name)}
		if u.unit != "" {
			in.UnitID = &f.units[u.unit].ID
		}
		nu, err := f.ids.CreateUser(ctx, in)
		if err != nil {
			t.Fatalf("user %s: %v", u.name, err)
		}
		f.users[u.name] = nu
	}
	f.srv = api.New(api.Options{
		DB:         db,
		Logger:     slog.New(slog.NewTextHandler(testLogOutput(t), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Authorizer: &api.TokenAuthorizer{Identity: f.ids, Enforcer: enf},
		Identity:   f.ids,
		Enforcer:   enf,
		Version:    "test",
		DataDir:    t.TempDir(),
		Now:        func() time.Time { return f.now },
	})
	// Every HTML page served is checked (htmlcheck_test.go); the problems
	// fail the test once the server is closed, after the last request.
	f.html = newHTMLChecker(f.srv.Echo)
	t.Cleanup(func() { f.html.verify(t) })
	f.ts = httptest.NewServer(newAPIChecker(t, f.srv, f.html))
	t.Cleanup(f.ts.Close)
	return f
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so tests see each answer.
type browser struct {
	t      testing.TB
	f      *uiFixture
	client *http.Client
}

func (f *uiFixture) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, f: f, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// webPage is one answer as a browser sees it.
type webPage struct {
	Status   int
	Location string
	Body     string
	Header   http.Header
}

func (b *browser) do(method, path string, form url.Values) webPage {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.f.ts.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return webPage{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(raw), Header: res.Header}
}

func (b *browser) get(path string) webPage { b.t.Helper(); return b.do(http.MethodGet, path, nil) }

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the CSRF token of a page's form.
func (b *browser) csrf(p webPage) string {
	b.t.Helper()
	m := csrfRE.FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("no CSRF field in page:\n%s", p.Body)
	}
	return m[1]
}

// submit posts form to path with the CSRF token of the page at from.
func (b *browser) submit(from, path string, form url.Values) webPage {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", b.csrf(b.get(from)))
	return b.do(http.MethodPost, path, form)
}

// login signs in as username and fails the test otherwise.
func (b *browser) login(username string) {
	b.t.Helper()
	p := b.submit("/login", "/login", url.Values{"username": {username}, "password": {webPassword(username)}})
	if p.Status != http.StatusSeeOther || p.Location != "/" {
		b.t.Fatalf("login %s = %d → %q\n%s", username, p.Status, p.Location, p.Body)
	}
}

// mustContain fails unless the page holds every string.
func mustContain(t testing.TB, p webPage, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.Body, w) {
			t.Errorf("page (status %d) lacks %q", p.Status, w)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", p.Body)
	}
}

type bunDB = bun.DB
