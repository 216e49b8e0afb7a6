package compare_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/cache"
	"chuyenhoa/store/compare"
	"chuyenhoa/store/storetest"
	"chuyenhoa/store/synthetic"
	"chuyenhoa/tenants"
)

// now is mid-July: Q1 and 6T are due, Q3 is under way, NAM is ahead.
var now = time.Date(2026, time.July, 20, 3, 0, 0, 0, time.UTC)

// mustSynthetic writes a small synthetic country: 3 provinces, 300 wards,
// 2 years, 20% of wards as target areas so that views have some rows.
func mustSynthetic(tb testing.TB, db *bun.DB) *synthetic.Result {
	tb.Helper()
	res, err := synthetic.Generate(context.Background(), db, synthetic.Options{
		Provinces: 3, Wards: 300, Years: 2, Seed: 7, TargetShare: 200, Units: synthetic.NationalUnits(), Now: now,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if res.Campaigns != 6 || res.TargetAreas < 50 || res.Reports < 100 {
		tb.Fatalf("synthetic data too small: %+v", res)
	}
	return res
}

func scopeOf(tb testing.TB, db bun.IDB, unitID int64) tenants.Scope {
	tb.Helper()
	var u tenants.Unit
	if err := db.NewSelect().Model(&u).Where("id = ?", unitID).Scan(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return tenants.Scope{UnitID: u.ID, TenantID: *u.TenantID, Path: u.Path}
}

func campaignOf(tb testing.TB, db bun.IDB, id int64) (provinceID int64) {
	tb.Helper()
	if err := db.NewSelect().Table("campaigns").Column("province_id").Where("id = ?", id).Scan(context.Background(), &provinceID); err != nil {
		tb.Fatal(err)
	}
	return provinceID
}

// checkAgainstOracle compares every row of the view with the brute-force
// recomputation from raw report values.
func checkAgainstOracle(t *testing.T, db bun.IDB, res *compare.Result, want *synthetic.ExpectedView) {
	t.Helper()
	if got, want := len(res.Rows), len(want.Rows); got != want {
		t.Fatalf("%d rows, want %d", got, want)
	}
	for _, r := range res.Rows {
		e := want.Rows[r.TargetAreaID]
		if e == nil {
			t.Fatalf("row of target area %d not in the scope", r.TargetAreaID)
		}
		got := synthetic.Expected{TargetAreaID: r.TargetAreaID, UnitID: r.UnitID, DistrictID: r.DistrictID, TargetStatus: r.TargetStatus,
			ReportStatus: r.ReportStatus, Timeliness: r.Timeliness, Statuses: r.Statuses, MetCount: r.MetCount, PrevMetCount: r.PrevMetCount,
			Trend: r.Trend, Rank: r.Rank}
		if mustJSON(t, got) != mustJSON(t, *e) {
			t.Errorf("target area %d:\n got %+v\nwant %+v", r.TargetAreaID, got, *e)
		}
	}
	o := res.Overall.Rates
	if o.Expected != want.Expected || o.Received != want.Received || o.OnTime != want.OnTime {
		t.Errorf("rates = %d/%d/%d, want expected %d received %d on time %d", o.Expected, o.Received, o.OnTime, want.Expected, want.Received, want.OnTime)
	}
	sum := 0
	for _, d := range res.Districts {
		sum += d.Rates.Expected
	}
	if sum != o.Expected {
		t.Errorf("districts expect %d reports, overall %d", sum, o.Expected)
	}
}

// TestCompareAgainstBruteForce holds every row of every view (each
// campaign, each period, the province and each district scope) against a
// recomputation of the criteria from the raw report values.
func TestCompareAgainstBruteForce(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		syn := mustSynthetic(t, db)
		svc := &compare.Service{DB: db, Views: cache.NewViews(cache.NewMemory()), Now: func() time.Time { return now }}
		rowsChecked := 0
		for _, cid := range syn.CampaignIDs {
			pid := campaignOf(t, db, cid)
			scopes := []tenants.Scope{scopeOf(t, db, pid)}
			var districts []int64
			db.NewSelect().Table("units").Column("id").Where("parent_id = ? AND kind = 'district'", pid).Order("id").Limit(3).Scan(ctx, &districts)
			for _, d := range districts {
				scopes = append(scopes, scopeOf(t, db, d))
			}
			for _, period := range []string{domain.PeriodQ1, domain.PeriodH1, domain.PeriodQ3, domain.PeriodYear} {
				for _, sc := range scopes {
					sctx := tenants.NewContextWithScope(ctx, sc)
					res, err := svc.Compare(sctx, cid, period, domain.CompareQuery{})
					if err != nil {
						t.Fatal(err)
					}
					want, err := synthetic.Oracle(ctx, db, cid, period, sc.Path, now)
					if err != nil {
						t.Fatal(err)
					}
					checkAgainstOracle(t, db, res, want)
					rowsChecked += len(res.Rows)
					// The second read is a hit and answers the same.
					again, err := svc.Compare(sctx, cid, period, domain.CompareQuery{})
					if err != nil || again.Source != cache.Hit {
						t.Fatalf("second read: %v %v", again.Source, err)
					}
					checkAgainstOracle(t, db, again, want)
				}
			}
		}
		if rowsChecked < 300 {
			t.Errorf("only %d rows checked", rowsChecked)
		}
		t.Logf("%s: %d rows checked against the brute force", storetest.Name(db), rowsChecked)
	})
}

// TestCompareFilters checks filters and paging against the brute force.
func TestCompareFilters(t *testing.T) {
	db := storetest.MustSQLite(t)
	ctx := context.Background()
	syn := mustSynthetic(t, db)
	svc := &compare.Service{DB: db, Views: cache.NewViews(cache.NewMemory()), Now: func() time.Time { return now }}
	cid := syn.CampaignIDs[len(syn.CampaignIDs)-1]
	sc := scopeOf(t, db, campaignOf(t, db, cid))
	sctx := tenants.NewContextWithScope(ctx, sc)
	want, err := synthetic.Oracle(ctx, db, cid, domain.PeriodH1, sc.Path, now)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(res *compare.Result) []int64 {
		var out []int64
		for _, r := range res.Rows {
			out = append(out, r.TargetAreaID)
		}
		slices.Sort(out)
		return out
	}
	expect := func(keep func(*synthetic.Expected) bool) []int64 {
		var out []int64
		for _, e := range want.Rows {
			if keep(e) {
				out = append(out, e.TargetAreaID)
			}
		}
		slices.Sort(out)
		return out
	}
	var someDistrict int64
	for _, e := range want.Rows {
		someDistrict = e.DistrictID
		break
	}
	three := 3
	accepted := domain.CompareReportAccepted
	inProgress := domain.TargetInProgress
	for _, tc := range []struct {
		name string
		q    domain.CompareQuery
		keep func(*synthetic.Expected) bool
	}{
		{"district", domain.CompareQuery{DistrictID: &someDistrict}, func(e *synthetic.Expected) bool { return e.DistrictID == someDistrict }},
		{"criterion 3 not met", domain.CompareQuery{CriterionNotMet: &three}, func(e *synthetic.Expected) bool {
			return e.Statuses[2] == domain.CriterionNotMet || e.Statuses[2] == domain.CriterionMissing
		}},
		{"accepted", domain.CompareQuery{ReportStatus: &accepted}, func(e *synthetic.Expected) bool { return e.ReportStatus == accepted }},
		{"in progress", domain.CompareQuery{TargetStatus: &inProgress}, func(e *synthetic.Expected) bool { return e.TargetStatus == inProgress }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := svc.Compare(sctx, cid, domain.PeriodH1, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ids(res), expect(tc.keep); !slices.Equal(got, want) {
				t.Errorf("rows %v, want %v", got, want)
			}
			if res.Total != len(res.Rows) {
				t.Errorf("total %d, rows %d", res.Total, len(res.Rows))
			}
		})
	}
	t.Run("paging and sort", func(t *testing.T) {
		all, err := svc.Compare(sctx, cid, domain.PeriodH1, domain.CompareQuery{Sort: domain.CompareSortMet, Desc: true})
		if err != nil {
			t.Fatal(err)
		}
		var paged []domain.CompareRow
		for off := 0; off < all.Total; off += 4 {
			page, err := svc.Compare(sctx, cid, domain.PeriodH1, domain.CompareQuery{Sort: domain.CompareSortMet, Desc: true, Limit: 4, Offset: off})
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, page.Rows...)
		}
		if a, b := mustJSON(t, paged), mustJSON(t, all.Rows); a != b {
			t.Error("pages do not add up to the whole table")
		}
		for i := 1; i < len(all.Rows); i++ {
			if all.Rows[i].MetCount > all.Rows[i-1].MetCount {
				t.Fatalf("not sorted by met desc at %d", i)
			}
		}
	})
}

