package api_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"chuyenhoa/store/storetest"
)

// TestWebReportMessagesByKey checks the report form's messages now that
// the pages recognise a message by its key, never by its text: a stale
// save (domain.IsStale) shows the page's own wording, another conflict
// its message, and an English page words a field rule in English.
func TestWebReportMessagesByKey(t *testing.T) {
	f := mustUIFixture(t, storetest.MustSQLite(t))
	f.now = time.Date(2024, time.March, 4, 2, 0, 0, 0, time.UTC)
	camp := f.mustCampaign(t, "nenh")
	path := "/target-areas/" + itoa(camp.areas["nenh"].ID) + "/reports/Q1"
	ward := f.browser(t)
	ward.login("nenh")
	save := func(version, action string, set ...string) webPage {
		form := wardValues()
		form.Set("version", version)
		form.Set("action", action)
		for i := 0; i+1 < len(set); i += 2 {
			form.Set(set[i], set[i+1])
		}
		return ward.submit(path, path, form)
	}
	mustRedirect(t, save("0", "save"))
	t.Run("a stale save", func(t *testing.T) {
		p := save("0", "save")
		if p.Status != http.StatusConflict {
			t.Fatalf("status %d", p.Status)
		}
		mustContain(t, p, "Báo cáo vừa được người khác thay đổi. Hãy tải lại trang")
	})
	t.Run("in English", func(t *testing.T) {
		mustRedirect(t, ward.submit("/settings", "/settings", url.Values{"lang": {"en"}}))
		p := save("1", "save", "v.households_reached", "12a")
		if p.Status != http.StatusBadRequest {
			t.Fatalf("status %d", p.Status)
		}
		mustContain(t, p, `<html lang="en">`, ": must be a whole number, 0 or more.")
		p = save("0", "save")
		mustContain(t, p, "Someone else has just changed this report.")
	})
	t.Run("a conflict that is not stale says what it is", func(t *testing.T) {
		// The submit saves the values (version 2) and then submits (3).
		mustRedirect(t, save("1", "submit"))
		p := save("3", "save")
		if p.Status != http.StatusConflict {
			t.Fatalf("status %d", p.Status)
		}
		mustContain(t, p, "nên không thể sửa")
	})
}
