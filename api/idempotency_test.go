package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/reports"
	"chuyenhoa/store/storetest"
)

// TestIdempotencyKeyExpiry: a key replays its first answer for
// reports.DefaultIdempotencyTTL and not a moment longer; after that it is
// a new key (no replay, no 422 for another body), and every keyed
// submission deletes the expired keys. The server's clock is moved; nothing sleeps.
func TestIdempotencyKeyExpiry(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		t0 := vnTime(2024, time.March, 5)
		f.clock.Set(t0)
		q1 := enterReport(t, f, f.nenhTA, "Q1", 1200, 1200)
		h1 := enterReport(t, f, f.nenhTA, "6T", 1200, 1200)
		submit := func(id int64, body, key string) response {
			t.Helper()
			return f.do(t, f.tok["ward"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", id), body, "Idempotency-Key", key)
		}
		keys := func(where string, args ...any) int {
			t.Helper()
			return countWhere(t, f, "idempotency_keys", where, args...)
		}

		first := submit(q1.ID, "", "k1")
		if first.Status != http.StatusOK || first.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first submit = %d %s", first.Status, first.Body)
		}
		// Another user's key, a little later, to watch the cleanup.
		f.clock.Set(t0.Add(time.Hour))
		res := f.do(t, f.tok["police"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", h1.ID), "", "Idempotency-Key", "p1")
		if res.Status != http.StatusOK {
			t.Fatalf("police submit = %d %s", res.Status, res.Body)
		}

		f.clock.Set(t0.Add(reports.DefaultIdempotencyTTL - time.Second))
		again := submit(q1.ID, "", "k1")
		if again.Status != http.StatusOK || again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
			t.Fatalf("retry within a day = %d %q %s", again.Status, again.Header.Get("Idempotent-Replayed"), again.Body)
		}
		mustAPIError(t, submit(q1.ID, `{"version":1}`, "k1"), http.StatusUnprocessableEntity, domain.EUNPROCESSABLE)

		// Exactly a day later the key has expired: the retry is a new
		// request, and the report, already submitted, refuses it.
		f.clock.Set(t0.Add(reports.DefaultIdempotencyTTL))
		late := submit(q1.ID, "", "k1")
		mustAPIError(t, late, http.StatusConflict, domain.ECONFLICT)
		if late.Header.Get("Idempotent-Replayed") != "" {
			t.Error("an expired key replayed")
		}
		if got := keys("idem_key = 'k1'"); got != 0 {
			t.Errorf("expired key k1 still stored (%d rows)", got)
		}
		if got := keys("idem_key = 'p1'"); got != 1 {
			t.Errorf("the police's live key was deleted too early (%d rows)", got)
		}
		if got := countWhere(t, f, "report_revisions", "report_id = ?", q1.ID); got != 1 {
			t.Errorf("revisions of Q1 = %d, want 1", got)
		}

		// An hour more: p1 expires on the next keyed write, and k1 may now
		// carry another request without a 422.
		f.clock.Set(t0.Add(reports.DefaultIdempotencyTTL + time.Hour))
		var r apiReport
		f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/return", h1.ID), `{"reason":"Kiểm tra lại số hộ"}`, http.StatusOK, &r)
		res = submit(h1.ID, fmt.Sprintf(`{"version":%d}`, r.Version), "k1")
		if res.Status != http.StatusOK || res.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("k1 reused after expiry = %d %s", res.Status, res.Body)
		}
		mustJSON(t, res.Body, &r)
		if r.Status != "submitted" || r.SubmittedRevision != 2 {
			t.Errorf("resubmitted = %+v", r)
		}
		if got := keys("idem_key = 'p1'"); got != 0 {
			t.Errorf("expired key p1 not cleaned up (%d rows)", got)
		}
		if got := keys("1 = 1"); got != 1 {
			t.Errorf("%d keys stored, want only the new k1", got)
		}
		again = submit(h1.ID, fmt.Sprintf(`{"version":%d}`, r.Version-1), "k1")
		if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(res.Body) {
			t.Errorf("the new k1 does not replay: %d %s", again.Status, again.Body)
		}
	})
}
