package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/cache"
	"chuyenhoa/store/compare"
	"chuyenhoa/store/storetest"
	"chuyenhoa/store/synthetic"
	"chuyenhoa/tenants"
)

// cmpNow is mid-July: Q1 and 6T are due, Q3 is under way.
var cmpNow = time.Date(2026, time.July, 20, 3, 0, 0, 0, time.UTC)

// cmpEnv is a synthetic country behind one or more real servers with real
// sign-in: a province user, a district user, a ward user and a user of
// another province.
type cmpEnv struct {
	t        *testing.T
	db       *bun.DB
	ids      *identity.Service
	enf      *authz.Enforcer
	campaign int64
	province *tenants.Unit
	district *tenants.Unit
	tok      map[string]string
}

func mustCmpEnv(t *testing.T, db *bun.DB) *cmpEnv {
	t.Helper()
	ctx := tenants.NewContextWithScope(context.Background(), tenants.Scope{All: true})
	syn, err := synthetic.Generate(ctx, db, synthetic.Options{Provinces: 2, Wards: 200, Years: 2, Seed: 11, TargetShare: 200, Units: synthetic.NationalUnits(), Now: cmpNow})
	if err != nil {
		t.Fatal(err)
	}
	e := &cmpEnv{t: t, db: db, tok: map[string]string{}, campaign: syn.CampaignIDs[len(syn.CampaignIDs)-1]}
	e.enf, err = authz.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	e.ids = &identity.Service{DB: db, Grants: e.enf, Hasher: identity.NewHasher(identity.Params{MemoryKiB: 64, Time: 1, Threads: 1}, 0)}
	var pid, did, wid, other int64
	if err := db.NewSelect().Table("campaigns").Column("province_id").Where("id = ?", e.campaign).Scan(ctx, &pid); err != nil {
		t.Fatal(err)
	}
	if err := db.NewSelect().TableExpr("target_areas AS ta").Join("JOIN units AS u ON u.id = ta.unit_id").ColumnExpr("u.parent_id, u.id").
		Where("ta.campaign_id = ?", e.campaign).OrderExpr("ta.id").Limit(1).Scan(ctx, &did, &wid); err != nil {
		t.Fatal(err)
	}
	if err := db.NewSelect().Table("units").Column("id").Where("kind = 'province' AND id <> ?", pid).Limit(1).Scan(ctx, &other); err != nil {
		t.Fatal(err)
	}
	find := func(id int64) *tenants.Unit {
		u, err := tenants.FindUnitByID(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.province, e.district = find(pid), find(did)
	for _, u := range []struct {
		name, role string
		unit       int64
	}{{"province", authz.RoleProvince, pid}, {"district", authz.RoleDistrict, did}, {"ward", authz.RoleWard, wid}, {"other", authz.RoleProvince, other}} {
		unit := u.unit
		in := identity.NewUser{Username: "cmp." + u.name, FullName: "Cán bộ " + u.name, UnitID: &unit, Roles: []string{u.role}, Password: "mật-khẩu-dài-" + u.name}
		if _, err := e.ids.CreateUser(ctx, in); err != nil {
			t.Fatal(err)
		}
		_, tok, err := e.ids.Login(ctx, in.Username, in.Password, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		e.tok[u.name] = tok
	}
	return e
}

// server starts one instance over the env's database with views.
func (e *cmpEnv) server(views *cache.Views) (*api.Server, *httptest.Server) {
	e.t.Helper()
	srv := api.New(api.Options{
		DB: e.db, Logger: slog.New(slog.NewTextHandler(e.t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Authorizer: &api.TokenAuthorizer{Identity: e.ids, Enforcer: e.enf}, Identity: e.ids, Enforcer: e.enf,
		Version: "test", DataDir: e.t.TempDir(), Views: views, Now: func() time.Time { return cmpNow },
	})
	ts := httptest.NewServer(newAPIChecker(e.t, srv, srv.Echo))
	e.t.Cleanup(ts.Close)
	return srv, ts
}

type cmpAnswer struct {
	Status int
	Cache  string
	Body   []byte
	Result compare.Result
}

func (e *cmpEnv) get(ts *httptest.Server, who, query string) cmpAnswer {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/campaigns/%d/compare?%s", ts.URL, e.campaign, query), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.tok[who])
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	a := cmpAnswer{Status: res.StatusCode, Cache: res.Header.Get("X-Cache"), Body: b}
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &a.Result); err != nil {
			e.t.Fatalf("decode %s: %v", b, err)
		}
	}
	return a
}

func (e *cmpEnv) mustGet(ts *httptest.Server, who, query, wantCache string) compare.Result {
	e.t.Helper()
	a := e.get(ts, who, query)
	if a.Status != http.StatusOK {
		e.t.Fatalf("GET compare?%s as %s = %d %s", query, who, a.Status, a.Body)
	}
	if wantCache != "" && a.Cache != wantCache {
		e.t.Fatalf("GET compare?%s as %s: X-Cache %s, want %s", query, who, a.Cache, wantCache)
	}
	return a.Result
}

// metric returns the value of one sample of the server's /metrics.
func metric(t *testing.T, ts *httptest.Server, sample string) string {
	t.Helper()
	res, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return ""
}

func TestCompareAPI(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		e := mustCmpEnv(t, db)
		_, ts := e.server(cache.NewViews(cache.NewMemory()))

		t.Run("province view against the brute force", func(t *testing.T) {
			got := e.mustGet(ts, "province", "period=6T", "miss")
			want, err := synthetic.Oracle(context.Background(), db, e.campaign, "6T", e.province.Path, cmpNow)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Rows) != len(want.Rows) || len(got.Rows) == 0 {
				t.Fatalf("%d rows, want %d", len(got.Rows), len(want.Rows))
			}
			for _, r := range got.Rows {
				w := want.Rows[r.TargetAreaID]
				if w == nil || r.MetCount != w.MetCount || r.Statuses != w.Statuses || r.Rank != w.Rank || r.Trend != w.Trend || r.ReportStatus != w.ReportStatus {
					t.Errorf("row %+v, want %+v", r, w)
				}
			}
			if got.Overall.Rates.Expected != want.Expected || got.Overall.Rates.Received != want.Received || got.Overall.Rates.OnTime != want.OnTime {
				t.Errorf("rates %+v, want %d/%d/%d", got.Overall.Rates, want.Expected, want.Received, want.OnTime)
			}
			if len(got.Districts) == 0 || got.PrevPeriod != "Q1" || got.Scope != "u"+fmt.Sprint(e.province.ID) {
				t.Errorf("districts %d prev %q scope %q", len(got.Districts), got.PrevPeriod, got.Scope)
			}
			e.mustGet(ts, "province", "period=6T", "hit")
		})
		t.Run("filters sort and paging", func(t *testing.T) {
			all := e.mustGet(ts, "province", "period=6T", "")
			page := e.mustGet(ts, "province", "period=6T&sort=met&desc=true&limit=3&offset=1", "hit")
			if page.Total != all.Total || len(page.Rows) != min(3, max(all.Total-1, 0)) {
				t.Errorf("page total %d rows %d of %d", page.Total, len(page.Rows), all.Total)
			}
			d := e.mustGet(ts, "province", fmt.Sprintf("period=6T&district_id=%d&criterion_not_met=4&report_status=accepted", e.district.ID), "hit")
			for _, r := range d.Rows {
				if r.DistrictID != e.district.ID || r.ReportStatus != "accepted" || (r.Statuses[3] != domain.CriterionNotMet && r.Statuses[3] != domain.CriterionMissing) {
					t.Errorf("row %+v does not match the filters", r)
				}
			}
		})
		t.Run("district scope", func(t *testing.T) {
			got := e.mustGet(ts, "district", "period=6T", "miss")
			if len(got.Rows) == 0 {
				t.Fatal("no rows")
			}
			for _, r := range got.Rows {
				if r.DistrictID != e.district.ID {
					t.Errorf("district user sees row of district %d", r.DistrictID)
				}
			}
		})
		t.Run("refusals", func(t *testing.T) {
			for _, tc := range []struct {
				who, query string
				status     int
				field      string
			}{
				{"", "period=Q1", http.StatusUnauthorized, ""},
				{"ward", "period=Q1", http.StatusForbidden, ""},
				{"other", "period=Q1", http.StatusNotFound, ""},
				{"province", "", http.StatusBadRequest, "period"},
				{"province", "period=Q9", http.StatusBadRequest, "period"},
				{"province", "period=Q1&sort=nope", http.StatusBadRequest, "sort"},
				{"province", "period=Q1&criterion_not_met=8", http.StatusBadRequest, "criterion_not_met"},
				{"province", "period=Q1&limit=x&desc=maybe", http.StatusBadRequest, "desc"},
				{"province", "period=Q1&district_id=-1", http.StatusBadRequest, "district_id"},
				{"province", "period=Q1&report_status=lost", http.StatusBadRequest, "report_status"},
			} {
				a := e.get(ts, tc.who, tc.query)
				if a.Status != tc.status {
					t.Errorf("%s ?%s = %d %s, want %d", tc.who, tc.query, a.Status, a.Body, tc.status)
					continue
				}
				if tc.field != "" && !strings.Contains(string(a.Body), `"`+tc.field+`"`) {
					t.Errorf("%s ?%s: %s does not name %s", tc.who, tc.query, a.Body, tc.field)
				}
			}
		})
		t.Run("metrics", func(t *testing.T) {
			if v := metric(t, ts, `chuyenhoa_http_requests_total{method="GET",route="/api/v1/campaigns/:id/compare",status="200"}`); v == "" || v == "0" {
				t.Errorf("request counter = %q", v)
			}
			if v := metric(t, ts, `chuyenhoa_http_requests_total{method="GET",route="/api/v1/campaigns/:id/compare",status="403"}`); v != "1" {
				t.Errorf("403 counter = %q, want 1", v)
			}
			for _, name := range []string{"chuyenhoa_cache_hits_total", "chuyenhoa_cache_misses_total", "chuyenhoa_cache_errors_total", "chuyenhoa_cache_fallback_total"} {
				if metric(t, ts, name) == "" {
					t.Errorf("%s not exported", name)
				}
			}
			if v := metric(t, ts, "chuyenhoa_cache_hits_total"); v == "0" {
				t.Error("no cache hit counted")
			}
			if v := metric(t, ts, `chuyenhoa_http_request_duration_seconds_count{method="GET",route="/api/v1/campaigns/:id/compare"}`); v == "" {
				t.Error("no latency histogram")
			}
		})
	})
}

