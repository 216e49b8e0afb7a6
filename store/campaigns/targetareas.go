package campaigns

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// Actor is who performs a workflow action: the user, its home unit and its roles.
type Actor struct {
	UserID int64
	UnitID int64
	Roles  []string
}

// TargetArea is a stored target area with its unit's name and code and its
// optimistic-locking version.
type TargetArea struct {
	domain.TargetArea
	UnitCode string `json:"unit_code"`
	UnitName string `json:"unit_name"`
	// UnitPath is the materialised path of the unit (for scope checks).
	UnitPath string `json:"-"`
	Version  int    `json:"version"`
}

// DirectlyUnder reports whether the area's unit lies directly under the
// unit unitID, which then does the district's duties for it: review its
// reports and plan, propose its exit (tenants.DirectlyUnder).
func (ta *TargetArea) DirectlyUnder(unitID int64) bool {
	return tenants.DirectlyUnder(ta.UnitPath, unitID)
}

type targetAreaRow struct {
	bun.BaseModel `bun:"table:target_areas,alias:ta"`

	ID            int64            `bun:"id,pk,autoincrement"`
	CampaignID    int64            `bun:"campaign_id,notnull"`
	UnitID        int64            `bun:"unit_id,notnull"`
	DistrictID    int64            `bun:"district_id,notnull"`
	Status        string           `bun:"status,notnull"`
	Reason        string           `bun:"reason,notnull"`
	Deadline      domain.Date      `bun:"deadline"`
	Decision      *domain.Document `bun:"decision"`
	ExitDecision  *domain.Document `bun:"exit_decision"`
	CarriedFromID *int64           `bun:"carried_from_id"`
	Version       int              `bun:"version,notnull"`
	CreatedAt     time.Time        `bun:"created_at,notnull"`
	UpdatedAt     time.Time        `bun:"updated_at,notnull"`

	UnitCode string `bun:"unit_code,scanonly"`
	UnitName string `bun:"unit_name,scanonly"`
	UnitPath string `bun:"unit_path,scanonly"`
}

func (r *targetAreaRow) targetArea() *TargetArea {
	return &TargetArea{UnitCode: r.UnitCode, UnitName: r.UnitName, UnitPath: r.UnitPath, Version: r.Version,
		TargetArea: domain.TargetArea{
			ID: r.ID, CampaignID: r.CampaignID, UnitID: r.UnitID, ProposedByUnitID: r.DistrictID, Reason: r.Reason,
			Deadline: r.Deadline, Status: r.Status, Decision: r.Decision, ExitDecision: r.ExitDecision,
			CarriedFromID: r.CarriedFromID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		}}
}

type targetEventRow struct {
	bun.BaseModel `bun:"table:target_area_events,alias:te"`

	ID           int64            `bun:"id,pk,autoincrement"`
	TargetAreaID int64            `bun:"target_area_id,notnull"`
	Action       string           `bun:"action,notnull"`
	FromStatus   string           `bun:"from_status,notnull"`
	ToStatus     string           `bun:"to_status,notnull"`
	ActorID      *int64           `bun:"actor_id"`
	ActorUnitID  *int64           `bun:"actor_unit_id"`
	ActorRole    string           `bun:"actor_role,notnull"`
	Decision     *domain.Document `bun:"decision"`
	Comment      string           `bun:"comment,notnull"`
	At           time.Time        `bun:"at,notnull"`
}

func (r *targetEventRow) event() domain.TargetEvent {
	e := domain.TargetEvent{ID: r.ID, TargetAreaID: r.TargetAreaID, Action: r.Action, FromStatus: r.FromStatus,
		ToStatus: r.ToStatus, ActorRole: r.ActorRole, At: r.At, Decision: r.Decision, Comment: r.Comment}
	if r.ActorID != nil {
		e.ActorUserID = *r.ActorID
	}
	if r.ActorUnitID != nil {
		e.ActorUnitID = *r.ActorUnitID
	}
	return e
}

func ptrIf(id int64) *int64 {
	if id <= 0 {
		return nil
	}
	return &id
}

// roleFor returns the role of actor that may perform action, for the history.
func roleFor(action string, roles []string) string {
	for _, r := range domain.TargetActionRoles(action) {
		if slices.Contains(roles, r) {
			return r
		}
	}
	return ""
}

