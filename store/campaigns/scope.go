package campaigns

import (
	"context"
	"database/sql"
	"errors"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// scopedUnitIDs returns a subquery of the ids of the units inside the
// caller's scope, failing closed when ctx carries none.
func scopedUnitIDs(ctx context.Context, db bun.IDB) (*bun.SelectQuery, error) {
	return tenants.WherePathCtx(ctx, db.NewSelect().TableExpr("units AS su").Column("su.id"), "su.path")
}

// whereTenant restricts q to rows whose provinceColumn is the caller's
// province (its tenant); a campaign is visible to every unit of its
// province. It fails closed without a scope or a tenant.
func whereTenant(ctx context.Context, q *bun.SelectQuery, provinceColumn string) (*bun.SelectQuery, error) {
	s, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	if s.All {
		return q, nil
	}
	if s.TenantID <= 0 {
		return nil, domain.Errorf(domain.EFORBIDDEN, "không xác định được tỉnh của người dùng")
	}
	return q.Where("? = ?", bun.Ident(provinceColumn), s.TenantID), nil
}

// notFound maps sql.ErrNoRows to an ENOTFOUND error about what.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.NotFound(what)
	}
	return err
}

// staleVersion is the conflict of an optimistic update whose version is not the stored one.
func staleVersion(what string, current int) error {
	e := domain.Stale(what + " đã được người khác sửa; hãy tải lại để xem bản mới nhất rồi sửa lại")
	e.Fields = map[string]string{"version": "phiên bản không còn đúng"}
	e.Detail = map[string]int{"current_version": current}
	return e
}

// checkVersion returns a conflict when the client sent a version that differs from the stored one.
func checkVersion(what string, sent *int, stored int) error {
	if sent != nil && *sent != stored {
		return staleVersion(what, stored)
	}
	return nil
}

// requireVersion is checkVersion for edits that must name the version they change.
func requireVersion(what string, sent *int, stored int) error {
	if sent == nil {
		return domain.Invalid("Thiếu phiên bản", map[string]string{"version": "Phải gửi version của " + what + " đang sửa"})
	}
	return checkVersion(what, sent, stored)
}

// limitOffset normalises paging.
func limitOffset(limit, offset int) (int, int) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	if offset < 0 {
		offset = 0
	}
	return limit, offset
}
