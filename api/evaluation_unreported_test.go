package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestEvaluationBeforeAnyValue: a period with no saved value answers the
// evaluation with every criterion missing (it used to be a 404), and the
// catalogue says how political_system is entered.
func TestEvaluationBeforeAnyValue(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		w := f.unit(t, tenants.NewUnit{Code: "09901", Name: "Xã Chưa Báo Cáo", Kind: "ward", ParentID: &f.dist.ID})
		ta := f.targetAreas(t, f.campaignID, w.ID)[0]
		var ev apiEvaluation
		f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q1", ta), "", http.StatusOK, &ev)
		if ev.Period != "Q1" || ev.MetCount != 0 || ev.AllMet || ev.Timeliness == "" {
			t.Errorf("evaluation %+v", ev)
		}
		for i, st := range ev.statuses() {
			if st != "missing" {
				t.Errorf("c%d = %q, want missing", i+1, st)
			}
		}
		if len(ev.Result.Criteria) != 7 {
			t.Errorf("%d criteria in the result, want 7", len(ev.Result.Criteria))
		}
		// A period the campaign does not have, and another scope's area,
		// stay 404.
		f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q9", ta), "", http.StatusNotFound, nil)
		f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q1", 987654321), "", http.StatusNotFound, nil)

		var cat struct {
			Indicators []struct {
				Code           string   `json:"code"`
				EnteredBy      []string `json:"entered_by"`
				EnteredThrough string   `json:"entered_through"`
			} `json:"indicators"`
		}
		f.must(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/campaigns/%d/indicators", f.campaignID), "", http.StatusOK, &cat)
		found := false
		for _, ind := range cat.Indicators {
			if ind.Code == "political_system" {
				found = true
				if ind.EnteredThrough != "assessment" {
					b, _ := json.Marshal(ind)
					t.Errorf("political_system %s does not say it is set through the assessment", b)
				}
			} else if ind.EnteredThrough != "" {
				t.Errorf("%s entered through %q", ind.Code, ind.EnteredThrough)
			}
		}
		if !found {
			t.Error("no political_system in the catalogue")
		}
	})
}
