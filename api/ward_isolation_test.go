package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/storetest"
)

// TestWardIsolation checks that a ward (Quang Châu) and a district beside
// Việt Yên (Lạng Giang) reach nothing of Phường Nếnh's: target area, plans,
// tasks, attachments, committee, models — reading answers 404, as for an
// object that does not exist, and so does every write.
func TestWardIsolation(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		c := w.mustCampaign(2024)
		area := w.mustApprovedArea(c.ID, w.nenh.ID)
		var district, ward campaigns.Plan
		w.mustCall("vy", "POST", "/api/v1/plans", districtPlanBody(area.ID), http.StatusCreated, &district)
		w.mustCall("nenh", "POST", fmt.Sprintf("/api/v1/plans/%d/copy", district.ID), nil, http.StatusCreated, &ward)
		task := ward.Tasks[0]
		var note struct{ ID int64 }
		w.mustCall("nenh", "POST", fmt.Sprintf("/api/v1/tasks/%d/notes", task.ID), map[string]any{"text": "Tiến độ"}, http.StatusCreated, &note)
		var att campaigns.Attachment
		mustJSON(t, w.upload("nenh", campaigns.OwnerTask, task.ID, "bb.pdf", pdf).Body, &att)
		var member campaigns.CommitteeMember
		w.mustCall("nenh", "POST", fmt.Sprintf("/api/v1/units/%d/committee", w.nenh.ID), map[string]any{"full_name": "Chủ tịch UBND phường", "position": "head"}, http.StatusCreated, &member)
		var model campaigns.Model
		w.mustCall("nenh", "POST", fmt.Sprintf("/api/v1/units/%d/models", w.nenh.ID), map[string]any{"name": "Tổ liên gia PCCC", "type": "lien_gia_pccc"}, http.StatusCreated, &model)

		type call struct {
			method, path string
			body         any
		}
		calls := []call{
			{"GET", fmt.Sprintf("/api/v1/target-areas/%d", area.ID), nil},
			{"GET", fmt.Sprintf("/api/v1/target-areas/%d/history", area.ID), nil},
			{"GET", fmt.Sprintf("/api/v1/units/%d/target-history", w.nenh.ID), nil},
			{"POST", fmt.Sprintf("/api/v1/target-areas/%d/start", area.ID), nil},
			{"GET", fmt.Sprintf("/api/v1/plans/%d", ward.ID), nil},
			{"GET", fmt.Sprintf("/api/v1/plans/%d/history", ward.ID), nil},
			{"PATCH", fmt.Sprintf("/api/v1/plans/%d", ward.ID), map[string]any{"title": "x", "version": ward.Version}},
			{"PUT", fmt.Sprintf("/api/v1/plans/%d/objectives", ward.ID), map[string]any{"version": ward.Version, "items": []any{}}},
			{"PUT", fmt.Sprintf("/api/v1/plans/%d/budget", ward.ID), map[string]any{"version": ward.Version, "items": []any{}}},
			{"POST", fmt.Sprintf("/api/v1/plans/%d/tasks", ward.ID), map[string]any{"version": ward.Version, "section": "2.1", "title": "x"}},
			{"POST", fmt.Sprintf("/api/v1/plans/%d/submit", ward.ID), nil},
			{"POST", fmt.Sprintf("/api/v1/plans/%d/copy", ward.ID), nil},
			{"GET", fmt.Sprintf("/api/v1/tasks/%d", task.ID), nil},
			{"PATCH", fmt.Sprintf("/api/v1/tasks/%d", task.ID), map[string]any{"version": task.Version, "status": "done"}},
			{"DELETE", fmt.Sprintf("/api/v1/tasks/%d?version=%d", task.ID, task.Version), nil},
			{"POST", fmt.Sprintf("/api/v1/tasks/%d/notes", task.ID), map[string]any{"text": "x"}},
			{"GET", fmt.Sprintf("/api/v1/attachments/%d", att.ID), nil},
			{"GET", fmt.Sprintf("/api/v1/attachments/%d/content", att.ID), nil},
			{"GET", fmt.Sprintf("/api/v1/units/%d/committee", w.nenh.ID), nil},
			{"GET", fmt.Sprintf("/api/v1/committee-members/%d", member.ID), nil},
			{"PUT", fmt.Sprintf("/api/v1/committee-members/%d", member.ID), map[string]any{"full_name": "x", "position": "member", "version": 1}},
			{"DELETE", fmt.Sprintf("/api/v1/committee-members/%d", member.ID), nil},
			{"GET", fmt.Sprintf("/api/v1/units/%d/models", w.nenh.ID), nil},
		}
		for _, who := range []string{"qc", "lg"} {
			t.Run(who, func(t *testing.T) {
				for _, cl := range calls {
					res := w.call(who, cl.method, cl.path, cl.body)
					if res.Status != http.StatusNotFound && res.Status != http.StatusForbidden {
						t.Errorf("%s %s = %d %s, want 404 (or 403 for a role without the permission)", cl.method, cl.path, res.Status, res.Body)
					}
					if res.Status == http.StatusForbidden && cl.method == "GET" {
						t.Errorf("%s %s = 403, want 404: reading another ward's data", cl.method, cl.path)
					}
				}
				mustAPIError(t, w.upload(who, campaigns.OwnerTask, task.ID, "x.pdf", pdf), http.StatusNotFound, "not_found")
				mustAPIError(t, w.upload(who, campaigns.OwnerProgressNote, note.ID, "x.pdf", pdf), http.StatusNotFound, "not_found")
			})
		}
		t.Run("models of another ward", func(t *testing.T) {
			w.refused("qc", "PUT", fmt.Sprintf("/api/v1/models/%d", model.ID), map[string]any{"name": "x", "type": "khac", "version": 1}, http.StatusNotFound, "not_found")
			w.refused("qc", "DELETE", fmt.Sprintf("/api/v1/models/%d", model.ID), nil, http.StatusNotFound, "not_found")
		})
		t.Run("nothing changed", func(t *testing.T) {
			var got campaigns.Plan
			w.mustCall("nenh", "GET", fmt.Sprintf("/api/v1/plans/%d", ward.ID), nil, http.StatusOK, &got)
			if got.Version != ward.Version || got.Status != "draft" || len(got.Tasks) != len(ward.Tasks) || got.Tasks[0].Status != task.Status {
				t.Errorf("plan changed: version %d→%d, status %s, %d tasks", ward.Version, got.Version, got.Status, len(got.Tasks))
			}
			if n := w.count("attachments"); n != 1 {
				t.Errorf("%d attachments", n)
			}
			if n := w.count("task_progress_notes"); n != 1 {
				t.Errorf("%d notes", n)
			}
		})
	})
}
