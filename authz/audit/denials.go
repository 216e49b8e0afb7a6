package audit

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/tenants"
)

// Kinds of refused requests counted by CountDenial.
const (
	// DenialForbidden is a 403: the role may not, or the rule refuses.
	DenialForbidden = "forbidden"
	// DenialNotFound is a 404: an object outside the caller's scope (or absent).
	DenialNotFound = "not_found"
)

// Denials is one counter row: how many requests of one user were refused
// with one kind in one hour. A flood of refused requests grows a counter,
// never the audit log.
type Denials struct {
	bun.BaseModel `bun:"table:access_denials,alias:ad"`

	ID         int64     `bun:"id,pk,autoincrement" json:"-"`
	UserID     int64     `bun:"user_id,notnull" json:"user_id"`
	UnitID     *int64    `bun:"unit_id" json:"unit_id"`
	UnitPath   *string   `bun:"unit_path" json:"-"`
	Hour       time.Time `bun:"hour,notnull" json:"hour"`
	Kind       string    `bun:"kind,notnull" json:"kind"`
	Count      int64     `bun:"count,notnull" json:"count"`
	LastDetail string    `bun:"last_detail,notnull" json:"last_detail"`
	FirstAt    time.Time `bun:"first_at,notnull" json:"first_at"`
	LastAt     time.Time `bun:"last_at,notnull" json:"last_at"`
}

// CountDenial adds one refused request of kind to the user's counter for
// the hour of now and returns the hour's count so far. unit is the user's
// home unit (nil for the platform); detail (e.g. "GET /api/v1/reports/:id")
// is kept as the last one seen.
func CountDenial(ctx context.Context, db bun.IDB, userID int64, unit *tenants.Unit, kind, detail string, now time.Time) (int64, error) {
	now = now.UTC()
	d := &Denials{UserID: userID, Hour: now.Truncate(time.Hour), Kind: kind, Count: 1, LastDetail: detail, FirstAt: now, LastAt: now}
	if unit != nil {
		d.UnitID, d.UnitPath = &unit.ID, &unit.Path
	}
	var n int64
	err := db.NewInsert().Model(d).
		On("CONFLICT (user_id, hour, kind) DO UPDATE").
		Set("count = ad.count + 1").Set("last_detail = EXCLUDED.last_detail").Set("last_at = EXCLUDED.last_at").
		Returning("count").Scan(ctx, &n)
	return n, err
}

// FindDenials lists the counters of the users inside the caller's scope
// (the platform scope reads them all), the latest hour first; since
// bounds the hours (nil for all kept).
func FindDenials(ctx context.Context, db bun.IDB, since *time.Time, limit int) ([]*Denials, error) {
	s, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	out := []*Denials{}
	q := db.NewSelect().Model(&out)
	if !s.All {
		q = s.WherePath(q.Where("ad.unit_path IS NOT NULL"), "ad.unit_path")
	}
	if since != nil {
		q = q.Where("ad.hour >= ?", since.UTC().Truncate(time.Hour))
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	err = q.OrderExpr("ad.hour DESC, ad.count DESC, ad.id").Limit(int64(limit)).Scan(ctx)
	return out, err
}