// AddTargetEvent appends one transition to a target area's history.
func AddTargetEvent(ctx context.Context, db bun.IDB, e *domain.TargetEvent) error {
	row := &targetEventRow{TargetAreaID: e.TargetAreaID, Action: e.Action, FromStatus: e.FromStatus, ToStatus: e.ToStatus,
		ActorID: ptrIf(e.ActorUserID), ActorUnitID: ptrIf(e.ActorUnitID), ActorRole: e.ActorRole, Decision: e.Decision,
		Comment: e.Comment, At: e.At.UTC()}
	if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return err
	}
	e.ID = row.ID
	return nil
}

func selectTargetAreas(db bun.IDB, dst any) *bun.SelectQuery {
	return db.NewSelect().Model(dst).
		Column("id", "campaign_id", "unit_id", "district_id", "status", "reason", "deadline", "decision",
			"exit_decision", "carried_from_id", "version", "created_at", "updated_at").
		ColumnExpr("tu.code AS unit_code, tu.name AS unit_name, tu.path AS unit_path").
		Join("JOIN units AS tu ON tu.id = ta.unit_id")
}

// FindTargetAreaByID returns the target area if its unit is inside the
// caller's scope; ENOTFOUND otherwise.
func FindTargetAreaByID(ctx context.Context, db bun.IDB, id int64) (*TargetArea, error) {
	row := new(targetAreaRow)
	q, err := tenants.WhereUnit(ctx, selectTargetAreas(db, row).Where("ta.id = ?", id), "ta.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "Địa bàn trọng điểm")
	}
	return row.targetArea(), nil
}

// TargetAreaFilter selects target areas.
type TargetAreaFilter struct {
	CampaignID *int64
	UnitID     *int64
	Status     *string
	Limit      int
	Offset     int
}

// FindTargetAreas lists the target areas inside the caller's scope, by
// campaign then unit path.
func FindTargetAreas(ctx context.Context, db bun.IDB, f TargetAreaFilter) ([]*TargetArea, int, error) {
	var rows []*targetAreaRow
	q, err := tenants.WhereUnit(ctx, selectTargetAreas(db, &rows), "ta.unit_id")
	if err != nil {
		return nil, 0, err
	}
	if f.CampaignID != nil {
		q = q.Where("ta.campaign_id = ?", *f.CampaignID)
	}
	if f.UnitID != nil {
		q = q.Where("ta.unit_id = ?", *f.UnitID)
	}
	if f.Status != nil {
		q = q.Where("ta.status = ?", *f.Status)
	}
	f.Limit, f.Offset = limitOffset(f.Limit, f.Offset)
	n, err := q.OrderExpr("ta.campaign_id DESC, tu.path, ta.id").Limit(int64(f.Limit)).Offset(int64(f.Offset)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*TargetArea, len(rows))
	for i, r := range rows {
		out[i] = r.targetArea()
	}
	return out, int(n), nil
}

// FindTargetEvents returns the history of a target area inside the
// caller's scope, oldest first.
func FindTargetEvents(ctx context.Context, db bun.IDB, targetAreaID int64) ([]domain.TargetEvent, error) {
	if _, err := FindTargetAreaByID(ctx, db, targetAreaID); err != nil {
		return nil, err
	}
	var rows []*targetEventRow
	if err := db.NewSelect().Model(&rows).Where("te.target_area_id = ?", targetAreaID).OrderExpr("te.at, te.id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.TargetEvent, len(rows))
	for i, r := range rows {
		out[i] = r.event()
	}
	return out, nil
}

// TargetHistory is one target area of a unit with the campaign it belongs to and its history.
type TargetHistory struct {
	TargetArea   *TargetArea          `json:"target_area"`
	CampaignYear int                  `json:"campaign_year"`
	Campaign     string               `json:"campaign_title"`
	Events       []domain.TargetEvent `json:"events"`
}

// FindUnitTargetHistory returns every target area of the unit, in every
// campaign (oldest first), with its history: a unit may be a target area
// again in a later campaign.
func FindUnitTargetHistory(ctx context.Context, db bun.IDB, unitID int64) ([]TargetHistory, error) {
	if _, err := tenants.FindUnitByID(ctx, db, unitID); err != nil {
		return nil, err
	}
	var rows []*targetAreaRow
	q, err := tenants.WhereUnit(ctx, selectTargetAreas(db, &rows).Where("ta.unit_id = ?", unitID), "ta.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.OrderExpr("ta.id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]TargetHistory, 0, len(rows))
	for _, r := range rows {
		c := new(campaignRow)
		if err := db.NewSelect().Model(c).Column("year", "title").Where("c.id = ?", r.CampaignID).Scan(ctx); err != nil {
			return nil, err
		}
		ev, err := FindTargetEvents(ctx, db, r.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, TargetHistory{TargetArea: r.targetArea(), CampaignYear: c.Year, Campaign: c.Title, Events: ev})
	}
	slices.SortStableFunc(out, func(a, b TargetHistory) int { return a.CampaignYear - b.CampaignYear })
	return out, nil
}

