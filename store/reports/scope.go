package reports

import (
	"context"

	"github.com/uptrace/bun"

	"chuyenhoa/tenants"
)

// unitScope returns a condition restricting column (a units.id reference)
// to the caller's subtree, failing closed when ctx carries no scope. It is
// a plain condition so it also serves UPDATE statements.
func unitScope(ctx context.Context, column string) (string, []any, error) {
	s, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return "", nil, err
	}
	if s.All {
		return "1 = 1", nil, nil
	}
	return column + " IN (SELECT su.id FROM units AS su WHERE su.path >= ? AND su.path < ?)",
		[]any{s.Path, upperPath(s.Path)}, nil
}

// upperPath is the exclusive upper bound of a subtree's path range: paths
// hold only digits and '/', and '0' is the byte after '/'.
func upperPath(p string) string { return p[:len(p)-1] + "0" }

// whereUnit applies unitScope to a select.
func whereUnit(ctx context.Context, q *bun.SelectQuery, column string) (*bun.SelectQuery, error) {
	cond, args, err := unitScope(ctx, column)
	if err != nil {
		return nil, err
	}
	return q.Where(cond, args...), nil
}

// campaignScope restricts column (a campaigns.province_id reference) to
// provinces the caller belongs to: the province is the caller's unit or an
// ancestor of it. The platform scope sees every campaign, but
// authorisation keeps it away from reports.
func campaignScope(ctx context.Context, column string) (string, []any, error) {
	s, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return "", nil, err
	}
	if s.All {
		return "1 = 1", nil, nil
	}
	return column + " IN (SELECT sp.id FROM units AS sp WHERE ? LIKE (sp.path || '%'))", []any{s.Path}, nil
}
