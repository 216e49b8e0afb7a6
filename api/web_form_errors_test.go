package api_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/store/storetest"
)

// TestTaskFormErrorsAtOnce: a task form with an empty title and a wrong
// date names both at once, and a day that does not exist is called that,
// not a format error (issue 16, item 9).
func TestTaskFormErrorsAtOnce(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustUIFixture(t, db)
		f.now = time.Date(2024, time.March, 4, 2, 0, 0, 0, time.UTC)
		camp := f.mustCampaign(t, "nenh")
		taPath := "/target-areas/" + itoa(camp.areas["nenh"].ID)
		ward := f.browser(t)
		ward.login("nenh")
		planPath := mustRedirect(t, ward.submit(taPath, taPath+"/plans", url.Values{"title": {"Kế hoạch chuyển hóa phường Nếnh"}}))
		for _, tc := range []struct {
			name, due, dueMsg string
		}{
			{"a day that does not exist", "31/02/2024", "Ngày 31/02/2024 không tồn tại"},
			{"a date in another form", "2024-06-30", "Ngày phải có dạng dd/mm/yyyy"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := ward.submit(planPath, planPath+"/tasks", url.Values{"version": {versionOn(t, ward.get(planPath))}, "section": {"2.2"},
					"title": {" "}, "due": {tc.due}})
				if p.Status != http.StatusBadRequest {
					t.Fatalf("status %d", p.Status)
				}
				mustContain(t, p, `id="task-due-error"`, tc.dueMsg, `id="task-title-error"`, "Tên nhiệm vụ không được để trống")
			})
		}
	})
}
