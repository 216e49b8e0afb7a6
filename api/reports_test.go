package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestReportConcurrentSaves: two editors save from the same version at
// once; exactly one gets 200 and the other 409 with the current values,
// and nothing of the winner is overwritten.
func TestReportConcurrentSaves(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		path := reportPath(f.nenhTA, "Q1")
		version := 0
		for round := 0; round < 6; round++ {
			var wg sync.WaitGroup
			start := make(chan struct{})
			res := make([]response, 2)
			bodies := []struct{ tok, body string }{
				{f.tok["ward"], saveBody(version, fmt.Sprintf(`{"patrols":%d}`, 100+round))},
				{f.tok["police"], saveBody(version, fmt.Sprintf(`{"patrols":%d,"tips_received":%d}`, 200+round, round))},
			}
			for i := range bodies {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					res[i] = f.do(t, bodies[i].tok, "PATCH", path, bodies[i].body)
				}(i)
			}
			close(start)
			wg.Wait()
			ok, conflict := -1, -1
			for i, r := range res {
				switch r.Status {
				case http.StatusOK:
					ok = i
				case http.StatusConflict:
					conflict = i
				}
			}
			if ok < 0 || conflict < 0 {
				t.Fatalf("round %d: statuses %d %s / %d %s, want one 200 and one 409", round, res[0].Status, res[0].Body, res[1].Status, res[1].Body)
			}
			var won apiReport
			if err := json.Unmarshal(res[ok].Body, &won); err != nil {
				t.Fatal(err)
			}
			e := mustAPIError(t, res[conflict], http.StatusConflict, domain.ECONFLICT)
			var current apiReport
			if err := json.Unmarshal(e.Error.Details, &current); err != nil {
				t.Fatalf("409 carries no current report: %s", res[conflict].Body)
			}
			if current.Version != won.Version || string(current.Values["patrols"]) != string(won.Values["patrols"]) {
				t.Errorf("round %d: 409 current = v%d %s, winner = v%d %s", round, current.Version, current.Values["patrols"], won.Version, won.Values["patrols"])
			}
			var stored apiReport
			f.must(t, f.tok["ward"], "GET", path, "", http.StatusOK, &stored)
			if stored.Version != version+1 || string(stored.Values["patrols"]) != string(won.Values["patrols"]) {
				t.Errorf("round %d: stored v%d patrols %s, want v%d %s", round, stored.Version, stored.Values["patrols"], version+1, won.Values["patrols"])
			}
			version = stored.Version
		}
		evs, err := db.NewSelect().Table("evaluations").Where("target_area_id = ?", f.nenhTA).Count(f.root)
		if err != nil || evs != 1 {
			t.Errorf("evaluations = %d, %v", evs, err)
		}
	})
}

