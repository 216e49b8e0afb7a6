package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store/storetest"
	"chuyenhoa/store/synthetic"
	"chuyenhoa/tenants"
)

// largeProvince is a 230-ward province (the size of a large one) whose
// every ward is a target area with a Q1 report, and a signed-in province
// user's session cookie.
type largeProvince struct {
	srv      *api.Server
	cookie   string
	campaign int64
}

var benchNow = time.Date(2024, time.April, 20, 3, 0, 0, 0, time.UTC)

func mustLargeProvince(tb testing.TB) *largeProvince {
	tb.Helper()
	ctx := context.Background()
	db := storetest.MustSQLite(tb)
	syn, err := synthetic.Generate(ctx, db, synthetic.Options{Provinces: 1, Wards: 230, Years: 1, LastYear: 2024, Seed: 7, TargetShare: 1000, Now: benchNow})
	if err != nil {
		tb.Fatal(err)
	}
	if syn.TargetAreas < 200 {
		tb.Fatalf("only %d target areas", syn.TargetAreas)
	}
	lp := &largeProvince{campaign: syn.CampaignIDs[len(syn.CampaignIDs)-1]}
	enf, err := authz.New(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	ids := &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(identity.Params{MemoryKiB: 64, Time: 1, Threads: 1}, 0)}
	var pid int64
	if err := db.NewSelect().Table("campaigns").Column("province_id").Where("id = ?", lp.campaign).Scan(ctx, &pid); err != nil {
		tb.Fatal(err)
	}
	root := tenants.NewContextWithScope(ctx, tenants.Scope{All: true})
	if _, err := ids.CreateUser(root, identity.NewUser{Username: "tinh.lon", FullName: "Cán bộ tỉnh", UnitID: &pid, Roles: []string{identity.RoleProvince}, Password: webPassword("tinh.lon")}); err != nil {
		tb.Fatal(err)
	}
	lp.srv = api.New(api.Options{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids, Enforcer: enf,
		Authorizer: &api.TokenAuthorizer{Identity: ids, Enforcer: enf}, Now: func() time.Time { return benchNow }})
	ts := httptest.NewServer(lp.srv.Echo)
	defer ts.Close()
	b := (&uiFixture{ts: ts}).browser(tb)
	p := b.submit("/login", "/login", url.Values{"username": {"tinh.lon"}, "password": {webPassword("tinh.lon")}})
	if p.Status != http.StatusSeeOther {
		tb.Fatalf("login = %d", p.Status)
	}
	u, _ := url.Parse(ts.URL)
	var parts []string
	for _, ck := range b.client.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	lp.cookie = strings.Join(parts, "; ")
	return lp
}

// get renders a page in-process, as the server does for a request, and
// returns the recorder.
func (lp *largeProvince) get(path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Cookie", lp.cookie)
	req.Header.Set("Accept", "text/html")
	rec := httptest.NewRecorder()
	lp.srv.Echo.ServeHTTP(rec, req)
	return rec
}

func TestComparePageOfALargeProvince(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 230-ward province")
	}
	lp := mustLargeProvince(t)
	rec := lp.get("/compare?period=Q1")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d\n%s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	if n := strings.Count(body, `<tr id="row-`); n != comparePageRows {
		t.Errorf("rows = %d, want %d", n, comparePageRows)
	}
	if n := len(body); n > 100_000 {
		t.Errorf("page = %d bytes, want under 100 KB", n)
	}
	if !strings.Contains(body, `rel="next"`) {
		t.Error("no link to the next page of rows")
	}
	t.Logf("comparison page: %d bytes", len(body))
}

// comparePageRows is the size of one page of the comparison table.
const comparePageRows = 100

// BenchmarkComparePage measures the server-side time of GET /compare for
// a 230-ward province: session and user lookup, the comparison read from
// the view cache, filters, sort, summary, charts and the template.
func BenchmarkComparePage(b *testing.B) {
	lp := mustLargeProvince(b)
	for _, c := range []struct{ name, path string }{
		{"rank", "/compare?period=Q1"},
		{"sorted_by_unit_desc", "/compare?period=Q1&sort=unit&desc=true"},
		{"filtered_c5_not_met", "/compare?period=Q1&criterion_not_met=5"},
	} {
		b.Run(c.name, func(b *testing.B) {
			if rec := lp.get(c.path); rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if rec := lp.get(c.path); rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
