// Package audit is the append-only audit trail: who did what to which
// object, when and from where. Entries are written in the same transaction
// as the change they record; the code has no update or delete path, and the
// table's triggers refuse both.
package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// Actor is who acts in a request, carried in the context.
type Actor struct {
	UserID    int64
	Username  string
	UnitID    int64
	IP        string
	RequestID string
}

type actorKey struct{}

// NewContextWithActor returns ctx carrying a.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor of ctx (zero when anonymous).
func ActorFromContext(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// Entry is one row of the audit log.
type Entry struct {
	bun.BaseModel `bun:"table:audit_log,alias:al"`

	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	At            time.Time `bun:"at,notnull" json:"at"`
	ActorID       *int64    `bun:"actor_id" json:"actor_id"`
	ActorUsername string    `bun:"actor_username,notnull" json:"actor_username"`
	ActorUnitID   *int64    `bun:"actor_unit_id" json:"actor_unit_id"`
	Action        string    `bun:"action,notnull" json:"action"`
	ObjectType    string    `bun:"object_type,notnull" json:"object_type"`
	ObjectID      string    `bun:"object_id,notnull" json:"object_id"`
	UnitID        *int64    `bun:"unit_id" json:"unit_id"`
	UnitPath      *string   `bun:"unit_path" json:"-"`
	Before        *JSONText `bun:"before" json:"before,omitempty"`
	After         *JSONText `bun:"after" json:"after,omitempty"`
	IP            string    `bun:"ip,notnull" json:"ip"`
	RequestID     string    `bun:"request_id,notnull" json:"request_id"`
}

// Change describes what to record; Before and After are marshalled to JSON
// and must not contain secrets (types carrying them tag those fields json:"-").
type Change struct {
	Action     string
	ObjectType string
	ObjectID   string
	// Unit is the unit that owns the object; it decides who may read the
	// entry. Nil for platform-level events.
	Unit   *tenants.Unit
	Before any
	After  any
}

// Record appends an entry inside db (normally the caller's transaction).
func Record(ctx context.Context, db bun.IDB, c Change) error {
	a := ActorFromContext(ctx)
	e := &Entry{At: time.Now().UTC(), ActorUsername: a.Username, Action: c.Action, ObjectType: c.ObjectType, ObjectID: c.ObjectID, IP: a.IP, RequestID: a.RequestID}
	if a.UserID != 0 {
		e.ActorID = &a.UserID
	}
	if a.UnitID != 0 {
		e.ActorUnitID = &a.UnitID
	}
	if c.Unit != nil {
		e.UnitID = &c.Unit.ID
		e.UnitPath = &c.Unit.Path
	}
	var err error
	if e.Before, err = marshal(c.Before); err != nil {
		return err
	}
	if e.After, err = marshal(c.After); err != nil {
		return err
	}
	_, err = db.NewInsert().Model(e).Exec(ctx)
	return err
}

// JSONText is a JSON document stored as text and emitted as raw JSON.
type JSONText string

// MarshalJSON implements json.Marshaler.
func (j JSONText) MarshalJSON() ([]byte, error) {
	if j == "" {
		return []byte("null"), nil
	}
	return []byte(j), nil
}

// OpenAPISchema describes JSONText as any JSON value.
func (JSONText) OpenAPISchema() map[string]any { return map[string]any{"description": "JSON document"} }

func marshal(v any) (*JSONText, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	t := JSONText(b)
	return &t, nil
}

// Filter selects audit entries.
type Filter struct {
	ActorID    *int64
	ObjectType *string
	ObjectID   *string
	Action     *string
	From, To   *time.Time
	Limit      int
	Offset     int
}

// PlatformActions are the actions of every tenant that the platform admin
// reads: sign-ins (failed ones above all) and tenant onboarding.
var PlatformActions = []string{"auth.login", "auth.login_failed", "auth.logout", "tenant.create"}

// platformEntries narrows q to what the platform admin reads: entries of
// no unit (its own sign-ins and denials, platform users), the sign-ins
// and onboarding of every tenant, and the users and units it changed
// itself (the users it created or whose password it reset) — never an
// entry about a report, plan or other content of a tenant.
func platformEntries(q *bun.SelectQuery, adminID int64) *bun.SelectQuery {
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("al.unit_path IS NULL").
			WhereOr("al.action IN (?)", bun.In(PlatformActions)).
			WhereOr("al.actor_id = ? AND al.object_type IN ('user', 'unit')", adminID)
	})
}

// FindEntries lists entries about objects inside the caller's scope, newest
// first. Platform-level entries (no unit) are visible to the platform scope
// only; a platform user (the admin) reads only those, the sign-ins and
// onboarding of every tenant and its own user and unit changes
// (platformEntries).
func FindEntries(ctx context.Context, db bun.IDB, f Filter) ([]*Entry, int, error) {
	s, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, 0, err
	}
	var out []*Entry
	q := db.NewSelect().Model(&out)
	if !s.All {
		q = s.WherePath(q.Where("al.unit_path IS NOT NULL"), "al.unit_path")
	} else if a := ActorFromContext(ctx); a.UserID != 0 && a.UnitID == 0 {
		q = platformEntries(q, a.UserID)
	}
	if f.ActorID != nil {
		q = q.Where("al.actor_id = ?", *f.ActorID)
	}
	if f.ObjectType != nil {
		q = q.Where("al.object_type = ?", *f.ObjectType)
	}
	if f.ObjectID != nil {
		q = q.Where("al.object_id = ?", *f.ObjectID)
	}
	if f.Action != nil {
		q = q.Where("al.action = ?", *f.Action)
	}
	if f.From != nil {
		q = q.Where("al.at >= ?", f.From.UTC())
	}
	if f.To != nil {
		q = q.Where("al.at < ?", f.To.UTC())
	}
	if f.To != nil && f.From != nil && f.To.Before(*f.From) {
		return nil, 0, domain.Invalid("Khoảng thời gian không hợp lệ", map[string]string{"to": "phải sau from"})
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	n, err := q.OrderExpr("al.at DESC, al.id DESC").Limit(int64(f.Limit)).Offset(int64(f.Offset)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	return out, int(n), nil
}