// TestSubmitIdempotency: 1,000 submits with one Idempotency-Key make one
// submission and all get the first answer; the key with another body is 422.
func TestSubmitIdempotency(t *testing.T) {
	t.Parallel() // its own database and server, no Redis, no clock bounds
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		r := enterReport(t, f, f.nenhTA, "Q1", 1200, 1200)
		path := fmt.Sprintf("/api/v1/reports/%d/submit", r.ID)
		body := fmt.Sprintf(`{"version":%d}`, r.Version)
		const n, workers = 1000, 16
		res := make([]response, n)
		jobs := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range jobs {
					res[i] = f.do(t, f.tok["ward"], "POST", path, body, "Idempotency-Key", "nenh-q1-2024-submit")
				}
			}()
		}
		for i := 0; i < n; i++ {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		first := res[0].Body
		replayed := 0
		for i, x := range res {
			if x.Status != http.StatusOK {
				t.Fatalf("submit %d = %d %s", i, x.Status, x.Body)
			}
			if string(x.Body) != string(first) {
				t.Fatalf("submit %d answered %s, want the first answer %s", i, x.Body, first)
			}
			if x.Header.Get("Idempotent-Replayed") == "true" {
				replayed++
			}
		}
		if replayed != n-1 {
			t.Errorf("replayed = %d, want %d", replayed, n-1)
		}
		count := func(table, where string, args ...any) int {
			c, err := db.NewSelect().Table(table).Where(where, args...).Count(f.root)
			if err != nil {
				t.Fatal(err)
			}
			return int(c)
		}
		if got := count("report_revisions", "report_id = ?", r.ID); got != 1 {
			t.Errorf("revisions = %d, want 1", got)
		}
		if got := count("report_events", "report_id = ? AND action = 'submit'", r.ID); got != 1 {
			t.Errorf("submit events = %d, want 1", got)
		}
		if got := count("audit_log", "action = 'report.submit'"); got != 1 {
			t.Errorf("submit audit entries = %d, want 1", got)
		}
		if got := count("idempotency_keys", "1 = 1"); got != 1 {
			t.Errorf("idempotency keys = %d, want 1", got)
		}
		var sub apiReport
		if err := json.Unmarshal(first, &sub); err != nil || sub.Status != "submitted" || sub.SubmittedRevision != 1 {
			t.Errorf("first answer = %+v, %v", sub, err)
		}
		// Same key, another body: 422, nothing created.
		mustAPIError(t, f.do(t, f.tok["ward"], "POST", path, `{"version":1}`, "Idempotency-Key", "nenh-q1-2024-submit"), http.StatusUnprocessableEntity, domain.EUNPROCESSABLE)
		// Same key on another report: 422 too.
		mustAPIError(t, f.do(t, f.tok["ward"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID+1000), body, "Idempotency-Key", "nenh-q1-2024-submit"), http.StatusUnprocessableEntity, domain.EUNPROCESSABLE)
		// A new key on a submitted report: 409.
		mustAPIError(t, f.do(t, f.tok["ward"], "POST", path, body, "Idempotency-Key", "another"), http.StatusConflict, domain.ECONFLICT)
		if got := count("report_revisions", "report_id = ?", r.ID); got != 1 {
			t.Errorf("revisions after refusals = %d, want 1", got)
		}
	})
}

// criteriaCase is one row of the boundary table run through the HTTP API.
type criteriaCase struct {
	name string
	// set changes the complete report (nil removes a value); empty starts from nothing.
	set   map[string]any
	empty bool
	// assess is the district's political-system assessment (nil: none).
	assess *bool
	want   map[int]string
	met    int // -1: not checked
	// refused names the field a 400 must name (nothing is saved).
	refused string
}

func completeValues() map[string]any {
	return map[string]any{
		"tips_received": 40, "tips_processed": 40,
		"models_active": 3, "models_effective": 2, "community_rules": true,
		"households": 1200, "households_reached": 1200,
		"organised_crime": false, "cases_initiated": 10, "cases_solved": 9, "serious_initiated": 2, "serious_solved": 2,
		"released_residing": 20, "reoffending": 1,
		"incidents_baseline": 50, "incidents_current": 40,
	}
}

var yes, no = true, false

