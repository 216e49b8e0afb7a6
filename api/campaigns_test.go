package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/storetest"
)

var decision301 = map[string]any{"number": "301/QĐ-BCĐ", "date": "2024-02-07", "issuer": "Ban Chỉ đạo tỉnh Bắc Giang",
	"title": "Phê duyệt địa bàn trọng điểm, phức tạp về TTATXH thực hiện chuyển hóa trong năm 2024"}

// mustCampaign creates the province's campaign of year.
func (w *world) mustCampaign(year int) campaigns.Campaign {
	w.t.Helper()
	var c campaigns.Campaign
	w.mustCall("province", "POST", "/api/v1/campaigns", map[string]any{
		"year":       year,
		"decision":   map[string]any{"number": fmt.Sprintf("301/QĐ-BCĐ-%d", year), "date": fmt.Sprintf("%d-02-07", year), "signer": "Trưởng ban"},
		"references": []any{map[string]any{"number": "584/CAT-TM", "date": fmt.Sprintf("%d-02-23", year), "issuer": "Công an tỉnh Bắc Giang"}},
	}, http.StatusCreated, &c)
	return c
}

// mustApprovedArea proposes and approves unit as a target area of campaign.
func (w *world) mustApprovedArea(campaignID, unitID int64) campaigns.TargetArea {
	w.t.Helper()
	var list struct{ Items []campaigns.TargetArea }
	w.mustCall("vy", "POST", "/api/v1/target-areas", map[string]any{"campaign_id": campaignID, "unit_ids": []int64{unitID}, "reason": "Phức tạp về TTATXH"}, http.StatusCreated, &list)
	var ta campaigns.TargetArea
	w.mustCall("province", "POST", fmt.Sprintf("/api/v1/target-areas/%d/approve", list.Items[0].ID), map[string]any{"decision": decision301}, http.StatusOK, &ta)
	return ta
}

func TestCampaignsAPI(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, time.Date(2024, 2, 10, 9, 0, 0, 0, domain.VietnamLocation()))
		body := map[string]any{"year": 2024, "decision": decision301,
			"references": []any{map[string]any{"number": "584/CAT-TM", "date": "2024-02-23", "issuer": "Công an tỉnh Bắc Giang", "title": "Thực hiện công tác chuyển hóa"}}}

		t.Run("wrong role", func(t *testing.T) {
			for _, who := range []string{"vy", "nenh", "police", "admin"} {
				w.refused(who, "POST", "/api/v1/campaigns", body, http.StatusForbidden, "forbidden")
			}
			w.refused("", "POST", "/api/v1/campaigns", body, http.StatusUnauthorized, "unauthenticated")
		})
		t.Run("validation names the field", func(t *testing.T) {
			w.mustField("province", "POST", "/api/v1/campaigns", map[string]any{"year": 2024, "decision": map[string]any{"date": "2024-02-07", "signer": "x"}}, "decision.number")
			w.mustField("province", "POST", "/api/v1/campaigns", map[string]any{"year": 1990, "decision": decision301}, "year")
			w.mustField("province", "POST", "/api/v1/campaigns", map[string]any{"year": 2024, "decision": decision301, "ward_plan_due": "2025-03-12"}, "ward_plan_due")
			w.mustField("province", "POST", "/api/v1/campaigns", map[string]any{"year": 2024, "decision": decision301, "titel": "x"}, "titel")
			if n := w.count("campaigns"); n != 0 {
				t.Errorf("%d campaigns stored from refused requests", n)
			}
		})
		var c campaigns.Campaign
		t.Run("create", func(t *testing.T) {
			w.mustCall("province", "POST", "/api/v1/campaigns", body, http.StatusCreated, &c)
			if c.Version != 1 || c.ProvinceUnitID != w.prov.ID || c.Decision.Number != "301/QĐ-BCĐ" {
				t.Errorf("campaign = %+v", c)
			}
			if got, want := c.WardPlanDue, (domain.Date{Year: 2024, Month: 3, Day: 12}); got != want {
				t.Errorf("ward plan due = %v, want %v", got, want)
			}
			if len(c.Calendar) == 0 || c.Thresholds.CasesSolved.Op != ">=" {
				t.Errorf("calendar %v / thresholds %+v not defaulted", c.Calendar, c.Thresholds)
			}
			w.refused("province", "POST", "/api/v1/campaigns", body, http.StatusConflict, "conflict")
		})
		t.Run("read in the province, not outside", func(t *testing.T) {
			for _, who := range []string{"province", "vy", "nenh", "police", "lg"} {
				var got campaigns.Campaign
				w.mustCall(who, "GET", fmt.Sprintf("/api/v1/campaigns/%d", c.ID), nil, http.StatusOK, &got)
				if got.Title != c.Title {
					t.Errorf("%s reads title %q", who, got.Title)
				}
			}
			w.refused("hanoi", "GET", fmt.Sprintf("/api/v1/campaigns/%d", c.ID), nil, http.StatusNotFound, "not_found")
			var p struct{ Total int }
			w.mustCall("hanoi", "GET", "/api/v1/campaigns", nil, http.StatusOK, &p)
			if p.Total != 0 {
				t.Errorf("another province lists %d campaigns", p.Total)
			}
		})
		t.Run("update with version", func(t *testing.T) {
			path := fmt.Sprintf("/api/v1/campaigns/%d", c.ID)
			w.mustField("province", "PATCH", path, map[string]any{"title": "Mới"}, "version")
			w.refused("province", "PATCH", path, map[string]any{"title": "Mới", "version": 7}, http.StatusConflict, "conflict")
			w.mustField("province", "PATCH", path, map[string]any{"title": " ", "version": 1}, "title")
			w.refused("vy", "PATCH", path, map[string]any{"title": "Mới", "version": 1}, http.StatusForbidden, "forbidden")
			w.refused("hanoi", "PATCH", path, map[string]any{"title": "Mới", "version": 1}, http.StatusNotFound, "not_found")
			var got campaigns.Campaign
			w.mustCall("province", "PATCH", path, map[string]any{"monthly_report_due_day": 10, "version": 1}, http.StatusOK, &got)
			if got.Version != 2 || got.MonthlyReportDueDay != 10 || got.Title != c.Title {
				t.Errorf("updated = version %d, day %d, title %q", got.Version, got.MonthlyReportDueDay, got.Title)
			}
		})
	})
}

