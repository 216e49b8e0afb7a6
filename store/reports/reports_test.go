package reports_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/reports"
	"chuyenhoa/store/storetest"
)

// TestFailsClosed: without a scope in the context every read and write is
// refused, never widened to all rows.
func TestFailsClosed(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		s := &reports.Service{DB: db}
		ctx := context.Background()
		for name, call := range map[string]func() error{
			"FindReport":     func() error { _, err := s.FindReport(ctx, 1); return err },
			"ReportByPeriod": func() error { _, err := s.ReportByPeriod(ctx, 1, "Q1"); return err },
			"FindReports":    func() error { _, err := s.FindReports(ctx, 1); return err },
			"SaveValues":     func() error { _, err := s.SaveValues(ctx, 1, "Q1", 0, []byte(`{"patrols":1}`)); return err },
			"Submit":         func() error { _, err := s.Submit(ctx, 1, reports.SubmitInput{}, nil); return err },
			"Accept":         func() error { _, err := s.Accept(ctx, 1, reports.ReviewInput{}); return err },
			"FindEvaluation": func() error { _, err := s.FindEvaluation(ctx, 1, "Q1"); return err },
			"FindBaseline":   func() error { _, err := s.FindBaseline(ctx, 1); return err },
			"FindCalendar":   func() error { _, err := s.FindCalendar(ctx, 1); return err },
			"FindCatalogue":  func() error { _, err := s.FindCatalogue(ctx, 1); return err },
			"ProposeExit":    func() error { _, err := s.ProposeExit(ctx, 1, reports.ExitProposalInput{Evidence: "x"}); return err },
		} {
			if got := domain.ErrorCode(call()); got != domain.EFORBIDDEN {
				t.Errorf("%s without scope: code %q, want %q", name, got, domain.EFORBIDDEN)
			}
		}
	})
}
