package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/cache"
	"chuyenhoa/store/storetest"
)

// enterReport saves the ward's and the police's figures of a report and
// returns it; values that meet every criterion unless changed later.
func enterReport(t *testing.T, f *reportFixture, ta int64, period string, households, reached int) apiReport {
	t.Helper()
	var r apiReport
	f.must(t, f.tok["ward"], "GET", reportPath(ta, period), "", http.StatusOK, &r)
	f.must(t, f.tok["ward"], "PATCH", reportPath(ta, period), saveBody(r.Version,
		fmt.Sprintf(`{"households":%d,"households_reached":%d,"models_active":3,"models_effective":2,"community_rules":true,"propaganda_sessions":6}`, households, reached)),
		http.StatusOK, &r)
	// The yearly baseline record only serves the Year report (criterion 7
	// compares like with like); a shorter period carries its own count.
	baseline := ""
	if period != domain.PeriodYear {
		baseline = `,"incidents_baseline":12`
	}
	f.must(t, f.tok["police"], "PATCH", reportPath(ta, period), saveBody(r.Version,
		`{"tips_received":12,"tips_processed":12,"organised_crime":false,"cases_initiated":5,"cases_solved":4,"serious_initiated":1,"serious_solved":1,"released_residing":10,"reoffending":1,"incidents_current":9`+baseline+`}`),
		http.StatusOK, &r)
	return r
}

