package api_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/storetest"
)

// TestDenialsCounted: a token holder flooding forbidden requests and
// probing objects of another tenant grows one counter per user, hour and
// kind instead of the audit log; bursts show in the metrics; the province
// reads its users' counters, another province does not (issue 17, item 11).
func TestDenialsCounted(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		before := w.count("audit_log")
		for i := 0; i < 120; i++ {
			w.refused("nenh", "POST", "/api/v1/campaigns", map[string]any{"year": 2024}, http.StatusForbidden, "forbidden")
		}
		for i := 0; i < 30; i++ {
			w.refused("nenh", "GET", fmt.Sprintf("/api/v1/units/%d", w.hn.ID), nil, http.StatusNotFound, "not_found")
		}
		if got := w.count("audit_log") - before; got != 0 {
			t.Errorf("150 refused requests wrote %d audit entries, want 0", got)
		}
		if got := w.count("access_denials"); got != 2 {
			t.Errorf("%d counter rows, want one per kind", got)
		}
		var rows struct {
			Items []struct {
				UserID     int64  `json:"user_id"`
				Kind       string `json:"kind"`
				Count      int64  `json:"count"`
				LastDetail string `json:"last_detail"`
			} `json:"items"`
		}
		w.mustCall("province", "GET", "/api/v1/audit/denials", nil, http.StatusOK, &rows)
		counts := map[string]int64{}
		for _, r := range rows.Items {
			if r.UserID != w.users["nenh"].ID {
				t.Errorf("counter of user %d", r.UserID)
			}
			counts[r.Kind] = r.Count
		}
		if counts["forbidden"] != 120 || counts["not_found"] != 30 {
			t.Errorf("counts = %v, want forbidden 120, not_found 30", counts)
		}
		w.mustCall("hanoi", "GET", "/api/v1/audit/denials", nil, http.StatusOK, &rows)
		if len(rows.Items) != 0 {
			t.Errorf("another province reads %d counters", len(rows.Items))
		}
		w.refused("nenh", "GET", "/api/v1/audit/denials", nil, http.StatusForbidden, "forbidden")

		res := w.call("", "GET", "/metrics", nil)
		for _, want := range []string{
			`chuyenhoa_access_denied_total{kind="forbidden"} 121`,
			`chuyenhoa_access_denied_total{kind="not_found"} 30`,
			`chuyenhoa_access_denied_bursts_total{kind="forbidden"} 2`,
		} {
			if !strings.Contains(string(res.Body), want) {
				t.Errorf("/metrics lacks %s; has %q", want, regexp.MustCompile(`(?m)^chuyenhoa_access_denied.*$`).FindAllString(string(res.Body), -1))
			}
		}
	})
}
