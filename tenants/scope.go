package tenants

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
)

// Scope is the subtree a caller may see: the unit it belongs to and that
// unit's materialised path. All is set only for the platform (admin) scope,
// which sees the list of provinces but is stopped from report data by
// authorisation, not by the tree.
type Scope struct {
	UnitID   int64
	TenantID int64
	Path     string
	All      bool
}

type scopeKey struct{}

// NewContextWithScope returns ctx carrying s.
func NewContextWithScope(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// ScopeFromContext returns the caller's scope or an EFORBIDDEN error when
// the context has none, so a forgotten scope never widens a query.
func ScopeFromContext(ctx context.Context) (Scope, error) {
	s, ok := ctx.Value(scopeKey{}).(Scope)
	if !ok || (!s.All && !validPath(s.Path)) {
		return Scope{}, domain.Errorf(domain.EFORBIDDEN, "không xác định được phạm vi truy cập")
	}
	return s, nil
}

func validPath(p string) bool {
	return len(p) >= 3 && p[0] == '/' && p[len(p)-1] == '/'
}

// Covers reports whether the unit with the given path is inside s.
func (s Scope) Covers(path string) bool {
	if s.All {
		return true
	}
	return validPath(s.Path) && strings.HasPrefix(path, s.Path)
}

// upper returns the exclusive upper bound of the subtree's path range: paths
// hold only digits and '/', and '0' is the byte after '/', so every
// descendant path sorts in [Path, upper).
func upper(path string) string {
	return path[:len(path)-1] + "0"
}

// WherePath restricts q to rows whose path column (a units.path) lies in s.
func (s Scope) WherePath(q *bun.SelectQuery, column string) *bun.SelectQuery {
	if s.All {
		return q
	}
	return q.Where("? >= ? AND ? < ?", bun.Ident(column), s.Path, bun.Ident(column), upper(s.Path))
}

// WhereUnit restricts q to rows whose unitColumn references a unit inside
// the scope of ctx. It fails closed when ctx carries no scope.
func WhereUnit(ctx context.Context, q *bun.SelectQuery, unitColumn string) (*bun.SelectQuery, error) {
	s, err := ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	if s.All {
		return q, nil
	}
	return q.Where("? IN (SELECT u.id FROM units AS u WHERE u.path >= ? AND u.path < ?)", bun.Ident(unitColumn), s.Path, upper(s.Path)), nil
}

// WherePathCtx restricts q by the path column to the scope of ctx, failing
// closed.
func WherePathCtx(ctx context.Context, q *bun.SelectQuery, column string) (*bun.SelectQuery, error) {
	s, err := ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	return s.WherePath(q, column), nil
}