// Proposal is the proposal of one or several wards as target areas of a
// campaign by the unit directly above them: their district, or the
// province for wards directly under it (two-tier).
type Proposal struct {
	CampaignID int64   `json:"campaign_id"`
	UnitIDs    []int64 `json:"unit_ids"`
	// Reason is why the proposing unit proposes the areas.
	Reason string `json:"reason"`
	// Deadline defaults to 31/12 of the campaign year ("xong trong tháng 12").
	Deadline domain.Date `json:"deadline"`
}

// ProposeTargetAreas stores a proposal: every unit becomes a proposed
// target area with the first event of its history, or nothing is stored.
// Only the unit directly above a ward proposes it: its district, or the
// province for a ward directly under it (two-tier); a province never
// proposes a ward that has a district. Errors: EFORBIDDEN (neither role),
// EINVALID naming "campaign_id", "unit_ids[2]" (not a ward in the
// caller's scope), "reason", "deadline", then EFORBIDDEN naming
// "unit_ids[2]" a ward another unit is directly above, and ECONFLICT when
// a unit already is a target area of the campaign.
func ProposeTargetAreas(ctx context.Context, db bun.IDB, p Proposal, actor Actor, now time.Time) ([]*TargetArea, error) {
	if _, err := domain.CheckTargetTransition(domain.TargetNone, domain.TargetActPropose, actor.Roles...); err != nil {
		return nil, err
	}
	fe := domain.FieldErrors{}
	if err := domain.ValidateTargetAction(domain.TargetActPropose, domain.TargetActionInput{Comment: p.Reason}); err != nil {
		mergeInvalid(fe, err, "reason")
	}
	var camp *Campaign
	if p.CampaignID <= 0 {
		fe.AddMsg("campaign_id", domain.MsgNotChosen("chương trình"))
	} else if c, err := FindCampaignByID(ctx, db, p.CampaignID); domain.ErrorCode(err) == domain.ENOTFOUND {
		fe.Add("campaign_id", "Chương trình không tồn tại")
	} else if err != nil {
		return nil, err
	} else {
		camp = c
	}
	if len(p.UnitIDs) == 0 {
		fe.Add("unit_ids", "Chọn ít nhất một xã, phường")
	}
	if len(p.UnitIDs) > 500 {
		fe.Add("unit_ids", "Tối đa 500 đơn vị một lần")
	}
	actorUnit, err := tenants.FindUnitByID(ctx, db, actor.UnitID)
	if err != nil {
		return nil, err
	}
	units := make([]*tenants.Unit, len(p.UnitIDs))
	notParent := domain.FieldErrors{}
	for i, id := range p.UnitIDs {
		f := fmt.Sprintf("unit_ids[%d]", i)
		if slices.Index(p.UnitIDs, id) != i {
			fe.Add(f, "Đơn vị bị lặp")
			continue
		}
		u, err := tenants.FindUnitByID(ctx, db, id)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			fe.Add(f, fmt.Sprintf("Đơn vị %d không tồn tại", id))
			continue
		} else if err != nil {
			return nil, err
		}
		if u.Kind != tenants.KindWard || u.ID == actorUnit.ID {
			fe.Add(f, fmt.Sprintf("%s không phải là xã, phường thuộc %s", u.Name, actorUnit.Name))
			continue
		}
		if !tenants.DirectlyUnder(u.Path, actorUnit.ID) {
			notParent.Add(f, fmt.Sprintf("%s không trực thuộc trực tiếp %s; cấp huyện quản lý xã, phường này đề xuất", u.Name, actorUnit.Name))
			continue
		}
		units[i] = u
	}
	deadline := p.Deadline
	if camp != nil {
		if deadline.IsZero() {
			deadline = domain.EndOfMonth(camp.Year, time.December)
		}
		if err := domain.ValidateTargetArea(domain.TargetArea{UnitID: 1, Reason: p.Reason, Deadline: deadline}, camp.Year); err != nil {
			mergeInvalid(fe, err, "")
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if len(notParent) > 0 {
		e := notParent.Invalid("Chỉ đơn vị cấp trên trực tiếp của xã, phường (cấp huyện, hoặc cấp tỉnh với xã, phường trực thuộc tỉnh) mới được đề xuất địa bàn trọng điểm")
		e.Code = domain.EFORBIDDEN
		return nil, e
	}
	out := make([]*TargetArea, 0, len(units))
	for i, u := range units {
		var existing targetAreaRow
		err := db.NewSelect().Model(&existing).Where("ta.campaign_id = ? AND ta.unit_id = ?", camp.ID, u.ID).Scan(ctx)
		if err == nil {
			return nil, &domain.Error{Code: domain.ECONFLICT,
				Message: fmt.Sprintf("%s đã là địa bàn của chương trình năm %d (trạng thái “%s”), không thể đề xuất lại", u.Name, camp.Year, domain.TargetStatusLabel(existing.Status)),
				Fields:  map[string]string{fmt.Sprintf("unit_ids[%d]", i): "đã được đề xuất trong chương trình này"}}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		row := &targetAreaRow{CampaignID: camp.ID, UnitID: u.ID, DistrictID: actorUnit.ID, Status: domain.TargetProposed,
			Reason: p.Reason, Deadline: deadline, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return nil, err
		}
		ev := &domain.TargetEvent{TargetAreaID: row.ID, Action: domain.TargetActPropose, FromStatus: domain.TargetNone,
			ToStatus: domain.TargetProposed, ActorUserID: actor.UserID, ActorUnitID: actor.UnitID,
			ActorRole: roleFor(domain.TargetActPropose, actor.Roles), At: now, Comment: p.Reason}
		if err := AddTargetEvent(ctx, db, ev); err != nil {
			return nil, err
		}
		row.UnitCode, row.UnitName, row.UnitPath = u.Code, u.Name, u.Path
		out = append(out, row.targetArea())
	}
	return out, nil
}

// mergeInvalid copies the field messages of an EINVALID error into fe,
// renaming the field "comment" to commentAs when commentAs is set.
func mergeInvalid(fe domain.FieldErrors, err error, commentAs string) {
	e, ok := err.(*domain.Error)
	if !ok {
		fe.Add("body", domain.ErrorMessage(err))
		return
	}
	for f, m := range e.FieldErrors() {
		if f == "comment" && commentAs != "" {
			f = commentAs
		}
		fe.AddMsg(f, m)
	}
}

// TargetAction is a workflow action on a target area with its input.
type TargetAction struct {
	domain.TargetActionInput
	// Version, when sent, must be the version the client read.
	Version *int `json:"version,omitempty"`
}

// ActOnTargetArea performs action on the target area: it checks the
// caller's role and the area's status (domain.CheckTargetTransition), that
// a proposing actor's unit is the one directly above the area's ward, the
// input (decision for approve), the version, then stores the new status
// and appends the event. Errors: ENOTFOUND (outside scope), EFORBIDDEN,
// ECONFLICT (wrong status or stale version), EINVALID.
func ActOnTargetArea(ctx context.Context, db bun.IDB, id int64, action string, in TargetAction, actor Actor, now time.Time) (before, after *TargetArea, err error) {
	before, err = FindTargetAreaByID(ctx, db, id)
	if err != nil {
		return nil, nil, err
	}
	to, err := domain.CheckTargetTransition(before.Status, action, actor.Roles...)
	if err != nil {
		return nil, nil, err
	}
	if (action == domain.TargetActPropose || action == domain.TargetActProposeExit) && actor.UnitID > 0 &&
		!tenants.DirectlyUnder(before.UnitPath, actor.UnitID) {
		return nil, nil, domain.Errorf(domain.EFORBIDDEN, "Chỉ đơn vị cấp trên trực tiếp của %s mới được thực hiện thao tác “%s”", before.UnitName, domain.TargetActionLabel(action))
	}
	if err := domain.ValidateTargetAction(action, in.TargetActionInput); err != nil {
		return nil, nil, err
	}
	if err := checkVersion("Địa bàn trọng điểm", in.Version, before.Version); err != nil {
		return nil, nil, err
	}
	a := before.TargetArea
	a.Status, a.UpdatedAt = to, now
	cols := []string{"status", "version", "updated_at"}
	switch action {
	case domain.TargetActApprove:
		a.Decision = in.Decision
		cols = append(cols, "decision")
	case domain.TargetActDecideExit:
		a.ExitDecision = in.Decision
		cols = append(cols, "exit_decision")
	}
	row := &targetAreaRow{ID: a.ID, Status: a.Status, Decision: a.Decision, ExitDecision: a.ExitDecision,
		Version: before.Version + 1, UpdatedAt: now}
	res, err := db.NewUpdate().Model(row).Column(cols...).Where("ta.id = ? AND ta.version = ?", id, before.Version).Exec(ctx)
	if err != nil {
		return nil, nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, nil, staleVersion("Địa bàn trọng điểm", before.Version)
	}
	ev := &domain.TargetEvent{TargetAreaID: id, Action: action, FromStatus: before.Status, ToStatus: to,
		ActorUserID: actor.UserID, ActorUnitID: actor.UnitID, ActorRole: roleFor(action, actor.Roles), At: now,
		Decision: in.Decision, Comment: in.Comment}
	if err := AddTargetEvent(ctx, db, ev); err != nil {
		return nil, nil, err
	}
	after = &TargetArea{TargetArea: a, UnitCode: before.UnitCode, UnitName: before.UnitName, UnitPath: before.UnitPath, Version: row.Version}
	return before, after, nil
}

// ActOnTargetAreas performs action on every area of ids, as Quyết định 301
// approves a list at once: all succeed or nothing is stored (the caller's
// transaction rolls back). An id outside the scope is EINVALID naming
// "ids[i]"; a refused transition keeps its code and names the unit.
func ActOnTargetAreas(ctx context.Context, db bun.IDB, ids []int64, action string, in TargetAction, actor Actor, now time.Time) (before, after []*TargetArea, err error) {
	fe := domain.FieldErrors{}
	if len(ids) == 0 {
		fe.Add("ids", "Chọn ít nhất một địa bàn")
	}
	if len(ids) > 500 {
		fe.Add("ids", "Tối đa 500 địa bàn một lần")
	}
	for i, id := range ids {
		f := fmt.Sprintf("ids[%d]", i)
		if slices.Index(ids, id) != i {
			fe.Add(f, "Địa bàn bị lặp")
		} else if _, err := FindTargetAreaByID(ctx, db, id); domain.ErrorCode(err) == domain.ENOTFOUND {
			fe.Add(f, fmt.Sprintf("Địa bàn %d không tồn tại", id))
		} else if err != nil {
			return nil, nil, err
		}
	}
	if err := fe.Err(); err != nil {
		return nil, nil, err
	}
	in.Version = nil
	for i, id := range ids {
		b, a, err := ActOnTargetArea(ctx, db, id, action, in, actor, now)
		if err != nil {
			var de *domain.Error
			if e, ok := err.(*domain.TransitionError); ok {
				de = e.Unwrap().(*domain.Error)
			} else if e, ok := err.(*domain.Error); ok && e.Code != domain.EINVALID {
				de = e
			}
			if de != nil && b == nil {
				ta, _ := FindTargetAreaByID(ctx, db, id)
				name := fmt.Sprint(id)
				if ta != nil {
					name = ta.UnitName
				}
				return nil, nil, &domain.Error{Code: de.Code, Message: name + ": " + de.Message,
					Fields: map[string]string{fmt.Sprintf("ids[%d]", i): de.Message}, Detail: de.Detail}
			}
			return nil, nil, err
		}
		before, after = append(before, b), append(after, a)
	}
	return before, after, nil
}