// TestReportScenario2024 runs the seed's 2024 scenario through the API:
// Nếnh's Q1 report entered by the ward and the police, returned once with a
// reason, corrected, accepted and evaluated; the Year report meets every
// criterion; the district proposes the exit; the province decides exited.
func TestReportScenario2024(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		ta := f.nenhTA
		q1 := reportPath(ta, "Q1")

		t.Run("calendar and catalogue", func(t *testing.T) {
			var cal struct {
				Periods []domain.Period `json:"periods"`
				Locked  bool            `json:"locked"`
			}
			f.must(t, f.tok["ward"], "GET", fmt.Sprintf("/api/v1/campaigns/%d/calendar", f.campaignID), "", http.StatusOK, &cal)
			if len(cal.Periods) != 4 || cal.Periods[0].Code != "Q1" || cal.Periods[0].Due.String() != "2024-03-13" || cal.Locked {
				t.Errorf("calendar = %+v", cal)
			}
			var cat struct {
				Indicators []struct {
					Code      string   `json:"code"`
					EnteredBy []string `json:"entered_by"`
					Default   bool     `json:"default"`
				} `json:"indicators"`
			}
			f.must(t, f.tok["police"], "GET", fmt.Sprintf("/api/v1/campaigns/%d/indicators", f.campaignID), "", http.StatusOK, &cat)
			if got, want := len(cat.Indicators), len(domain.DefaultIndicators()); got != want {
				t.Errorf("catalogue has %d indicators, want %d", got, want)
			}
		})

		t.Run("baseline by district police", func(t *testing.T) {
			body := `{"incidents":50,"period_from":"2022-12-15","period_to":"2023-12-12","note":"Số liệu năm 2023","version":0}`
			mustAPIError(t, f.do(t, f.tok["ward"], "PUT", fmt.Sprintf("/api/v1/target-areas/%d/baseline", ta), body), http.StatusForbidden, domain.EFORBIDDEN)
			mustAPIError(t, f.do(t, f.tok["police"], "PUT", fmt.Sprintf("/api/v1/target-areas/%d/baseline", ta), body), http.StatusForbidden, domain.EFORBIDDEN)
			var b struct {
				Incidents int64 `json:"incidents"`
				Version   int   `json:"version"`
			}
			f.must(t, f.tok["dpolice"], "PUT", fmt.Sprintf("/api/v1/target-areas/%d/baseline", ta), body, http.StatusOK, &b)
			if b.Incidents != 50 || b.Version != 1 {
				t.Errorf("baseline = %+v", b)
			}
		})

		var r apiReport
		t.Run("Q1 entered by ward and police", func(t *testing.T) {
			f.must(t, f.tok["ward"], "GET", q1, "", http.StatusOK, &r)
			if r.ID != 0 || r.Version != 0 || r.Status != "draft" {
				t.Fatalf("empty report = %+v", r)
			}
			// Reached is short of the households: the district will return it.
			r = enterReport(t, f, ta, "Q1", 1200, 1150)
			if r.Version != 2 || r.Status != "draft" || len(r.Values) != 17 {
				t.Fatalf("after two saves = %+v", r)
			}
			// Crime figures are the police's: the ward is refused, naming them.
			e := mustAPIError(t, f.do(t, f.tok["ward"], "PATCH", q1, saveBody(r.Version, `{"tips_received":1,"cases_solved":0,"patrols":3}`)), http.StatusForbidden, domain.EFORBIDDEN)
			if _, ok := e.Error.Fields["tips_received"]; !ok || len(e.Error.Fields) != 2 {
				t.Errorf("forbidden fields = %v, want tips_received and cases_solved", e.Error.Fields)
			}
			// A bad value names the field; nothing is saved.
			e = mustAPIError(t, f.do(t, f.tok["police"], "PATCH", q1, saveBody(r.Version, `{"tips_processed":13,"patrols":-1,"nope":1}`)), http.StatusBadRequest, domain.EINVALID)
			for _, code := range []string{"tips_processed", "patrols", "nope"} {
				if e.Error.Fields[code] == "" {
					t.Errorf("400 does not name %s: %v", code, e.Error.Fields)
				}
			}
			var again apiReport
			f.must(t, f.tok["ward"], "GET", q1, "", http.StatusOK, &again)
			if again.Version != r.Version || string(again.Values["tips_processed"]) != "12" {
				t.Errorf("refused saves changed the report: %+v", again)
			}
		})

		t.Run("submit, return with reason, correct, resubmit", func(t *testing.T) {
			sub := fmt.Sprintf("/api/v1/reports/%d/submit", r.ID)
			res := f.must(t, f.tok["ward"], "POST", sub, fmt.Sprintf(`{"version":%d}`, r.Version), http.StatusOK, &r)
			if r.Status != "submitted" || r.SubmittedRevision != 1 || r.Late || r.Timeliness != "on_time" {
				t.Fatalf("submitted = %+v", r)
			}
			_ = res
			// Submitted: never changed in place.
			mustAPIError(t, f.do(t, f.tok["police"], "PATCH", q1, saveBody(r.Version, `{"patrols":1}`)), http.StatusConflict, domain.ECONFLICT)
			// The ward cannot review; a reason is required.
			mustAPIError(t, f.do(t, f.tok["ward"], "POST", fmt.Sprintf("/api/v1/reports/%d/return", r.ID), `{"reason":"x"}`), http.StatusForbidden, domain.EFORBIDDEN)
			mustAPIError(t, f.do(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/return", r.ID), `{"reason":" "}`), http.StatusBadRequest, domain.EINVALID)
			f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/return", r.ID),
				`{"reason":"Số hộ được tuyên truyền chưa đủ 100%","fields":{"households_reached":"Kiểm tra lại số hộ được tuyên truyền"}}`, http.StatusOK, &r)
			if r.Status != "returned" || r.Revision != 2 || r.FieldComments["households_reached"] == "" || !strings.Contains(r.ReviewComment, "tuyên truyền") {
				t.Fatalf("returned = %+v", r)
			}
			f.must(t, f.tok["ward"], "PATCH", q1, saveBody(r.Version, `{"households_reached":1200}`), http.StatusOK, &r)
			f.clock.Set(vnTime(2024, time.March, 12))
			f.must(t, f.tok["ward"], "POST", sub, "", http.StatusOK, &r)
			if r.Status != "submitted" || r.SubmittedRevision != 2 {
				t.Fatalf("resubmitted = %+v", r)
			}
		})

		t.Run("revisions kept and diff readable", func(t *testing.T) {
			var revs struct {
				Items []struct {
					Revision int                        `json:"revision"`
					Values   map[string]json.RawMessage `json:"values"`
				} `json:"items"`
			}
			f.must(t, f.tok["district"], "GET", fmt.Sprintf("/api/v1/reports/%d/revisions", r.ID), "", http.StatusOK, &revs)
			if len(revs.Items) != 2 || string(revs.Items[0].Values["households_reached"]) != "1150" || string(revs.Items[1].Values["households_reached"]) != "1200" {
				t.Fatalf("revisions = %+v", revs)
			}
			var d struct {
				Changes []struct {
					Code string          `json:"code"`
					Old  json.RawMessage `json:"old"`
					New  json.RawMessage `json:"new"`
				} `json:"changes"`
			}
			f.must(t, f.tok["ward"], "GET", fmt.Sprintf("/api/v1/reports/%d/diff?from=1&to=2", r.ID), "", http.StatusOK, &d)
			if len(d.Changes) != 1 || d.Changes[0].Code != "households_reached" || string(d.Changes[0].Old) != "1150" || string(d.Changes[0].New) != "1200" {
				t.Errorf("diff = %+v", d)
			}
			mustAPIError(t, f.do(t, f.tok["ward"], "GET", fmt.Sprintf("/api/v1/reports/%d/diff?from=1&to=9", r.ID), ""), http.StatusNotFound, domain.ENOTFOUND)
		})

		t.Run("assessed, accepted, evaluated", func(t *testing.T) {
			mustAPIError(t, f.do(t, f.tok["ward"], "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", r.ID), `{"met":true}`), http.StatusForbidden, domain.EFORBIDDEN)
			f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", r.ID), `{"met":true,"note":"Hệ thống chính trị vững mạnh"}`, http.StatusOK, &r)
			f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), `{"comment":"Đạt yêu cầu"}`, http.StatusOK, &r)
			if r.Status != "accepted" || r.Assessment == nil || !r.Assessment.Met {
				t.Fatalf("accepted = %+v", r)
			}
			mustAPIError(t, f.do(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/return", r.ID), `{"reason":"muộn"}`), http.StatusConflict, domain.ECONFLICT)
			var ev apiEvaluation
			f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q1", ta), "", http.StatusOK, &ev)
			if ev.ReportStatus != "accepted" || ev.Timeliness != "on_time" || ev.MetCount != 7 || !ev.AllMet {
				t.Errorf("evaluation = %+v", ev)
			}
			var events struct {
				Items []struct {
					Action  string `json:"action"`
					Comment string `json:"comment"`
				} `json:"items"`
			}
			f.must(t, f.tok["ward"], "GET", fmt.Sprintf("/api/v1/reports/%d/events", r.ID), "", http.StatusOK, &events)
			var actions []string
			for _, e := range events.Items {
				actions = append(actions, e.Action)
			}
			if got, want := strings.Join(actions, ","), "create,submit,return,submit,assess,accept"; got != want {
				t.Errorf("history = %s, want %s", got, want)
			}
			// The calendar is locked once a report is submitted.
			var cal struct {
				Periods []domain.Period `json:"periods"`
			}
			f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/campaigns/%d/calendar", f.campaignID), "", http.StatusOK, &cal)
			b, _ := json.Marshal(map[string]any{"periods": cal.Periods})
			mustAPIError(t, f.do(t, f.tok["province"], "PUT", fmt.Sprintf("/api/v1/campaigns/%d/calendar", f.campaignID), string(b)), http.StatusConflict, domain.ECONFLICT)
			var camp struct {
				Version  int             `json:"version"`
				Calendar []domain.Period `json:"calendar"`
			}
			f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/campaigns/%d", f.campaignID), "", http.StatusOK, &camp)
			camp.Calendar[0].Due = domain.Date{Year: 2024, Month: time.March, Day: 20}
			b, _ = json.Marshal(map[string]any{"version": camp.Version, "calendar": camp.Calendar})
			mustAPIError(t, f.do(t, f.tok["province"], "PATCH", fmt.Sprintf("/api/v1/campaigns/%d", f.campaignID), string(b)), http.StatusConflict, domain.ECONFLICT)
			b, _ = json.Marshal(map[string]any{"version": camp.Version, "title": "Chuyển hóa năm 2024 (sửa tên)"})
			f.must(t, f.tok["province"], "PATCH", fmt.Sprintf("/api/v1/campaigns/%d", f.campaignID), string(b), http.StatusOK, nil)
		})

		t.Run("exit refused before the Year report", func(t *testing.T) {
			mustAPIError(t, f.do(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", ta), `{"evidence":"Đủ 7 tiêu chí"}`), http.StatusConflict, domain.ECONFLICT)
		})

		var year apiReport
		t.Run("Year report meets every criterion", func(t *testing.T) {
			f.clock.Set(vnTime(2024, time.December, 10))
			year = enterReport(t, f, ta, "NAM", 1200, 1200)
			f.must(t, f.tok["police"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", year.ID), "", http.StatusOK, &year)
			f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", year.ID), `{"met":true,"note":"Vững mạnh"}`, http.StatusOK, nil)
			// Not yet accepted: no proposal.
			mustAPIError(t, f.do(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", ta), `{"evidence":"Đủ 7 tiêu chí"}`), http.StatusConflict, domain.ECONFLICT)
			f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/accept", year.ID), "", http.StatusOK, &year)
			var ev apiEvaluation
			f.must(t, f.tok["district"], "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/NAM", ta), "", http.StatusOK, &ev)
			want := [7]string{"met", "met", "met", "met", "met", "met", "met"}
			if ev.statuses() != want || ev.MetCount != 7 || !ev.AllMet || ev.ReportStatus != "accepted" {
				t.Fatalf("Year evaluation = %+v", ev)
			}
			if r := ev.Result.Criteria[6].Reason; !strings.Contains(r, "(50 − 9)/50 = 82,00% ≥ 10%") {
				t.Errorf("criterion 7 reason = %q (baseline from the target area)", r)
			}
		})

		t.Run("district proposes exit, province decides exited", func(t *testing.T) {
			path := fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", ta)
			mustAPIError(t, f.do(t, f.tok["ward"], "POST", path, `{"evidence":"x"}`), http.StatusForbidden, domain.EFORBIDDEN)
			mustAPIError(t, f.do(t, f.tok["district2"], "POST", path, `{"evidence":"x"}`), http.StatusNotFound, domain.ENOTFOUND)
			mustAPIError(t, f.do(t, f.tok["district"], "POST", path, `{"evidence":""}`), http.StatusBadRequest, domain.EINVALID)
			var x struct {
				ID           int64  `json:"id"`
				TargetStatus string `json:"target_status"`
				Snapshot     struct {
					ReportID   int64 `json:"report_id"`
					Evaluation struct {
						AllMet bool `json:"all_met"`
					} `json:"evaluation"`
					Evidence string `json:"evidence"`
				} `json:"snapshot"`
			}
			f.must(t, f.tok["district"], "POST", path, `{"evidence":"Báo cáo năm 2024 đạt đủ 7 tiêu chí"}`, http.StatusCreated, &x)
			if x.TargetStatus != "exit_proposed" || x.Snapshot.ReportID != year.ID || !x.Snapshot.Evaluation.AllMet || x.Snapshot.Evidence == "" {
				t.Fatalf("proposal = %+v", x)
			}
			dec := fmt.Sprintf("/api/v1/target-areas/%d/exit-decision", ta)
			mustAPIError(t, f.do(t, f.tok["district"], "POST", dec, `{"outcome":"exited","decision":{"number":"1/QĐ","date":"2024-12-25"}}`), http.StatusForbidden, domain.EFORBIDDEN)
			e := mustAPIError(t, f.do(t, f.tok["province"], "POST", dec, `{"outcome":"exited"}`), http.StatusBadRequest, domain.EINVALID)
			if e.Error.Fields["decision.number"] == "" {
				t.Errorf("missing decision not named: %v", e.Error.Fields)
			}
			var d struct {
				Outcome      string           `json:"outcome"`
				TargetStatus string           `json:"target_status"`
				Decision     *domain.Document `json:"decision"`
			}
			f.must(t, f.tok["province"], "POST", dec, `{"outcome":"exited","decision":{"number":"1250/QĐ-BCĐ","date":"2024-12-25"}}`, http.StatusOK, &d)
			if d.Outcome != "exited" || d.TargetStatus != "exited" || d.Decision == nil || d.Decision.Number != "1250/QĐ-BCĐ" {
				t.Fatalf("decision = %+v", d)
			}
			mustAPIError(t, f.do(t, f.tok["province"], "POST", dec, `{"outcome":"not_exited","reason":"x"}`), http.StatusConflict, domain.ECONFLICT)
			var status string
			if err := f.db.NewSelect().TableExpr("target_areas").Column("status").Where("id = ?", ta).Scan(f.root, &status); err != nil || status != "exited" {
				t.Errorf("target area status = %q, %v", status, err)
			}
		})

		t.Run("audited and views bumped", func(t *testing.T) {
			var page struct {
				Total int `json:"total"`
			}
			f.must(t, f.tok["province"], "GET", "/api/v1/audit?object_type=report&limit=1", "", http.StatusOK, &page)
			if page.Total < 10 {
				t.Errorf("report audit entries = %d", page.Total)
			}
			f.must(t, f.tok["province"], "GET", "/api/v1/audit?object_type=target_area&limit=1", "", http.StatusOK, &page)
			if page.Total < 3 {
				t.Errorf("target area audit entries = %d", page.Total)
			}
			n, err := f.views.Store.Int(f.root, cache.VersionKey(f.prov.ID, f.campaignID))
			if err != nil || n < 10 {
				t.Errorf("view version = %d, %v", n, err)
			}
		})
	})
}
