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

func vn(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, domain.VietnamLocation())
}

func districtPlanBody(areaID int64) map[string]any {
	return map[string]any{
		"target_area_id": areaID,
		"number":         "/KH-BCĐ",
		"title":          "Thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội năm 2024",
		"objectives": []any{
			map[string]any{"kind": "yeu_cau", "text": "Xác định công tác chuyển hóa địa bàn là nhiệm vụ trọng tâm."},
			map[string]any{"kind": "muc_tieu", "text": "Chuyển hóa thành công phường Nénh trong năm 2024"},
		},
		"tasks": []any{
			map[string]any{"section": "2.1", "title": "Lồng ghép lãnh đạo, chỉ đạo", "responsible": "Ban Chỉ đạo thị xã"},
			map[string]any{"section": "2.2", "title": "Tuyên truyền phòng ngừa", "frequency": "hằng tháng"},
			map[string]any{"section": "org", "title": "Xây dựng kế hoạch của phường", "due": "2024-02-15"},
		},
		"budget": []any{map[string]any{"item": "Tuyên truyền", "amount": 15000000, "funding_source": "Ngân sách thị xã"}},
	}
}

func TestPlanWorkflow(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		c := w.mustCampaign(2024)
		nenhArea := w.mustApprovedArea(c.ID, w.nenh.ID)
		qcArea := w.mustApprovedArea(c.ID, w.qc.ID)
		w.now = vn(2024, 2, 20, 9)
		plan := func(id int64, rest string) string { return fmt.Sprintf("/api/v1/plans/%d%s", id, rest) }

		t.Run("create refused", func(t *testing.T) {
			body := districtPlanBody(nenhArea.ID)
			w.refused("police", "POST", "/api/v1/plans", body, http.StatusForbidden, "forbidden")
			w.refused("province", "POST", "/api/v1/plans", body, http.StatusForbidden, "forbidden")
			w.mustField("qc", "POST", "/api/v1/plans", body, "target_area_id")
			w.mustField("lg", "POST", "/api/v1/plans", body, "target_area_id")
			bad := func(mut func(b map[string]any)) map[string]any {
				b := districtPlanBody(nenhArea.ID)
				mut(b)
				return b
			}
			task := func(b map[string]any) map[string]any { return b["tasks"].([]any)[0].(map[string]any) }
			w.mustField("vy", "POST", "/api/v1/plans", bad(func(b map[string]any) { b["title"] = "  " }), "title")
			w.mustField("vy", "POST", "/api/v1/plans", bad(func(b map[string]any) { task(b)["title"] = "" }), "tasks[0].title")
			w.mustField("vy", "POST", "/api/v1/plans", bad(func(b map[string]any) { task(b)["due"] = "2025-01-10" }), "tasks[0].due")
			w.mustField("vy", "POST", "/api/v1/plans", bad(func(b map[string]any) { task(b)["section"] = "9.9" }), "tasks[0].section")
			w.mustField("vy", "POST", "/api/v1/plans", bad(func(b map[string]any) { task(b)["responsible_unit_ids"] = []int64{987654} }), "tasks[0].responsible_unit_ids[0]")
			w.mustField("vy", "POST", "/api/v1/plans", bad(func(b map[string]any) { task(b)["responsible_member_ids"] = []int64{987654} }), "tasks[0].responsible_member_ids[0]")
			w.mustField("vy", "POST", "/api/v1/plans", bad(func(b map[string]any) { b["budget"].([]any)[0].(map[string]any)["amount"] = -1 }), "budget[0].amount")
			w.mustField("vy", "POST", "/api/v1/plans", bad(func(b map[string]any) { b["objectives"].([]any)[0].(map[string]any)["text"] = "" }), "objectives[0].text")
			w.mustField("vy", "POST", "/api/v1/plans", bad(func(b map[string]any) { b["target_area_id"] = 0 }), "target_area_id")
			for _, table := range []string{"plans", "plan_tasks", "plan_objectives", "budget_lines"} {
				if n := w.count(table); n != 0 {
					t.Errorf("%d rows in %s after refused requests", n, table)
				}
			}
		})

		var district campaigns.Plan
		t.Run("district plan", func(t *testing.T) {
			w.mustCall("vy", "POST", "/api/v1/plans", districtPlanBody(nenhArea.ID), http.StatusCreated, &district)
			if district.Status != domain.PlanDraft || district.UnitID != w.vy.ID || !district.Due.IsZero() || district.Late {
				t.Errorf("district plan = status %s unit %d due %v late %v", district.Status, district.UnitID, district.Due, district.Late)
			}
			if len(district.Objectives) != 2 || len(district.Tasks) != 3 || len(district.Budget) != 1 || district.Budget[0].Amount != 15000000 {
				t.Fatalf("content = %d objectives, %d tasks, %v budget", len(district.Objectives), len(district.Tasks), district.Budget)
			}
			if got := district.Tasks[2].Status; got != domain.TaskOverdue {
				t.Errorf("task due 15/02 is %s on 20/02, want overdue", got)
			}
			if got := district.Tasks[0].Status; got != domain.TaskNotStarted {
				t.Errorf("task without due date is %s", got)
			}
			if fmt.Sprint(district.Actions) != "[submit]" || !district.Editable {
				t.Errorf("author sees actions %v editable %v", district.Actions, district.Editable)
			}
			if got := district.Objectives[1].Text; got != "Chuyển hóa thành công phường Nénh trong năm 2024" {
				t.Errorf("objective text = %q", got)
			}
			w.refused("vy", "POST", "/api/v1/plans", districtPlanBody(nenhArea.ID), http.StatusConflict, "conflict")
			var seen campaigns.Plan
			w.mustCall("province", "GET", plan(district.ID, ""), nil, http.StatusOK, &seen)
			if fmt.Sprint(seen.Actions) != "[]" || seen.Editable {
				t.Errorf("reviewer sees actions %v editable %v on a draft", seen.Actions, seen.Editable)
			}
		})

		var ward campaigns.Plan
		t.Run("ward copies the district plan", func(t *testing.T) {
			w.mustCall("nenh", "GET", plan(district.ID, ""), nil, http.StatusOK, nil)
			w.refused("qc", "GET", plan(district.ID, ""), nil, http.StatusNotFound, "not_found")
			w.refused("qc", "POST", plan(district.ID, "/copy"), nil, http.StatusNotFound, "not_found")
			w.refused("vy", "POST", plan(district.ID, "/copy"), nil, http.StatusConflict, "conflict")
			w.mustCall("nenh", "POST", plan(district.ID, "/copy"), nil, http.StatusCreated, &ward)
			if ward.UnitID != w.nenh.ID || ward.Status != domain.PlanDraft || ward.CopiedFromID == nil || *ward.CopiedFromID != district.ID {
				t.Errorf("ward plan = unit %d status %s copied from %v", ward.UnitID, ward.Status, ward.CopiedFromID)
			}
			if got, want := ward.Due, (domain.Date{Year: 2024, Month: 3, Day: 12}); got != want {
				t.Errorf("ward plan due = %v, want %v", got, want)
			}
			if len(ward.Tasks) != 3 || len(ward.Objectives) != 2 || ward.Tasks[1].Title != "Tuyên truyền phòng ngừa" {
				t.Errorf("copied %d tasks, %d objectives", len(ward.Tasks), len(ward.Objectives))
			}
			w.refused("nenh", "POST", plan(district.ID, "/copy"), nil, http.StatusConflict, "conflict")
		})

		t.Run("only the author unit edits", func(t *testing.T) {
			w.refused("vy", "PATCH", plan(ward.ID, ""), map[string]any{"title": "Khác", "version": ward.Version}, http.StatusForbidden, "forbidden", "Phường Nếnh")
			w.refused("qc", "PATCH", plan(ward.ID, ""), map[string]any{"title": "Khác", "version": ward.Version}, http.StatusNotFound, "not_found")
			w.refused("nenh", "PATCH", plan(district.ID, ""), map[string]any{"title": "Khác", "version": district.Version}, http.StatusForbidden, "forbidden")
			w.mustField("nenh", "PATCH", plan(ward.ID, ""), map[string]any{"title": "Khác"}, "version")
			w.refused("nenh", "PATCH", plan(ward.ID, ""), map[string]any{"title": "Khác", "version": ward.Version + 5}, http.StatusConflict, "conflict")
			w.mustField("nenh", "PATCH", plan(ward.ID, ""), map[string]any{"title": "", "version": ward.Version}, "title")
			var got campaigns.Plan
			w.mustCall("nenh", "PATCH", plan(ward.ID, ""), map[string]any{"number": "05/KH-BCĐ", "version": ward.Version}, http.StatusOK, &got)
			if got.Version != ward.Version+1 || got.Number != "05/KH-BCĐ" {
				t.Errorf("patched = version %d number %q", got.Version, got.Number)
			}
			ward = got
			w.mustField("nenh", "PUT", plan(ward.ID, "/objectives"), map[string]any{"version": ward.Version, "items": []any{map[string]any{"kind": "muc_tieu", "text": ""}}}, "objectives[0].text")
			w.mustField("nenh", "PUT", plan(ward.ID, "/objectives"), map[string]any{"version": ward.Version, "items": []any{map[string]any{"kind": "khac", "text": "x"}}}, "objectives[0].kind")
			w.mustField("nenh", "PUT", plan(ward.ID, "/budget"), map[string]any{"version": ward.Version, "items": []any{map[string]any{"item": "Camera", "amount": -5}}}, "budget[0].amount")
			w.mustField("nenh", "PUT", plan(ward.ID, "/budget"), map[string]any{"version": ward.Version, "items": []any{map[string]any{"item": "", "amount": 5}}}, "budget[0].item")
			w.refused("qc", "PUT", plan(ward.ID, "/budget"), map[string]any{"version": ward.Version, "items": []any{}}, http.StatusNotFound, "not_found")
			w.refused("police", "PUT", plan(ward.ID, "/budget"), map[string]any{"version": ward.Version, "items": []any{}}, http.StatusForbidden, "forbidden")
			w.mustCall("nenh", "PUT", plan(ward.ID, "/budget"), map[string]any{"version": ward.Version, "items": []any{
				map[string]any{"item": "Lắp camera an ninh", "amount": 30000000, "funding_source": "Xã hội hóa"}, map[string]any{"item": "Hội nghị", "amount": 0}}}, http.StatusOK, &got)
			if len(got.Budget) != 2 || got.Budget[0].Amount != 30000000 || got.Version != ward.Version+1 {
				t.Errorf("budget = %+v version %d", got.Budget, got.Version)
			}
			ward = got

			w.mustField("nenh", "POST", plan(ward.ID, "/tasks"), map[string]any{"version": ward.Version, "section": "2.3", "title": "Truy quét", "due": "2023-12-31"}, "due")
			w.mustField("nenh", "POST", plan(ward.ID, "/tasks"), map[string]any{"version": ward.Version, "section": "2.3", "title": ""}, "title")
			w.mustField("nenh", "POST", plan(ward.ID, "/tasks"), map[string]any{"version": ward.Version, "section": "2.3", "title": "x", "responsible_unit_ids": []int64{w.hn.ID}}, "responsible_unit_ids[0]")
			var task campaigns.Task
			w.mustCall("nenh", "POST", plan(ward.ID, "/tasks"), map[string]any{"version": ward.Version, "section": "2.3", "title": "Tổng rà soát đối tượng", "due": "2024-06-30",
				"responsible_unit_ids": []int64{w.nenh.ID}}, http.StatusCreated, &task)
			w.refused("nenh", "POST", plan(ward.ID, "/tasks"), map[string]any{"version": ward.Version, "section": "2.3", "title": "x"}, http.StatusConflict, "conflict")
			tp := fmt.Sprintf("/api/v1/tasks/%d", task.ID)
			w.mustField("nenh", "PATCH", tp, map[string]any{"version": task.Version, "title": " "}, "title")
			w.mustField("nenh", "PATCH", tp, map[string]any{"version": task.Version, "status": "overdue"}, "status")
			w.refused("nenh", "PATCH", tp, map[string]any{"version": task.Version + 1, "title": "Mới"}, http.StatusConflict, "conflict")
			w.refused("vy", "PATCH", tp, map[string]any{"version": task.Version, "title": "Mới"}, http.StatusForbidden, "forbidden")
			w.refused("qc", "PATCH", tp, map[string]any{"version": task.Version, "title": "Mới"}, http.StatusNotFound, "not_found")
			w.mustCall("nenh", "PATCH", tp, map[string]any{"version": task.Version, "status": "in_progress"}, http.StatusOK, &task)
			if task.Status != domain.TaskInProgress || task.Version != 2 {
				t.Errorf("task = %s v%d", task.Status, task.Version)
			}
			w.mustField("nenh", "POST", tp+"/notes", map[string]any{"text": ""}, "text")
			w.refused("vy", "POST", tp+"/notes", map[string]any{"text": "x"}, http.StatusForbidden, "forbidden")
			w.refused("qc", "POST", tp+"/notes", map[string]any{"text": "x"}, http.StatusNotFound, "not_found")
			w.mustCall("nenh", "POST", tp+"/notes", map[string]any{"text": "Đã rà soát 120 hộ"}, http.StatusCreated, nil)
			w.refused("qc", "GET", tp, nil, http.StatusNotFound, "not_found")
			w.refused("nenh", "DELETE", tp+"?version=2", nil, http.StatusConflict, "conflict")
			w.mustCall("nenh", "GET", plan(ward.ID, ""), nil, http.StatusOK, &ward)
		})

		t.Run("workflow", func(t *testing.T) {
			w.now = vn(2024, 3, 11, 16)
			w.refused("vy", "POST", plan(ward.ID, "/submit"), nil, http.StatusForbidden, "forbidden", "đơn vị soạn kế hoạch")
			w.refused("province", "POST", plan(ward.ID, "/submit"), nil, http.StatusForbidden, "forbidden")
			w.refused("nenh", "POST", plan(ward.ID, "/approve"), nil, http.StatusForbidden, "forbidden")
			w.refused("vy", "POST", plan(ward.ID, "/approve"), nil, http.StatusConflict, "conflict", "Bản nháp", "Đã gửi, chờ duyệt")
			w.refused("qc", "POST", plan(ward.ID, "/submit"), nil, http.StatusNotFound, "not_found")
			w.refused("nenh", "POST", plan(ward.ID, "/submit"), map[string]any{"version": ward.Version - 1}, http.StatusConflict, "conflict")
			var got campaigns.Plan
			w.mustCall("nenh", "POST", plan(ward.ID, "/submit"), map[string]any{"version": ward.Version}, http.StatusOK, &got)
			if got.Status != domain.PlanSubmitted || got.Late || got.SubmittedAt == nil {
				t.Errorf("submitted on 11/03 = %s late %v", got.Status, got.Late)
			}
			w.refused("nenh", "PATCH", plan(ward.ID, ""), map[string]any{"title": "x", "version": got.Version}, http.StatusConflict, "conflict", "Đã gửi, chờ duyệt")
			w.refused("nenh", "POST", plan(ward.ID, "/tasks"), map[string]any{"version": got.Version, "section": "2.1", "title": "x"}, http.StatusConflict, "conflict")
			w.refused("nenh", "POST", plan(ward.ID, "/submit"), nil, http.StatusConflict, "conflict")
			w.refused("province", "POST", plan(ward.ID, "/return"), map[string]any{"comment": "x"}, http.StatusForbidden, "forbidden", "đơn vị cấp trên")
			w.refused("lg", "POST", plan(ward.ID, "/return"), map[string]any{"comment": "x"}, http.StatusNotFound, "not_found")
			w.mustField("vy", "POST", plan(ward.ID, "/return"), map[string]any{"comment": " "}, "comment")
			var seen campaigns.Plan
			w.mustCall("vy", "GET", plan(ward.ID, ""), nil, http.StatusOK, &seen)
			if fmt.Sprint(seen.Actions) != "[return approve]" {
				t.Errorf("reviewer actions = %v", seen.Actions)
			}
			w.mustCall("vy", "POST", plan(ward.ID, "/return"), map[string]any{"comment": "Bổ sung biện pháp đối với nhà trọ"}, http.StatusOK, &got)
			if got.Status != domain.PlanReturned || got.ReviewComment != "Bổ sung biện pháp đối với nhà trọ" {
				t.Errorf("returned = %s %q", got.Status, got.ReviewComment)
			}
			w.mustCall("nenh", "PATCH", plan(ward.ID, ""), map[string]any{"signer": "Chủ tịch UBND phường", "version": got.Version}, http.StatusOK, &got)
			w.now = vn(2024, 3, 12, 8)
			w.mustCall("nenh", "POST", plan(ward.ID, "/submit"), nil, http.StatusOK, &got)
			if got.Status != domain.PlanSubmitted || !got.Late {
				t.Errorf("resubmitted on 12/03 = %s late %v, want late", got.Status, got.Late)
			}
			w.mustCall("vy", "POST", plan(ward.ID, "/approve"), map[string]any{"comment": "Đồng ý"}, http.StatusOK, &got)
			if got.Status != domain.PlanApproved {
				t.Errorf("approved = %s", got.Status)
			}
			w.refused("nenh", "PUT", plan(ward.ID, "/objectives"), map[string]any{"version": got.Version, "items": []any{}}, http.StatusConflict, "conflict", "Đã duyệt")
			w.refused("vy", "POST", plan(ward.ID, "/return"), map[string]any{"comment": "x"}, http.StatusConflict, "conflict")
			tp := fmt.Sprintf("/api/v1/tasks/%d", got.Tasks[0].ID)
			w.refused("nenh", "PATCH", tp, map[string]any{"version": got.Tasks[0].Version, "title": "x"}, http.StatusConflict, "conflict")
			w.mustCall("nenh", "PATCH", tp, map[string]any{"version": got.Tasks[0].Version, "status": "done"}, http.StatusOK, nil)

			var h struct{ Items []campaigns.PlanEvent }
			w.mustCall("nenh", "GET", plan(ward.ID, "/history"), nil, http.StatusOK, &h)
			var steps []string
			for _, e := range h.Items {
				steps = append(steps, fmt.Sprintf("%s:%s>%s:late=%v", e.Action, e.FromStatus, e.ToStatus, e.Late))
			}
			want := "[submit:draft>submitted:late=false return:submitted>returned:late=false submit:returned>submitted:late=true approve:submitted>approved:late=false]"
			if fmt.Sprint(steps) != want {
				t.Errorf("history = %v\nwant %s", steps, want)
			}
			if len(h.Items) == 4 && (h.Items[1].Comment == "" || h.Items[1].ActorID == nil || *h.Items[1].ActorID != w.users["vy"].ID) {
				t.Errorf("return event = %+v", h.Items[1])
			}
			w.refused("qc", "GET", plan(ward.ID, "/history"), nil, http.StatusNotFound, "not_found")

			// The district's own plan is reviewed by the province.
			w.mustCall("vy", "POST", plan(district.ID, "/submit"), nil, http.StatusOK, nil)
			w.refused("vy", "POST", plan(district.ID, "/approve"), nil, http.StatusForbidden, "forbidden")
			w.mustCall("province", "POST", plan(district.ID, "/approve"), nil, http.StatusOK, &got)
			if got.Status != domain.PlanApproved {
				t.Errorf("district plan = %s", got.Status)
			}
		})

		t.Run("a ward cannot see another ward's plans", func(t *testing.T) {
			var qcPlan campaigns.Plan
			body := districtPlanBody(qcArea.ID)
			body["title"] = "Kế hoạch của xã Quang Châu"
			w.mustCall("qc", "POST", "/api/v1/plans", body, http.StatusCreated, &qcPlan)
			var p struct {
				Items []campaigns.PlanSummary
				Total int
			}
			w.mustCall("qc", "GET", "/api/v1/plans", nil, http.StatusOK, &p)
			if p.Total != 1 || p.Items[0].ID != qcPlan.ID {
				t.Errorf("Quang Châu lists %+v", p.Items)
			}
			w.mustCall("nenh", "GET", "/api/v1/plans", nil, http.StatusOK, &p)
			if p.Total != 2 {
				t.Errorf("Nếnh lists %d plans, want its own and the district's", p.Total)
			}
			for _, it := range p.Items {
				if it.ID == qcPlan.ID {
					t.Errorf("Nếnh lists Quang Châu's plan")
				}
			}
			w.refused("nenh", "GET", plan(qcPlan.ID, ""), nil, http.StatusNotFound, "not_found")
			w.refused("nenh", "PATCH", plan(qcPlan.ID, ""), map[string]any{"title": "x", "version": 1}, http.StatusNotFound, "not_found")
			w.refused("nenh", "POST", plan(qcPlan.ID, "/submit"), nil, http.StatusNotFound, "not_found")
			w.refused("nenh", "GET", fmt.Sprintf("/api/v1/tasks/%d", qcPlan.Tasks[0].ID), nil, http.StatusNotFound, "not_found")
			w.mustCall("vy", "GET", "/api/v1/plans?unit_id="+fmt.Sprint(w.qc.ID), nil, http.StatusOK, &p)
			if p.Total != 1 {
				t.Errorf("district lists %d plans of Quang Châu", p.Total)
			}
		})

		t.Run("audited", func(t *testing.T) {
			var p struct{ Total int }
			w.mustCall("vy", "GET", "/api/v1/audit?object_type=plan&object_id="+fmt.Sprint(ward.ID), nil, http.StatusOK, &p)
			if p.Total < 8 {
				t.Errorf("%d audit entries about the ward plan", p.Total)
			}
		})
	})
}