func criteriaCases() []criteriaCase {
	m := func(kv ...any) map[string]any {
		out := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	w := func(n int, s string) map[int]string { return map[int]string{n: s} }
	return []criteriaCase{
		{name: "all met", assess: &yes, want: map[int]string{1: "met", 2: "met", 3: "met", 4: "met", 5: "met", 6: "met", 7: "met"}, met: 7},
		{name: "every field missing", empty: true, want: map[int]string{1: "missing", 2: "missing", 3: "missing", 4: "missing", 5: "missing", 6: "missing", 7: "missing"}, met: 0},
		{name: "C1 100 of 100", set: m("tips_received", 100, "tips_processed", 100), assess: &yes, want: w(1, "met"), met: 7},
		{name: "C1 99 of 100", set: m("tips_received", 100, "tips_processed", 99), assess: &yes, want: w(1, "not_met"), met: 6},
		{name: "C1 101 of 100 refused", set: m("tips_received", 100, "tips_processed", 101), refused: "tips_processed"},
		{name: "C1 no tips is n/a and counts", set: m("tips_received", 0, "tips_processed", 0), assess: &yes, want: w(1, "not_applicable"), met: 7},
		{name: "C1 received missing", set: m("tips_received", nil), assess: &yes, want: w(1, "missing"), met: 6},
		{name: "C2 assessed not met", assess: &no, want: w(2, "not_met"), met: 6},
		{name: "C2 not assessed", want: w(2, "missing"), met: 6},
		{name: "C3 one effective model", set: m("models_effective", 1), assess: &yes, want: w(3, "met"), met: 7},
		{name: "C3 no effective model", set: m("models_effective", 0), assess: &yes, want: w(3, "not_met"), met: 6},
		{name: "C3 rules not kept", set: m("community_rules", false), assess: &yes, want: w(3, "not_met"), met: 6},
		{name: "C3 rules missing", set: m("community_rules", nil), assess: &yes, want: w(3, "missing"), met: 6},
		{name: "C4 1199 of 1200", set: m("households_reached", 1199), assess: &yes, want: w(4, "not_met"), met: 6},
		{name: "C4 no households", set: m("households", 0, "households_reached", 0), assess: &yes, want: w(4, "not_applicable"), met: 7},
		{name: "C4 reached missing", set: m("households_reached", nil), assess: &yes, want: w(4, "missing"), met: 6},
		{name: "C5 solved 80 of 100", set: m("cases_initiated", 100, "cases_solved", 80), assess: &yes, want: w(5, "met"), met: 7},
		{name: "C5 solved 79 of 100", set: m("cases_initiated", 100, "cases_solved", 79), assess: &yes, want: w(5, "not_met"), met: 6},
		{name: "C5 solved 81 of 100", set: m("cases_initiated", 100, "cases_solved", 81), assess: &yes, want: w(5, "met"), met: 7},
		{name: "C5 serious 95 of 100", set: m("cases_initiated", 200, "cases_solved", 190, "serious_initiated", 100, "serious_solved", 95), assess: &yes, want: w(5, "met"), met: 7},
		{name: "C5 serious 94 of 100", set: m("cases_initiated", 200, "cases_solved", 190, "serious_initiated", 100, "serious_solved", 94), assess: &yes, want: w(5, "not_met"), met: 6},
		{name: "C5 serious 96 of 100", set: m("cases_initiated", 200, "cases_solved", 190, "serious_initiated", 100, "serious_solved", 96), assess: &yes, want: w(5, "met"), met: 7},
		{name: "C5 organised crime with perfect rates", set: m("organised_crime", true, "cases_initiated", 10, "cases_solved", 10), assess: &yes, want: w(5, "not_met"), met: 6},
		{name: "C5 no cases at all", set: m("cases_initiated", 0, "cases_solved", 0, "serious_initiated", 0, "serious_solved", 0), assess: &yes, want: w(5, "not_applicable"), met: 7},
		{name: "C5 no serious cases", set: m("serious_initiated", 0, "serious_solved", 0), assess: &yes, want: w(5, "met"), met: 7},
		{name: "C5 organised crime missing", set: m("organised_crime", nil), assess: &yes, want: w(5, "missing"), met: 6},
		{name: "C6 14 of 100", set: m("released_residing", 100, "reoffending", 14), assess: &yes, want: w(6, "met"), met: 7},
		{name: "C6 15 of 100 is not below 15%", set: m("released_residing", 100, "reoffending", 15), assess: &yes, want: w(6, "not_met"), met: 6},
		{name: "C6 16 of 100", set: m("released_residing", 100, "reoffending", 16), assess: &yes, want: w(6, "not_met"), met: 6},
		{name: "C6 nobody released", set: m("released_residing", 0, "reoffending", 0), assess: &yes, want: w(6, "not_applicable"), met: 7},
		{name: "C7 float trap 1-27/30 is exactly 10%", set: m("incidents_baseline", 30, "incidents_current", 27), assess: &yes, want: w(7, "met"), met: 7},
		{name: "C7 28 of 30", set: m("incidents_baseline", 30, "incidents_current", 28), assess: &yes, want: w(7, "not_met"), met: 6},
		{name: "C7 90 of 100", set: m("incidents_baseline", 100, "incidents_current", 90), assess: &yes, want: w(7, "met"), met: 7},
		{name: "C7 91 of 100", set: m("incidents_baseline", 100, "incidents_current", 91), assess: &yes, want: w(7, "not_met"), met: 6},
		{name: "C7 89 of 100", set: m("incidents_baseline", 100, "incidents_current", 89), assess: &yes, want: w(7, "met"), met: 7},
		{name: "C7 no baseline incidents", set: m("incidents_baseline", 0, "incidents_current", 0), assess: &yes, want: w(7, "not_applicable"), met: 7},
		{name: "C7 incidents rose", set: m("incidents_baseline", 50, "incidents_current", 60), assess: &yes, want: w(7, "not_met"), met: 6},
		{name: "C7 baseline missing", set: m("incidents_baseline", nil), assess: &yes, want: w(7, "missing"), met: 6},
	}
}

// TestCriteriaThroughAPI runs the criteria boundary table end to end:
// values saved by the police, submitted, assessed by the district, and the
// stored evaluation read back through the API.
func TestCriteriaThroughAPI(t *testing.T) {
	t.Parallel() // its own database and server, no Redis, no clock bounds
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		// The province lets the police also enter the ward's model figures,
		// so one district police user can enter a whole report.
		for _, code := range []string{"models_active", "models_effective", "community_rules"} {
			f.must(t, f.tok["province"], "PATCH", fmt.Sprintf("/api/v1/campaigns/%d/indicators/%s", f.campaignID, code), `{"entered_by":["ward","police"]}`, http.StatusOK, nil)
		}
		cases := criteriaCases()
		units := make([]int64, len(cases))
		for i := range cases {
			units[i] = f.unit(t, tenants.NewUnit{Code: fmt.Sprintf("09%03d", i), Name: fmt.Sprintf("Xã Thử %d", i), Kind: "ward", ParentID: &f.dist.ID}).ID
		}
		tas := f.targetAreas(t, f.campaignID, units...)
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ta := tas[i]
				vals := map[string]any{}
				if !tc.empty {
					vals = completeValues()
					for k, v := range tc.set {
						if v == nil {
							delete(vals, k)
						} else {
							vals[k] = v
						}
					}
				}
				b, _ := json.Marshal(vals)
				if tc.refused != "" {
					e := mustAPIError(t, f.do(t, f.tok["dpolice"], "PATCH", reportPath(ta, "Q1"), saveBody(0, string(b))), http.StatusBadRequest, domain.EINVALID)
					if e.Error.Fields[tc.refused] == "" {
						t.Errorf("400 does not name %s: %v", tc.refused, e.Error.Fields)
					}
					var r apiReport
					f.must(t, f.tok["dpolice"], "GET", reportPath(ta, "Q1"), "", http.StatusOK, &r)
					if r.ID != 0 || len(r.Values) != 0 {
						t.Errorf("refused save stored %+v", r)
					}
					return
				}
				var r apiReport
				f.must(t, f.tok["dpolice"], "PATCH", reportPath(ta, "Q1"), saveBody(0, string(b)), http.StatusOK, &r)
				f.must(t, f.tok["dpolice"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), "", http.StatusOK, nil)
				if tc.assess != nil {
					note := "Hệ thống chính trị vững mạnh"
					if !*tc.assess {
						note = "Chi bộ chưa hoàn thành nhiệm vụ"
					}
					ab, _ := json.Marshal(map[string]any{"met": *tc.assess, "note": note})
					f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", r.ID), string(ab), http.StatusOK, nil)
				}
				var ev apiEvaluation
				f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q1", ta), "", http.StatusOK, &ev)
				st := ev.statuses()
				for n, want := range tc.want {
					if st[n-1] != want {
						t.Errorf("c%d = %s, want %s (%s)", n, st[n-1], want, ev.Result.Criteria[n-1].Reason)
					}
					if ev.Result.Criteria[n-1].Status != want {
						t.Errorf("result criterion %d = %s, want %s", n, ev.Result.Criteria[n-1].Status, want)
					}
				}
				if tc.met >= 0 && (ev.MetCount != tc.met || ev.Result.MetCount != tc.met || ev.AllMet != (tc.met == 7)) {
					t.Errorf("met = %d (all %v), want %d; statuses %v", ev.MetCount, ev.AllMet, tc.met, st)
				}
				if ev.ReportStatus != "submitted" {
					t.Errorf("report status = %s", ev.ReportStatus)
				}
				if tc.name == "C7 float trap 1-27/30 is exactly 10%" {
					if got := ev.Result.Criteria[6].Rates[0].Percent; got != "10,00%" {
						t.Errorf("C7 percent = %s, want 10,00%%", got)
					}
				}
			})
		}
	})
}

