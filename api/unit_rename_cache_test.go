package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/storetest"
)

// TestUnitRenameRefreshesComparison: renaming a ward shows at once in the
// province's cached comparison (issue 16, item 20), on both databases and
// with the shared Redis cache.
func TestUnitRenameRefreshesComparison(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixtureWith(t, db, storetest.MustRedisViews(t))
		// The fixture's campaign has Phường Nếnh as a target area.
		path := fmt.Sprintf("/api/v1/campaigns/%d/compare?period=Q1", f.campaignID)
		before := f.must(t, f.tok["province"], "GET", path, "", http.StatusOK, nil)
		if !strings.Contains(string(before.Body), "Phường Nếnh") {
			t.Fatalf("comparison lacks the ward: %s", before.Body)
		}
		f.must(t, f.tok["province"], "PATCH", fmt.Sprintf("/api/v1/units/%d", f.nenh.ID), `{"name":"Phường Nếnh Mới"}`, http.StatusOK, nil)
		after := f.must(t, f.tok["province"], "GET", path, "", http.StatusOK, nil)
		if !strings.Contains(string(after.Body), "Phường Nếnh Mới") {
			t.Errorf("comparison after the rename still shows the old name: %s", after.Body)
		}
	})
}
