package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestTwoTierWardCycle runs a ward directly under the province (the
// two-tier local government since 1 July 2025) through the whole
// programme: the unit directly above a ward does what the seed asks of
// "the district", so here the province proposes the area, reviews
// (returns, accepts) and assesses its reports and proposes its exit, and
// decides as always. A ward under a district stays the district's: the
// province can neither propose it, nor review or assess its reports, nor
// propose its exit.
func TestTwoTierWardCycle(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		w0 := f.unit(t, tenants.NewUnit{Code: "07999", Name: "Xã Hai Cấp", Kind: "ward", ParentID: &f.prov.ID})
		ward0 := f.user(t, "u.ward0", w0, "ward")
		police0 := f.user(t, "u.police0", w0, "police")
		ppolice := f.user(t, "u.ppolice", f.prov, "police")
		prov, dist := f.tok["province"], f.tok["district"]
		propose := func(tok string, unit int64) response {
			return f.do(t, tok, "POST", "/api/v1/target-areas", fmt.Sprintf(`{"campaign_id":%d,"unit_ids":[%d],"reason":"Phức tạp về ma túy"}`, f.campaignID, unit))
		}
		// enter saves the two-tier ward's and its police's figures, meeting every criterion.
		enter := func(ta int64, period string) apiReport {
			t.Helper()
			var r apiReport
			f.must(t, ward0, "GET", reportPath(ta, period), "", http.StatusOK, &r)
			f.must(t, ward0, "PATCH", reportPath(ta, period), saveBody(r.Version,
				`{"households":800,"households_reached":800,"models_active":2,"models_effective":1,"community_rules":true,"patrols":4}`), http.StatusOK, &r)
			baseline := ""
			if period != domain.PeriodYear {
				baseline = `,"incidents_baseline":20`
			}
			f.must(t, police0, "PATCH", reportPath(ta, period), saveBody(r.Version,
				`{"tips_received":6,"tips_processed":6,"organised_crime":false,"cases_initiated":3,"cases_solved":3,"serious_initiated":0,"serious_solved":0,"released_residing":4,"reoffending":0,"incidents_current":8`+baseline+`}`),
				http.StatusOK, &r)
			return r
		}

		var ta int64
		t.Run("the province proposes and approves the ward directly under it", func(t *testing.T) {
			// The district's scope does not hold the ward: as absent.
			mustAPIError(t, propose(dist, w0.ID), http.StatusBadRequest, domain.EINVALID)
			mustAPIError(t, propose(ward0, w0.ID), http.StatusForbidden, domain.EFORBIDDEN)
			// A ward under a district is the district's to propose.
			e := mustAPIError(t, propose(prov, f.quang.ID), http.StatusForbidden, domain.EFORBIDDEN)
			if e.Error.Fields["unit_ids[0]"] == "" {
				t.Errorf("the refused ward is not named: %+v", e.Error)
			}
			var list struct {
				Items []struct {
					ID               int64  `json:"id"`
					ProposedByUnitID int64  `json:"proposed_by_unit_id"`
					Status           string `json:"status"`
				} `json:"items"`
			}
			res := propose(prov, w0.ID)
			if res.Status != http.StatusCreated {
				t.Fatalf("province proposes its two-tier ward = %d %s", res.Status, res.Body)
			}
			if err := json.Unmarshal(res.Body, &list); err != nil {
				t.Fatal(err)
			}
			if len(list.Items) != 1 || list.Items[0].ProposedByUnitID != f.prov.ID || list.Items[0].Status != domain.TargetProposed {
				t.Fatalf("proposal = %+v", list)
			}
			ta = list.Items[0].ID
			f.must(t, prov, "POST", fmt.Sprintf("/api/v1/target-areas/%d/approve", ta), `{"decision":{"number":"301/QĐ-BCĐ","date":"2024-02-07"}}`, http.StatusOK, nil)
			f.must(t, prov, "POST", fmt.Sprintf("/api/v1/target-areas/%d/start", ta), `{}`, http.StatusOK, nil)
			var hist struct {
				Items []domain.TargetEvent `json:"items"`
			}
			f.must(t, ward0, "GET", fmt.Sprintf("/api/v1/target-areas/%d/history", ta), "", http.StatusOK, &hist)
			var got []string
			for _, ev := range hist.Items {
				got = append(got, ev.Action+" by "+ev.ActorRole)
			}
			if want := []string{"propose by province", "approve by province", "start by province"}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("history = %v, want %v", got, want)
			}
		})
		if ta == 0 {
			t.FailNow()
		}

		t.Run("the province reviews and assesses the ward's Q1 report", func(t *testing.T) {
			r := enter(ta, "Q1")
			f.must(t, ward0, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), "", http.StatusOK, &r)
			ret := fmt.Sprintf("/api/v1/reports/%d/return", r.ID)
			mustAPIError(t, f.do(t, dist, "POST", ret, `{"reason":"x"}`), http.StatusNotFound, domain.ENOTFOUND)
			mustAPIError(t, f.do(t, ward0, "POST", ret, `{"reason":"x"}`), http.StatusForbidden, domain.EFORBIDDEN)
			f.must(t, prov, "POST", ret, `{"reason":"Bổ sung số lượt tuần tra","fields":{"patrols":"Kiểm tra lại"}}`, http.StatusOK, &r)
			if r.Status != domain.ReportReturned || r.ReviewComment == "" {
				t.Fatalf("returned = %+v", r)
			}
			f.must(t, ward0, "PATCH", reportPath(ta, "Q1"), saveBody(r.Version, `{"patrols":6}`), http.StatusOK, &r)
			f.must(t, ward0, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), "", http.StatusOK, &r)
			f.must(t, prov, "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", r.ID), `{"met":true,"note":"Hệ thống chính trị vững mạnh"}`, http.StatusOK, &r)
			f.must(t, prov, "POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), `{"comment":"Đạt yêu cầu"}`, http.StatusOK, &r)
			if r.Status != domain.ReportAccepted || r.Assessment == nil || !r.Assessment.Met || r.SubmittedRevision != 2 {
				t.Fatalf("accepted = %+v", r)
			}
			var ev apiEvaluation
			f.must(t, ward0, "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q1", ta), "", http.StatusOK, &ev)
			if ev.MetCount != 7 || ev.C2 != "met" {
				t.Errorf("evaluation = %+v", ev)
			}
		})

		t.Run("a ward under a district stays the district's", func(t *testing.T) {
			r := enterReport(t, f, f.nenhTA, "Q1", 1200, 1200)
			f.must(t, f.tok["ward"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), "", http.StatusOK, &r)
			for _, step := range []struct{ path, body string }{
				{"return", `{"reason":"x"}`}, {"accept", `{}`}, {"assessment", `{"met":false,"note":"Chưa kiện toàn"}`},
			} {
				e := mustAPIError(t, f.do(t, prov, "POST", fmt.Sprintf("/api/v1/reports/%d/%s", r.ID, step.path), step.body), http.StatusForbidden, domain.EFORBIDDEN)
				if e.Error.Message == "" {
					t.Errorf("%s: no message", step.path)
				}
			}
			f.must(t, dist, "GET", fmt.Sprintf("/api/v1/reports/%d", r.ID), "", http.StatusOK, &r)
			if r.Status != domain.ReportSubmitted || r.Assessment != nil {
				t.Fatalf("the province's refused steps changed the report: %+v", r)
			}
			f.must(t, dist, "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", r.ID), `{"met":true,"note":"Vững mạnh"}`, http.StatusOK, nil)
			f.must(t, dist, "POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), `{}`, http.StatusOK, nil)
			mustAPIError(t, f.do(t, prov, "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", f.nenhTA), `{"evidence":"Đủ 7 tiêu chí"}`), http.StatusForbidden, domain.EFORBIDDEN)
		})

		t.Run("the province proposes the exit and decides it", func(t *testing.T) {
			f.must(t, ppolice, "PUT", fmt.Sprintf("/api/v1/target-areas/%d/baseline", ta),
				`{"incidents":20,"period_from":"2022-12-15","period_to":"2023-12-12","version":0}`, http.StatusOK, nil)
			f.clock.Set(vnTime(2024, time.December, 10))
			year := enter(ta, domain.PeriodYear)
			f.must(t, police0, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", year.ID), "", http.StatusOK, &year)
			f.must(t, prov, "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", year.ID), `{"met":true,"note":"Vững mạnh"}`, http.StatusOK, nil)
			f.must(t, prov, "POST", fmt.Sprintf("/api/v1/reports/%d/accept", year.ID), `{}`, http.StatusOK, &year)
			path := fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", ta)
			mustAPIError(t, f.do(t, dist, "POST", path, `{"evidence":"x"}`), http.StatusNotFound, domain.ENOTFOUND)
			mustAPIError(t, f.do(t, ward0, "POST", path, `{"evidence":"x"}`), http.StatusForbidden, domain.EFORBIDDEN)
			var x struct {
				TargetStatus string `json:"target_status"`
				Snapshot     struct {
					ReportID   int64 `json:"report_id"`
					Evaluation struct {
						AllMet bool `json:"all_met"`
					} `json:"evaluation"`
				} `json:"snapshot"`
			}
			f.must(t, prov, "POST", path, `{"evidence":"Báo cáo năm 2024 đạt đủ 7 tiêu chí"}`, http.StatusCreated, &x)
			if x.TargetStatus != domain.TargetExitProposed || x.Snapshot.ReportID != year.ID || !x.Snapshot.Evaluation.AllMet {
				t.Fatalf("proposal = %+v", x)
			}
			var d struct {
				TargetStatus string `json:"target_status"`
			}
			f.must(t, prov, "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-decision", ta),
				`{"outcome":"exited","decision":{"number":"1250/QĐ-BCĐ","date":"2024-12-25"}}`, http.StatusOK, &d)
			if d.TargetStatus != domain.TargetExited {
				t.Fatalf("decision = %+v", d)
			}
			var hist struct {
				Items []domain.TargetEvent `json:"items"`
			}
			f.must(t, prov, "GET", fmt.Sprintf("/api/v1/target-areas/%d/history", ta), "", http.StatusOK, &hist)
			if n := len(hist.Items); n < 2 || hist.Items[n-2].Action != domain.TargetActProposeExit || hist.Items[n-2].ActorRole != domain.RoleProvince ||
				hist.Items[n-1].Action != domain.TargetActDecideExit {
				t.Errorf("history = %+v", hist.Items)
			}
		})
	})
}
