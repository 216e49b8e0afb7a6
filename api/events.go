package api

import (
	"context"

	"github.com/uptrace/bun"

	"chuyenhoa/authz/audit"
	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// emitCampaignEvent records a domain event about an object of a campaign
// inside tx, the write's transaction. The campaign commands still run
// their transactions here; when they move into a service (issue 12), this
// moves with them.
func (s *Server) emitCampaignEvent(ctx context.Context, tx bun.IDB, typ string, campaignID int64, objectType string, objectID int64) error {
	if s.opts.Outbox == nil {
		return nil
	}
	var tenantID int64
	if err := tx.NewSelect().Table("campaigns").Column("province_id").Where("id = ?", campaignID).Scan(ctx, &tenantID); err != nil {
		return err
	}
	ev := domain.Event{Type: typ, TenantID: tenantID, CampaignID: campaignID, ObjectType: objectType, ObjectID: objectID, ActorID: audit.ActorFromContext(ctx).UserID, At: s.now()}
	return s.opts.Outbox.Emit(ctx, tx, ev)
}

// unitEvents names the event of each audited unit change that has one.
var unitEvents = map[string]string{"unit.update": domain.EventUnitRenamed}

// auditUnit records unit changes for tenants.Units, and their events: a
// unit's name shows in every campaign view of its province.
func (s *Server) auditUnit(ctx context.Context, tx bun.IDB, action string, u *tenants.Unit, before, after any) error {
	if err := auditUnitChange(ctx, tx, action, u, before, after); err != nil {
		return err
	}
	typ, ok := unitEvents[action]
	if !ok || u == nil || u.TenantID == nil {
		return nil
	}
	ev := domain.Event{Type: typ, TenantID: *u.TenantID, ObjectType: "unit", ObjectID: u.ID, ActorID: audit.ActorFromContext(ctx).UserID, At: s.now()}
	return s.opts.Outbox.Emit(ctx, tx, ev)
}