func TestCompareScope(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		syn := mustSynthetic(t, db)
		svc := &compare.Service{DB: db, Views: cache.NewViews(cache.NewMemory()), Now: func() time.Time { return now }}
		cid := syn.CampaignIDs[0]
		pid := campaignOf(t, db, cid)

		t.Run("no scope fails closed", func(t *testing.T) {
			if _, err := svc.Compare(ctx, cid, domain.PeriodQ1, domain.CompareQuery{}); domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Errorf("err = %v, want forbidden", err)
			}
			if _, err := compare.LoadSnapshot(ctx, db, cid, domain.PeriodQ1); domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Errorf("LoadSnapshot err = %v, want forbidden", err)
			}
		})
		t.Run("another province's campaign is not found", func(t *testing.T) {
			var other int64
			if err := db.NewSelect().Table("units").Column("id").Where("kind = 'province' AND id <> ?", pid).Limit(1).Scan(ctx, &other); err != nil {
				t.Fatal(err)
			}
			octx := tenants.NewContextWithScope(ctx, scopeOf(t, db, other))
			if _, err := svc.Compare(octx, cid, domain.PeriodQ1, domain.CompareQuery{}); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("err = %v, want not found", err)
			}
		})
		t.Run("unknown period", func(t *testing.T) {
			pctx := tenants.NewContextWithScope(ctx, scopeOf(t, db, pid))
			if _, err := svc.Compare(pctx, cid, "Q9", domain.CompareQuery{}); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("err = %v, want invalid", err)
			}
		})
		t.Run("a district sees its own rows", func(t *testing.T) {
			var d int64
			if err := db.NewSelect().TableExpr("target_areas AS ta").Join("JOIN units AS u ON u.id = ta.unit_id").ColumnExpr("u.parent_id").
				Where("ta.campaign_id = ?", cid).Limit(1).Scan(ctx, &d); err != nil {
				t.Fatal(err)
			}
			sc := scopeOf(t, db, d)
			res, err := svc.Compare(tenants.NewContextWithScope(ctx, sc), cid, domain.PeriodQ1, domain.CompareQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rows) == 0 {
				t.Fatal("no rows")
			}
			for _, r := range res.Rows {
				if r.DistrictID != d {
					t.Errorf("district %d sees a row of district %d", d, r.DistrictID)
				}
			}
			if res.Scope != compare.ScopeKey(sc) {
				t.Errorf("scope %s", res.Scope)
			}
		})
		t.Run("a cached snapshot of another tenant is refused", func(t *testing.T) {
			sc := scopeOf(t, db, pid)
			mem := cache.NewMemory()
			views := cache.NewViews(mem)
			s2 := &compare.Service{DB: db, Views: views, Now: func() time.Time { return now }}
			// Plant a snapshot that claims another tenant under this tenant's key.
			ver, err := views.Version(ctx, sc.TenantID, cid)
			if err != nil {
				t.Fatal(err)
			}
			key := cache.Key(sc.TenantID, cid, domain.PeriodQ1, compare.ScopeKey(sc), ver)
			mem.Set(ctx, key, []byte(`{"tenant_id":999999,"campaign_id":`+fmt.Sprint(cid)+`,"period":"Q1","scope":"`+compare.ScopeKey(sc)+`","rows":[{"target_area_id":1,"unit_name":"leak"}]}`), 0)
			res, err := s2.Compare(tenants.NewContextWithScope(ctx, sc), cid, domain.PeriodQ1, domain.CompareQuery{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Rows {
				if r.UnitName == "leak" {
					t.Fatal("served another tenant's cached rows")
				}
			}
			if res.Source != cache.Miss || views.Stats.Errors.Load() != 1 {
				t.Errorf("source %s errors %d, want a miss and one error", res.Source, views.Stats.Errors.Load())
			}
		})
	})
}