func TestTargetAreaWorkflow(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, time.Date(2024, 2, 8, 9, 0, 0, 0, domain.VietnamLocation()))
		c := w.mustCampaign(2024)
		propose := func(units ...int64) map[string]any {
			return map[string]any{"campaign_id": c.ID, "unit_ids": units, "reason": "Địa bàn phức tạp về trật tự, an toàn xã hội"}
		}
		area := func(id int64) string { return fmt.Sprintf("/api/v1/target-areas/%d", id) }

		t.Run("propose refused", func(t *testing.T) {
			w.refused("nenh", "POST", "/api/v1/target-areas", propose(w.nenh.ID), http.StatusForbidden, "forbidden")
			w.refused("province", "POST", "/api/v1/target-areas", propose(w.nenh.ID), http.StatusForbidden, "forbidden")
			w.mustField("vy", "POST", "/api/v1/target-areas", propose(w.lgWard.ID), "unit_ids[0]")
			w.mustField("vy", "POST", "/api/v1/target-areas", propose(w.nenh.ID, 999999), "unit_ids[1]")
			w.mustField("vy", "POST", "/api/v1/target-areas", propose(w.vy.ID), "unit_ids[0]")
			w.mustField("vy", "POST", "/api/v1/target-areas", propose(), "unit_ids")
			w.mustField("vy", "POST", "/api/v1/target-areas", map[string]any{"campaign_id": c.ID, "unit_ids": []int64{w.nenh.ID}, "reason": "  "}, "reason")
			w.mustField("vy", "POST", "/api/v1/target-areas", map[string]any{"campaign_id": 424242, "unit_ids": []int64{w.nenh.ID}, "reason": "x"}, "campaign_id")
			w.mustField("vy", "POST", "/api/v1/target-areas", map[string]any{"campaign_id": c.ID, "unit_ids": []int64{w.nenh.ID}, "reason": "x", "deadline": "2025-01-31"}, "deadline")
			if n := w.count("target_areas") + w.count("target_area_events"); n != 0 {
				t.Errorf("%d rows stored from refused proposals", n)
			}
		})

		var nenh, qc campaigns.TargetArea
		t.Run("district proposes two wards at once", func(t *testing.T) {
			var list struct{ Items []campaigns.TargetArea }
			w.mustCall("vy", "POST", "/api/v1/target-areas", propose(w.nenh.ID, w.qc.ID), http.StatusCreated, &list)
			if len(list.Items) != 2 {
				t.Fatalf("proposed %d areas", len(list.Items))
			}
			nenh, qc = list.Items[0], list.Items[1]
			if nenh.Status != domain.TargetProposed || nenh.UnitName != "Phường Nếnh" || nenh.ProposedByUnitID != w.vy.ID {
				t.Errorf("proposed = %+v", nenh)
			}
			if got, want := nenh.Deadline, (domain.Date{Year: 2024, Month: 12, Day: 31}); got != want {
				t.Errorf("deadline = %v, want %v", got, want)
			}
			w.refused("vy", "POST", "/api/v1/target-areas", propose(w.nenh.ID), http.StatusConflict, "conflict", "Phường Nếnh")
		})

		t.Run("scope", func(t *testing.T) {
			w.refused("lg", "GET", area(nenh.ID), nil, http.StatusNotFound, "not_found")
			w.refused("qc", "GET", area(nenh.ID), nil, http.StatusNotFound, "not_found")
			w.refused("qc", "GET", area(nenh.ID)+"/history", nil, http.StatusNotFound, "not_found")
			w.refused("hanoi", "POST", area(nenh.ID)+"/approve", map[string]any{"decision": decision301}, http.StatusNotFound, "not_found")
			w.mustCall("nenh", "GET", area(nenh.ID), nil, http.StatusOK, nil)
			var p struct{ Items []campaigns.TargetArea }
			w.mustCall("qc", "GET", fmt.Sprintf("/api/v1/campaigns/%d/target-areas", c.ID), nil, http.StatusOK, &p)
			if len(p.Items) != 1 || p.Items[0].UnitID != w.qc.ID {
				t.Errorf("Quang Châu lists %+v", p.Items)
			}
		})

		t.Run("wrong role and wrong state", func(t *testing.T) {
			w.refused("vy", "POST", area(nenh.ID)+"/approve", map[string]any{"decision": decision301}, http.StatusForbidden, "forbidden")
			w.refused("nenh", "POST", area(nenh.ID)+"/start", nil, http.StatusForbidden, "forbidden")
			w.refused("vy", "POST", area(nenh.ID)+"/start", nil, http.StatusConflict, "conflict", "Đã đề xuất", "Đã phê duyệt")
			w.mustField("province", "POST", area(nenh.ID)+"/approve", map[string]any{}, "decision.number")
			w.mustField("province", "POST", area(nenh.ID)+"/reject", map[string]any{"comment": ""}, "comment")
		})

		t.Run("bulk approve is all or nothing", func(t *testing.T) {
			var list struct{ Items []campaigns.TargetArea }
			w.mustCall("province", "POST", "/api/v1/target-areas/approve", map[string]any{"ids": []int64{nenh.ID}, "decision": decision301}, http.StatusOK, &list)
			e := w.refused("province", "POST", "/api/v1/target-areas/approve", map[string]any{"ids": []int64{qc.ID, nenh.ID}, "decision": decision301}, http.StatusConflict, "conflict", "Phường Nếnh")
			if _, ok := e.Error.Fields["ids[1]"]; !ok {
				t.Errorf("fields %v do not name ids[1]", e.Error.Fields)
			}
			var got campaigns.TargetArea
			w.mustCall("province", "GET", area(qc.ID), nil, http.StatusOK, &got)
			if got.Status != domain.TargetProposed {
				t.Errorf("Quang Châu is %s after a refused bulk approval", got.Status)
			}
			w.mustField("province", "POST", "/api/v1/target-areas/approve", map[string]any{"ids": []int64{qc.ID, 99999}, "decision": decision301}, "ids[1]")
			w.mustCall("province", "POST", area(qc.ID)+"/reject", map[string]any{"comment": "Chưa đủ căn cứ"}, http.StatusOK, &got)
			if got.Status != domain.TargetRejected {
				t.Errorf("status = %s", got.Status)
			}
			w.refused("province", "POST", area(qc.ID)+"/approve", map[string]any{"decision": decision301}, http.StatusConflict, "conflict", "Không được phê duyệt")
		})

		t.Run("start with version", func(t *testing.T) {
			var got campaigns.TargetArea
			w.mustCall("vy", "GET", area(nenh.ID), nil, http.StatusOK, &got)
			if got.Status != domain.TargetApproved || got.Decision == nil || got.Decision.Number != "301/QĐ-BCĐ" {
				t.Fatalf("approved area = %+v", got)
			}
			w.refused("vy", "POST", area(nenh.ID)+"/start", map[string]any{"version": got.Version - 1}, http.StatusConflict, "conflict")
			w.mustCall("vy", "POST", area(nenh.ID)+"/start", map[string]any{"version": got.Version, "comment": "Triển khai"}, http.StatusOK, &got)
			if got.Status != domain.TargetInProgress {
				t.Errorf("status = %s", got.Status)
			}
		})

		t.Run("history", func(t *testing.T) {
			var h struct{ Items []domain.TargetEvent }
			w.mustCall("nenh", "GET", area(nenh.ID)+"/history", nil, http.StatusOK, &h)
			var steps []string
			for _, e := range h.Items {
				steps = append(steps, e.Action+":"+e.FromStatus+">"+e.ToStatus+":"+e.ActorRole)
			}
			want := []string{"propose:>proposed:district", "approve:proposed>approved:province", "start:approved>in_progress:district"}
			if fmt.Sprint(steps) != fmt.Sprint(want) {
				t.Errorf("history = %v, want %v", steps, want)
			}
			if len(h.Items) == 3 {
				if h.Items[1].Decision == nil || h.Items[1].Decision.Number != "301/QĐ-BCĐ" || h.Items[1].ActorUserID != w.users["province"].ID {
					t.Errorf("approval event = %+v", h.Items[1])
				}
				if h.Items[0].Comment == "" || h.Items[0].At.IsZero() {
					t.Errorf("proposal event = %+v", h.Items[0])
				}
			}
			var q struct{ Items []domain.TargetEvent }
			w.mustCall("province", "GET", area(qc.ID)+"/history", nil, http.StatusOK, &q)
			if len(q.Items) != 2 || q.Items[1].Comment != "Chưa đủ căn cứ" {
				t.Errorf("rejection history = %+v", q.Items)
			}
		})

		t.Run("a target area again in a later campaign", func(t *testing.T) {
			c25 := w.mustCampaign(2025)
			w.now = time.Date(2025, 2, 1, 9, 0, 0, 0, domain.VietnamLocation())
			w.mustCall("vy", "POST", "/api/v1/target-areas", map[string]any{"campaign_id": c25.ID, "unit_ids": []int64{w.nenh.ID}, "reason": "Tái phức tạp"}, http.StatusCreated, nil)
			var h struct {
				Items []campaigns.TargetHistory
			}
			w.mustCall("nenh", "GET", fmt.Sprintf("/api/v1/units/%d/target-history", w.nenh.ID), nil, http.StatusOK, &h)
			if len(h.Items) != 2 || h.Items[0].CampaignYear != 2024 || h.Items[1].CampaignYear != 2025 || len(h.Items[0].Events) != 3 || len(h.Items[1].Events) != 1 {
				t.Errorf("history across campaigns = %+v", h.Items)
			}
			w.refused("qc", "GET", fmt.Sprintf("/api/v1/units/%d/target-history", w.nenh.ID), nil, http.StatusNotFound, "not_found")
		})

		t.Run("audited", func(t *testing.T) {
			var p struct{ Total int }
			w.mustCall("province", "GET", "/api/v1/audit?object_type=target_area", nil, http.StatusOK, &p)
			if p.Total < 6 {
				t.Errorf("%d audit entries about target areas", p.Total)
			}
		})
	})
}

func TestOpenAPISchemasExist(t *testing.T) {
	srv, _ := mustServer(t, storetest.MustSQLite(t))
	doc := srv.OpenAPI()
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, r := range srv.Routes() {
		for _, name := range []string{r.Body, r.Response} {
			switch name {
			case "", "csv", "multipart", "xlsx":
				continue
			}
			if _, ok := schemas[name]; !ok {
				t.Errorf("%s %s names schema %q, which the document lacks", r.Method, r.Path, name)
			}
		}
	}
	plan, _ := schemas["Plan"].(map[string]any)
	props, _ := plan["properties"].(map[string]any)
	for _, f := range []string{"tasks", "objectives", "budget", "late", "version", "actions", "status", "due"} {
		if _, ok := props[f]; !ok {
			t.Errorf("Plan schema lacks %q", f)
		}
	}
}