// TestReportIsolation: reports, evaluations, baselines and exits are
// invisible outside the caller's scope (404), and function-level rules
// refuse the wrong role (403).
func TestReportIsolation(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		hn := f.unit(t, tenants.NewUnit{Code: "01", Name: "Thành phố Hà Nội", Kind: "province"})
		f.tok["hanoi"] = f.user(t, "u.hanoi", hn, "province")
		r := enterReport(t, f, f.nenhTA, "Q1", 1200, 1200)
		f.must(t, f.tok["police"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), "", http.StatusOK, &r)
		rp := fmt.Sprintf("/api/v1/reports/%d", r.ID)
		ta := fmt.Sprintf("/api/v1/target-areas/%d", f.nenhTA)
		for _, who := range []string{"ward2", "district2", "hanoi"} {
			t.Run(who, func(t *testing.T) {
				for _, c := range []struct{ method, path, body string }{
					{"GET", rp, ""},
					{"GET", rp + "/revisions", ""},
					{"GET", rp + "/events", ""},
					{"GET", rp + "/diff?from=1", ""},
					{"GET", reportPath(f.nenhTA, "Q1"), ""},
					{"GET", ta + "/reports", ""},
					{"GET", ta + "/evaluations/Q1", ""},
					{"GET", ta + "/evaluations", ""},
					{"GET", ta + "/baseline", ""},
					{"GET", ta + "/exits", ""},
				} {
					mustAPIError(t, f.do(t, f.tok[who], c.method, c.path, c.body), http.StatusNotFound, domain.ENOTFOUND)
				}
			})
		}
		mustAPIError(t, f.do(t, f.tok["ward2"], "PATCH", reportPath(f.nenhTA, "Q1"), saveBody(r.Version, `{"patrols":1}`)), http.StatusNotFound, domain.ENOTFOUND)
		mustAPIError(t, f.do(t, f.tok["district2"], "POST", rp+"/return", `{"reason":"x"}`), http.StatusNotFound, domain.ENOTFOUND)
		mustAPIError(t, f.do(t, f.tok["district2"], "POST", rp+"/assessment", `{"met":true}`), http.StatusNotFound, domain.ENOTFOUND)
		mustAPIError(t, f.do(t, f.tok["district2"], "POST", ta+"/exit-proposal", `{"evidence":"x"}`), http.StatusNotFound, domain.ENOTFOUND)
		mustAPIError(t, f.do(t, f.tok["hanoi"], "GET", fmt.Sprintf("/api/v1/campaigns/%d/calendar", f.campaignID), ""), http.StatusNotFound, domain.ENOTFOUND)
		mustAPIError(t, f.do(t, f.tok["hanoi"], "GET", fmt.Sprintf("/api/v1/campaigns/%d/indicators", f.campaignID), ""), http.StatusNotFound, domain.ENOTFOUND)
		// The platform admin never sees inside a report.
		mustAPIError(t, f.do(t, f.tok["admin"], "GET", rp, ""), http.StatusForbidden, domain.EFORBIDDEN)
		// Function-level: the police cannot review or assess, the ward cannot enter baselines.
		mustAPIError(t, f.do(t, f.tok["police"], "POST", rp+"/accept", ""), http.StatusForbidden, domain.EFORBIDDEN)
		mustAPIError(t, f.do(t, f.tok["police"], "POST", rp+"/assessment", `{"met":true}`), http.StatusForbidden, domain.EFORBIDDEN)
		mustAPIError(t, f.do(t, f.tok["district"], "PATCH", rp, saveBody(r.Version, `{"patrols":1}`)), http.StatusForbidden, domain.EFORBIDDEN)
		// A ward in the same campaign reads the calendar of its province.
		f.must(t, f.tok["ward2"], "GET", fmt.Sprintf("/api/v1/campaigns/%d/calendar", f.campaignID), "", http.StatusOK, nil)
	})
}

