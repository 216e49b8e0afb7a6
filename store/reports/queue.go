package reports

import (
	"context"

	"github.com/uptrace/bun"

	"chuyenhoa/tenants"
)

// FindReportsByStatus lists the reports inside the caller's scope whose
// status is one of statuses, the longest waiting first (by last
// submission, then last change), at most limit (100 when 0 or less). It
// is the list of returned reports of a ward (FindReportsToReview is the
// review queue); without a scope in ctx it fails closed.
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

// FindReportsToReview is FindReportsByStatus restricted to the reports the
// caller reviews: those of the wards directly under its unit (a district's
// wards, or a province's wards that have no district). A province is not
// shown the reports its districts review. The platform scope is not
// restricted further (authorisation keeps it away from reports).
func (s *Service) FindReportsToReview(ctx context.Context, statuses []string, limit int) ([]*Report, error) {
	sc, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []*Report
	q, err := whereUnit(ctx, s.DB.NewSelect().Model(&out).Where("r.status IN (?)", bun.In(statuses)), "r.unit_id")
	if err != nil {
		return nil, err
	}
	if !sc.All {
		q = q.Where("r.unit_id IN (SELECT qu.id FROM units AS qu WHERE qu.parent_id = ?)", sc.UnitID)
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