// setMet changes the stored evaluation of a target area, as the report
// store does when a report changes, and bumps the views as writers do.
func setMet(t *testing.T, db *bun.DB, views *cache.Views, tenantID, campaignID, taID int64, period string, met int) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.NewUpdate().Table("evaluations").Set("met_count = ?", met).Set("report_status = ?", domain.ReportAccepted).
		Where("target_area_id = ? AND period = ?", taID, period).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	views.Bump(ctx, tenantID, campaignID)
}

// TestCompareTwoInstances: two servers over one database sharing one Redis
// see each other's writes on the very next request.
func TestCompareTwoInstances(t *testing.T) {
	db := storetest.MustPostgres(t)
	e := mustCmpEnv(t, db)
	va := storetest.MustRedisViews(t)
	vb := cache.NewViews(va.Store)
	vb.Prefix = va.Prefix
	_, a := e.server(va)
	_, b := e.server(vb)
	first := e.mustGet(a, "province", "period=6T", "miss")
	e.mustGet(b, "province", "period=6T", "hit") // A's load serves B
	var ta int64
	for _, r := range first.Rows {
		if r.ReportStatus != domain.CompareReportMissing {
			ta = r.TargetAreaID
			break
		}
	}
	if ta == 0 {
		t.Fatal("no reported row")
	}
	for i, w := range []struct {
		writer *cache.Views
		reader *httptest.Server
	}{{va, b}, {vb, a}, {va, a}, {vb, b}} {
		met := i + 1
		setMet(t, db, w.writer, e.province.ID, e.campaign, ta, "6T", met)
		got := e.mustGet(w.reader, "province", "period=6T", "miss")
		found := false
		for _, r := range got.Rows {
			if r.TargetAreaID == ta {
				found = r.MetCount == met
			}
		}
		if !found {
			t.Fatalf("write %d: the other instance does not show met_count %d at once", i, met)
		}
		e.mustGet(w.reader, "province", "period=6T", "hit")
	}
}