// TestCalendarAndCatalogue: the province edits the calendar while no report
// is submitted and adds its own indicators, whose entry rights apply.
func TestCalendarAndCatalogue(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		cp := fmt.Sprintf("/api/v1/campaigns/%d/calendar", f.campaignID)
		var cal struct {
			Periods []domain.Period `json:"periods"`
			Locked  bool            `json:"locked"`
		}
		f.must(t, f.tok["province"], "GET", cp, "", http.StatusOK, &cal)
		periods := cal.Periods
		periods[0].Due = domain.Date{Year: 2024, Month: 3, Day: 15}
		b, _ := json.Marshal(map[string]any{"periods": periods})
		mustAPIError(t, f.do(t, f.tok["district"], "PUT", cp, string(b)), http.StatusForbidden, domain.EFORBIDDEN)
		f.must(t, f.tok["province"], "PUT", cp, string(b), http.StatusOK, &cal)
		if cal.Periods[0].Due.String() != "2024-03-15" || cal.Locked {
			t.Errorf("calendar = %+v", cal)
		}
		bad := append([]domain.Period(nil), periods...)
		bad[1].End = domain.Date{Year: 2023, Month: 1, Day: 1}
		b, _ = json.Marshal(map[string]any{"periods": bad})
		e := mustAPIError(t, f.do(t, f.tok["province"], "PUT", cp, string(b)), http.StatusBadRequest, domain.EINVALID)
		if e.Error.Fields["periods[1].end"] == "" {
			t.Errorf("fields = %v", e.Error.Fields)
		}
		b, _ = json.Marshal(map[string]any{"periods": periods[:3]})
		e = mustAPIError(t, f.do(t, f.tok["province"], "PUT", cp, string(b)), http.StatusBadRequest, domain.EINVALID)
		if e.Error.Fields["exit_period"] == "" {
			t.Errorf("removing the exit period: fields = %v", e.Error.Fields)
		}
		// A draft report in Q3 keeps Q3 in the calendar.
		f.must(t, f.tok["ward"], "PATCH", reportPath(f.nenhTA, "Q3"), saveBody(0, `{"patrols":2}`), http.StatusOK, nil)
		b, _ = json.Marshal(map[string]any{"periods": []domain.Period{periods[0], periods[1], periods[3]}})
		mustAPIError(t, f.do(t, f.tok["province"], "PUT", cp, string(b)), http.StatusConflict, domain.ECONFLICT)
		// Monthly reports exist for the assigned member.
		f.must(t, f.tok["police"], "PATCH", reportPath(f.nenhTA, "T02"), saveBody(0, `{"patrols":4}`), http.StatusOK, nil)
		mustAPIError(t, f.do(t, f.tok["police"], "PATCH", reportPath(f.nenhTA, "Q9"), saveBody(0, `{"patrols":4}`)), http.StatusNotFound, domain.ENOTFOUND)

		ip := fmt.Sprintf("/api/v1/campaigns/%d/indicators", f.campaignID)
		ind := `{"code":"cameras_installed","label":"Số camera an ninh lắp mới","unit":"chiếc","type":"count","entered_by":["ward"]}`
		mustAPIError(t, f.do(t, f.tok["district"], "POST", ip, ind), http.StatusForbidden, domain.EFORBIDDEN)
		var cat struct {
			Indicators []struct {
				Code    string `json:"code"`
				Default bool   `json:"default"`
			} `json:"indicators"`
		}
		f.must(t, f.tok["province"], "POST", ip, ind, http.StatusCreated, &cat)
		if n := len(cat.Indicators); n != len(domain.DefaultIndicators())+1 || cat.Indicators[n-1].Code != "cameras_installed" || cat.Indicators[n-1].Default {
			t.Errorf("catalogue = %+v", cat)
		}
		mustAPIError(t, f.do(t, f.tok["province"], "POST", ip, ind), http.StatusConflict, domain.ECONFLICT)
		e = mustAPIError(t, f.do(t, f.tok["province"], "POST", ip, `{"code":"Bad Code","label":"","entered_by":["mayor"]}`), http.StatusBadRequest, domain.EINVALID)
		for _, fld := range []string{"code", "label", "entered_by"} {
			if e.Error.Fields[fld] == "" {
				t.Errorf("bad indicator: fields %v do not name %s", e.Error.Fields, fld)
			}
		}
		var r apiReport
		f.must(t, f.tok["ward"], "PATCH", reportPath(f.nenhTA, "Q1"), saveBody(0, `{"cameras_installed":12}`), http.StatusOK, &r)
		e = mustAPIError(t, f.do(t, f.tok["police"], "PATCH", reportPath(f.nenhTA, "Q1"), saveBody(r.Version, `{"cameras_installed":13}`)), http.StatusForbidden, domain.EFORBIDDEN)
		if e.Error.Fields["cameras_installed"] == "" {
			t.Errorf("fields = %v", e.Error.Fields)
		}
		// The province lets wards enter a crime figure.
		mustAPIError(t, f.do(t, f.tok["ward"], "PATCH", reportPath(f.nenhTA, "Q1"), saveBody(r.Version, `{"tips_received":3}`)), http.StatusForbidden, domain.EFORBIDDEN)
		f.must(t, f.tok["province"], "PATCH", ip+"/tips_received", `{"entered_by":["police","ward"]}`, http.StatusOK, nil)
		f.must(t, f.tok["ward"], "PATCH", reportPath(f.nenhTA, "Q1"), saveBody(r.Version, `{"tips_received":3}`), http.StatusOK, &r)
		mustAPIError(t, f.do(t, f.tok["province"], "PATCH", ip+"/political_system", `{"entered_by":["ward"]}`), http.StatusBadRequest, domain.EINVALID)
		mustAPIError(t, f.do(t, f.tok["province"], "PATCH", ip+"/nope", `{"label":"x"}`), http.StatusNotFound, domain.ENOTFOUND)
	})
}

// TestReportOpenAPI: the report endpoints are documented with resolvable schemas.
func TestReportOpenAPI(t *testing.T) {
	srv, _ := mustServer(t, storetest.MustSQLite(t))
	b, err := json.Marshal(srv.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/v1/reports/{id}/submit", "/api/v1/target-areas/{id}/reports/{period}", "/api/v1/target-areas/{id}/evaluations/{period}",
		"/api/v1/target-areas/{id}/exit-decision", "/api/v1/campaigns/{id}/calendar", "/api/v1/campaigns/{id}/indicators"} {
		if len(doc.Paths[p]) == 0 {
			t.Errorf("%s is not documented", p)
		}
	}
	for _, ref := range regexpRefs.FindAllStringSubmatch(string(b), -1) {
		if _, ok := doc.Components.Schemas[ref[1]]; !ok {
			t.Errorf("$ref %s does not resolve", ref[1])
		}
	}
}

var regexpRefs = regexp.MustCompile(`"#/components/schemas/([A-Za-z]+)"`)