// TestCompareTimelinessFollowsTheClock: a cached snapshot does not freeze
// "not due" once the due date passes.
func TestCompareTimelinessFollowsTheClock(t *testing.T) {
	db := storetest.MustSQLite(t)
	ctx := context.Background()
	syn := mustSynthetic(t, db)
	clock := now
	svc := &compare.Service{DB: db, Views: cache.NewViews(cache.NewMemory()), Now: func() time.Time { return clock }}
	cid := syn.CampaignIDs[len(syn.CampaignIDs)-1]
	sctx := tenants.NewContextWithScope(ctx, scopeOf(t, db, campaignOf(t, db, cid)))
	count := func(res *compare.Result, tl string) int {
		n := 0
		for _, r := range res.Rows {
			if r.Timeliness == tl && !compare.Received(r.ReportStatus) {
				n++
			}
		}
		return n
	}
	before, err := svc.Compare(sctx, cid, domain.PeriodQ3, domain.CompareQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if count(before, domain.TimelinessNotDue) == 0 {
		t.Fatal("no unsent Q3 report before the due date")
	}
	clock = time.Date(2026, time.September, 20, 0, 0, 0, 0, time.UTC)
	after, err := svc.Compare(sctx, cid, domain.PeriodQ3, domain.CompareQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if after.Source != cache.Hit {
		t.Fatalf("source %s, want hit", after.Source)
	}
	if count(after, domain.TimelinessNotDue) != 0 || count(after, domain.TimelinessMissing) != count(before, domain.TimelinessNotDue) {
		t.Error("unsent reports did not become missing after the due date")
	}
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestMissingReports counts, per province, the Q3 reports not yet sent on
// the day before Q3's last on-time day (12/09), against the brute force.
func TestMissingReports(t *testing.T) {
	db := storetest.MustSQLite(t)
	ctx := context.Background()
	syn := mustSynthetic(t, db)
	at := time.Date(2026, time.September, 11, 3, 0, 0, 0, time.UTC) // 10:00 in Vietnam
	got, err := compare.MissingReports(ctx, db, at)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, cid := range syn.CampaignIDs {
		pid := campaignOf(t, db, cid)
		var code string
		var year int
		db.NewSelect().Table("units").Column("code").Where("id = ?", pid).Scan(ctx, &code)
		db.NewSelect().Table("campaigns").Column("year").Where("id = ?", cid).Scan(ctx, &year)
		if year != 2026 {
			continue
		}
		ev, err := synthetic.Oracle(ctx, db, cid, domain.PeriodQ3, scopeOf(t, db, pid).Path, now)
		if err != nil {
			t.Fatal(err)
		}
		want[code] += ev.Expected - ev.Received
	}
	gotMap := map[string]int{}
	for _, m := range got {
		if m.Due != "tomorrow" {
			t.Errorf("unexpected %+v", m)
		}
		gotMap[m.TenantCode] = m.Count
	}
	if mustJSON(t, gotMap) != mustJSON(t, want) {
		t.Errorf("missing = %v, want %v", gotMap, want)
	}
	// On the last day itself the label is "today"; a week earlier nothing is due.
	if got, _ := compare.MissingReports(ctx, db, at.Add(24*time.Hour)); len(got) == 0 || got[0].Due != "today" {
		t.Errorf("on the last day: %+v", got)
	}
	if got, _ := compare.MissingReports(ctx, db, at.Add(-7*24*time.Hour)); len(got) != 0 {
		t.Errorf("a week before: %+v", got)
	}
}
