package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/outbox"
	"chuyenhoa/store/storetest"
)

// eventCounts counts the queued domain events by type.
func eventCounts(t *testing.T, db *bun.DB) map[string]int {
	t.Helper()
	evs, err := outbox.FindEvents(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, ev := range evs {
		n[ev.Type]++
		if ev.TenantID == 0 {
			t.Errorf("event %+v names no tenant: its views would not be invalidated", ev)
		}
	}
	return n
}

// Every acknowledged write emits its event exactly once, in its own
// transaction; a refused write emits none.
func TestEventsOncePerAcknowledgedWrite(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		want := map[string]int{domain.EventTargetAreaApproved: 1} // the fixture approved Nếnh
		check := func(step string) {
			t.Helper()
			if got := eventCounts(t, db); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("after %s: events %v, want %v", step, got, want)
			}
		}
		check("the fixture")

		// A refused approval (already approved) emits nothing.
		mustAPIError(t, f.do(t, f.tok["province"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/approve", f.nenhTA),
			`{"decision":{"number":"301/QĐ-BCĐ","date":"2024-02-07"}}`), http.StatusConflict, domain.ECONFLICT)
		check("a refused approval")

		var plan struct {
			ID int64 `json:"id"`
		}
		body, _ := json.Marshal(districtPlanBody(f.nenhTA))
		f.must(t, f.tok["district"], "POST", "/api/v1/plans", string(body), http.StatusCreated, &plan)
		check("a plan created")
		f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/plans/%d/submit", plan.ID), `{}`, http.StatusOK, nil)
		want[domain.EventPlanSubmitted]++
		check("the plan submitted")

		r := enterReport(t, f, f.nenhTA, "Q1", 1200, 1150)
		check("report values saved")
		submit := fmt.Sprintf("/api/v1/reports/%d/submit", r.ID)
		mustAPIError(t, f.do(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), `{}`), http.StatusConflict, domain.ECONFLICT)
		check("a refused acceptance of a draft")
		f.must(t, f.tok["ward"], "POST", submit, `{}`, http.StatusOK, nil)
		want[domain.EventReportSubmitted]++
		check("the report submitted")
		f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/return", r.ID), `{"reason":"Số hộ được tuyên truyền chưa khớp"}`, http.StatusOK, nil)
		want[domain.EventReportReturned]++
		check("the report returned")
		f.must(t, f.tok["ward"], "POST", submit, `{}`, http.StatusOK, nil)
		want[domain.EventReportSubmitted]++
		check("the report submitted again")
		f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/accept", r.ID), `{}`, http.StatusOK, nil)
		want[domain.EventReportAccepted]++
		check("the report accepted")

		f.must(t, f.tok["province"], "PATCH", fmt.Sprintf("/api/v1/units/%d", f.nenh.ID), `{"name":"Phường Nếnh mới"}`, http.StatusOK, nil)
		want[domain.EventUnitRenamed]++
		check("the unit renamed")
		mustAPIError(t, f.do(t, f.tok["province"], "PATCH", fmt.Sprintf("/api/v1/units/%d", f.nenh.ID), `{"name":""}`), http.StatusBadRequest, domain.EINVALID)
		check("a refused rename")
	})
}
