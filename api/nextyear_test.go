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
	"chuyenhoa/store/storetest"
)

// exitArea takes a target area in progress to exited through the API: the
// baseline, an accepted Year report meeting every criterion, the district's
// proposal and the province's decision.
func exitArea(t *testing.T, f *reportFixture, ta int64) {
	t.Helper()
	f.clock.Set(vnTime(2024, time.December, 10))
	f.must(t, f.tok["dpolice"], "PUT", fmt.Sprintf("/api/v1/target-areas/%d/baseline", ta),
		`{"incidents":50,"period_from":"2022-12-15","period_to":"2023-12-12","version":0}`, http.StatusOK, nil)
	year := enterReport(t, f, ta, "NAM", 1200, 1200)
	f.must(t, f.tok["police"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", year.ID), "", http.StatusOK, nil)
	f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", year.ID), `{"met":true}`, http.StatusOK, nil)
	f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/accept", year.ID), "", http.StatusOK, nil)
	f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", ta), `{"evidence":"Đạt đủ 7 tiêu chí"}`, http.StatusCreated, nil)
	f.must(t, f.tok["province"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-decision", ta),
		`{"outcome":"exited","decision":{"number":"1250/QĐ-BCĐ","date":"2024-12-25"}}`, http.StatusOK, nil)
}

// apiTargetArea is a target area as the API answers it.
type apiTargetArea struct {
	ID            int64  `json:"id"`
	CampaignID    int64  `json:"campaign_id"`
	UnitID        int64  `json:"unit_id"`
	Status        string `json:"status"`
	Reason        string `json:"reason"`
	CarriedFromID *int64 `json:"carried_from_id"`
	Version       int    `json:"version"`
}

// apiRelapseEvaluation is a relapse-watch evaluation as the API answers it.
type apiRelapseEvaluation struct {
	Kind         string `json:"kind"`
	Relapsed     bool   `json:"relapsed"`
	ReportStatus string `json:"report_status"`
	MetCount     int    `json:"met_count"`
	AllMet       bool   `json:"all_met"`
	C1           string `json:"c1"`
	Relapse      *struct {
		Status     string `json:"status"`
		Signs      int    `json:"signs"`
		Missing    int    `json:"missing"`
		Indicators []struct {
			Code   string          `json:"code"`
			Status string          `json:"status"`
			Value  json.RawMessage `json:"value"`
			Reason string          `json:"reason"`
		} `json:"indicators"`
	} `json:"relapse"`
	Result json.RawMessage `json:"result"`
}

// TestRelapseWatch: an area exited in 2024 enters the 2025 campaign under
// relapse watch when the campaign is created; its reports hold only the
// relapse indicators and are judged on them, not on the seven criteria.
func TestRelapseWatch(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		exitArea(t, f, f.nenhTA)
		f.clock.Set(vnTime(2025, time.January, 6))
		camp25 := f.campaign(t, 2025)

		var page struct {
			Items []apiTargetArea `json:"items"`
			Total int             `json:"total"`
		}
		f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/campaigns/%d/target-areas", camp25), "", http.StatusOK, &page)
		if page.Total != 1 {
			t.Fatalf("2025 campaign has %d target areas, want Nếnh under relapse watch: %+v", page.Total, page.Items)
		}
		rw := page.Items[0]
		if rw.UnitID != f.nenh.ID || rw.Status != domain.TargetRelapseWatch || rw.CarriedFromID == nil || *rw.CarriedFromID != f.nenhTA {
			t.Fatalf("relapse watch area = %+v", rw)
		}
		if !strings.Contains(rw.Reason, "1250/QĐ-BCĐ") || !strings.Contains(rw.Reason, "2025") {
			t.Errorf("reason %q does not cite the exit decision and the year", rw.Reason)
		}
		var hist struct {
			Items []domain.TargetEvent `json:"items"`
		}
		f.must(t, f.tok["ward"], "GET", fmt.Sprintf("/api/v1/target-areas/%d/history", rw.ID), "", http.StatusOK, &hist)
		if len(hist.Items) != 1 || hist.Items[0].Action != domain.TargetActWatchRelapse || hist.Items[0].ActorRole != "province" {
			t.Errorf("history = %+v", hist.Items)
		}

		t.Run("explicit endpoint adds nothing twice, province only", func(t *testing.T) {
			path := fmt.Sprintf("/api/v1/campaigns/%d/relapse-watch", camp25)
			var list struct {
				Items []apiTargetArea `json:"items"`
			}
			f.must(t, f.tok["province"], "POST", path, "", http.StatusOK, &list)
			if len(list.Items) != 0 {
				t.Errorf("second watch created %+v", list.Items)
			}
			mustAPIError(t, f.do(t, f.tok["district"], "POST", path, ""), http.StatusForbidden, domain.EFORBIDDEN)
			mustAPIError(t, f.do(t, f.tok["ward"], "POST", path, ""), http.StatusForbidden, domain.EFORBIDDEN)
			// The 2024 campaign has no previous year: nothing to watch.
			f.must(t, f.tok["province"], "POST", fmt.Sprintf("/api/v1/campaigns/%d/relapse-watch", f.campaignID), "", http.StatusOK, &list)
			if len(list.Items) != 0 {
				t.Errorf("2024 watch created %+v", list.Items)
			}
			if n := countWhere(t, f, "target_areas", "unit_id = ?", f.nenh.ID); n != 2 {
				t.Errorf("Nếnh is %d target areas, want 2 (2024 exited, 2025 watched)", n)
			}
		})

		q1 := reportPath(rw.ID, "Q1")
		t.Run("only the relapse indicators are reported", func(t *testing.T) {
			e := mustAPIError(t, f.do(t, f.tok["ward"], "PATCH", q1, saveBody(0, `{"new_drug_users":0,"patrols":3,"households":1200}`)), http.StatusBadRequest, domain.EINVALID)
			if e.Error.Fields["patrols"] == "" || e.Error.Fields["households"] == "" || e.Error.Fields["new_drug_users"] != "" {
				t.Errorf("400 fields = %v, want patrols and households only", e.Error.Fields)
			}
			if !strings.Contains(e.Error.Fields["patrols"], "tái phức tạp") {
				t.Errorf("message %q does not say why", e.Error.Fields["patrols"])
			}
			var r apiReport
			f.must(t, f.tok["ward"], "GET", q1, "", http.StatusOK, &r)
			if r.ID != 0 || r.Version != 0 {
				t.Fatalf("a refused save stored the report: %+v", r)
			}
			// Crime figures stay the police's.
			mustAPIError(t, f.do(t, f.tok["ward"], "PATCH", q1, saveBody(0, `{"incidents_current":1}`)), http.StatusForbidden, domain.EFORBIDDEN)
			f.must(t, f.tok["ward"], "PATCH", q1, saveBody(0, `{"new_drug_users":0}`), http.StatusOK, &r)
			f.must(t, f.tok["police"], "PATCH", q1, saveBody(r.Version, `{"incidents_current":2,"organised_crime":false,"serious_initiated":0,"reoffending":0}`), http.StatusOK, &r)
			if len(r.Values) != 5 {
				t.Errorf("values = %v", r.Values)
			}
		})

		t.Run("evaluated on relapse, not on the seven criteria", func(t *testing.T) {
			var ev apiRelapseEvaluation
			f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q1", rw.ID), "", http.StatusOK, &ev)
			if ev.Kind != "relapse" || !ev.Relapsed || ev.Relapse == nil || ev.Relapse.Status != domain.RelapseSign || ev.Relapse.Signs != 1 {
				t.Fatalf("evaluation = %+v", ev)
			}
			if ev.MetCount != 0 || ev.AllMet || ev.C1 != "" || len(ev.Result) != 0 {
				t.Errorf("a relapse evaluation carries criteria: met %d, all %v, c1 %q, result %s", ev.MetCount, ev.AllMet, ev.C1, ev.Result)
			}
			if i := ev.Relapse.Indicators[0]; i.Code != domain.IndIncidentsCurrent || i.Status != domain.RelapseSign || string(i.Value) != "2" {
				t.Errorf("first indicator = %+v", i)
			}
			var r apiReport
			f.must(t, f.tok["police"], "GET", q1, "", http.StatusOK, &r)
			f.must(t, f.tok["police"], "PATCH", q1, saveBody(r.Version, `{"incidents_current":0}`), http.StatusOK, &r)
			f.must(t, f.tok["police"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), "", http.StatusOK, &r)
			f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), "", http.StatusOK, &r)
			ev = apiRelapseEvaluation{}
			f.must(t, f.tok["district"], "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q1", rw.ID), "", http.StatusOK, &ev)
			if ev.Kind != "relapse" || ev.Relapsed || ev.Relapse.Status != domain.RelapseClear || ev.ReportStatus != "accepted" {
				t.Errorf("evaluation after correction = %+v", ev)
			}
			// A criteria evaluation still says so.
			var crit apiRelapseEvaluation
			f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/NAM", f.nenhTA), "", http.StatusOK, &crit)
			if crit.Kind != "criteria" || crit.Relapse != nil || crit.MetCount != 7 {
				t.Errorf("2024 Year evaluation = %+v", crit)
			}
		})

		t.Run("no exit and no carry-over from relapse watch", func(t *testing.T) {
			mustAPIError(t, f.do(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", rw.ID), `{"evidence":"x"}`), http.StatusConflict, domain.ECONFLICT)
			mustAPIError(t, f.do(t, f.tok["province"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/carry-over", rw.ID), `{}`), http.StatusConflict, domain.ECONFLICT)
		})
	})
}

// TestCarryOver: the province carries an area still in progress into the
// next year's campaign; refused without that campaign, by another role, for
// an exited area, twice, or into a campaign that is not the next year's.
func TestCarryOver(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		quangTA := f.targetAreas(t, f.campaignID, f.quang.ID)[0]
		exitArea(t, f, f.nenhTA)
		path := fmt.Sprintf("/api/v1/target-areas/%d/carry-over", quangTA)

		e := mustAPIError(t, f.do(t, f.tok["province"], "POST", path, `{"comment":"Chưa đạt tiêu chí 5"}`), http.StatusConflict, domain.ECONFLICT)
		if !strings.Contains(e.Error.Message, "2025") {
			t.Errorf("message %q does not name the missing campaign", e.Error.Message)
		}
		var ta apiTargetArea
		f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/target-areas/%d", quangTA), "", http.StatusOK, &ta)
		if ta.Status != domain.TargetInProgress {
			t.Fatalf("a refused carry-over changed the area: %+v", ta)
		}

		f.clock.Set(vnTime(2025, time.January, 6))
		camp25 := f.campaign(t, 2025)
		mustAPIError(t, f.do(t, f.tok["district"], "POST", path, `{}`), http.StatusForbidden, domain.EFORBIDDEN)
		mustAPIError(t, f.do(t, f.tok["ward"], "POST", path, `{}`), http.StatusForbidden, domain.EFORBIDDEN)
		e = mustAPIError(t, f.do(t, f.tok["province"], "POST", path, fmt.Sprintf(`{"campaign_id":%d}`, f.campaignID)), http.StatusBadRequest, domain.EINVALID)
		if e.Error.Fields["campaign_id"] == "" {
			t.Errorf("400 does not name campaign_id: %v", e.Error.Fields)
		}
		mustAPIError(t, f.do(t, f.tok["province"], "POST", path, `{"version":99}`), http.StatusConflict, domain.ECONFLICT)
		mustAPIError(t, f.do(t, f.tok["province"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/carry-over", f.nenhTA), `{}`), http.StatusConflict, domain.ECONFLICT)

		var res struct {
			CarriedOver apiTargetArea `json:"carried_over"`
			Next        apiTargetArea `json:"next"`
		}
		f.must(t, f.tok["province"], "POST", path, fmt.Sprintf(`{"campaign_id":%d,"comment":"Chưa đạt tiêu chí 5","decision":{"number":"15/QĐ-BCĐ","date":"2025-01-06"}}`, camp25), http.StatusCreated, &res)
		if res.CarriedOver.ID != quangTA || res.CarriedOver.Status != domain.TargetCarriedOver {
			t.Errorf("old area = %+v", res.CarriedOver)
		}
		n := res.Next
		if n.CampaignID != camp25 || n.UnitID != f.quang.ID || n.Status != domain.TargetApproved || n.CarriedFromID == nil || *n.CarriedFromID != quangTA {
			t.Fatalf("next area = %+v", n)
		}
		if !strings.Contains(n.Reason, "2024") || !strings.Contains(n.Reason, "Chưa đạt tiêu chí 5") {
			t.Errorf("reason %q", n.Reason)
		}
		mustAPIError(t, f.do(t, f.tok["province"], "POST", path, `{}`), http.StatusConflict, domain.ECONFLICT)

		// The continuation goes on through the normal workflow and reports in full.
		f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/start", n.ID), `{}`, http.StatusOK, nil)
		f.must(t, f.tok["dpolice"], "PATCH", reportPath(n.ID, "Q1"), saveBody(0, `{"households":800,"patrols":3}`), http.StatusOK, nil)

		var hist struct {
			Items []struct {
				CampaignYear int `json:"campaign_year"`
				TargetArea   struct {
					Status string `json:"status"`
				} `json:"target_area"`
				Events []domain.TargetEvent `json:"events"`
			} `json:"items"`
		}
		f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/units/%d/target-history", f.quang.ID), "", http.StatusOK, &hist)
		if len(hist.Items) != 2 || hist.Items[0].TargetArea.Status != domain.TargetCarriedOver || hist.Items[1].CampaignYear != 2025 {
			t.Fatalf("history = %+v", hist.Items)
		}
		if ev := hist.Items[1].Events[0]; ev.Action != domain.TargetActCarryIn || ev.Decision == nil || ev.Decision.Number != "15/QĐ-BCĐ" {
			t.Errorf("first 2025 event = %+v", ev)
		}
		if got := countWhere(t, f, "audit_log", "action IN ('target_area.carry_over', 'target_area.carry_in')"); got != 2 {
			t.Errorf("carry-over audit entries = %d, want 2", got)
		}
	})
}

// countWhere counts the rows of table matching where.
func countWhere(t *testing.T, f *reportFixture, table, where string, args ...any) int {
	t.Helper()
	n, err := f.db.NewSelect().Table(table).Where(where, args...).Count(f.root)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
