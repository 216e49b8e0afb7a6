package reports

import (
	"context"

	"github.com/uptrace/bun"
)

// FindReportsByStatus lists the reports inside the caller's scope whose
// status is one of statuses, the longest waiting first (by last
// submission, then last change), at most limit (100 when 0 or less). It
// is the review queue of a district and the list of returned reports of
// a ward; without a scope in ctx it fails closed.
func (s *Service) FindReportsByStatus(ctx context.Context, statuses []string, limit int) ([]*Report, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []*Report
	q, err := whereUnit(ctx, s.DB.NewSelect().Model(&out).Where("r.status IN (?)", bun.In(statuses)), "r.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.OrderExpr("r.last_submitted_at ASC, r.updated_at ASC, r.id ASC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, r := range out {
		if err := r.decode(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