// TestCompareRedisDown: with Redis at a closed port the answers are still
// right, from the database, and counted as fallbacks; concurrent readers
// share one load.
func TestCompareRedisDown(t *testing.T) {
	db := storetest.MustPostgres(t)
	e := mustCmpEnv(t, db)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	rs, err := cache.NewRedis("redis://" + addr + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Client.Close()
	views := cache.NewViews(rs)
	_, ts := e.server(views)
	want, err := synthetic.Oracle(context.Background(), db, e.campaign, "6T", e.province.Path, cmpNow)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := e.get(ts, "province", "period=6T")
			if a.Status != http.StatusOK || a.Cache != "fallback" || len(a.Result.Rows) != len(want.Rows) {
				errs <- fmt.Sprintf("%d %s %d rows", a.Status, a.Cache, len(a.Result.Rows))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// A write while Redis is down shows at once on this instance.
	var ta int64
	for id, r := range want.Rows {
		if r.ReportStatus != domain.CompareReportMissing {
			ta = id
			break
		}
	}
	setMet(t, db, views, e.province.ID, e.campaign, ta, "6T", 6)
	got := e.mustGet(ts, "province", "period=6T", "fallback")
	for _, r := range got.Rows {
		if r.TargetAreaID == ta && r.MetCount != 6 {
			t.Errorf("met %d after the write, want 6", r.MetCount)
		}
	}
	if v := metric(t, ts, "chuyenhoa_cache_fallback_total"); v != "51" {
		t.Errorf("fallback counter = %s, want 51", v)
	}
	if loads := views.Stats.Loads.Load(); loads >= 50 {
		t.Errorf("%d loads for 51 reads: concurrent fallbacks are not shared", loads)
	}
}

// TestCompareFreshAfterEveryWrite drives every kind of write through the
// API of one instance and reads the province view on another instance that
// shares Redis: each write bumps the version, and the very next read on
// the other instance shows it.
func TestCompareFreshAfterEveryWrite(t *testing.T) {
	db := storetest.MustPostgres(t)
	va := storetest.MustRedisViews(t)
	f := mustReportFixtureWith(t, db, va)
	vb := cache.NewViews(va.Store)
	vb.Prefix = va.Prefix
	enf, err := authz.New(f.root, db)
	if err != nil {
		t.Fatal(err)
	}
	ids := &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(identity.Params{MemoryKiB: 64, Time: 1, Threads: 1}, 0)}
	srvB := api.New(api.Options{DB: db, Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Authorizer: &api.TokenAuthorizer{Identity: ids, Enforcer: enf}, Identity: ids, Enforcer: enf, Version: "test", Now: f.clock.Now, Views: vb})
	b := httptest.NewServer(newAPIChecker(t, srvB, srvB.Echo))
	t.Cleanup(b.Close)

	version := func() int64 {
		t.Helper()
		n, err := va.Version(f.root, f.prov.ID, f.campaignID)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// view reads the province view on instance B and returns the row of ta.
	view := func(period string, ta int64) (compare.Result, *domain.CompareRow) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/campaigns/%d/compare?period=%s", b.URL, f.campaignID, period), nil)
		req.Header.Set("Authorization", "Bearer "+f.tok["province"])
		res, err := b.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("compare = %d %s", res.StatusCode, body)
		}
		var out compare.Result
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		for i := range out.Rows {
			if out.Rows[i].TargetAreaID == ta {
				return out, &out.Rows[i]
			}
		}
		return out, nil
	}
	ta := f.nenhTA
	if _, r := view("Q1", ta); r == nil || r.ReportStatus != domain.CompareReportMissing {
		t.Fatalf("before any report: %+v", r)
	}
	view("Q1", ta) // cached on B now

	// step runs one write on instance A and checks the bump and the next read on B.
	step := func(name string, write func(), check func(r *domain.CompareRow) bool) {
		t.Helper()
		before := version()
		write()
		if after := version(); after <= before {
			t.Errorf("%s: version %d → %d, not bumped", name, before, after)
		}
		if _, r := view("Q1", ta); r == nil || !check(r) {
			t.Errorf("%s: the next read on the other instance shows %+v", name, r)
		}
	}
	var r apiReport
	step("baseline", func() {
		f.must(t, f.tok["dpolice"], "PUT", fmt.Sprintf("/api/v1/target-areas/%d/baseline", ta),
			`{"incidents":50,"period_from":"2022-12-15","period_to":"2023-12-12","note":"2023","version":0}`, http.StatusOK, nil)
	}, func(r *domain.CompareRow) bool { return r.ReportStatus == domain.CompareReportMissing })
	step("values saved (evaluation changed)", func() { r = enterReport(t, f, ta, "Q1", 1200, 1100) },
		func(r *domain.CompareRow) bool {
			// A draft shows, but its criteria stay missing until it is sent.
			return r.ReportStatus == domain.ReportDraft && r.Statuses[3] == domain.CriterionMissing
		})
	step("submitted", func() {
		f.must(t, f.tok["ward"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), "", http.StatusOK, &r)
	},
		func(r *domain.CompareRow) bool {
			return r.ReportStatus == domain.ReportSubmitted && r.Timeliness == domain.TimelinessOnTime
		})
	step("returned", func() {
		f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/return", r.ID), `{"reason":"Số hộ được tuyên truyền chưa đủ"}`, http.StatusOK, &r)
	}, func(r *domain.CompareRow) bool { return r.ReportStatus == domain.ReportReturned })
	step("corrected (evaluation changed)", func() {
		f.must(t, f.tok["ward"], "PATCH", reportPath(ta, "Q1"), saveBody(r.Version, `{"households_reached":1200}`), http.StatusOK, &r)
	}, func(r *domain.CompareRow) bool { return r.Statuses[3] == domain.CriterionMet })
	step("resubmitted", func() {
		f.must(t, f.tok["ward"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), "", http.StatusOK, &r)
	},
		func(r *domain.CompareRow) bool { return r.ReportStatus == domain.ReportSubmitted })
	step("assessed (evaluation changed)", func() {
		f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", r.ID), `{"met":true,"note":"Vững mạnh"}`, http.StatusOK, &r)
	}, func(r *domain.CompareRow) bool { return r.Statuses[1] == domain.CriterionMet })
	step("accepted", func() {
		f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), "", http.StatusOK, &r)
	},
		func(r *domain.CompareRow) bool {
			return r.ReportStatus == domain.ReportAccepted && r.MetCount == 7 && r.Rank == 1
		})

	// A new target area: proposed, then approved, shows at once.
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	before := version()
	f.must(t, f.tok["district"], "POST", "/api/v1/target-areas", fmt.Sprintf(`{"campaign_id":%d,"unit_ids":[%d],"reason":"Phức tạp"}`, f.campaignID, f.quang.ID), http.StatusCreated, &list)
	qc := list.Items[0].ID
	if _, row := view("Q1", qc); version() <= before || row == nil || row.TargetStatus != domain.TargetProposed {
		t.Errorf("proposed: %+v", row)
	}
	before = version()
	f.must(t, f.tok["province"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/approve", qc), `{"decision":{"number":"302/QĐ-BCĐ","date":"2024-03-01"}}`, http.StatusOK, nil)
	res, row := view("Q1", qc)
	if version() <= before || row == nil || row.TargetStatus != domain.TargetApproved || res.Overall.Rates.Expected != 2 {
		t.Errorf("approved: %+v, expected reports %d", row, res.Overall.Rates.Expected)
	}

	// The Year report meets every criterion; the exit shows at once.
	f.clock.Set(vnTime(2024, time.December, 10))
	year := enterReport(t, f, ta, "NAM", 1200, 1200)
	f.must(t, f.tok["police"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", year.ID), "", http.StatusOK, &year)
	f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", year.ID), `{"met":true,"note":"Vững mạnh"}`, http.StatusOK, nil)
	f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/accept", year.ID), "", http.StatusOK, nil)
	before = version()
	f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", ta), `{"evidence":"Đủ 7 tiêu chí"}`, http.StatusCreated, nil)
	if _, row := view("NAM", ta); version() <= before || row == nil || row.TargetStatus != domain.TargetExitProposed {
		t.Errorf("exit proposed: %+v", row)
	}
	before = version()
	f.must(t, f.tok["province"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-decision", ta), `{"outcome":"exited","decision":{"number":"1250/QĐ-BCĐ","date":"2024-12-25"}}`, http.StatusOK, nil)
	res, row = view("NAM", ta)
	if version() <= before || row == nil || row.TargetStatus != domain.TargetExited || res.Overall.Exited != 1 {
		t.Errorf("exited: %+v, exited %d", row, res.Overall.Exited)
	}
	if got := va.Stats.Fallbacks.Load() + vb.Stats.Fallbacks.Load(); got != 0 {
		t.Errorf("%d fallbacks with Redis up", got)
	}
}
